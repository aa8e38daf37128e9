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
import { nonPublicUrlReason } from './shared/publicUrl';
import {
	accountIdLocator,
	billingNotice,
	eventsProperty,
	readTriggerAccountId,
} from './shared/descriptions';
import { eventOutputOptionProperties, readEventOutputOptions, toOutputItems } from './shared/events';
import {
	DEFAULT_TOLERANCE_SECONDS,
	SIGNATURE_HEADER,
	TIMESTAMP_HEADER,
	verifyLinkupSignature,
	type SignatureCheck,
} from './shared/signature';
import {
	clearStoredWebhook,
	deleteWebhook,
	getWebhook,
	isMonitoring,
	listWebhooks,
	normalizeEvents,
	sameEvents,
	startWebhook,
	webhookIdOf,
	type StoredWebhook,
} from './shared/webhooks';
import { getLinkupClient, isObject, type LinkupClient } from './transport';

/** What the node's parameters ask LinkupAPI for. */
interface WantedWebhook {
	url: string;
	accountId: string;
	events: string[];
	verifySignature: boolean;
	allowNonPublicUrl: boolean;
}

function readWanted(context: IHookFunctions): WantedWebhook {
	const url = context.getNodeWebhookUrl('default');
	if (!url) {
		throw new NodeOperationError(context.getNode(), 'n8n did not give this trigger a webhook URL. Save the workflow, then activate it again.');
	}
	const options = context.getNodeParameter('options', {}) as IDataObject;
	return {
		url,
		accountId: readTriggerAccountId(context),
		events: normalizeEvents(context.getNodeParameter('events', ['all'])),
		verifySignature: options.verifySignature !== false,
		allowNonPublicUrl: options.allowNonPublicUrl === true,
	};
}

/**
 * Why a remote webhook cannot serve this node as configured, or undefined when it can.
 * Fields the API leaves out are taken from what this node stored when it created the webhook.
 */
function mismatchOf(remote: IDataObject, stored: StoredWebhook, wanted: WantedWebhook): string | undefined {
	const read = (key: string, fallback: unknown) => (key in remote ? remote[key] : fallback);
	if (read('url', stored.webhookUrl) !== wanted.url) return 'points at another URL';
	if (!sameEvents(read('events', stored.webhookEvents), wanted.events)) return 'has other events';
	if (read('account_id', stored.accountId) !== wanted.accountId) return 'belongs to another account';
	if (wanted.verifySignature && (!stored.webhookSecret || remote.signature_enabled === false)) {
		return 'has no signing secret this node knows';
	}
	return undefined;
}

function remember(staticData: IDataObject, webhookId: string, wanted: WantedWebhook, secret?: string) {
	const stored: StoredWebhook = {
		webhookId,
		webhookUrl: wanted.url,
		webhookEvents: wanted.events,
		accountId: wanted.accountId,
	};
	if (secret) stored.webhookSecret = secret;
	clearStoredWebhook(staticData);
	Object.assign(staticData, stored);
}

/** Puts what the node was doing in front of an API error: activation shows only `message`. */
function withContext(error: unknown, doing: string): unknown {
	if (error instanceof Error) error.message = `${doing}: ${error.message}`;
	return error;
}

async function resumeIfStopped(
	context: IHookFunctions,
	client: LinkupClient,
	remote: IDataObject,
	webhookId: string,
): Promise<void> {
	if (isMonitoring(remote)) return;
	try {
		await startWebhook(client, webhookId);
	} catch (error) {
		throw withContext(error, `Could not restart the stopped LinkupAPI webhook ${webhookId}`);
	}
	context.logger.info(`LinkupAPI webhook ${webhookId} was stopped; monitoring restarted`);
}

function refuse(context: IWebhookFunctions, status: number, reason: string): IWebhookResponseData {
	context.logger.debug(`LinkupAPI Trigger refused a delivery (${status}): ${reason}`);
	context.getResponseObject().status(status).send(reason).end();
	return { noWebhookResponse: true };
}

