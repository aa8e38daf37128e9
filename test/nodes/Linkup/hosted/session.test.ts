// The Hosted Trigger's session: reading /events page by page, its error policy, recreation and resuming.
import { HostedSession } from '../../../../nodes/Linkup/hosted/session';
import { createDetachedLinkupClient, EVENT_RETENTION_MS } from '../../../../nodes/Linkup/transport';
import { linkupCredentials, TEST_API_KEY } from '../../../helpers/credentials';
import {
	accountId,
	close,
	emittedJson,
	enqueueMessages,
	eventPolls,
	fake,
	startTrigger,
	useHostedTriggerTests,
	waitFor,
} from '../../../helpers/hostedTrigger';
import { createTriggerContext } from '../../../helpers/n8nContext';

useHostedTriggerTests();

/** A session resuming a webhook whose last event read is `ageMs` old on the fake's clock. */
function resumeAfter(ageMs: number) {
	fake.now = () => Date.UTC(2030, 5, 1, 12);
	const harness = createTriggerContext({ credentials: linkupCredentials(fake.baseUrl) });
	const client = createDetachedLinkupClient.call(harness.context as never, { apiKey: TEST_API_KEY, baseUrl: fake.baseUrl });
	const session = new HostedSession({
		lifecycle: { client, node: harness.node, logger: harness.context.logger as never, label: 'LinkupAPI Hosted Trigger', queueKey: 'hosted:test' },
		state: { webhookId: 'w1', cursor: new Date(fake.now() - ageMs).toISOString() },
		durableState: true,
		target: { accountId: 'a1', events: ['all'], signed: false },
		outputOptions: { includeDisconnection: true, splitInvitations: false },
		intervalMs: 60_000,
		emit: () => undefined,
		emitError: () => undefined,
		now: fake.now,
	});
	session.warnIfPastRetention();
	return harness.logs.filter((log) => log.level === 'warn').map((log) => log.message);
}

describe('HostedSession: resuming after a long stop', () => {
	it('warns that older events are gone when the last event read is over 24 hours old', () => {
		const [warning] = resumeAfter(EVENT_RETENTION_MS + 60_000);
		expect(warning).toMatch(/last event read is from 2030-05-31T11:59:00.000Z, more than 24 hours ago.*older events are gone/);
	});

	it('does not warn within the 24 hours', () => {
		expect(resumeAfter(EVENT_RETENTION_MS - 60_000)).toEqual([]);
	});
});

