// The LinkupAPI Hosted Trigger node: starting, stopping, test runs, its poll interval and its timer rule.
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { pollIntervalMs } from '../../../nodes/Linkup/LinkupHostedTrigger.node';
import { TEST_API_KEY } from '../../helpers/credentials';
import {
	accountId,
	close,
	createdWebhooksDoNotMonitor,
	createWebhookDirectly,
	emittedJson,
	eventPolls,
	fake,
	hostedWebhooks,
	startTrigger,
	useHostedTriggerTests,
	waitFor,
} from '../../helpers/hostedTrigger';

useHostedTriggerTests();

describe('LinkupHostedTrigger: start', () => {
	it('creates one monitoring hosted webhook and records it in static data', async () => {
		const harness = await startTrigger({ events: ['message_received'] });
		const [webhook] = hostedWebhooks();
		expect(fake.webhookList()).toHaveLength(1);
		expect(webhook).toMatchObject({ account_id: accountId, url: null, events: ['message_received'], monitoring: true });
		expect(harness.staticData.webhookId).toBe(webhook.webhook_id);
		const [create] = fake.requestsTo('POST', '/v2/webhooks');
		expect(create.body).toEqual({ account_id: accountId, events: ['message_received'] });
		expect(create.headers['x-api-key']).toBe(TEST_API_KEY);
	});

	it('calls /start when the create answer does not show monitoring on (docs/linkupapi-v2.md, Open questions)', async () => {
		createdWebhooksDoNotMonitor();
		const harness = await startTrigger();
		expect(fake.requestsTo('POST', `/v2/webhooks/${harness.staticData.webhookId}/start`)).toHaveLength(1);
		expect(fake.monitoredAccounts()).toEqual([accountId]);
	});

	it('deletes the new webhook again when /start fails, and fails activation with the reason', async () => {
		createdWebhooksDoNotMonitor();
		fake.failNext({ route: /\/start$/, method: 'POST', status: 402 });
		await expect(startTrigger()).rejects.toThrow(/^INSUFFICIENT_CREDITS: .*Top up your LinkupAPI credits/);
		expect(fake.requestsTo('DELETE', /^\/v2\/webhooks\/[^/]+$/)).toHaveLength(1);
		expect(fake.webhookList()).toHaveLength(0);
	});

	it('reuses the recorded webhook and restarts it when it was stopped', async () => {
		const webhookId = await createWebhookDirectly(['all']);
		fake.webhooks.get(webhookId)!.monitoring = false;
		const harness = await startTrigger({ staticData: { webhookId } });
		expect(fake.requestsTo('POST', '/v2/webhooks')).toHaveLength(0);
		expect(fake.requestsTo('POST', `/v2/webhooks/${webhookId}/start`)).toHaveLength(1);
		expect(fake.webhooks.get(webhookId)!.monitoring).toBe(true);
		expect(harness.staticData.webhookId).toBe(webhookId);
	});

	it('deletes a recorded webhook whose events no longer match and creates the right one', async () => {
		const oldId = await createWebhookDirectly(['accepted_invitation']);
		const harness = await startTrigger({ staticData: { webhookId: oldId, cursor: '2026-01-01T00:00:00.000Z' } });
		expect(fake.requestsTo('DELETE', `/v2/webhooks/${oldId}`)).toHaveLength(1);
		expect(fake.webhooks.has(oldId)).toBe(false);
		expect(hostedWebhooks()).toHaveLength(1);
		expect(harness.staticData.webhookId).not.toBe(oldId);
		expect(harness.staticData.cursor).toBeUndefined();
	});

	it('creates a new webhook when the recorded one is gone, and warns about other hosted webhooks', async () => {
		const stranger = await createWebhookDirectly(['all']);
		const harness = await startTrigger({ staticData: { webhookId: 'deleted-webhook' } });
		expect(harness.staticData.webhookId).not.toBe('deleted-webhook');
		expect(fake.webhooks.has(stranger)).toBe(true);
		const warning = harness.logs.find((log) => log.level === 'warn');
		expect(warning?.message).toContain(stranger);
	});

	it('subscribes to all events when none is selected', async () => {
		await startTrigger({ events: [] });
		expect(hostedWebhooks()[0].events).toEqual(['all']);
	});

	it('asks for an account before calling the API when none is chosen', async () => {
		await expect(startTrigger({ account: '' })).rejects.toThrow('Choose the LinkedIn account to watch in "Account".');
		expect(fake.requests).toHaveLength(0);
	});

	it('fails activation with the API message when the account is unknown, leaving nothing behind', async () => {
		await expect(startTrigger({ account: 'no-such-account' })).rejects.toThrow(/INVALID_ACCOUNT/);
		expect(fake.webhookList()).toHaveLength(0);
	});
});

