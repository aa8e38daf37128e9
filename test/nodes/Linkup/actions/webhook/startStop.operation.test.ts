// The LinkupAPI node's Webhook > Start and Webhook > Stop operations.
import { firstAccountId, onlyRequest, rl, runNode, seedWebhook, useFakeLinkupApi } from '../../../../helpers/linkupNode';

const fake = useFakeLinkupApi();

describe.each([
	['stop', false],
	['start', true],
])('webhook %s', (operation, monitoring) => {
	it(`sends POST /v2/webhooks/{id}/${operation} with no body and returns the monitoring state`, async () => {
		const accountId = firstAccountId(fake());
		const { webhook_id: webhookId } = await seedWebhook(fake(), { account_id: accountId });
		fake().webhooks.get(webhookId)!.monitoring = !monitoring;

		const { json } = await runNode(fake(), { resource: 'webhook', operation, webhookId: rl(webhookId) });

		expect(onlyRequest(fake(), 'POST', `/v2/webhooks/${webhookId}/${operation}`).body).toBeUndefined();
		expect(json).toEqual([{ webhook_id: webhookId, account_id: accountId, monitoring }]);
		expect(fake().monitoredAccounts()).toEqual(monitoring ? [accountId] : []);
	});
});
