import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';
import { searchAccounts } from './methods/listSearch';
import {
	accountIdLocator,
	billingNotice,
	eventsProperty,
	readTriggerAccountId,
} from './shared/descriptions';
import { eventOutputOptionProperties, readEventOutputOptions } from './shared/events';
import { HostedEventPoller } from './shared/hostedPoller';
import {
	createHostedWebhook,
	deleteHostedWebhookOrReport,
	ensureHostedWebhook,
	reportOtherHostedWebhooks,
	resetState,
	type HostedTriggerState,
} from './shared/hostedWebhook';
import { createDetachedLinkupClient, resolveLinkupCredentials } from './transport';

export const DEFAULT_POLL_INTERVAL_SECONDS = 10;
export const MIN_POLL_INTERVAL_SECONDS = 5;
const MAX_POLL_INTERVAL_SECONDS = 3600;

/** The poll interval in ms, kept within the limits the UI shows (an expression can go past them). */
export function pollIntervalMs(value: unknown): number {
	const seconds = typeof value === 'number' && Number.isFinite(value) ? value : DEFAULT_POLL_INTERVAL_SECONDS;
	return Math.min(MAX_POLL_INTERVAL_SECONDS, Math.max(MIN_POLL_INTERVAL_SECONDS, seconds)) * 1000;
}

export class LinkupHostedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LinkupAPI Hosted Trigger',
		name: 'linkupHostedTrigger',
		icon: { light: 'file:../../icons/linkup.svg', dark: 'file:../../icons/linkup.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"every " + ($parameter["options"]["pollInterval"] || 10) + " s"}}',
		description:
			'Starts the workflow on LinkupAPI events (LinkedIn messages, accepted invitations, disconnections) by polling a hosted webhook, for n8n instances LinkupAPI cannot reach',
		defaults: { name: 'LinkupAPI Hosted Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'linkupApi', required: true }],
		properties: [
			billingNotice,
			{
				displayName:
					'Use this trigger when LinkupAPI cannot reach your n8n (no public HTTPS address, for example n8n on a laptop). It fetches new events every poll interval, so they arrive about 10 seconds late by default. With a public HTTPS address, use "LinkupAPI Trigger": it gets events at once.',
				name: 'whenToUseNotice',
				type: 'notice',
				default: '',
			},
			accountIdLocator,
			eventsProperty,
			{
				displayName:
					'When the workflow stops (deactivated, n8n restarting, end of a test), this trigger deletes its webhook, so billing stops too and events from while n8n is stopped are not kept. After a crash it resumes without duplicates; events older than 24 hours are gone.',
				name: 'lifecycleNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					...eventOutputOptionProperties,
					{
						displayName: 'Poll Interval (Seconds)',
						name: 'pollInterval',
						type: 'number',
						default: DEFAULT_POLL_INTERVAL_SECONDS,
						typeOptions: { minValue: MIN_POLL_INTERVAL_SECONDS, maxValue: MAX_POLL_INTERVAL_SECONDS },
						description:
							'How often to ask LinkupAPI for new events. Shorter means less delay; asking costs no credits. When a full page of events comes back, the next page is read at once.',
					},
				],
			},
		],
	};

	methods = { listSearch: { searchAccounts } };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		// Resolve everything n8n has to evaluate now: once trigger() returns, parameters, credentials
		// and httpRequestWithAuthentication fail in n8n ("No bridge acquired for this context").
		const accountId = readTriggerAccountId(this);
		const selected = this.getNodeParameter('events', ['all']) as string[];
		// No selection means every event, as the output filter reads it (the API refuses an empty list).
		const events = selected.length > 0 ? selected : ['all'];
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const credentials = await resolveLinkupCredentials.call(this);
		const context = {
			client: createDetachedLinkupClient.call(this, credentials),
			node: this.getNode(),
			logger: this.logger,
		};
		const target = { accountId, events };

		// A test run ("Execute step") gets a webhook and state of its own: it must never reuse, record
		// or delete the webhook of the active workflow, and n8n does not keep its static data anyway.
		const testRun = this.getMode() === 'manual';
		let state: HostedTriggerState;
		if (testRun) {
			state = {};
			resetState(state, await createHostedWebhook(context, target));
		} else {
			state = this.getWorkflowStaticData('node') as HostedTriggerState;
			const recordedId = state.webhookId;
			const webhookId = await ensureHostedWebhook(context, state, target);
			if (webhookId !== recordedId) await reportOtherHostedWebhooks(context, accountId, webhookId);
		}

		const poller = new HostedEventPoller({
			...context,
			state,
			target,
			outputOptions: readEventOutputOptions(options),
			intervalMs: pollIntervalMs(options.pollInterval),
			// `this.emit` is looked up at each call: in a test run n8n replaces it after trigger() returns.
			emit: (items) => this.emit([items]),
			emitError: (error) => this.emitError(error),
		});
		poller.start();

		return {
			// n8n calls this on deactivation, on shutdown, on leadership loss, when a workflow update
			// re-registers the trigger, after emitError and at the end of a test run, always without
			// saying which (ActiveWorkflows.remove / removeAllTriggerAndPollerBasedWorkflows). Delete
			// rather than stop: a deactivated workflow must not leave billing behind, and /stop may
			// pause the whole account's monitoring, other webhooks included (spec §10.2).
			closeFunction: async () => {
				poller.stop();
				const webhookId = poller.webhookId;
				if (webhookId) await deleteHostedWebhookOrReport(context, webhookId);
			},
			manualTriggerFunction: async () => {
				await poller.pollNow();
			},
		};
	}
}
