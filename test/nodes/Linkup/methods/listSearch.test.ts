// The account and webhook pickers' searches.
import type { ILoadOptionsFunctions } from 'n8n-workflow';
import { searchAccounts, searchWebhooks } from '../../../../nodes/Linkup/methods/listSearch';
import type { Json } from '../../../fake-linkupapi/server';
import { seedWebhook, TEST_API_KEY, useFakeLinkupApi } from '../../../helpers/linkupNode';
import { linkupCredentials } from '../../../helpers/credentials';
import { createLoadOptionsContext } from '../../../helpers/n8nContext';

const fake = useFakeLinkupApi();

function context() {
	return createLoadOptionsContext({ credentials: linkupCredentials(fake().baseUrl) })
		.context as unknown as ILoadOptionsFunctions;
}

async function seed(body: Json): Promise<string> {
	return (await seedWebhook(fake(), body)).webhook_id;
}

describe('searchWebhooks', () => {
	let accounts: string[];
	let hosted: string;
	let custom: string;

	beforeEach(async () => {
		accounts = fake().accountList().map((account) => account.account_id);
		hosted = await seed({ account_id: accounts[0], events: ['message_received', 'accepted_invitation'] });
		custom = await seed({ account_id: accounts[1], url: 'https://hooks.example.com/linkup' });
		fake().webhooks.get(custom)!.monitoring = false;
	});

	it('names each webhook by URL or "Hosted", events and account, marking stopped ones', async () => {
		const { results } = await searchWebhooks.call(context());

		expect(fake().requests.map(({ method, path }) => `${method} ${path}`)).toEqual(['GET /v2/webhooks']);
		expect(fake().requests[0].headers['x-api-key']).toBe(TEST_API_KEY);
		expect(results).toEqual([
			{ name: `Hosted · message_received, accepted_invitation · account ${accounts[0]}`, value: hosted },
			{ name: `https://hooks.example.com/linkup · all · account ${accounts[1]} (stopped)`, value: custom },
		]);
	});

	it.each([
		['hooks.EXAMPLE', 'custom'],
		['invitation', 'hosted'],
		['account-of-hosted', 'hosted'],
		['id-of-custom', 'custom'],
	])('filters on %s', async (filter, expected) => {
		const text = { 'account-of-hosted': accounts[0], 'id-of-custom': custom }[filter] ?? filter;

		const { results } = await searchWebhooks.call(context(), text);

		expect(results.map((result) => result.value)).toEqual([expected === 'hosted' ? hosted : custom]);
	});

	it('reads the id from `id` when `webhook_id` is missing and leaves out entries with neither', async () => {
		const items = [
			{ id: 'wh_only_id', account_id: accounts[0], url: null, events: ['all'] },
			{ account_id: accounts[0], url: null, events: ['all'] },
		];
		fake().failNext({ route: '/v2/webhooks', method: 'GET', status: 200, body: { success: true, data: { items } } });

		const { results } = await searchWebhooks.call(context());

		expect(results).toEqual([{ name: `Hosted · all · account ${accounts[0]}`, value: 'wh_only_id' }]);
	});

	it('marks a webhook stopped when only is_active says so', async () => {
		const items = [{ webhook_id: 'wh_inactive', account_id: accounts[0], url: null, events: ['all'], is_active: false }];
		fake().failNext({ route: '/v2/webhooks', method: 'GET', status: 200, body: { success: true, data: { items } } });

		const { results } = await searchWebhooks.call(context());

		expect(results).toEqual([{ name: `Hosted · all · account ${accounts[0]} (stopped)`, value: 'wh_inactive' }]);
	});

	it('returns nothing when no webhook matches', async () => {
		const { results } = await searchWebhooks.call(context(), 'no such webhook');
		expect(results).toEqual([]);
	});
});

describe('searchAccounts', () => {
	it('names accounts by name, platform and status, marking inactive ones, and filters', async () => {
		const [inactive] = fake().addAccounts(1, { account_name: 'Old Account', is_active: false, status: 'inactive' });
		const first = fake().accountList()[0];

		const all = await searchAccounts.call(context());
		const filtered = await searchAccounts.call(context(), 'old acc');

		expect(all.results).toHaveLength(4);
		expect(all.results[0]).toEqual({
			name: `${first.account_name} (linkedin · active)`,
			value: first.account_id,
		});
		expect(filtered.results).toEqual([
			{
				name: 'Old Account (linkedin · inactive) - inactive: reconnect it in LinkupAPI first',
				value: inactive.account_id,
			},
		]);
	});
});
