// How the LinkupAPI Trigger's activation keeps, restarts or replaces its webhook and deletes leftovers.
import type { IDataObject } from 'n8n-workflow';
import {
	activate,
	activated,
	calls,
	checkExists,
	create,
	fake,
	hook,
	type HookSetup,
	parameters,
	PRODUCTION_URL,
	useLinkupTriggerTests,
} from '../../../helpers/linkupTrigger';

useLinkupTriggerTests();

describe('checkExists repairs instead of duplicating', () => {
	it('stored webhook deleted behind our back: answers false, then create makes a new one', async () => {
		const staticData = await activated();
		const oldId = staticData.webhookId as string;
		fake.deleteWebhookBehindBack(oldId);
		const h = hook(staticData);
		expect(await checkExists(h)).toBe(false);
		expect(staticData).toEqual({});
		await create(h);
		// Not in the list: its own GET confirms it is gone before a new one is made.
		expect(calls()).toEqual(['GET /v2/webhooks', `GET /v2/webhooks/${oldId}`, 'POST /v2/webhooks']);
		expect(fake.webhooks.size).toBe(1);
		expect(staticData.webhookId).not.toBe(oldId);
		expect(fake.webhooks.has(staticData.webhookId as string)).toBe(true);
	});

	it.each<[string, () => HookSetup]>([
		['the webhook URL changed', () => ({ url: 'https://other.example.com/webhook/x/webhook' })],
		['the events changed', () => ({ parameters: parameters({ events: ['message_received'] }) })],
		['the account changed', () => ({ parameters: parameters({ account: fake.accountList()[1].account_id }) })],
	])('%s: the old webhook is deleted and exactly one new one exists', async (_name, makeSetup) => {
		const setup = makeSetup();
		const staticData = await activated();
		const oldId = staticData.webhookId as string;
		expect(await activate(hook(staticData, setup))).toBe('created');
		expect(fake.webhooks.has(oldId)).toBe(false);
		expect(fake.webhooks.size).toBe(1);
		expect(calls()).toEqual(['GET /v2/webhooks', `DELETE /v2/webhooks/${oldId}`, 'POST /v2/webhooks']);
		const [remote] = fake.webhookList();
		expect(remote.webhook_id).toBe(staticData.webhookId);
		expect(remote.url).toBe(setup.url ?? PRODUCTION_URL);
	});

	it('events in another order are the same subscription', async () => {
		const staticData = await activated({ parameters: parameters({ events: ['message_received', 'accepted_invitation'] }) });
		const h = hook(staticData, { parameters: parameters({ events: ['accepted_invitation', 'message_received'] }) });
		expect(await checkExists(h)).toBe(true);
	});

	it('signing turned off remotely while verification is on: replaced, so deliveries stay verifiable', async () => {
		const staticData = await activated();
		const oldId = staticData.webhookId as string;
		fake.webhooks.get(oldId)!.secret = null;
		expect(await activate(hook(staticData))).toBe('created');
		expect(fake.webhooks.size).toBe(1);
		expect(fake.webhookList()[0].signature_enabled).toBe(true);
	});

	it('stored id without a secret while verification is on: replaced', async () => {
		const staticData = await activated();
		delete staticData.webhookSecret;
		expect(await activate(hook(staticData))).toBe('created');
		expect(fake.webhooks.size).toBe(1);
		expect(staticData.webhookSecret).toBe([...fake.webhooks.values()][0].secret);
	});

	it('stopped webhook: restarted with /start instead of a duplicate', async () => {
		const staticData = await activated();
		const webhookId = staticData.webhookId as string;
		const remote = fake.webhooks.get(webhookId)!;
		remote.monitoring = false;
		remote.is_active = false;
		const h = hook(staticData);
		expect(await activate(h)).toBe('kept');
		expect(calls()).toEqual(['GET /v2/webhooks', `POST /v2/webhooks/${webhookId}/start`]);
		expect(fake.webhooks.get(webhookId)!.monitoring).toBe(true);
		expect(fake.webhooks.size).toBe(1);
	});

	it('stopped webhook that cannot restart: the API error reaches the user', async () => {
		const staticData = await activated();
		const remote = fake.webhooks.get(staticData.webhookId as string)!;
		remote.monitoring = false;
		fake.credits = 0;
		await expect(checkExists(hook(staticData))).rejects.toThrow(
			/^INSUFFICIENT_CREDITS: Not enough credits to start monitoring.* n8n was restarting the stopped LinkupAPI webhook \w+\.$/,
		);
	});

	it('nothing stored but a webhook already posts to this URL: it is deleted and exactly one new one survives', async () => {
		await activated(); // e.g. the workflow was copied, or its static data lost
		const elsewhere = await activated({ url: 'https://n8n.example.com/webhook/another-node/webhook' });
		const orphanId = fake.webhookList().find((w) => w.url === PRODUCTION_URL)!.webhook_id;
		const staticData: IDataObject = {};
		expect(await activate(hook(staticData))).toBe('created');
		expect(calls()).toEqual(['GET /v2/webhooks', `DELETE /v2/webhooks/${orphanId}`, 'POST /v2/webhooks']);
		const atThisUrl = fake.webhookList().filter((w) => w.url === PRODUCTION_URL);
		expect(atThisUrl).toHaveLength(1);
		expect(atThisUrl[0].webhook_id).toBe(staticData.webhookId);
		expect(fake.webhooks.has(elsewhere.webhookId as string)).toBe(true);
		expect(fake.webhooks.size).toBe(2);
	});

	it('nothing stored, verification off, and a matching webhook exists: it is adopted, not duplicated', async () => {
		const unsigned = parameters({ options: { verifySignature: false } });
		const first = await activated({ parameters: unsigned });
		const staticData: IDataObject = {};
		expect(await activate(hook(staticData, { parameters: unsigned }))).toBe('kept');
		expect(calls()).toEqual(['GET /v2/webhooks']);
		expect(staticData.webhookId).toBe(first.webhookId);
		expect(staticData.webhookSecret).toBeUndefined();
		expect(fake.webhooks.size).toBe(1);
	});

	it('nothing stored, verification off, but the webhook at this URL has other events: replaced', async () => {
		await activated({ parameters: parameters({ events: ['accepted_invitation'], options: { verifySignature: false } }) });
		const staticData: IDataObject = {};
		const h = hook(staticData, { parameters: parameters({ options: { verifySignature: false } }) });
		expect(await activate(h)).toBe('created');
		expect(fake.webhooks.size).toBe(1);
		expect(fake.webhookList()[0].events).toEqual(['all']);
	});
});
