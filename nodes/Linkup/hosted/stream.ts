// Keeps the hosted trigger connected to LinkupAPI's event stream: emits each streamed event at
// once, catches up from /events on every (re)connect, and reconnects with backoff when the stream
// drops, goes silent or sends more than a line or frame may hold (docs/linkupapi-v2.md, "Hosted
// events and the stream").
import { NodeOperationError, type INodeExecutionData, type Logger } from 'n8n-workflow';
import { toOutputItems, type EventOutputOptions } from '../shared/events';
import type { WebhookTarget } from '../shared/webhooks';
import { isNotFound, isObject, isTransient } from '../transport';
import { redactApiKey, retryAfterOf, type EventStreamOpener } from '../transport/stream';
import type { EventFingerprints } from './fingerprints';
import type { HostedSession } from './session';
import { SseLimitError, SseParser } from './sse';
import { sleepUnlessAborted } from './sleep';

export interface StreamTimings {
	/** Wait before the first reconnect; it doubles on each failure in a row. */
	firstRetryMs: number;
	maxRetryMs: number;
	/** No comment or frame end for this long (a keepalive comes every 30 s): dead, whatever bytes come. */
	idleTimeoutMs: number;
	/** Random number in [0, 1) for the jitter. */
	random: () => number;
	/** A monotonic clock in ms: steps of the wall clock must not stretch or cut a wait. */
	now: () => number;
}

/** The timings every stream starts with (tests shorten them). */
export const STREAM_TIMINGS: StreamTimings = {
	firstRetryMs: 1000,
	maxRetryMs: 30_000,
	idleTimeoutMs: 75_000,
	random: Math.random,
	now: () => performance.now(),
};

/** The longest Retry-After a stream answer is obeyed for; a longer one waits this long. */
export const MAX_RETRY_AFTER_MS = 5 * 60 * 1000;

/** Stream answers of 404 in a row, while /events of the same webhook answers, before the trigger stops. */
export const STREAM_NOT_FOUND_LIMIT = 3;

/**
 * The wait before reconnect number `failures` (1 for the first): doubling up to `maxRetryMs`, each
 * wait drawn from its upper half, so clients cut at once (a LinkupAPI restart) come back spread out.
 * A Retry-After the stream answered with is waited out (up to MAX_RETRY_AFTER_MS), spread 10 % over.
 */
export function reconnectDelayMs(
	failures: number,
	timings: StreamTimings = STREAM_TIMINGS,
	retryAfterMs?: number,
): number {
	const { firstRetryMs, maxRetryMs, random } = timings;
	const base = Math.min(maxRetryMs, firstRetryMs * 2 ** Math.max(0, failures - 1));
	const backoff = base * (0.5 + random() / 2);
	if (retryAfterMs === undefined) return Math.round(backoff);
	const asked = Math.min(MAX_RETRY_AFTER_MS, retryAfterMs * (1 + random() / 10));
	return Math.round(Math.max(backoff, asked));
}

export interface HostedStreamOptions {
	logger: Logger;
	open: EventStreamOpener;
	/** Reads /events for the catch-up, and owns the webhook id and the error policy. */
	session: HostedSession;
	fingerprints: EventFingerprints;
	target: WebhookTarget;
	outputOptions: EventOutputOptions;
	emit: (items: INodeExecutionData[]) => void;
}

const LOG_PREFIX = 'LinkupAPI Hosted Trigger:';

export class HostedEventStream {
	private readonly abort = new AbortController();

	private readonly timings: StreamTimings;

	/** Connections in a row that failed or did not last `maxRetryMs`: the backoff exponent. */
	private failures = 0;

	/** When the current connection got its `connected` frame. */
	private connectedAt?: number;

	/** Stream answers of 404 in a row for a webhook whose /events answered. */
	private notFoundWhileEventsAnswer = 0;

	constructor(private readonly options: HostedStreamOptions) {
		this.timings = { ...STREAM_TIMINGS };
	}

	private get running(): boolean {
		return !this.abort.signal.aborted && this.options.session.active;
	}

	start(): void {
		this.loop().catch((error: Error) => this.log('error', `the event stream ended unexpectedly: ${error.message}`));
	}

	/** Closes the open connection at once; nothing is emitted afterwards. */
	stop(): void {
		this.abort.abort();
	}

	private async loop(): Promise<void> {
		while (this.running) {
			const webhookId = this.options.session.webhookId;
			if (!webhookId) return;
			const ending = await this.connect(webhookId);
			if (!this.running) return;
			if (ending instanceof Error && !(ending instanceof SseLimitError)) {
				let stopWith: Error | undefined;
				if (isNotFound(ending)) stopWith = await this.notFound(webhookId);
				else if (!isTransient(ending)) stopWith = ending;
				if (stopWith) {
					this.options.session.halt(stopWith);
					return;
				}
			}
			const reason = ending instanceof Error ? ending.message : ending;
			// Only a connection that lasted resets the backoff: one cut at once must not loop fast.
			const lasted = this.connectedAt !== undefined && this.timings.now() - this.connectedAt >= this.timings.maxRetryMs;
			this.connectedAt = undefined;
			this.failures = lasted ? 1 : this.failures + 1;
			const retryAfterMs = retryAfterOf(ending);
			const delayMs = reconnectDelayMs(this.failures, this.timings, retryAfterMs);
			const asked = retryAfterMs === undefined ? '' : `, LinkupAPI asked to wait ${Math.round(retryAfterMs / 1000)} s`;
			this.log(
				this.failures >= 3 || ending instanceof SseLimitError ? 'warn' : 'info',
				`the event stream closed (${reason}); reconnecting in ${delayMs / 1000} s (attempt ${this.failures}${asked})`,
			);
			await sleepUnlessAborted(delayMs, this.abort.signal, this.timings.now);
		}
	}

