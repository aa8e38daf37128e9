import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import type { IDataObject, ITriggerResponse } from 'n8n-workflow';
import {
	LinkupHostedTrigger,
	pollIntervalMs,
} from '../../../nodes/Linkup/LinkupHostedTrigger.node';
import { STREAM_TIMINGS } from '../../../nodes/Linkup/hosted/stream';
import { FakeLinkupApi, type Json } from '../../fake-linkupapi/server';
import {
	createTriggerContext,
	linkupCredentials,
	TEST_API_KEY,
	type TriggerContextOptions,
} from '../../helpers/n8nContext';
import { useShortRetryWaits } from '../../helpers/shortRetryWaits';

type Harness = ReturnType<typeof createTriggerContext> & { response: ITriggerResponse };

let fake: FakeLinkupApi;
let accountId: string;
let running: Harness[];

useShortRetryWaits();

beforeEach(async () => {
	fake = new FakeLinkupApi();
	await fake.start();
	accountId = fake.accountList()[0].account_id;
	running = [];
});

afterEach(async () => {
	for (const harness of running) await harness.response.closeFunction?.();
	await fake.stop();
	// Whatever a test did, nothing may have needed n8n's expression bridge after trigger() returned.
	for (const harness of running) expect(harness.bridgeViolations).toEqual([]);
});

interface StartOptions extends Omit<TriggerContextOptions, 'parameters' | 'credentials'> {
	events?: string[];
	options?: IDataObject;
	receiveMode?: 'stream' | 'poll';
}

/** Runs trigger() like n8n does, then takes the bridge away as n8n does once it returned. */
async function startTrigger(start: StartOptions = {}): Promise<Harness> {
	const harness = createTriggerContext({
		...start,
		parameters: {
			accountId: { __rl: true, mode: 'list', value: accountId },
			events: start.events ?? ['all'],
			options: start.options ?? { pollInterval: 5 },
			...(start.receiveMode ? { receiveMode: start.receiveMode } : {}),
		},
		credentials: linkupCredentials(fake.baseUrl),
	});
	const response = await new LinkupHostedTrigger().trigger.call(harness.context as never);
	harness.afterTriggerReturned();
	const started = Object.assign(harness, { response });
	running.push(started);
	return started;
}

async function close(harness: Harness): Promise<void> {
	running = running.filter((other) => other !== harness);
	await harness.response.closeFunction?.();
	expect(harness.bridgeViolations).toEqual([]);
}

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

function eventPolls(): number {
	return fake.requestsTo('GET', /\/events$/).length;
}

function emittedJson(harness: Harness): IDataObject[] {
	return harness.emitted.flatMap((data) => data[0].map((item) => item.json));
}

function numberedMessage(n: number): Json {
	return fake.sampleEvent(accountId, 'message', { message_text: `message ${n}` });
}

/** Enqueues `count` numbered messages, `perMillisecond` of them sharing each created_at. */
function enqueueMessages(webhookId: string, from: number, count: number, startMs: number, perMillisecond = 3) {
	const wrappers: Json[] = [];
	for (let i = 0; i < count; i++) {
		const wrapper = numberedMessage(from + i);
		fake.enqueueEvent(webhookId, wrapper, new Date(startMs + Math.floor(i / perMillisecond)));
		wrappers.push(wrapper);
	}
	return wrappers;
}

function hostedWebhooks(): Json[] {
	return fake.webhookList().filter((webhook) => webhook.url === null);
}

/** Creates a hosted webhook through the fake's HTTP API, as another tool would. */
async function createWebhookDirectly(events: string[]): Promise<string> {
	const response = await fetch(`${fake.baseUrl}/v2/webhooks`, {
		method: 'POST',
		headers: { 'x-api-key': fake.apiKey, 'content-type': 'application/json' },
		body: JSON.stringify({ account_id: accountId, events }),
	});
	const answer = (await response.json()) as Json;
	fake.requests.length = 0; // the tests count the trigger's calls only
	return answer.data.webhook_id as string;
}

