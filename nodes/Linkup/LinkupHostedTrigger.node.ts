// The LinkupAPI Hosted Trigger: its description and the start and close of its event reading.
import {
	NodeConnectionTypes,
	type INodeProperties,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';
import { EventFingerprints } from './hosted/fingerprints';
import { HostedPoller } from './hosted/poller';
import { HostedSession } from './hosted/session';
import { HostedEventStream } from './hosted/stream';
import {
	createHostedWebhook,
	deleteHostedWebhookOrReport,
	ensureHostedWebhook,
	reportOtherHostedWebhooks,
	resetState,
	type HostedTriggerState,
} from './hosted/webhook';
import type { LifecycleContext } from './lifecycle/context';
import { searchAccounts } from './methods/listSearch';
import {
	accountIdLocator,
	billingNotice,
	eventsProperty,
	readTriggerAccountId,
} from './shared/descriptions';
import { eventOutputOptionProperties, readEventOutputOptions } from './shared/events';
import type { WebhookTarget } from './shared/webhooks';
import { createDetachedLinkupClient, resolveLinkupCredentials } from './transport';
import { createEventStreamOpener } from './transport/stream';

export const DEFAULT_POLL_INTERVAL_SECONDS = 10;
export const MIN_POLL_INTERVAL_SECONDS = 5;
const MAX_POLL_INTERVAL_SECONDS = 3600;
/** In stream mode, /events is read on every (re)connect and then this often, for events a silent failure lost. */
export const SAFETY_POLL_INTERVAL_MS = 5 * 60 * 1000;

/** The poll interval in ms, kept within the limits the UI shows (an expression can go past them). */
export function pollIntervalMs(value: unknown): number {
	const seconds = typeof value === 'number' && Number.isFinite(value) ? value : DEFAULT_POLL_INTERVAL_SECONDS;
	return Math.min(MAX_POLL_INTERVAL_SECONDS, Math.max(MIN_POLL_INTERVAL_SECONDS, seconds)) * 1000;
}

/** Receive Events, whose default depends on the node version: 1 polled before the stream existed. */
function receiveModeProperty(version: number, defaultMode: 'stream' | 'poll'): INodeProperties {
	return {
		displayName: 'Receive Events',
		name: 'receiveMode',
		type: 'options',
		options: [
			{
				name: 'Stream (Real Time)',
				value: 'stream',
				description:
					'Keep a connection open to LinkupAPI and get each event within a second. Missed events are read back after every reconnect.',
			},
			{
				name: 'Poll',
				value: 'poll',
				description:
					'Ask LinkupAPI for new events every poll interval. Pick this when a proxy or firewall cuts long-lived connections.',
			},
		],
		default: defaultMode,
		displayOptions: { show: { '@version': [version] } },
	};
}

export class LinkupHostedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LinkupAPI Hosted Trigger',
		name: 'linkupHostedTrigger',
		icon: { light: 'file:../../icons/linkup.svg', dark: 'file:../../icons/linkup.dark.svg' },
		group: ['trigger'],
		// 1.1 adds Receive Events with Stream as default; workflows saved at 1 keep polling.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle:
			'={{$parameter["receiveMode"] === "stream" ? "real time" : "every " + ($parameter["options"]["pollInterval"] || 10) + " s"}}',
		description:
			'Starts the workflow on LinkupAPI events (LinkedIn messages, accepted invitations, disconnections) from a hosted webhook\'s stream or by polling, for n8n instances LinkupAPI cannot reach',
		defaults: { name: 'LinkupAPI Hosted Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'linkupApi', required: true }],
		properties: [
			billingNotice,
			{
				displayName:
					'Use this trigger when LinkupAPI cannot reach your n8n (no public HTTPS address, for example n8n on a laptop). It keeps a connection open to LinkupAPI (Stream) or asks for new events every poll interval (Poll). With a public HTTPS address, "LinkupAPI Trigger" also works.',
				name: 'whenToUseNotice',
				type: 'notice',
				default: '',
			},
			accountIdLocator,
			eventsProperty,
			receiveModeProperty(1, 'poll'),
			receiveModeProperty(1.1, 'stream'),
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
						displayOptions: { show: { '/receiveMode': ['poll'] } },
						description:
							'How often to ask LinkupAPI for new events. Shorter means less delay; asking costs no credits. When a full page of new events comes back, the next page is read at once.',
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
		const streaming = this.getNodeParameter('receiveMode', 'poll') === 'stream';
		const credentials = await resolveLinkupCredentials.call(this);
		// A test run ("Execute step") gets a webhook and state of its own: it must never reuse, record
		// or delete the webhook of the active workflow, and n8n does not keep its static data anyway.
		const testRun = this.getMode() === 'manual';
		const lifecycle: LifecycleContext = {
			client: createDetachedLinkupClient.call(this, credentials),
			node: this.getNode(),
			logger: this.logger,
			label: 'LinkupAPI Hosted Trigger',
			// Lifecycle steps of one node's runs (activation, close, recreate) run one after the other.
			queueKey: `${testRun ? 'hosted-test' : 'hosted'}:${this.getNode().id}`,
		};
		const target: WebhookTarget = { accountId, events, signed: false };

		let state: HostedTriggerState;
		if (testRun) {
			state = {};
			resetState(state, await createHostedWebhook(lifecycle, target));
		} else {
			state = this.getWorkflowStaticData('node') as HostedTriggerState;
			const recordedId = state.webhookId;
			const webhookId = await ensureHostedWebhook(lifecycle, state, target);
			if (webhookId !== recordedId) await reportOtherHostedWebhooks(lifecycle, accountId, webhookId);
		}

		// `this.emit` is looked up at each call: in a test run n8n replaces it after trigger() returns.
		const emit = (items: INodeExecutionData[]) => this.emit([items]);
		const outputOptions = readEventOutputOptions(options);
		const fingerprints = streaming ? new EventFingerprints(state, Date.now) : undefined;
		const session = new HostedSession({
			lifecycle,
			state,
			durableState: !testRun,
			target,
			outputOptions,
			intervalMs: streaming ? SAFETY_POLL_INTERVAL_MS : pollIntervalMs(options.pollInterval),
			emit,
			emitError: (error) => this.emitError(error),
			fingerprints,
		});
		const poller = new HostedPoller(session, !streaming);
		const stream =
			fingerprints &&
			new HostedEventStream({
				logger: this.logger,
				open: createEventStreamOpener.call(this, credentials),
				session,
				fingerprints,
				target,
				outputOptions,
				emit,
			});
		session.warnIfPastRetention();
		poller.start();
		stream?.start();

		return {
			// n8n calls this on deactivation, on shutdown, on leadership loss, when a workflow update
			// re-registers the trigger, after emitError and at the end of a test run, always without
			// saying which (ActiveWorkflows.remove / removeAllTriggerAndPollerBasedWorkflows). Delete
			// rather than stop: a deactivated workflow must not leave billing behind, and /stop may
			// pause the whole account's monitoring, other webhooks included (docs/linkupapi-v2.md,
			// "Open questions").
			closeFunction: async () => {
				stream?.stop();
				poller.stop();
				await session.stop();
				const webhookId = session.webhookId;
				if (webhookId) await deleteHostedWebhookOrReport(lifecycle, webhookId);
			},
			manualTriggerFunction: async () => {
				await session.readNew();
			},
		};
	}
}
