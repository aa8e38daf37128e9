import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { getAccounts, getLinkupClient } from '../transport';

function matches(filter: string | undefined, ...texts: unknown[]): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
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