/** Makes the fake answer create like the pages that say /start is still needed (docs/linkupapi-v2.md, Open questions). */
function createdWebhooksDoNotMonitor(): void {
	fake.failNext({
		route: '/v2/webhooks',
		method: 'POST',
		times: Infinity,
		edit: (answer) => {
			answer.data.monitoring = false;
			fake.webhooks.get(answer.data.webhook_id)!.monitoring = false;
		},
	});
}

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
		accountId = '';
		await expect(startTrigger()).rejects.toThrow('Choose the LinkedIn account to watch in "Account".');
		expect(fake.requests).toHaveLength(0);
	});

	it('fails activation with the API message when the account is unknown, leaving nothing behind', async () => {
		accountId = 'no-such-account';
		await expect(startTrigger()).rejects.toThrow(/INVALID_ACCOUNT/);
		expect(fake.webhookList()).toHaveLength(0);
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

describe('LinkupHostedTrigger: stream', () => {
	const defaults = { ...STREAM_TIMINGS };
	beforeEach(() => Object.assign(STREAM_TIMINGS, { firstRetryMs: 100, maxRetryMs: 400 }));
	afterEach(() => Object.assign(STREAM_TIMINGS, defaults));

	function streamRequests(): number {
		return fake.requestsTo('GET', /\/stream$/).length;
	}

	async function startStreaming(options: StartOptions = {}): Promise<Harness> {
		const harness = await startTrigger({ receiveMode: 'stream', ...options });
		await waitFor(() => fake.openStreams() === 1 && eventPolls() >= 1);
		return harness;
	}

	it('is the default of node version 1.1 only: workflows saved at version 1 keep polling', () => {
		const modes = new LinkupHostedTrigger().description.properties.filter((p) => p.name === 'receiveMode');
		expect(modes.map((p) => [p.displayOptions?.show?.['@version'], p.default])).toEqual([
			[[1], 'poll'],
			[[1.1], 'stream'],
		]);
		expect(new LinkupHostedTrigger().description.defaultVersion).toBe(1.1);
	});

	it('emits an event pushed on the stream without polling for it, and catches up once on connect', async () => {
		const harness = await startStreaming();
		expect(eventPolls()).toBe(1); // the catch-up; the safety poll waits 5 minutes
		const [request] = fake.requestsTo('GET', /\/stream$/);
		expect(request.query.api_key).toBe(TEST_API_KEY);
		await fake.emit(accountId, 'message', { message_text: 'streamed' });
		await waitFor(() => harness.emitted.length === 1);
		expect(emittedJson(harness)[0]).toMatchObject({ event: { message_text: 'streamed' } });
		expect(eventPolls()).toBe(1);
	});

	it('after a drop, emits the events of the gap once each, the streamed ones not again, and reconnects', async () => {
		const harness = await startStreaming();
		const webhookId = harness.staticData.webhookId as string;
		const streamed = await fake.emit(accountId, 'message', { message_text: 'before the drop' });
		await waitFor(() => harness.emitted.length === 1);
		expect(streamed).toHaveLength(1);
		expect(fake.dropStreams()).toBe(1);
		const gap = enqueueMessages(webhookId, 0, 3, Date.now());
		await waitFor(() => fake.streamsOpened === 2 && emittedJson(harness).length >= 4);
		await fake.emit(accountId, 'message', { message_text: 'after the reconnect' });
		await waitFor(() => emittedJson(harness).length >= 5);
		await harness.response.manualTriggerFunction!(); // one more read: nothing comes twice
		const texts = emittedJson(harness).map((json) => (json.event as IDataObject).message_text);
		expect(texts).toEqual(['before the drop', ...gap.map((w) => w.event.message_text), 'after the reconnect']);
		expect(harness.logs.some((log) => /event stream closed .*reconnecting in 0\.1 s \(attempt 1\)/.test(log.message))).toBe(true);
		expect(harness.errors).toEqual([]);
	});

	it('reconnects when the catch-up read fails, so the gap arrives without waiting for the safety poll', async () => {
		const harness = await startStreaming();
		fake.dropStreams();
		// 408: transient for the trigger, and not retried inside the transport (as 429 and 5xx are).
		fake.failNext({ route: /\/events$/, method: 'GET', status: 408 });
		const gap = enqueueMessages(harness.staticData.webhookId as string, 0, 2, Date.now());
		await waitFor(() => emittedJson(harness).length === 2);
		expect(emittedJson(harness)).toEqual(gap);
		expect(fake.streamsOpened).toBe(3);
		expect(harness.logs.some((log) => /closed \(the catch-up read of \/events failed\)/.test(log.message))).toBe(true);
	});

	it('catches up a burst of 450 events sent while disconnected, once each and in order', async () => {
		const harness = await startStreaming();
		fake.dropStreams();
		const wrappers = enqueueMessages(harness.staticData.webhookId as string, 0, 450, Date.now() - 1000);
		await waitFor(() => emittedJson(harness).length >= 450 && fake.openStreams() === 1, 10_000);
		await harness.response.manualTriggerFunction!();
		expect(emittedJson(harness)).toEqual(wrappers);
	});

	it('does not emit again what it streamed when it restarts from saved state after a crash', async () => {
		const first = await startStreaming();
		const webhookId = first.staticData.webhookId as string;
		await fake.emit(accountId, 'message', { message_text: 'streamed once' });
		await waitFor(() => first.emitted.length === 1);
		fake.failNext({ route: `/v2/webhooks/${webhookId}`, method: 'DELETE', status: 500, times: 10 });
		await close(first);
		const second = await startStreaming({ staticData: JSON.parse(JSON.stringify(first.savedStaticData)) });
		expect(second.staticData.webhookId).toBe(webhookId);
		await second.response.manualTriggerFunction!();
		expect(second.emitted).toEqual([]);
	});

	it('reconnects a stream that sends nothing, keepalives included, for the idle timeout', async () => {
		Object.assign(STREAM_TIMINGS, { idleTimeoutMs: 800 });
		await fake.stop();
		fake = new FakeLinkupApi({ keepaliveMs: 50 });
		await fake.start();
		accountId = fake.accountList()[0].account_id;
		const harness = await startStreaming();
		await new Promise((resolve) => setTimeout(resolve, 1200)); // keepalives keep it alive
		expect(fake.streamsOpened).toBe(1);
		fake.muteStreams();
		await waitFor(() => fake.streamsOpened === 2, 5000);
		expect(harness.logs.some((log) => /event stream closed \(no data for 0\.8 s\)/.test(log.message))).toBe(true);
	});

	it('retries transient stream failures with growing waits, then connects', async () => {
		Object.assign(STREAM_TIMINGS, { firstRetryMs: 20, maxRetryMs: 60 });
		fake.failNext({ route: /\/stream$/, method: 'GET', status: 500, times: 3 });
		const harness = await startStreaming();
		expect(streamRequests()).toBe(4);
		const waits = harness.logs
			.map((log) => /reconnecting in ([\d.]+) s \(attempt (\d)\)/.exec(log.message))
			.filter((match) => match !== null)
			.map((match) => Number(match![1]));
		expect(waits).toHaveLength(3);
		for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(0.02);
		for (const wait of waits) expect(wait).toBeLessThanOrEqual(0.06);
		expect(harness.errors).toEqual([]);
	});

	it('backs off when each connection is cut right after it opens, instead of reconnecting in a fast loop', async () => {
		const harness = await startStreaming();
		const until = Date.now() + 1200;
		while (Date.now() < until) {
			if (fake.openStreams() > 0) fake.dropStreams();
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
		const attempts = harness.logs.map((log) => /\(attempt (\d+)\)/.exec(log.message)?.[1]).filter(Boolean);
		expect(attempts.slice(0, 3)).toEqual(['1', '2', '3']);
		expect(fake.streamsOpened).toBeLessThanOrEqual(6);
	});

	it.each([
		[402, /^INSUFFICIENT_CREDITS: /],
		[403, /^INVALID_API_KEY: /],
	])('reports a permanent stream error (%i) through emitError once and stops', async (status, message) => {
		fake.failNext({ route: /\/stream$/, method: 'GET', status, times: 5 });
		const harness = await startTrigger({ receiveMode: 'stream' });
		await waitFor(() => harness.errors.length === 1);
		expect(harness.errors[0].message).toMatch(message);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(streamRequests()).toBe(1);
	});

	it('test run: recreates a webhook deleted behind its back and streams from the new one', async () => {
		const harness = await startStreaming({ mode: 'manual' });
		const [lostId] = fake.webhooks.keys();
		fake.deleteWebhookBehindBack(lostId);
		await waitFor(() => fake.webhooks.size === 1 && !fake.webhooks.has(lostId) && fake.openStreams() === 1);
		await fake.emit(accountId, 'message', { message_text: 'on the new webhook' });
		await waitFor(() => harness.emitted.length === 1);
		expect(harness.errors).toEqual([]);
	});

	it('never shows the API key, even when LinkupAPI echoes the stream URL in an error', async () => {
		const echo = `Invalid key in /v2/webhooks/x/stream?api_key=${TEST_API_KEY}`;
		fake.failNext({
			route: /\/stream$/,
			method: 'GET',
			status: 403,
			body: { success: false, error: { code: 'INVALID_API_KEY', message: echo } },
		});
		const harness = await startTrigger({ receiveMode: 'stream' });
		await waitFor(() => harness.errors.length === 1);
		expect(harness.errors[0].message).toContain('api_key=***');
		const shown = JSON.stringify([harness.errors[0], harness.errors[0].message, harness.logs]);
		expect(shown).not.toContain(TEST_API_KEY);
	});

	it('closes the stream and deletes its webhook on close', async () => {
		const harness = await startStreaming();
		await close(harness);
		expect(fake.openStreams()).toBe(0);
		expect(fake.webhookList()).toHaveLength(0);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(streamRequests()).toBe(1);
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
