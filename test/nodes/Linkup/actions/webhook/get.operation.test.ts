// The LinkupAPI node's Webhook > Get operation.
import { NodeApiError } from 'n8n-workflow';
import {
	errorOf,
	onlyRequest,
	rl,
	runNode,
	seedSignedWebhook,
	useFakeLinkupApi,
} from '../../../../helpers/linkupNode';

const fake = useFakeLinkupApi();

function get(webhookId: unknown) {
	return runNode(fake(), { resource: 'webhook', operation: 'get', webhookId });
}

describe('webhook get', () => {
	it('returns the webhook from GET /v2/webhooks/{id}', async () => {
		const created = await seedSignedWebhook(fake());

		const { json } = await get(rl(created.webhook_id, 'list'));

		expect(onlyRequest(fake(), 'GET', `/v2/webhooks/${created.webhook_id}`).body).toBeUndefined();
		expect(json).toEqual([fake().webhookList()[0]]);
		expect(json[0]).toMatchObject({ signature_enabled: true, url: 'https://example.com/hook' });
		expect(JSON.stringify(json)).not.toContain(created.secret);
	});

	it('reports an unknown webhook with the API 404', async () => {
		const error = await errorOf(get(rl('6789abcdef0123456789abcd')));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/Webhook 6789abcdef0123456789abcd not found/);
	});

	it.each(['a b', 'x/../accounts', '  '])('refuses the webhook ID %p before calling the API', async (id) => {
		const error = await errorOf(get(rl(id)));

		expect(error.message).toMatch(/^The Webhook (ID ".*" is not valid|field is empty)/);
		expect(fake().requests).toHaveLength(0);
	});
});