describe('LinkupHostedTrigger: polling', () => {
	it('emits 450 events in order and exactly once, one emit per page of 200', async () => {
		const harness = await startTrigger();
		const webhookId = harness.staticData.webhookId as string;
		const wrappers = enqueueMessages(webhookId, 0, 450, Date.now() - 60_000);
		await harness.response.manualTriggerFunction!();
		// Three full-or-last pages, one emit each; each page after the first re-reads the cursor's
		// millisecond, so its already emitted events are dropped rather than emitted twice.
		expect(fake.requestsTo('GET', /\/events$/).filter((r) => r.query.limit === '200').length).toBeGreaterThanOrEqual(3);
		expect(harness.emitted).toHaveLength(3);
		expect(emittedJson(harness)).toEqual(wrappers);
		await harness.response.manualTriggerFunction!();
		expect(emittedJson(harness)).toHaveLength(450);
		expect(harness.errors).toEqual([]);
	});

	it('resumes after a crash from the saved static data: no duplicates, no gaps', async () => {
		const first = await startTrigger();
		const webhookId = first.staticData.webhookId as string;
		const start = Date.now() - 60_000;
		const before = enqueueMessages(webhookId, 0, 5, start);
		await first.response.manualTriggerFunction!();
		expect(emittedJson(first)).toEqual(before);
		// A crash: polling ends but the webhook stays (the DELETE and its 3 retries fail), as if n8n died.
		fake.failNext({ route: `/v2/webhooks/${webhookId}`, method: 'DELETE', status: 500, times: 4, headers: { 'retry-after': '0' } });
		await close(first);
		expect(fake.webhooks.has(webhookId)).toBe(true);
		expect(first.logs.find((log) => log.level === 'error')?.message).toMatch(
			/could not delete hosted webhook .*Delete it with the LinkupAPI node/,
		);

		// Events while n8n is down; the first shares the last emitted event's millisecond.
		const whileDown = enqueueMessages(webhookId, 5, 4, start + 1);
		const second = await startTrigger({ staticData: JSON.parse(JSON.stringify(first.savedStaticData)) });
		expect(second.staticData.webhookId).toBe(webhookId);
		expect(fake.requestsTo('POST', /\/start$/)).toHaveLength(0); // still monitoring: reused as is
		await second.response.manualTriggerFunction!();
		expect(emittedJson(second)).toEqual(whileDown);
		expect(fake.requestsTo('POST', '/v2/webhooks')).toHaveLength(1);
	});

	it('retries a 429 and delivers without an error', async () => {
		fake.failNext({ route: /\/events$/, method: 'GET', status: 429, headers: { 'retry-after': '0' } });
		const harness = await startTrigger();
		const wrappers = enqueueMessages(harness.staticData.webhookId as string, 0, 2, Date.now() - 1000);
		await harness.response.manualTriggerFunction!();
		expect(emittedJson(harness)).toEqual(wrappers);
		expect(harness.errors).toEqual([]);
		expect(fake.requests.filter((r) => r.path.endsWith('/events')).length).toBeGreaterThanOrEqual(2);
	});

	it('keeps the trigger alive through server errors and dropped connections, then resumes', async () => {
		// Each fault outlasts the transport's 3 retries, so the poller sees it.
		fake.failNext({ route: /\/events$/, method: 'GET', status: 500, times: 4, headers: { 'retry-after': '0' } });
		const harness = await startTrigger();
		await waitFor(() => harness.logs.some((log) => log.level === 'warn'));
		fake.failNext({ route: /\/events$/, method: 'GET', destroy: true, times: 4 });
		await harness.response.manualTriggerFunction!();
		const warnings = harness.logs.filter((log) => log.level === 'warn').map((log) => log.message);
		expect(warnings[0]).toMatch(/polling failed.*INTERNAL_ERROR.*attempt 1, retrying in 5 s/);
		expect(warnings[1]).toMatch(/polling failed.*Could not reach LinkupAPI.*attempt 2, retrying in 10 s/);
		const wrappers = enqueueMessages(harness.staticData.webhookId as string, 0, 3, Date.now() - 1000);
		await harness.response.manualTriggerFunction!();
		expect(emittedJson(harness)).toEqual(wrappers);
		expect(harness.errors).toEqual([]);
		expect(harness.logs.some((log) => log.level === 'info' && /resumed/.test(log.message))).toBe(true);
	});

	it('stops polling and reports a revoked key through emitError', async () => {
		const harness = await startTrigger();
		await waitFor(() => eventPolls() >= 1);
		fake.apiKey = 'another-key';
		await harness.response.manualTriggerFunction!();
		expect(harness.errors).toHaveLength(1);
		expect(harness.errors[0].message).toMatch(/^INVALID_API_KEY: .*Check the API key in your LinkupAPI credential/);
		expect(harness.errors[0].message).not.toContain(TEST_API_KEY);
		const polls = eventPolls();
		await harness.response.manualTriggerFunction!();
		expect(eventPolls()).toBe(polls);
	});

	it('test run: recreates a webhook deleted behind its back, once (production: hosted/lostWebhook.test.ts)', async () => {
		const harness = await startTrigger({ mode: 'manual' });
		const [lostId] = fake.webhooks.keys();
		await waitFor(() => eventPolls() >= 1);
		fake.deleteWebhookBehindBack(lostId);
		await harness.response.manualTriggerFunction!();
		const [newId] = fake.webhooks.keys();
		expect(newId).not.toBe(lostId);
		expect(fake.webhooks.has(newId)).toBe(true);
		const wrappers = enqueueMessages(newId, 0, 2, Date.now() - 1000);
		await harness.response.manualTriggerFunction!();
		expect(emittedJson(harness)).toEqual(wrappers);
		fake.deleteWebhookBehindBack(newId);
		await harness.response.manualTriggerFunction!();
		expect(harness.errors).toHaveLength(1);
		expect(harness.errors[0].message).toMatch(/^INVALID_PARAMS: Webhook .* not found/);
	});

	it('applies the event filter and output options, keeping each wrapper intact', async () => {
		const harness = await startTrigger({
			events: ['message_received'],
			options: { pollInterval: 5, includeDisconnection: false },
		});
		const webhookId = harness.staticData.webhookId as string;
		const message = fake.sampleEvent(accountId, 'message');
		fake.enqueueEvent(webhookId, fake.sampleEvent(accountId, 'accepted_invitation'), new Date(Date.now() - 3000));
		fake.enqueueEvent(webhookId, fake.sampleEvent(accountId, 'disconnection'), new Date(Date.now() - 2000));
		fake.enqueueEvent(webhookId, message, new Date(Date.now() - 1000));
		await harness.response.manualTriggerFunction!();
		expect(emittedJson(harness)).toEqual([message]);
	});
});

describe('LinkupHostedTrigger: newest-first pages', () => {
	it('emits 450 events once each and in order when the API answers each page newest first', async () => {
		fake.newestFirst = true;
		const harness = await startTrigger();
		const wrappers = enqueueMessages(harness.staticData.webhookId as string, 0, 450, Date.now() - 60_000);
		await harness.response.manualTriggerFunction!();
		await harness.response.manualTriggerFunction!();
		expect(emittedJson(harness)).toEqual(wrappers);
	});
});
