// HostedEventStream against hostile or broken streams: oversized lines, no keepalives, Retry-After, 404s.
import type { IDataObject, ITriggerResponse } from 'n8n-workflow';
import { LinkupHostedTrigger } from '../../../../nodes/Linkup/LinkupHostedTrigger.node';
import { STREAM_NOT_FOUND_LIMIT, STREAM_TIMINGS } from '../../../../nodes/Linkup/hosted/stream';
import { SSE_LIMIT_CHARS } from '../../../../nodes/Linkup/hosted/sse';
import { FakeLinkupApi } from '../../../fake-linkupapi/server';
import { linkupCredentials } from '../../../helpers/credentials';
import { createTriggerContext } from '../../../helpers/n8nContext';

type Harness = ReturnType<typeof createTriggerContext> & { response: ITriggerResponse };

describe('HostedEventStream against hostile or broken streams', () => {
	const defaults = { ...STREAM_TIMINGS };
	let fake: FakeLinkupApi;
	let harness: Harness | undefined;

	beforeEach(async () => {
		Object.assign(STREAM_TIMINGS, { firstRetryMs: 100, maxRetryMs: 400 });
		fake = new FakeLinkupApi();
		await fake.start();
	});

	afterEach(async () => {
		await harness?.response.closeFunction?.();
		harness = undefined;
		jest.restoreAllMocks();
		await fake.stop();
		Object.assign(STREAM_TIMINGS, defaults);
	});

	async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!condition()) {
			if (Date.now() > deadline) throw new Error('condition not met in time');
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	}

	/** Starts the Hosted Trigger in stream mode as n8n does. */
	async function startTrigger(Trigger = LinkupHostedTrigger): Promise<Harness> {
		const accountId = fake.accountList()[0].account_id;
		const context = createTriggerContext({
			parameters: { accountId: { __rl: true, mode: 'list', value: accountId }, receiveMode: 'stream', options: {} },
			credentials: linkupCredentials(fake.baseUrl),
		});
		const response = await new Trigger().trigger.call(context.context as never);
		context.afterTriggerReturned();
		harness = Object.assign(context, { response });
		return harness;
	}

	/** Starts the trigger and waits for its stream and catch-up. */
	async function startStreaming(Trigger = LinkupHostedTrigger): Promise<Harness> {
		const started = await startTrigger(Trigger);
		await waitFor(() => fake.openStreams() === 1 && eventPolls() >= 1);
		return started;
	}

	const eventPolls = () => fake.requestsTo('GET', /\/events$/).length;
	const streamRequests = () => fake.requestsTo('GET', /\/stream$/).length;
	const messages = (started: Harness) =>
		started.emitted.flatMap((data) => data[0].map((item) => (item.json.event as IDataObject).message_text));
	const logsMatching = (started: Harness, pattern: RegExp) => started.logs.filter((log) => pattern.test(log.message));

	function storeMessage(started: Harness, text: string): void {
		const accountId = fake.accountList()[0].account_id;
		fake.enqueueEvent(started.staticData.webhookId as string, fake.sampleEvent(accountId, 'message', { message_text: text }));
	}

	it('drops a stream whose line passes 1 MiB, says so once with the size, and catches up at once on the reconnect', async () => {
		const started = await startStreaming();
		const maxBytes = 8 * SSE_LIMIT_CHARS;
		const { finished } = fake.sendEndlessLine({ bytesPerSecond: 64 * SSE_LIMIT_CHARS, maxBytes });
		storeMessage(started, 'stored while the line ran'); // the endless stream carries no event
		await waitFor(() => fake.streamsOpened === 2 && messages(started).length === 1);
		expect(await finished).toBeLessThan(maxBytes); // the trigger hung up, the fake did not
		expect(messages(started)).toEqual(['stored while the line ran']);
		const refusals = logsMatching(started, /a line longer than 1,048,576 characters \([\d,]+ received without a line break\)/);
		expect(refusals).toHaveLength(1);
		expect(refusals[0].level).toBe('warn');
		expect(started.errors).toEqual([]);
	});

	it('calls a stream dead that sends bytes but no keepalive and no event for the idle timeout', async () => {
		Object.assign(STREAM_TIMINGS, { idleTimeoutMs: 500 });
		const started = await startStreaming();
		fake.sendEndlessLine({ bytesPerSecond: 2000, maxMs: 20_000 });
		await waitFor(() => fake.streamsOpened === 2);
		expect(logsMatching(started, /closed \(no keepalive or event for 0\.5 s\)/)).toHaveLength(1);
	});

	it('calls a stream dead on the monotonic clock, when the wall clock steps back 10 s', async () => {
		const wallClock = Date.now;
		let stepMs = 0;
		jest.spyOn(Date, 'now').mockImplementation(() => wallClock() - stepMs);
		// Loaded afresh, so that a clock the module keeps a reference to is the stepped one too.
		let modules: { Trigger: typeof LinkupHostedTrigger; timings: typeof STREAM_TIMINGS } | undefined;
		jest.isolateModules(() => {
			modules = {
				Trigger: require('../../../../nodes/Linkup/LinkupHostedTrigger.node').LinkupHostedTrigger,
				timings: require('../../../../nodes/Linkup/hosted/stream').STREAM_TIMINGS,
			};
		});
		Object.assign(modules!.timings, { firstRetryMs: 100, maxRetryMs: 400, idleTimeoutMs: 300 });
		const started = await startStreaming(modules!.Trigger);
		stepMs = 10_000;
		fake.muteStreams();
		await waitFor(() => fake.streamsOpened === 2);
		expect(logsMatching(started, /closed \(no keepalive or event for 0\.3 s\)/)).toHaveLength(1);
	});

	it('reads a frame whose CR and LF come in separate writes as one frame', async () => {
		const started = await startStreaming();
		const event = JSON.stringify(fake.sampleEvent(fake.accountList()[0].account_id, 'message', { message_text: 'split' }));
		await fake.sendStreamChunks(['event: webhook\r', '', `\ndata: ${event}\r`, '\n\r', '\n']);
		await waitFor(() => messages(started).length === 1);
		expect(messages(started)).toEqual(['split']);
	});

	it.each([
		['60', 'asked to wait 60 s', /reconnecting in 6\d(\.\d+)? s/],
		['3600', 'asked to wait 3600 s', /reconnecting in 300 s/],
	])('honours Retry-After: %s on a 503 from the stream, within 5 minutes', async (retryAfter, asked, wait) => {
		fake.failNext({ route: /\/stream$/, method: 'GET', status: 503, headers: { 'retry-after': retryAfter } });
		const started = await startTrigger();
		await waitFor(() => logsMatching(started, /reconnecting in/).length === 1);
		const [log] = logsMatching(started, /reconnecting in/);
		expect(log.message).toMatch(wait);
		expect(log.message).toContain(`attempt 1, LinkupAPI ${asked}`);
		await new Promise((resolve) => setTimeout(resolve, 400)); // the normal backoff would be 0.05 to 0.1 s
		expect(streamRequests()).toBe(1);
	});

	it(`stops after ${STREAM_NOT_FOUND_LIMIT} stream answers of 404 in a row while /events answers, saying to poll`, async () => {
		fake.failNext({ route: /\/stream$/, method: 'GET', status: 404, times: Infinity });
		const started = await startTrigger();
		await waitFor(() => started.errors.length === 1);
		expect(started.errors[0].message).toMatch(/answered 404 Not Found 3 times in a row, while its \/events answered\. Set "Receive Events" to "Poll"\./);
		expect([streamRequests(), eventPolls()]).toEqual([3, 3]); // one read of /events per 404
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(streamRequests()).toBe(3);
		expect(fake.webhookList()).toHaveLength(1); // the webhook was not recreated: it exists
	});

	it('counts only 404s in a row: a connection in between starts the count again', async () => {
		fake.failNext({ route: /\/stream$/, method: 'GET', status: 404, times: STREAM_NOT_FOUND_LIMIT - 1 });
		const started = await startStreaming();
		fake.failNext({ route: /\/stream$/, method: 'GET', status: 404, times: STREAM_NOT_FOUND_LIMIT - 1 });
		fake.dropStreams();
		await waitFor(() => fake.streamsOpened === 2);
		expect(streamRequests()).toBe(2 * STREAM_NOT_FOUND_LIMIT);
		expect(started.errors).toEqual([]);
	});
});
