// The LinkupAPI node's Account > Get operation.
import { NodeApiError } from 'n8n-workflow';
import { errorOf, firstAccountId, onlyRequest, rl, runNode, useFakeLinkupApi } from '../../../../helpers/linkupNode';

const fake = useFakeLinkupApi();

function get(accountId: string) {
	return runNode(fake(), { resource: 'account', operation: 'get', accountId: rl(accountId) });
}

describe('account get', () => {
	it('returns the account from GET /v2/accounts/{id}', async () => {
		const accountId = firstAccountId(fake());

		const { json } = await get(accountId);

		expect(onlyRequest(fake(), 'GET', `/v2/accounts/${accountId}`).query).toEqual({});
		expect(json).toEqual([fake().accounts.get(accountId)]);
	});

	it('reports an unknown account with the API 404 in plain words', async () => {
		const error = await errorOf(get('acc_unknown'));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'INVALID_ACCOUNT: Account acc_unknown not found. This account ID does not exist or belongs to another API key. Pick the account from the list.',
		);
	});

	it('refuses an account ID with a slash before calling the API', async () => {
		const error = await errorOf(get('acc_1/../webhooks'));

		expect(error.message).toMatch(/^The Account ID "acc_1\/\.\.\/webhooks" is not valid/);
		expect(fake().requests).toHaveLength(0);
	});
});
