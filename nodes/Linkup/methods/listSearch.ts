// The searchable pickers for the Account and Webhook fields.
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { isMonitoring, webhookIdOf } from '../shared/webhooks';
import { getAccounts, getLinkupClient, listWebhooks } from '../transport';

function matches(filter: string | undefined, ...texts: unknown[]): boolean {
	if (!filter) return true;
	const needle = filter.trim().toLowerCase();
	return texts.some((text) => typeof text === 'string' && text.toLowerCase().includes(needle));
}

/** Accounts as "name (platform · status)"; inactive ones are marked because webhooks on them fail. */
export async function searchAccounts(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const client = await getLinkupClient.call(this);
	const accounts = await getAccounts(client);
	const results = accounts
		.filter((account: IDataObject) =>
			matches(filter, account.account_name, account.account_id, account.platform, account.status),
		)
		.map((account: IDataObject) => {
			const details = [account.platform, account.status].filter(Boolean).join(' · ');
			const inactive = account.is_active === false ? ' - inactive: reconnect it in LinkupAPI first' : '';
			return {
				name: `${String(account.account_name ?? account.account_id)} (${details})${inactive}`,
				value: String(account.account_id),
			};
		});
	return { results };
}

/**
 * Webhooks as "url or Hosted · events · account", marked when stopped (not monitoring, not billed).
 * The filter matches the URL, the ID, the account ID and the events. Entries without an ID are
 * left out: there would be nothing to select.
 */
export async function searchWebhooks(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const webhooks = await listWebhooks(await getLinkupClient.call(this));
	const results = webhooks.flatMap((webhook) => {
		const id = webhookIdOf(webhook);
		const events = Array.isArray(webhook.events) ? webhook.events.join(', ') : '';
		if (id === undefined || !matches(filter, webhook.url, id, webhook.account_id, events)) return [];
		const target = typeof webhook.url === 'string' && webhook.url !== '' ? webhook.url : 'Hosted';
		const stopped = isMonitoring(webhook) ? '' : ' (stopped)';
		const details = [target, events, `account ${String(webhook.account_id)}`].filter(Boolean);
		return [{ name: details.join(' · ') + stopped, value: id }];
	});
	return { results };
}
