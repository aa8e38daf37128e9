// The LinkupAPI node's Webhook > Rotate Secret operation.
import {
	onlyRequest,
	rl,
	runNode,
	seedSignedWebhook,
	TEST_API_KEY,
	useFakeLinkupApi,
} from '../../../../helpers/linkupNode';

const fake = useFakeLinkupApi();

describe('webhook rotateSecret', () => {
	it('sends POST /v2/webhooks/{id}/rotate-secret and labels the new one-time secret', async () => {
		const created = await seedSignedWebhook(fake());

		const { json } = await runNode(fake(), {
			resource: 'webhook',
			operation: 'rotateSecret',
			webhookId: rl(created.webhook_id),
		});

		expect(onlyRequest(fake(), 'POST', `/v2/webhooks/${created.webhook_id}/rotate-secret`).body).toBeUndefined();
		const newSecret = fake().webhooks.get(created.webhook_id)!.secret;
		expect(newSecret).not.toBe(created.secret);
		expect(json).toHaveLength(1);
		expect(json[0]).toMatchObject({ secret: newSecret, webhook_id: created.webhook_id });
		expect(json[0].secret_notice).toMatch(/store this signing secret now.*only once/i);
		expect(JSON.stringify(json)).not.toContain(TEST_API_KEY);
	});

	it('never shows the new secret to an AI agent, only that one was issued', async () => {
		const created = await seedSignedWebhook(fake());

		const { json } = await runNode(
			fake(),
			{ resource: 'webhook', operation: 'rotateSecret', webhookId: rl(created.webhook_id) },
			{ asAiTool: true },
		);

		const newSecret = fake().webhooks.get(created.webhook_id)!.secret as string;
		expect(newSecret).not.toBe(created.secret);
		expect(json[0]).toMatchObject({ secret_issued: true, webhook_id: created.webhook_id });
		expect(json[0].secret_notice).toMatch(/not shown when this node runs as an AI agent tool.*Rotate Secret/);
		expect(json[0]).not.toHaveProperty('secret');
		expect(JSON.stringify(json)).not.toContain(newSecret);
	});
});
