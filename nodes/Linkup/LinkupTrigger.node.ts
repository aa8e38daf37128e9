/**
 * The LinkupAPI Trigger node: LinkupAPI posts each event to n8n's webhook URL. Its hooks hand the
 * webhook's life to webhookLifecycle.ts; `webhook()` verifies, parses, filters and emits.
 */
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { searchAccounts } from './methods/listSearch';
import {
	accountIdLocator,
	billingNotice,
	eventsProperty,
	readTriggerAccountId,
} from './shared/descriptions';
import { verifyDelivery, type Refusal } from './shared/delivery';
import { parseDelivery } from './shared/deliveryBody';
import { DeliveryLog } from './shared/deliveryLog';
import { eventOutputOptionProperties, readEventOutputOptions, toOutputItems } from './shared/events';
import { asNodeError } from './shared/lifecycleErrors';
import { oneAtATime } from './shared/oneAtATime';
import { nonPublicUrlReason } from './shared/publicUrl';
import { DEFAULT_TOLERANCE_SECONDS, MAX_TOLERANCE_SECONDS, readToleranceSeconds } from './shared/signature';
import { clearStoredWebhook, readStoredWebhook, storeWebhook, type StoredWebhook } from './shared/storedWebhook';
import { createWebhook, findWebhook, removeWebhook } from './shared/webhookLifecycle';
import type { LifecycleContext, WebhookTarget } from './shared/webhookTarget';
import { normalizeEvents } from './shared/webhooks';
import { getLinkupClient } from './transport';

const LABEL = 'LinkupAPI Trigger';
const deliveryLog = new DeliveryLog();

/** What the node's parameters ask LinkupAPI for; checked before any API call. */
function readTarget(context: IHookFunctions): WebhookTarget & { url: string; allowNonPublicUrl: boolean } {
	const url = context.getNodeWebhookUrl('default');
	if (!url) {
		throw new NodeOperationError(context.getNode(), 'n8n did not give this trigger a webhook URL. Save the workflow, then activate it again.');
	}
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const signed = options.verifySignature !== false;
	if (signed) {
		try {
			readToleranceSeconds(options.timestampToleranceSeconds);
		} catch (error) {
			throw new NodeOperationError(context.getNode(), (error as Error).message);
		}
	}
	return {
		url,
		accountId: readTriggerAccountId(context),
		events: normalizeEvents(context.getNodeParameter('events', ['all'])),
		signed,
		allowNonPublicUrl: options.allowNonPublicUrl === true,
	};
}

/** Runs one hook step for this node's webhook URL after any step already running for it. */
async function step<T>(
	context: IHookFunctions,
	run: (lifecycle: LifecycleContext, staticData: IDataObject) => Promise<T>,
): Promise<T> {
	return await oneAtATime(`trigger:${context.getNodeWebhookUrl('default')}`, async () => {
		const lifecycle = { client: await getLinkupClient.call(context), node: context.getNode(), logger: context.logger, label: LABEL };
		return await run(lifecycle, context.getWorkflowStaticData('node'));
	});
}

function refuseNonPublicUrl(context: IHookFunctions, url: string, reason: string): never {
	throw new NodeOperationError(
		context.getNode(),
		`LinkupAPI can only deliver events to a public HTTPS address, and this webhook URL (${url}) ${reason}. ` +
			'Give n8n a public HTTPS address: set the N8N_WEBHOOK_URL environment variable (WEBHOOK_URL before n8n 2.35) to it, ' +
			'or expose n8n through a tunnel; or use the "LinkupAPI Hosted Trigger" node, which needs no public URL.',
		{
			description:
				'If LinkupAPI can reach this address anyway (a private set-up), turn on "Allow Non-Public URL" in the options.',
		},
	);
}

/** Answers a delivery that starts nothing, and logs why (rate-limited). */
function refuse(context: IWebhookFunctions, key: string, refusal: Refusal): IWebhookResponseData {
	deliveryLog.refused(context.logger, key, refusal);
	context.getResponseObject().status(refusal.status).send(refusal.reason).end();
	return { noWebhookResponse: true };
}

