// The LinkupAPI node's Webhook > Get Many operation.
import { NodeOperationError } from 'n8n-workflow';
import type { Json } from '../../../../fake-linkupapi/server';
import {
	errorOf,
	onlyRequest,
	rl,
	runNode,
	seedWebhook,
	useFakeLinkupApi,
} from '../../../../helpers/linkupNode';

const fake = useFakeLinkupApi();
let accounts: string[];
let webhooks: Json[];

beforeEach(async () => {
	accounts = fake().accountList().map((account) => account.account_id);
	webhooks = [
		await seedWebhook(fake(), { account_id: accounts[0] }),
		await seedWebhook(fake(), { account_id: accounts[1], url: 'https://example.com/a' }),
		await seedWebhook(fake(), { account_id: accounts[0], url: 'https://example.com/b' }),
	];
});

function getAll(parameters: Record<string, unknown>) {
	return runNode(fake(), { resource: 'webhook', operation: 'getAll', ...parameters });
}

describe('webhook getAll', () => {
	it('returns one item per webhook from a single GET /v2/webhooks', async () => {
		const { json } = await getAll({ returnAll: true, accountId: rl('') });

		const request = onlyRequest(fake(), 'GET', '/v2/webhooks');
		expect(request.query).toEqual({});
		expect(json.map((item) => item.webhook_id)).toEqual(webhooks.map((webhook) => webhook.webhook_id));
		expect(json[1]).toMatchObject({ url: 'https://example.com/a', account_id: accounts[1] });
	});

	it('keeps only the chosen account, filtering after the call', async () => {
		const { json } = await getAll({ returnAll: true, accountId: rl(accounts[0]) });

		expect(onlyRequest(fake(), 'GET', '/v2/webhooks').query).toEqual({});
		expect(json.map((item) => item.webhook_id)).toEqual([webhooks[0].webhook_id, webhooks[2].webhook_id]);
	});

	it('honours the limit', async () => {
		const { json } = await getAll({ returnAll: false, limit: 2 });

		onlyRequest(fake(), 'GET', '/v2/webhooks');
		expect(json.map((item) => item.webhook_id)).toEqual([webhooks[0].webhook_id, webhooks[1].webhook_id]);
	});

	it.each([0, -3, 2.5, 'ten'])('refuses the limit %p before calling the API', async (limit) => {
		const error = await errorOf(getAll({ returnAll: false, limit }));

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^The Limit field must be a whole number of 1 or more .*turn on Return All/);
		expect(fake().requests).toHaveLength(0);
	});
});
