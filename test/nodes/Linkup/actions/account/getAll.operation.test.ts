// The LinkupAPI node's Account > Get Many operation and its paging.
import { runNode, TEST_API_KEY, useFakeLinkupApi } from '../../../../helpers/linkupNode';

const fake = useFakeLinkupApi({ accounts: 1247 });

function getAll(parameters: Record<string, unknown>) {
	return runNode(fake(), { resource: 'account', operation: 'getAll', ...parameters });
}

describe('account getAll', () => {
	it('reads 1,247 accounts with Return All in 3 calls of limit 500, one item per account', async () => {
		const { json } = await getAll({ returnAll: true });

		expect(fake().requests.map(({ method, path, query }) => ({ method, path, query }))).toEqual([
			{ method: 'GET', path: '/v2/accounts', query: { limit: '500', offset: '0' } },
			{ method: 'GET', path: '/v2/accounts', query: { limit: '500', offset: '500' } },
			{ method: 'GET', path: '/v2/accounts', query: { limit: '500', offset: '1000' } },
		]);
		expect(fake().requests.every((request) => request.headers['x-api-key'] === TEST_API_KEY)).toBe(true);
		expect(json).toEqual(fake().accountList());
	});

	it('asks for exactly the limit when it fits one page', async () => {
		const { json } = await getAll({ returnAll: false, limit: 10 });

		expect(fake().requests.map((request) => request.query)).toEqual([{ limit: '10', offset: '0' }]);
		expect(json).toEqual(fake().accountList().slice(0, 10));
	});

	it('pages a limit above 500 without fetching more than it needs', async () => {
		const { json } = await getAll({ returnAll: false, limit: 700 });

		expect(fake().requests.map((request) => request.query)).toEqual([
			{ limit: '500', offset: '0' },
			{ limit: '200', offset: '500' },
		]);
		expect(json).toHaveLength(700);
	});
});
