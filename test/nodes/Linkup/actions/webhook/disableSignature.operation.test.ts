// The LinkupAPI node's Webhook > Disable Signature operation.
import { onlyRequest, rl, runNode, seedSignedWebhook, useFakeLinkupApi } from '../../../../helpers/linkupNode';

const fake = useFakeLinkupApi();

describe('webhook disableSignature', () => {
	it('sends DELETE /v2/webhooks/{id}/secret, after which deliveries are unsigned', async () => {
		const created = await seedSignedWebhook(fake());

		const { json } = await runNode(fake(), {
			resource: 'webhook',
			operation: 'disableSignature',
			webhookId: rl(created.webhook_id),
		});

		expect(onlyRequest(fake(), 'DELETE', `/v2/webhooks/${created.webhook_id}/secret`).body).toBeUndefined();
		expect(json).toEqual([{ webhook_id: created.webhook_id, signature_enabled: false }]);
		expect(fake().webhooks.get(created.webhook_id)!.secret).toBeNull();
	});
});