export class LinkupTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LinkupAPI Trigger',
		name: 'linkupTrigger',
		icon: { light: 'file:../../icons/linkup.svg', dark: 'file:../../icons/linkup.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves exactly like 1. It exists because n8n (1.x and 2.x) evaluates a leftover
		// Webhook-node v1 expression on every request to any webhook node at typeVersion 1; in n8n 2.x
		// that is the first evaluation in a fresh expression isolate, about 13 ms per delivery.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle:
			'={{$parameter["events"].includes("all") ? "All events" : $parameter["events"].join(", ").split("_").join(" ")}}',
		description:
			'Starts the workflow when LinkupAPI posts a LinkedIn event (new message, accepted invitation, disconnection) to n8n',
		defaults: { name: 'LinkupAPI Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'linkupApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			billingNotice,
			{
				displayName:
					'LinkupAPI must reach this n8n over public HTTPS. If it cannot (n8n on your own computer or a private network), use the "LinkupAPI Hosted Trigger" node instead.',
				name: 'publicUrlNotice',
				type: 'notice',
				default: '',
			},
			accountIdLocator,
			eventsProperty,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Allow Non-Public URL',
						name: 'allowNonPublicUrl',
						type: 'boolean',
						default: false,
						description:
							'Whether to register a webhook URL that is not public HTTPS (http://, localhost). Only for private set-ups where LinkupAPI can still reach n8n.',
					},
					...eventOutputOptionProperties,
					{
						displayName: 'Timestamp Tolerance (Seconds)',
						name: 'timestampToleranceSeconds',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: MAX_TOLERANCE_SECONDS },
						default: DEFAULT_TOLERANCE_SECONDS,
						description:
							'How far the X-Linkup-Timestamp of a signed delivery may be from the current time, in the past or the future (at most 3600). Older or later deliveries are refused as possible replays; a delivery already accepted is never run twice.',
					},
					{
						displayName: 'Verify Signature',
						name: 'verifySignature',
						type: 'boolean',
						default: true,
						description:
							'Whether to ask LinkupAPI to sign deliveries and refuse any request whose signature does not match, so nobody else can start this workflow',
					},
				],
			},
		],
	};

	methods = { listSearch: { searchAccounts } };

	webhookMethods = {
		default: {
			/**
			 * True when this node's webhook still exists as configured (restarted if stopped). Anything
			 * else that would post to this URL is deleted, so `create` never leaves two webhooks billing.
			 * n8n 2.x with its publication service does not call this at start (see README, Compatibility).
			 */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const target = readTarget(this);
				return await step(this, async (lifecycle, staticData) => {
					const { kept } = await findWebhook(lifecycle, target, readStoredWebhook(staticData));
					if (!kept) clearStoredWebhook(staticData);
					else storeWebhook(staticData, kept, target);
					return kept !== undefined;
				});
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const target = readTarget(this);
				const reason = nonPublicUrlReason(target.url);
				if (reason && !target.allowNonPublicUrl) refuseNonPublicUrl(this, target.url, reason);
				return await step(this, async (lifecycle, staticData) => {
					// An overlapping activation of this node may have created the webhook while this one waited.
					const recorded = readStoredWebhook(staticData);
					if (recorded.id && (await findWebhook(lifecycle, target, recorded)).kept) return true;
					storeWebhook(staticData, await createWebhook(lifecycle, target), target);
					return true;
				});
			},

			/**
			 * Deletes the webhook this node stored (404 means it is already gone). With nothing stored
			 * there is nothing of this node's to delete: `checkExists` removes leftovers at this URL
			 * before any new webhook is created, so no remote listing is done here.
			 */
			async delete(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				const webhookId = (staticData as StoredWebhook).webhookId;
				if (!webhookId) return true;
				return await step(this, async (lifecycle) => {
					try {
						if (!(await removeWebhook(lifecycle, webhookId))) {
							this.logger.info(`LinkupAPI webhook ${webhookId} was already deleted`);
						}
					} catch (error) {
						this.logger.warn(`Could not delete LinkupAPI webhook ${webhookId}: ${(error as Error).message}`);
						throw asNodeError(this.getNode(), error);
					}
					clearStoredWebhook(staticData);
					return true;
				});
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const stored = this.getWorkflowStaticData('node') as StoredWebhook;
		const logKey = stored.webhookId ?? this.getNode().id;

		const { rawBody, refusal } = await verifyDelivery(this.getRequestObject(), {
			verifySignature: options.verifySignature !== false,
			secret: stored.webhookSecret,
			toleranceSeconds: options.timestampToleranceSeconds,
		});
		if (refusal) return refuse(this, logKey, refusal);
		deliveryLog.accepted(logKey);

		const delivery = parseDelivery(rawBody);
		if ('error' in delivery) return refuse(this, logKey, { status: 400, reason: delivery.error });

		const events = this.getNodeParameter('events', ['all']) as string[];
		const items = toOutputItems(delivery.wrapper, events, readEventOutputOptions(options));
		// Acknowledged but filtered out: without workflowData n8n answers 200 and starts no execution.
		if (items.length === 0) return { webhookResponse: 'OK' };
		return { workflowData: [this.helpers.returnJsonArray(items)] };
	}
}
