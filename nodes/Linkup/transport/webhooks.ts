// LinkupAPI's webhook endpoints the triggers and pickers call, each in one place; a 404 on a read or
// a delete means "gone", not a failure (docs/linkupapi-v2.md, Webhook endpoints).
import type { IDataObject } from 'n8n-workflow';
import type { LinkupClient } from './client';
import { isNotFound } from './errors';
import { extractItems, isObject } from './values';

/** GET /v2/webhooks: every webhook of this API key. The API documents no filter or paging. */
export async function listWebhooks(client: LinkupClient): Promise<IDataObject[]> {
	return extractItems(await client.request<unknown>({ method: 'GET', path: '/v2/webhooks' }));
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

/**
 * POST /v2/webhooks/{id}/rotate-secret: the new signing secret, or undefined when the answer has
 * none. The old secret stops working at once. Never retried: a lost answer would hide the secret.
 */
export async function rotateWebhookSecret(client: LinkupClient, webhookId: string): Promise<string | undefined> {
	const answer = await client.request<unknown>({
		method: 'POST',
		path: `/v2/webhooks/${encodeURIComponent(webhookId)}/rotate-secret`,
	});
	return isObject(answer) && typeof answer.secret === 'string' && answer.secret !== '' ? answer.secret : undefined;
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