describe('LinkupHostedTrigger: stopping', () => {
	it('deletes its webhook on close, ending billing, and polls no more', async () => {
		const harness = await startTrigger();
		await waitFor(() => eventPolls() >= 1);
		await close(harness);
		expect(fake.webhookList()).toHaveLength(0);
		expect(fake.monitoredAccounts()).toEqual([]);
		const polls = eventPolls();
		await harness.response.manualTriggerFunction!();
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(eventPolls()).toBe(polls);
	});

	it('wakes its sleeping loop on close, polls no more, and leaves at most a 1-second timer behind', async () => {
		const timers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
		await new Promise((resolve) => setTimeout(resolve, 1100)); // sleep slices earlier tests left behind end
		const idle = timers();
		const harness = await startTrigger();
		await waitFor(() => eventPolls() >= 1 && timers() > idle);
		await close(harness);
		const polls = eventPolls();
		// n8n-workflow's sleep cannot be cancelled, so the loop sleeps in slices of at most 1 s.
		await waitFor(() => timers() === idle, 1500);
		expect(eventPolls()).toBe(polls);
	});

	it('test run: uses a webhook of its own, emits through the emit n8n installs, and deletes it', async () => {
		const productionId = await createWebhookDirectly(['all']);
		const staticData = { webhookId: productionId, cursor: '2026-01-01T00:00:00.000Z' };
		const harness = await startTrigger({ mode: 'manual', staticData });
		const testIds = [...fake.webhooks.keys()].filter((id) => id !== productionId);
		expect(testIds).toHaveLength(1);
		expect(harness.staticData).toEqual({ webhookId: productionId, cursor: '2026-01-01T00:00:00.000Z' });
		const message = fake.sampleEvent(accountId, 'message');
		fake.enqueueEvent(testIds[0], message, new Date(Date.now() - 1000));
		await harness.response.manualTriggerFunction!();
		expect(harness.staleEmits).toEqual([]);
		expect(emittedJson(harness)).toEqual([message]);
		await close(harness);
		expect([...fake.webhooks.keys()]).toEqual([productionId]);
	});
});

describe('LinkupHostedTrigger: rules', () => {
	it('keeps the poll interval within 5 s and 1 h, 10 s by default', () => {
		expect(pollIntervalMs(undefined)).toBe(10_000);
		expect(pollIntervalMs(1)).toBe(5_000);
		expect(pollIntervalMs(30)).toBe(30_000);
		expect(pollIntervalMs(100_000)).toBe(3_600_000);
	});

	it('uses no global timers in nodes/ (n8n Cloud forbids them; waits use sleep from n8n-workflow)', () => {
		const files: string[] = [];
		const walk = (dir: string) => {
			for (const name of readdirSync(dir)) {
				const path = join(dir, name);
				if (statSync(path).isDirectory()) walk(path);
				else if (path.endsWith('.ts')) files.push(path);
			}
		};
		walk(join(__dirname, '../../../nodes'));
		const offenders = files.filter((file) =>
			/\b(setTimeout|setInterval|setImmediate)\s*\(/.test(readFileSync(file, 'utf8')),
		);
		expect(offenders).toEqual([]);
	});
});
