// The LinkupAPI node's Webhook > Delete operation.
import { NodeApiError } from 'n8n-workflow';
import { errorOf, firstAccountId, onlyRequest, rl, runNode, seedWebhook, useFakeLinkupApi } from '../../../../helpers/linkupNode';
import { useShortRetryWaits } from '../../../../helpers/shortRetryWaits';

const fake = useFakeLinkupApi();
useShortRetryWaits();

function remove(webhookId: string) {
	return runNode(fake(), { resource: 'webhook', operation: 'delete', webhookId: rl(webhookId) });
}

describe('webhook delete', () => {
	it('sends DELETE /v2/webhooks/{id}, which ends monitoring of the account', async () => {
		const { webhook_id: webhookId } = await seedWebhook(fake(), { account_id: firstAccountId(fake()) });

		const { json } = await remove(webhookId);

		expect(onlyRequest(fake(), 'DELETE', `/v2/webhooks/${webhookId}`).body).toBeUndefined();
		expect(json).toEqual([{ deleted: true, webhook_id: webhookId }]);
		expect(fake().webhooks.size).toBe(0);
		expect(fake().monitoredAccounts()).toEqual([]);
	});

	it('reports a webhook that is already gone', async () => {
		const error = await errorOf(remove('6789abcdef0123456789abcd'));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/^INVALID_PARAMS: Webhook 6789abcdef0123456789abcd not found\./);
	});

	it('reports the deletion when the answer was lost and the retry finds the webhook gone', async () => {
		const { webhook_id: webhookId } = await seedWebhook(fake(), { account_id: firstAccountId(fake()) });
		fake().loseAnswerNext({ route: `/v2/webhooks/${webhookId}`, method: 'DELETE', status: 503 });

		const { json } = await remove(webhookId);

		expect(fake().requestsTo('DELETE', `/v2/webhooks/${webhookId}`)).toHaveLength(2);
		expect(json).toEqual([{ deleted: true, webhook_id: webhookId }]);
		expect(fake().webhooks.size).toBe(0);
	});
});
