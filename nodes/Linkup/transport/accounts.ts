// The accounts endpoint: lists LinkedIn accounts page by page (docs/linkupapi-v2.md).
import type { IDataObject } from 'n8n-workflow';
import type { LinkupClient } from './client';
import { extractItems, isObject } from './values';

/** Largest page the API accepts. */
const ACCOUNTS_PAGE_SIZE = 500;

/**
 * Lists every account (or the first `limit`), `offset`-paging with the largest page the API allows.
 */
export async function getAccounts(client: LinkupClient, limit?: number): Promise<IDataObject[]> {
	const accounts: IDataObject[] = [];
	let offset = 0;
	for (;;) {
		const wanted = limit === undefined ? ACCOUNTS_PAGE_SIZE : limit - accounts.length;
		const pageSize = Math.min(ACCOUNTS_PAGE_SIZE, Math.max(1, wanted));
		const data = await client.request({
			method: 'GET',
			path: '/v2/accounts',
			qs: { limit: pageSize, offset },
		});
		const page = extractItems(data);
		accounts.push(...page);
		offset += page.length;
		const total = isObject(data) && typeof data.total === 'number' ? data.total : undefined;
		const done =
			page.length < pageSize ||
			(total !== undefined && offset >= total) ||
			(limit !== undefined && accounts.length >= limit);
		if (done) break;
	}
	return limit === undefined ? accounts : accounts.slice(0, limit);
}