type N8nRequest = ReturnType<IWebhookFunctions['getRequestObject']> & {
	readRawBody?: () => Promise<void>;
};

/**
 * The exact bytes received. From typeVersion 1.1 on, n8n reads the body only for content types it
 * parses (JSON, text, form, XML); for any other, its `readRawBody` reads it on demand.
 */
async function readRawBody(request: N8nRequest): Promise<Buffer | undefined> {
	if (request.rawBody === undefined && typeof request.readRawBody === 'function') {
		await request.readRawBody();
	}
	return request.rawBody as Buffer | undefined;
}

/** Parses the delivery from the received bytes; n8n's parsed body is not trusted to be the same. */
function parseDelivery(rawBody: Buffer | undefined): { wrapper: IDataObject } | { error: string } {
	const text = rawBody?.toString('utf8').trim() ?? '';
	if (text === '') return { error: 'Empty body' };
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return { error: 'Body is not valid JSON' };
	}
	return isObject(parsed) ? { wrapper: parsed } : { error: 'Body is not a JSON object' };
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
						typeOptions: { minValue: 1 },
						default: DEFAULT_TOLERANCE_SECONDS,
						description:
							'How far the X-Linkup-Timestamp of a signed delivery may be from the current time, in the past or the future. Older or later deliveries are refused as possible replays.',
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
			 * True only when the stored webhook still exists with this URL, account, events and (when
			 * verifying) a known secret; a stopped one is restarted. Anything else that would post to
			 * this URL is deleted so that `create` never leaves two webhooks billing.
			 */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const wanted = readWanted(this);
				const staticData = this.getWorkflowStaticData('node');
				const stored = staticData as StoredWebhook;
				const client = await getLinkupClient.call(this);

				if (stored.webhookId) {
					const remote = await getWebhook(client, stored.webhookId);
					if (!remote) {
						this.logger.info(`LinkupAPI webhook ${stored.webhookId} no longer exists; creating a new one`);
						clearStoredWebhook(staticData);
						return false;
					}
					const mismatch = mismatchOf(remote, stored, wanted);
					if (mismatch === undefined) {
						await resumeIfStopped(this, client, remote, stored.webhookId);
						return true;
					}
					this.logger.info(`Replacing LinkupAPI webhook ${stored.webhookId}: it ${mismatch}`);
					await deleteWebhook(client, stored.webhookId);
					clearStoredWebhook(staticData);
					return false;
				}

				// Nothing stored (copied workflow, lost state, test mode): this URL belongs to this node,
				// so a webhook posting to it is a leftover. Its secret cannot be read back, so it is
				// adopted only when signatures are not verified.
				const atThisUrl = (await listWebhooks(client)).filter((webhook) => webhook.url === wanted.url);
				const adopted = wanted.verifySignature
					? undefined
					: atThisUrl.find((webhook) => mismatchOf(webhook, {}, wanted) === undefined);
				for (const leftover of atThisUrl) {
					const leftoverId = webhookIdOf(leftover);
					if (leftover === adopted || !leftoverId) continue;
					this.logger.info(`Deleting leftover LinkupAPI webhook ${leftoverId} registered for this URL`);
					await deleteWebhook(client, leftoverId);
				}
				const adoptedId = adopted && webhookIdOf(adopted);
				if (!adopted || !adoptedId) return false;
				remember(staticData, adoptedId, wanted);
				await resumeIfStopped(this, client, adopted, adoptedId);
				return true;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const wanted = readWanted(this);
				const reason = nonPublicUrlReason(wanted.url);
				if (reason && !wanted.allowNonPublicUrl) {
					throw new NodeOperationError(
						this.getNode(),
						`LinkupAPI can only deliver events to a public HTTPS address, and this webhook URL (${wanted.url}) ${reason}. ` +
							'Give n8n a public HTTPS address: set the N8N_WEBHOOK_URL environment variable (WEBHOOK_URL before n8n 2.35) to it, ' +
							'or expose n8n through a tunnel; or use the "LinkupAPI Hosted Trigger" node, which needs no public URL.',
						{
							description:
								'If LinkupAPI can reach this address anyway (a private set-up), turn on "Allow Non-Public URL" in the options.',
						},
					);
				}

				const client = await getLinkupClient.call(this);
				let created: IDataObject;
				try {
					created = await client.request({
						method: 'POST',
						path: '/v2/webhooks',
						body: {
							account_id: wanted.accountId,
							url: wanted.url,
							events: wanted.events,
							enable_signature: wanted.verifySignature,
						},
					});
				} catch (error) {
					throw withContext(error, 'Could not create the LinkupAPI webhook');
				}
				const webhookId = isObject(created) ? webhookIdOf(created) : undefined;
				if (!webhookId) {
					throw new NodeOperationError(
						this.getNode(),
						'LinkupAPI did not return an ID for the new webhook, so n8n cannot manage or delete it. Delete it in LinkupAPI (or with the LinkupAPI node), then activate again.',
					);
				}
				const secret = typeof created.secret === 'string' && created.secret !== '' ? created.secret : undefined;
				if (wanted.verifySignature && !secret) {
					await deleteWebhook(client, webhookId);
					throw new NodeOperationError(
						this.getNode(),
						'LinkupAPI did not return a signing secret for the new webhook, so its deliveries could not be verified; the webhook was deleted again. Try again, or turn off "Verify Signature" in the options.',
					);
				}
				const staticData = this.getWorkflowStaticData('node');
				remember(staticData, webhookId, wanted, secret);

				// LinkupAPI's create page says monitoring starts on create, its introduction and stream
				// pages say to call /start. /start is free and never opens a second connection, so it is
				// called whenever the create response does not say monitoring is on.
				if (created.monitoring !== true) {
					try {
						await startWebhook(client, webhookId);
					} catch (error) {
						this.logger.warn(`Deleting LinkupAPI webhook ${webhookId} again: monitoring could not start`);
						await deleteWebhook(client, webhookId);
						clearStoredWebhook(staticData);
						throw withContext(error, 'LinkupAPI created the webhook but could not start monitoring');
					}
				}
				return true;
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
				const client = await getLinkupClient.call(this);
				try {
					const deleted = await deleteWebhook(client, webhookId);
					if (!deleted) this.logger.info(`LinkupAPI webhook ${webhookId} was already deleted`);
				} catch (error) {
					this.logger.warn(
						`Could not delete LinkupAPI webhook ${webhookId}; it keeps billing until it is deleted (with the LinkupAPI node or in LinkupAPI): ${(error as Error).message}`,
					);
					throw withContext(error, `Could not delete the LinkupAPI webhook ${webhookId}`);
				}
				clearStoredWebhook(staticData);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const request = this.getRequestObject();
		const rawBody = await readRawBody(request);

		if (options.verifySignature !== false) {
			const secret = (this.getWorkflowStaticData('node') as StoredWebhook).webhookSecret;
			const tolerance = Number(options.timestampToleranceSeconds);
			const check: SignatureCheck = secret
				? verifyLinkupSignature(
						secret,
						{
							rawBody,
							timestamp: request.headers[TIMESTAMP_HEADER],
							signature: request.headers[SIGNATURE_HEADER],
						},
						Number.isFinite(tolerance) && tolerance > 0 ? tolerance : DEFAULT_TOLERANCE_SECONDS,
					)
				: {
						valid: false,
						reason:
							'No signing secret stored for this trigger: deactivate and reactivate the workflow (or stop and restart listening)',
					};
			if (!check.valid) return refuse(this, 401, check.reason);
		}

		const delivery = parseDelivery(rawBody);
		if ('error' in delivery) return refuse(this, 400, delivery.error);

		const events = this.getNodeParameter('events', ['all']) as string[];
		const items = toOutputItems(delivery.wrapper, events, readEventOutputOptions(options));
		// Acknowledged but filtered out: without workflowData n8n answers 200 and starts no execution.
		if (items.length === 0) return { webhookResponse: 'OK' };
		return { workflowData: [this.helpers.returnJsonArray(items)] };
	}
}
