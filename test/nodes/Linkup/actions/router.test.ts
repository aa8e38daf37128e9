// The LinkupAPI node's router: items in, paired items out, Continue On Fail and error items.
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { errorOf, rl, runNode, seedWebhook, TEST_API_KEY, useFakeLinkupApi } from '../../../helpers/linkupNode';

const fake = useFakeLinkupApi();
const threeItems = [{ json: { n: 0 } }, { json: { n: 1 } }, { json: { n: 2 } }];

describe('router', () => {
	it('reads parameters per item: three items become three requests, each output paired with its item', async () => {
		const accounts = fake().accountList().map((account) => account.account_id);
		const events = [['all'], ['message_received'], ['accepted_invitation']];

		const { output } = await runNode(
			fake(),
			{
				resource: 'webhook',
				operation: 'create',
				accountId: (i: number) => rl(accounts[i]),
				url: (i: number) => (i === 1 ? 'https://example.com/hook' : ''),
				enableSignature: false,
				events: (i: number) => events[i],
			},
			{ items: threeItems },
		);

		expect(fake().requests.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
			{ method: 'POST', path: '/v2/webhooks', body: { account_id: accounts[0], events: ['all'] } },
			{
				method: 'POST',
				path: '/v2/webhooks',
				body: {
					account_id: accounts[1],
					events: ['message_received'],
					url: 'https://example.com/hook',
					enable_signature: false,
				},
			},
			{ method: 'POST', path: '/v2/webhooks', body: { account_id: accounts[2], events: ['accepted_invitation'] } },
		]);
		expect(output.map((item) => [item.json.account_id, item.pairedItem])).toEqual([
			[accounts[0], { item: 0 }],
			[accounts[1], { item: 1 }],
			[accounts[2], { item: 2 }],
		]);
	});

	it('pairs every result of a list operation with the item that asked for it', async () => {
		const { output } = await runNode(
			fake(),
			{ resource: 'account', operation: 'getAll', returnAll: false, limit: (i: number) => i + 1 },
			{ items: threeItems },
		);

		expect(fake().requests.map((request) => request.query.limit)).toEqual(['1', '2', '3']);
		expect(output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 1 },
			{ item: 2 },
			{ item: 2 },
			{ item: 2 },
		]);
	});

	it('with Continue On Fail, turns each failing item into an { error } item and goes on', async () => {
		const { webhook_id: webhookId } = await seedWebhook(fake(), { account_id: fake().accountList()[0].account_id });
		const ids = [webhookId, 'bad id', '6789abcdef0123456789abcd'];

		const { output } = await runNode(
			fake(),
			{ resource: 'webhook', operation: 'get', webhookId: (i: number) => rl(ids[i]) },
			{ items: threeItems, continueOnFail: true },
		);

		expect(fake().requests.map((request) => request.path)).toEqual([
			`/v2/webhooks/${webhookId}`,
			'/v2/webhooks/6789abcdef0123456789abcd',
		]);
		expect(output).toHaveLength(3);
		expect(output[0]).toMatchObject({ json: { webhook_id: webhookId }, pairedItem: { item: 0 } });
		expect(output[1]).toEqual({
			json: {
				error:
					'The Webhook ID "bad id" is not valid: an ID has no spaces or slashes. Pick the webhook from the list or paste its ID alone.',
			},
			pairedItem: { item: 1 },
		});
		expect(output[2].pairedItem).toEqual({ item: 2 });
		expect(output[2].json.error).toMatch(/^INVALID_PARAMS: Webhook 6789abcdef0123456789abcd not found\./);
		expect(JSON.stringify(output)).not.toContain(TEST_API_KEY);
	});

	it.each([
		['a/b', NodeOperationError, /^The Webhook ID "a\/b" is not valid/],
		['6789abcdef0123456789abcd', NodeApiError, /^INVALID_PARAMS: Webhook 6789abcdef0123456789abcd not found\./],
	])('without Continue On Fail, stops at the failing item %p and names it', async (badId, errorClass, message) => {
		const { webhook_id: webhookId } = await seedWebhook(fake(), { account_id: fake().accountList()[0].account_id });
		const ids = [webhookId, badId, webhookId];

		const error = await errorOf(
			runNode(
				fake(),
				{ resource: 'webhook', operation: 'get', webhookId: (i: number) => rl(ids[i]) },
				{ items: threeItems },
			),
		);

		expect(error).toBeInstanceOf(errorClass);
		expect(error.message).toMatch(message);
		expect(error.context?.itemIndex).toBe(1);
		expect(fake().requests).toHaveLength(errorClass === NodeApiError ? 2 : 1);
	});

	it('keeps the API key out of error items, even when the API echoes the request back', async () => {
		fake().failNext({
			route: '/v2/accounts',
			status: 500,
			times: 4, // the first try and the transport's 3 retries
			headers: { 'retry-after': '0' },
			body: {
				success: false,
				error: { code: 'INTERNAL_ERROR', message: 'Boom' },
				request: { headers: { 'x-api-key': TEST_API_KEY } },
			},
		});

		const { output } = await runNode(
			fake(),
			{ resource: 'account', operation: 'getAll', returnAll: true },
			{ continueOnFail: true },
		);

		expect(output).toEqual([
			{
				json: { error: expect.stringMatching(/^INTERNAL_ERROR: Boom\. LinkupAPI had a problem on its side/) },
				pairedItem: { item: 0 },
			},
		]);
		expect(JSON.stringify(output)).not.toContain(TEST_API_KEY);
	});

	it('refuses an operation the resource does not have', async () => {
		const error = await errorOf(runNode(fake(), { resource: 'account', operation: 'delete' }));

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('The operation "delete" of resource "account" is not supported');
		expect(fake().requests).toHaveLength(0);
	});
});
