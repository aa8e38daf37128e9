/**
 * The LinkupAPI Trigger node: LinkupAPI posts each event to n8n's webhook URL. Its hooks hand the
 * webhook's life to lifecycle/; `webhook()` verifies (trigger/), parses, filters and emits.
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
import { inQueue, type LifecycleContext } from './lifecycle/context';
import { createWebhook } from './lifecycle/createWebhook';
import { findWebhook } from './lifecycle/findWebhook';
import { keptWebhook } from './lifecycle/kept';
import { removeWebhook } from './lifecycle/undo';
import { searchAccounts } from './methods/listSearch';
import { accountIdLocator, billingNotice, eventsProperty } from './shared/descriptions';
import { eventOutputOptionProperties, readEventOutputOptions, toOutputItems } from './shared/events';
import { asNodeError, createDetachedLinkupClient, resolveLinkupCredentials } from './transport';
import { activationChecked, activationEnded, createStillWanted } from './trigger/activations';
import { parseDelivery, verifyDelivery, type Refusal } from './trigger/delivery';
import { refusalLog } from './trigger/memory';
import { holdOffRepairs, lacksWebhook, repairOnDelivery } from './trigger/repair';
import { DEFAULT_TOLERANCE_SECONDS, MAX_TOLERANCE_SECONDS } from './trigger/signature';
import { clearStoredWebhook, readStoredWebhook, storeWebhook, type StoredWebhook } from './trigger/storedWebhook';
import { checkReachable, readTarget, triggerQueueKey } from './trigger/target';

const LABEL = 'LinkupAPI Trigger';

/** Runs one lifecycle step for this node's webhook URL after any step already running for it. */
async function step<T>(
	context: IHookFunctions | IWebhookFunctions,
	run: (lifecycle: LifecycleContext, staticData: IDataObject) => Promise<T>,
): Promise<T> {
	const queueKey = triggerQueueKey(context);
	holdOffRepairs(queueKey);
	const lifecycle: LifecycleContext = {
		// Detached: after a create that timed out, lifecycle/lateCreate.ts looks for it again once
		// the hook returned, when n8n can no longer evaluate the credential.
		client: createDetachedLinkupClient.call(context, await resolveLinkupCredentials.call(context)),
		node: context.getNode(),
		logger: context.logger,
		label: LABEL,
		queueKey,
	};
	try {
		return await inQueue(lifecycle, async () => await run(lifecycle, context.getWorkflowStaticData('node')));
	} finally {
		holdOffRepairs(queueKey);
	}
}

/** Deletes the webhook on deactivation; a failure is logged and thrown, and the id stays stored. */
async function deleteOwnWebhook(lifecycle: LifecycleContext, webhookId: string): Promise<void> {
	try {
		if (!(await removeWebhook(lifecycle, webhookId))) {
			lifecycle.logger.info(`LinkupAPI webhook ${webhookId} was already deleted`);
		}
	} catch (error) {
		lifecycle.logger.warn(`Could not delete LinkupAPI webhook ${webhookId}: ${(error as Error).message}`);
		throw asNodeError(lifecycle.node, error);
	}
}

/** Answers a delivery that starts nothing, and logs why (rate-limited). */
function refuse(context: IWebhookFunctions, key: string, refusal: Refusal): IWebhookResponseData {
	refusalLog.refused(context.logger, key, refusal);
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
					activationChecked(lifecycle, kept !== undefined);
					return kept !== undefined;
				});
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const target = readTarget(this);
				checkReachable(this, target);
				return await step(this, async (lifecycle, staticData) => {
					if (!createStillWanted(lifecycle)) {
						throw new NodeOperationError(
							lifecycle.node,
							'The workflow was deactivated while this activation waited, so n8n created no LinkupAPI webhook. Activate the workflow again to use it.',
						);
					}
					// An overlapping activation of this node may have created the webhook while this one waited.
					const recorded = readStoredWebhook(staticData);
					if (recorded.id && (await findWebhook(lifecycle, target, recorded)).kept) return true;
					storeWebhook(staticData, await createWebhook(lifecycle, target), target);
					return true;
				});
			},

			/**
			 * Deletes this node's webhook (404 means it is already gone), after any step of this node
			 * still running, so an overlapping create has finished: the id it kept is deleted too,
			 * although n8n may hand this call static data read before that create stored it.
			 */
			async delete(this: IHookFunctions): Promise<boolean> {
				return await step(this, async (lifecycle, staticData) => {
					activationEnded(lifecycle);
					const stored = (staticData as StoredWebhook).webhookId;
					for (const webhookId of new Set([stored, keptWebhook(lifecycle)])) {
						if (webhookId) await deleteOwnWebhook(lifecycle, webhookId);
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
		const verifySignature = options.verifySignature !== false;
		if (lacksWebhook(stored, verifySignature) && this.getMode() !== 'manual') {
			// n8n 2.x routes deliveries to a trigger whose activation a crash cut short (trigger/repair.ts).
			const repairRefusal = await repairOnDelivery(this, verifySignature, async (run) => await step(this, run));
			if (repairRefusal) return refuse(this, logKey, repairRefusal);
		}

		const { rawBody, refusal } = await verifyDelivery(this.getRequestObject(), {
			verifySignature,
			secret: stored.webhookSecret,
			toleranceSeconds: options.timestampToleranceSeconds,
		});
		if (refusal) return refuse(this, logKey, refusal);
		refusalLog.accepted(logKey);

		const delivery = parseDelivery(rawBody);
		if ('error' in delivery) return refuse(this, logKey, { status: 400, reason: delivery.error });

		const events = this.getNodeParameter('events', ['all']) as string[];
		const items = toOutputItems(delivery.wrapper, events, readEventOutputOptions(options));
		// Acknowledged but filtered out: without workflowData n8n answers 200 and starts no execution.
		if (items.length === 0) return { webhookResponse: 'OK' };
		return { workflowData: [this.helpers.returnJsonArray(items)] };
	}
}
