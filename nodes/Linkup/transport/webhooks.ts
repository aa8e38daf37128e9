// The webhook list endpoint, read in one place for the action node, the pickers and the triggers
// (docs/linkupapi-v2.md, Webhook endpoints).
import type { IDataObject } from 'n8n-workflow';
import type { LinkupClient } from './client';
import { extractItems } from './values';

/** GET /v2/webhooks: every webhook of this API key. The API documents no filter or paging. */
export async function listWebhooks(client: LinkupClient): Promise<IDataObject[]> {
	return extractItems(await client.request<unknown>({ method: 'GET', path: '/v2/webhooks' }));
}