	/**
	 * The stream answered 404. The webhook may be gone: the session's read of /events recreates it
	 * once, or reports the error (neither counts here). When that read works, the webhook exists and
	 * only its stream is missing: after STREAM_NOT_FOUND_LIMIT such answers in a row, the error to
	 * stop with, instead of reconnecting (and reading /events) forever.
	 */
	private async notFound(webhookId: string): Promise<Error | undefined> {
		const eventsAnswer = await this.options.session.readNew();
		if (!eventsAnswer || ++this.notFoundWhileEventsAnswer < STREAM_NOT_FOUND_LIMIT) return undefined;
		return new NodeOperationError(
			this.options.session.options.lifecycle.node,
			`LinkupAPI's event stream for hosted webhook ${webhookId} answered 404 Not Found ${STREAM_NOT_FOUND_LIMIT} times in a row, while its /events answered. Set "Receive Events" to "Poll".`,
			{ description: 'The webhook exists, but LinkupAPI does not serve its event stream. Polling reads the same events from /events.' },
		);
	}

	/**
	 * Reads one connection until it ends, and says why it ended: a failure to open it (HTTP error,
	 * unreachable server) comes back as the error, for the caller's error policy; so does a line or
	 * frame over the parser's limit, which ends the connection.
	 */
	private async connect(webhookId: string): Promise<string | Error> {
		const { now, idleTimeoutMs } = this.timings;
		const connection = new AbortController();
		const close = () => connection.abort();
		this.abort.signal.addEventListener('abort', close, { once: true });
		let lastLifeAt = now();
		let silent = false;
		const watchdog = (async () => {
			while (!connection.signal.aborted) {
				const left = lastLifeAt + idleTimeoutMs - now();
				if (left <= 0) {
					silent = true;
					connection.abort();
					return;
				}
				await sleepUnlessAborted(left, connection.signal, now);
			}
		})();
		const silence = `no keepalive or event for ${idleTimeoutMs / 1000} s`;
		try {
			let body;
			try {
				body = await this.options.open(webhookId, connection.signal);
			} catch (error) {
				return silent ? silence : (error as Error);
			}
			const parser = new SseParser();
			try {
				for await (const chunk of body) {
					const signsBefore = parser.signsOfLife;
					const frames = parser.push(chunk);
					if (parser.signsOfLife > signsBefore) lastLifeAt = now();
					for (const frame of frames) {
						// Catch up once per connection: at `connected`, or at the first event without one.
						if (this.connectedAt === undefined && (frame.event === 'connected' || frame.event === 'webhook')) {
							this.connected(close);
						}
						if (frame.event === 'webhook') this.deliver(frame.data);
					}
				}
			} catch (error) {
				if (error instanceof SseLimitError) return error;
				if (silent) return silence;
				if (connection.signal.aborted) return 'the catch-up read of /events failed';
				return redactApiKey((error as Error).message || 'connection lost');
			} finally {
				body.destroy?.();
			}
			if (silent) return silence;
			return connection.signal.aborted ? 'the catch-up read of /events failed' : 'the server ended it';
		} finally {
			connection.abort();
			this.abort.signal.removeEventListener('abort', close);
			await watchdog;
		}
	}

	/**
	 * A connection is up: read what the stream missed since the cursor. When that read fails, the
	 * connection is closed, so the next one (after the backoff) tries again, not the safety poll.
	 */
	private connected(close: () => void): void {
		if (this.failures > 0) this.log('info', 'the event stream is connected again');
		this.connectedAt = this.timings.now();
		this.notFoundWhileEventsAnswer = 0;
		void this.options.session.readNew().then((caughtUp) => {
			if (!caughtUp) close();
		});
	}

	private deliver(data: string): void {
		if (!this.running) return;
		let wrapper: unknown;
		try {
			wrapper = JSON.parse(data);
		} catch {
			wrapper = undefined;
		}
		if (!isObject(wrapper)) {
			this.log('warn', `skipped a stream event that is not a JSON object: ${data.slice(0, 200)}`);
			return;
		}
		// Saved with the emit: after a crash, the catch-up still knows what the stream delivered.
		if (!this.options.fingerprints.admit(wrapper, 'stream')) return;
		const { target, outputOptions } = this.options;
		const items = toOutputItems(wrapper, target.events, outputOptions).map((json) => ({ json }));
		if (items.length > 0) this.options.emit(items);
	}

	private log(level: 'info' | 'warn' | 'error', message: string): void {
		this.options.logger[level](redactApiKey(`${LOG_PREFIX} ${message}`));
	}
}
