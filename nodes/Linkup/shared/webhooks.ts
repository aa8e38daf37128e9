/**
 * LinkupAPI's webhook endpoints as plain calls, and how a webhook object is read
 * (docs/linkupapi-v2.md, Webhook endpoints).
 */
import { NodeApiError, type IDataObject } from 'n8n-workflow';
import { isObject, type LinkupClient } from '../transport';

export { listWebhooks } from '../transport';

/** The API documents `webhook_id`; some responses may only carry `id`. */
export function webhookIdOf(webhook: IDataObject): string | undefined {
	const id = webhook.webhook_id ?? webhook.id;
	return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/** A webhook counts as stopped when either flag says so; absent flags mean running. */
export function isMonitoring(webhook: IDataObject): boolean {
	return webhook.monitoring !== false && webhook.is_active !== false;
}

/** Event filters as a set: order and duplicates do not matter, and no filter means "all". */
export function normalizeEvents(events: unknown): string[] {
	const list = Array.isArray(events) ? events.map(String) : [];
	const unique = [...new Set(list)].sort();
	return unique.length > 0 ? unique : ['all'];
}

export function sameEvents(a: unknown, b: unknown): boolean {
	return normalizeEvents(a).join(',') === normalizeEvents(b).join(',');
}

export function isNotFound(error: unknown): boolean {
	return error instanceof NodeApiError && error.httpCode === '404';
}

/**
 * Resolves to undefined instead of rejecting when the API answered 404. Any other failure passes
 * through unchanged: the transport already made it a NodeApiError with the API's code and message.
 */
async function unlessNotFound<T>(request: Promise<T>): Promise<T | undefined> {
	return await request.catch((error: unknown) => {
		if (isNotFound(error)) return undefined;
		throw error;
	});
}

/** GET /v2/webhooks/{id}; undefined when the webhook no longer exists (404). */
export async function getWebhook(
	client: LinkupClient,
	webhookId: string,
): Promise<IDataObject | undefined> {
	const request = client.request<unknown>({
		method: 'GET',
		path: `/v2/webhooks/${encodeURIComponent(webhookId)}`,
	});
	return await unlessNotFound(request.then((body) => (isObject(body) ? body : {})));
}

/** DELETE /v2/webhooks/{id}; resolves to false when it was already gone (404). */
export async function deleteWebhook(client: LinkupClient, webhookId: string): Promise<boolean> {
	const request = client.request({
		method: 'DELETE',
		path: `/v2/webhooks/${encodeURIComponent(webhookId)}`,
	});
	return (await unlessNotFound(request.then(() => true))) ?? false;
}

export async function startWebhook(client: LinkupClient, webhookId: string): Promise<IDataObject> {
	return await client.request({
		method: 'POST',
		path: `/v2/webhooks/${encodeURIComponent(webhookId)}/start`,
	});
}

/** The body of POST /v2/webhooks: a `url` makes a custom webhook, none a hosted one. */
export interface NewWebhook {
	account_id: string;
	events: string[];
	url?: string;
	enable_signature?: boolean;
}

/** POST /v2/webhooks. Never retried: a second create would make a second billed webhook. */
export async function postWebhook(client: LinkupClient, body: NewWebhook): Promise<IDataObject> {
	const answer = await client.request<unknown>({ method: 'POST', path: '/v2/webhooks', body: { ...body } });
	return isObject(answer) ? answer : {};
}
