// The LinkupAPI node's Webhook > Update operation.
import { NodeOperationError } from 'n8n-workflow';
import {
	errorOf,
	firstAccountId,
	onlyRequest,
	rl,
	runNode,
	seedWebhook,
	useFakeLinkupApi,
} from '../../../../helpers/linkupNode';

const fake = useFakeLinkupApi();
let webhookId: string;

beforeEach(async () => {
	webhookId = (await seedWebhook(fake(), { account_id: firstAccountId(fake()), url: 'https://example.com/old' }))
		.webhook_id;
});

function update(updateFields: Record<string, unknown>) {
	return runNode(fake(), { resource: 'webhook', operation: 'update', webhookId: rl(webhookId), updateFields });
}

describe('webhook update', () => {
	it('sends PUT /v2/webhooks/{id} with the chosen fields under their API names', async () => {
		const { json } = await update({
			url: 'https://example.com/new',
			events: ['accepted_invitation'],
			isActive: false,
			retry: true,
		});

		const request = onlyRequest(fake(), 'PUT', `/v2/webhooks/${webhookId}`);
		expect(request.body).toEqual({
			url: 'https://example.com/new',
			events: ['accepted_invitation'],
			is_active: false,
			retry: true,
		});
		expect(json).toHaveLength(1);
		expect(json[0]).toMatchObject({
			webhook_id: webhookId,
			url: 'https://example.com/new',
			events: ['accepted_invitation'],
			monitoring: false,
		});
		expect(fake().monitoredAccounts()).toEqual([]);
	});

	it('sends only the fields that were added', async () => {
		await update({ events: ['all'] });

		expect(fake().requests[0].body).toEqual({ events: ['all'] });
	});

	it.each([
		[{}, /^Nothing to update: add at least one field under Update Fields/],
		[{ url: '' }, /^The URL field is empty\. Enter the new public HTTPS URL/],
		[{ url: 'http://example.com/x' }, /^The URL field is not usable: .*https:\/\//],
		[{ url: 'https://192.168.1.2/x' }, /^The URL field is not usable: .*private network address.*could never reach/],
		[{ url: 'https://[::ffff:a00:5]/x' }, /^The URL field is not usable: .*IPv4-mapped address/],
		[{ events: [] }, /^The Events field is empty/],
	])('refuses %p before calling the API', async (fields, expected) => {
		const error = await errorOf(update(fields));

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(expected);
		expect(fake().requests).toHaveLength(0);
	});
});
