// The Hosted Trigger's event stream: reconnect waits, streamed events, catch-up after drops, failures.
import type { IDataObject } from 'n8n-workflow';
import { LinkupHostedTrigger } from '../../../../nodes/Linkup/LinkupHostedTrigger.node';
import { MAX_RETRY_AFTER_MS, reconnectDelayMs, STREAM_TIMINGS } from '../../../../nodes/Linkup/hosted/stream';
import { TEST_API_KEY } from '../../../helpers/credentials';
import {
	accountId,
	close,
	emittedJson,
	enqueueMessages,
	eventPolls,
	fake,
	type Harness,
	type StartOptions,
	startTrigger,
	useHostedTriggerTests,
	waitFor,
} from '../../../helpers/hostedTrigger';

useHostedTriggerTests();

describe('reconnectDelayMs', () => {
	const timings = (random: number) => ({ ...STREAM_TIMINGS, random: () => random });

	it('doubles from 1 s up to 30 s at the top of the jitter range', () => {
		expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => reconnectDelayMs(n, timings(0.999999)))).toEqual([
			1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
		]);
	});

	it('spreads every wait over its upper half, the first one included', () => {
		expect([1, 2, 3, 6].map((n) => reconnectDelayMs(n, timings(0)))).toEqual([500, 1000, 2000, 15000]);
		expect(reconnectDelayMs(1, timings(0.5))).toBe(750);
		expect(reconnectDelayMs(3, timings(0.5))).toBe(3000);
	});

	it('waits out a Retry-After, spread up to 10 % over it, and at most 5 minutes', () => {
		expect(reconnectDelayMs(1, timings(0), 60_000)).toBe(60_000);
		expect(reconnectDelayMs(1, timings(0.5), 60_000)).toBe(63_000);
		expect(reconnectDelayMs(1, timings(0.999999), 3_600_000)).toBe(MAX_RETRY_AFTER_MS);
		expect(MAX_RETRY_AFTER_MS).toBe(300_000);
		// A Retry-After shorter than the backoff does not shorten it.
		expect(reconnectDelayMs(6, timings(0), 2000)).toBe(15000);
	});

	it('calls a connection dead after 75 s without a keepalive or an event, on a monotonic clock', () => {
		expect(STREAM_TIMINGS.idleTimeoutMs).toBe(75_000);
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
		expect(harness.logs.some((log) => /event stream closed .*reconnecting in 0\.\d+ s \(attempt 1\)/.test(log.message))).toBe(true);
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
		fake.keepaliveMs = 50; // for the streams opened from now on
		const harness = await startStreaming();
		await new Promise((resolve) => setTimeout(resolve, 1200)); // keepalives keep it alive
		expect(fake.streamsOpened).toBe(1);
		fake.muteStreams();
		await waitFor(() => fake.streamsOpened === 2, 5000);
		expect(harness.logs.some((log) => /event stream closed \(no keepalive or event for 0\.8 s\)/.test(log.message))).toBe(true);
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
		for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(0.01);
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
