// The LinkupAPI Trigger's deletes (deactivation, undoing a failed create) through rate limits and 5xx.
import { RETRY_POLICY } from '../../../../nodes/Linkup/transport';
import {
	activated,
	calls,
	create,
	fake,
	hook,
	remove,
	useLinkupTriggerTests,
} from '../../../helpers/linkupTrigger';

useLinkupTriggerTests();

describe('deletes ride out rate limits and server errors (the transport retries DELETE)', () => {
	it('deactivation answered 429 with Retry-After: waits, deletes, clears static data', async () => {
		const staticData = await activated();
		const webhookId = staticData.webhookId as string;
		fake.failNext({ route: `/v2/webhooks/${webhookId}`, method: 'DELETE', status: 429, headers: { 'retry-after': '1' } });
		const waits: number[] = [];
		const wait = jest.spyOn(RETRY_POLICY, 'wait').mockImplementation(async (ms) => void waits.push(ms));
		try {
			expect(await remove(hook(staticData))).toBe(true);
		} finally {
			wait.mockRestore();
		}
		expect(calls()).toEqual([`DELETE /v2/webhooks/${webhookId}`, `DELETE /v2/webhooks/${webhookId}`]);
		expect(waits).toEqual([1000]);
		expect(fake.webhooks.size).toBe(0);
		expect(staticData).toEqual({});
	});

	it('deactivation answered 503 and then a dropped connection: still deleted', async () => {
		const staticData = await activated();
		const webhookId = staticData.webhookId as string;
		fake.failNext({ route: `/v2/webhooks/${webhookId}`, method: 'DELETE', status: 503, headers: { 'retry-after': '0' } });
		fake.failNext({ route: `/v2/webhooks/${webhookId}`, method: 'DELETE', destroy: true });
		expect(await remove(hook(staticData))).toBe(true);
		expect(fake.requestsTo('DELETE')).toHaveLength(3);
		expect(fake.webhooks.size).toBe(0);
	});

	it('/start refused and the undoing DELETE rate-limited once: the webhook is still removed, the cause shown', async () => {
		fake.failNext({
			route: '/v2/webhooks',
			method: 'POST',
			status: 201,
			body: { success: true, data: { webhook_id: 'w5', secret: 's3cr3t-value', monitoring: false } },
		});
		fake.failNext({ route: '/v2/webhooks/w5/start', method: 'POST', status: 402 });
		fake.failNext({ route: '/v2/webhooks/w5', method: 'DELETE', status: 429, headers: { 'retry-after': '0' } });
		await expect(create(hook({}))).rejects.toThrow(/^INSUFFICIENT_CREDITS: .*so n8n deleted it again\.$/);
		expect(calls()).toEqual(['POST /v2/webhooks', 'POST /v2/webhooks/w5/start', 'DELETE /v2/webhooks/w5', 'DELETE /v2/webhooks/w5']);
	});

	it('a lost create answer settled while the list and the delete hit a 500 once each: none left billing', async () => {
		fake.loseAnswerNext({ route: '/v2/webhooks', method: 'POST' });
		fake.failNext({ route: '/v2/webhooks', method: 'GET', status: 500, headers: { 'retry-after': '0' } });
		fake.failNext({ route: /^\/v2\/webhooks\/[^/]+$/, method: 'DELETE', status: 500, headers: { 'retry-after': '0' } });
		await expect(create(hook({}))).rejects.toThrow(/n8n deleted it again/);
		expect(fake.webhooks.size).toBe(0);
	});
});
