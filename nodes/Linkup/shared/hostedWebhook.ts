import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type JsonObject,
	type Logger,
} from 'n8n-workflow';
import { isObject, type LinkupClient } from '../transport';
import {
	deleteWebhook,
	getWebhook,
	isMonitoring,
	listWebhooks,
	sameEvents,
	startWebhook,
	webhookIdOf,
} from './webhooks';

/**
 * What the hosted trigger keeps between runs: n8n's node static data in production. n8n writes
 * static data to its database only at given moments (ActiveWorkflowManager, n8n 1.x and 2.x): once
 * activation finished (so the webhook id recorded by trigger() is kept) and at every `emit`
 * (so the cursor must be updated before emitting). Nothing saves it after `closeFunction`, and
 * changes that no emit follows are lost on a crash (re-reading those events is harmless).
 */
export interface HostedTriggerState extends IDataObject {
	/** The hosted webhook this trigger created and polls. */
	webhookId?: string;
	/** `created_at` of the newest event read from that webhook: the next `since`. */
	cursor?: string;
	/** Ids of the events read at the cursor's edge, which the next poll may return again. */
	seenIds?: string[];
}

/** The webhook the trigger's parameters ask for. */
export interface HostedTarget {
	accountId: string;
	events: string[];
}

export interface HostedWebhookContext {
	client: LinkupClient;
	node: INode;
	logger: Logger;
}

function httpStatusOf(error: unknown): number | undefined {
	if (!(error instanceof NodeApiError) || error.httpCode === null) return undefined;
	const status = Number(error.httpCode);
	return Number.isFinite(status) ? status : undefined;
}

/**
 * Whether retrying later can help: rate limits, server errors and network failures (which carry
 * no HTTP status). Other 4xx answers (bad key, no credits, unknown id) need the user to act.
 */
export function isTransient(error: unknown): boolean {
	const status = httpStatusOf(error);
	if (status === undefined) return error instanceof NodeApiError;
	return status === 408 || status === 429 || status >= 500;
}

function isHosted(webhook: IDataObject): boolean {
	return webhook.url === undefined || webhook.url === null || webhook.url === '';
}

function matchesTarget(webhook: IDataObject, target: HostedTarget): boolean {
	return (
		String(webhook.account_id) === target.accountId &&
		isHosted(webhook) &&
		sameEvents(webhook.events, target.events)
	);
}

/**
 * Creates a hosted webhook (no `url`). The create page says monitoring starts at once; other pages
 * say to call /start (spec §10.1), so /start follows unless the answer shows monitoring on.
 */
export async function createHostedWebhook(
	context: HostedWebhookContext,
	target: HostedTarget,
): Promise<string> {
	const { client, node } = context;
	const data = await client.request({
		method: 'POST',
		path: '/v2/webhooks',
		body: { account_id: target.accountId, events: target.events },
	});
	const webhookId = isObject(data) ? webhookIdOf(data) : undefined;
	if (!webhookId) {
		throw new NodeOperationError(node, 'LinkupAPI created a webhook but did not return its ID.', {
			description:
				'Check the webhooks of this account with the LinkupAPI node (Webhook > Get Many) and delete any you do not use: each active one keeps monitoring billed.',
		});
	}
	if (data.monitoring !== true) {
		try {
			await startWebhook(client, webhookId);
		} catch (error) {
			// Do not leave behind a webhook nobody records (e.g. 402: no credits to start it).
			await deleteHostedWebhookOrReport(context, webhookId);
			// The transport's NodeApiError comes back unchanged (NodeApiError does not wrap itself).
			throw new NodeApiError(node, error as JsonObject);
		}
	}
	return webhookId;
}

/**
 * Deletes a webhook when the trigger stops. A failure is logged, not thrown: n8n is deactivating
 * or shutting down and cannot do anything with it, but the user must know billing may go on.
 */
export async function deleteHostedWebhookOrReport(
	context: HostedWebhookContext,
	webhookId: string,
): Promise<void> {
	try {
		await deleteWebhook(context.client, webhookId);
	} catch (error) {
		context.logger.error(
			`LinkupAPI Hosted Trigger: could not delete hosted webhook ${webhookId} (${(error as Error).message}). ` +
				'Delete it with the LinkupAPI node (Webhook > Delete): while it exists, the account stays billed.',
		);
	}
}

/** Forgets the recorded webhook and its cursor. */
export function resetState(state: HostedTriggerState, webhookId?: string): void {
	delete state.cursor;
	state.seenIds = [];
	if (webhookId === undefined) delete state.webhookId;
	else state.webhookId = webhookId;
}

/**
 * Makes sure exactly one hosted webhook serves this trigger and returns its id: the recorded one
 * when LinkupAPI still has it with the same account and events (restarted with /start if it was
 * stopped), otherwise a new one. A recorded webhook whose settings no longer match is deleted,
 * because every active webhook keeps the account's monitoring billed.
 */
export async function ensureHostedWebhook(
	context: HostedWebhookContext,
	state: HostedTriggerState,
	target: HostedTarget,
): Promise<string> {
	const { client, logger } = context;
	const recordedId = state.webhookId;
	if (recordedId) {
		const existing = await getWebhook(client, recordedId);
		if (existing && matchesTarget(existing, target)) {
			if (!isMonitoring(existing)) await startWebhook(client, recordedId);
			logger.debug(`LinkupAPI Hosted Trigger: resuming hosted webhook ${recordedId}`);
			return recordedId;
		}
		if (existing) {
			logger.info(
				`LinkupAPI Hosted Trigger: the account or events changed, deleting the previous hosted webhook ${recordedId}`,
			);
			await deleteWebhook(client, recordedId);
		} else {
			logger.info(
				`LinkupAPI Hosted Trigger: the recorded hosted webhook ${recordedId} no longer exists, creating a new one`,
			);
		}
	}
	const webhookId = await createHostedWebhook(context, target);
	resetState(state, webhookId);
	return webhookId;
}

/**
 * Logs the account's other hosted webhooks. Nothing says who created them (another workflow,
 * another tool, or this trigger before its state was lost), so they are reported, never touched.
 */
export async function reportOtherHostedWebhooks(
	{ client, logger }: HostedWebhookContext,
	accountId: string,
	ownId: string,
): Promise<void> {
	let list: IDataObject[];
	try {
		list = await listWebhooks(client);
	} catch (error) {
		// Only a hint for the user: it must not fail an activation that already created a webhook.
		logger.debug(`LinkupAPI Hosted Trigger: could not list webhooks (${(error as Error).message})`);
		return;
	}
	const others = list
		.filter((webhook) => String(webhook.account_id) === accountId && isHosted(webhook))
		.map(webhookIdOf)
		.filter((id) => id !== undefined && id !== ownId);
	if (others.length === 0) return;
	logger.warn(
		`LinkupAPI Hosted Trigger: account ${accountId} has ${others.length} other hosted webhook(s) (${others.join(', ')}). ` +
			'If nothing else uses them, delete them with the LinkupAPI node (Webhook > Delete): they keep the account billed after this workflow stops.',
	);
}
