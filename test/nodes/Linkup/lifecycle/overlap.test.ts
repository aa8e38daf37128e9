// A deactivation overlapping an activation of the LinkupAPI Trigger ends with no webhook billing.
import type { IDataObject } from 'n8n-workflow';
import { activate, callsTo, checkExists, create, remove, triggerHook, until } from '../../../helpers/triggerHooks';
import { useFakeLinkupApi } from '../../../helpers/useFakeLinkupApi';

const fakeApi = useFakeLinkupApi();

describe('LinkupAPI Trigger: deactivation overlapping an activation', () => {
	it('while the create waits for LinkupAPI: the delete runs after it and deletes what it made', async () => {
		const fake = fakeApi();
		fake.failNext({ route: '/v2/webhooks', method: 'POST', delayMs: 300 });
		const staticData: IDataObject = {};
		const activation = activate(triggerHook(fake, staticData));
		await until(() => fake.requestsTo('POST', '/v2/webhooks').length === 1);
		await remove(triggerHook(fake, staticData));
		expect(await activation).toBe('created');
		const createdId = fake.requestsTo('DELETE')[0]?.path.split('/').pop();
		expect(callsTo(fake)).toEqual(['GET /v2/webhooks', 'POST /v2/webhooks', `DELETE /v2/webhooks/${createdId}`]);
		expect(fake.webhooks.size).toBe(0);
		expect(staticData).toEqual({});
	});

	it('n8n hands the delete static data read before the create stored its id: the id is still deleted', async () => {
		const fake = fakeApi();
		fake.failNext({ route: '/v2/webhooks', method: 'POST', delayMs: 300 });
		const activation = activate(triggerHook(fake, {}));
		await until(() => fake.requestsTo('POST', '/v2/webhooks').length === 1);
		const readByTheDeactivation: IDataObject = {};
		await remove(triggerHook(fake, readByTheDeactivation));
		await activation;
		expect(fake.webhooks.size).toBe(0);
		expect(readByTheDeactivation).toEqual({});
	});

	it('between a checkExists that cleared the record and its create: the create makes nothing and says why', async () => {
		const fake = fakeApi();
		const staticData: IDataObject = {};
		await activate(triggerHook(fake, staticData));
		fake.deleteWebhookBehindBack(staticData.webhookId as string);
		expect(await checkExists(triggerHook(fake, staticData))).toBe(false);
		expect(staticData).toEqual({});
		await remove(triggerHook(fake, staticData));
		fake.requests.length = 0;
		await expect(create(triggerHook(fake, staticData))).rejects.toThrow(
			'The workflow was deactivated while this activation waited, so n8n created no LinkupAPI webhook. Activate the workflow again to use it.',
		);
		expect(callsTo(fake)).toEqual([]);
		expect(fake.webhooks.size).toBe(0);
		expect(staticData).toEqual({});
	});

	it('an activation after that deactivation creates its webhook as usual', async () => {
		const fake = fakeApi();
		const staticData: IDataObject = {};
		expect(await checkExists(triggerHook(fake, staticData))).toBe(false);
		await remove(triggerHook(fake, staticData));
		await expect(create(triggerHook(fake, staticData))).rejects.toThrow(/deactivated while this activation waited/);
		expect(await activate(triggerHook(fake, staticData))).toBe('created');
		expect(fake.webhookList().map((webhook) => webhook.webhook_id)).toEqual([staticData.webhookId]);
	});

	it('a deactivation with nothing stored and nothing kept still calls nothing', async () => {
		const fake = fakeApi();
		expect(await remove(triggerHook(fake, {}))).toBe(true);
		expect(callsTo(fake)).toEqual([]);
	});
});
