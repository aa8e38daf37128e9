// The LinkupAPI Trigger node: its description, activation, restart, deactivation and test mode.
import type { IDataObject } from 'n8n-workflow';
import {
	accountId,
	activate,
	activated,
	calls,
	fake,
	hook,
	loggedText,
	PRODUCTION_URL,
	remove,
	resetCalls,
	TEST_URL,
	trigger,
	useLinkupTriggerTests,
} from '../../helpers/linkupTrigger';

useLinkupTriggerTests();

describe('LinkupTrigger description', () => {
	it('is a trigger with one POST webhook at path "webhook" and the fixed parameter names', () => {
		const description = trigger.description;
		expect(description.name).toBe('linkupTrigger');
		expect(description.displayName).toBe('LinkupAPI Trigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.usableAsTool).toBeUndefined();
		// New nodes get 1.1, which spares n8n a per-request expression; saved 1.0 nodes keep working.
		expect(description.version).toEqual([1, 1.1]);
		expect(description.defaultVersion).toBe(1.1);
		expect(description.webhooks).toEqual([
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		]);
		const names = description.properties.map((property) => property.name);
		expect(names).toEqual(expect.arrayContaining(['accountId', 'events', 'options']));
		const options = description.properties.find((property) => property.name === 'options')!;
		const optionDefaults = Object.fromEntries(
			(options.options as Array<{ name: string; default: unknown }>).map((o) => [o.name, o.default]),
		);
		expect(optionDefaults).toMatchObject({ allowNonPublicUrl: false, verifySignature: true, timestampToleranceSeconds: 300 });
		const displayNames = (options.options as Array<{ displayName: string }>).map((o) => o.displayName);
		expect(displayNames).toEqual([...displayNames].sort((a, b) => a.localeCompare(b)));
	});
});

describe('activation, restart and deactivation', () => {
	it('activation with nothing stored: one list, one create, and the secret is kept only in static data', async () => {
		const staticData: IDataObject = {};
		const h = hook(staticData);
		expect(await activate(h)).toBe('created');

		expect(calls()).toEqual(['GET /v2/webhooks', 'POST /v2/webhooks']);
		expect(fake.requests[1].body).toEqual({
			account_id: accountId,
			url: PRODUCTION_URL,
			events: ['all'],
			enable_signature: true,
		});
		expect(fake.webhooks.size).toBe(1);
		const [remote] = [...fake.webhooks.values()];
		expect(staticData).toEqual({
			webhookId: remote.webhook_id,
			webhookSecret: remote.secret,
			webhookUrl: PRODUCTION_URL,
			webhookEvents: ['all'],
			accountId,
		});
		expect(remote.secret).toEqual(expect.any(String));
		expect(loggedText(h.logs)).not.toContain(remote.secret);
	});

	it('restart with a live webhook: one list call and no create', async () => {
		const staticData = await activated();
		const before = { ...staticData };
		expect(await activate(hook(staticData))).toBe('kept');
		expect(calls()).toEqual(['GET /v2/webhooks']);
		expect(staticData).toEqual(before);
		expect(fake.webhooks.size).toBe(1);
	});

	it('deactivation: one DELETE, and static data is cleared', async () => {
		const staticData = await activated();
		const webhookId = staticData.webhookId as string;
		expect(await remove(hook(staticData))).toBe(true);
		expect(calls()).toEqual([`DELETE /v2/webhooks/${webhookId}`]);
		expect(fake.webhooks.size).toBe(0);
		expect(staticData).toEqual({});
	});

	it('deactivation when the webhook is already gone (404) succeeds and clears static data', async () => {
		const staticData = await activated();
		const webhookId = staticData.webhookId as string;
		fake.deleteWebhookBehindBack(webhookId);
		const h = hook(staticData);
		expect(await remove(h)).toBe(true);
		expect(calls()).toEqual([`DELETE /v2/webhooks/${webhookId}`]);
		expect(staticData).toEqual({});
		expect(h.logs.some((log) => log.level === 'info' && log.message.includes('already deleted'))).toBe(true);
	});

	it('deactivation failure other than 404 is logged and thrown, and the id is kept for a retry', async () => {
		const staticData = await activated();
		const webhookId = staticData.webhookId as string;
		// Four 500s: the first try and the transport's 3 retries.
		fake.failNext({ route: `/v2/webhooks/${webhookId}`, method: 'DELETE', status: 500, times: 4, headers: { 'retry-after': '0' } });
		const h = hook(staticData);
		await expect(remove(h)).rejects.toThrow(/INTERNAL_ERROR/);
		expect(h.logs.some((log) => log.level === 'warn' && log.message.includes(webhookId))).toBe(true);
		expect(staticData.webhookId).toBe(webhookId);
		expect(fake.webhooks.has(webhookId)).toBe(true);
		expect(loggedText(h.logs)).not.toContain(staticData.webhookSecret as string);
	});

	it('deactivation with nothing stored makes no API call', async () => {
		expect(await remove(hook({}))).toBe(true);
		expect(fake.requests).toHaveLength(0);
	});
});

describe('test mode ("Listen for test event")', () => {
	it('registers a separate webhook on the /webhook-test/ URL and removes only that one', async () => {
		const production = await activated();
		const testStaticData: IDataObject = {};
		const h = hook(testStaticData, { url: TEST_URL, activationMode: 'manual' });
		expect(await activate(h)).toBe('created');
		expect(fake.webhooks.size).toBe(2);
		expect(testStaticData.webhookUrl).toBe(TEST_URL);

		resetCalls();
		const testWebhookId = testStaticData.webhookId as string;
		await remove(hook(testStaticData, { url: TEST_URL, activationMode: 'manual' }));
		expect(calls()).toEqual([`DELETE /v2/webhooks/${testWebhookId}`]);
		expect([...fake.webhooks.keys()]).toEqual([production.webhookId]);
	});
});
