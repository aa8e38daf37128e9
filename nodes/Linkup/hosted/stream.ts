// Keeps the hosted trigger connected to LinkupAPI's event stream: emits each streamed event at
// once, catches up from /events on every (re)connect, and reconnects with backoff when the stream
// drops or goes silent (docs/linkupapi-v2.md, "Hosted events and the stream").
import type { INodeExecutionData, Logger } from 'n8n-workflow';
import { toOutputItems, type EventOutputOptions } from '../shared/events';
import type { WebhookTarget } from '../shared/webhooks';
import { isNotFound, isObject, isTransient } from '../transport';
import { redactApiKey, type EventStreamOpener } from '../transport/stream';
import type { EventFingerprints } from './fingerprints';
import type { HostedSession } from './session';
import { SseParser } from './sse';
import { sleepUnlessAborted } from './sleep';

export interface StreamTimings {
	/** Wait before the first reconnect; it doubles on each failure in a row. */
	firstRetryMs: number;
	maxRetryMs: number;
	/** A connection that sends no byte for this long (keepalives come every 30 s) is dead. */
	idleTimeoutMs: number;
	/** Random number in [0, 1) for the jitter. */
	random: () => number;
	now: () => number;
}

/** The timings every stream starts with (tests shorten them). */
export const STREAM_TIMINGS: StreamTimings = {
	firstRetryMs: 1000,
	maxRetryMs: 30_000,
	idleTimeoutMs: 75_000,
	random: Math.random,
	now: Date.now,
};

/** The wait before reconnect number `failures` (1 for the first): doubling, with jitter, within the limits. */
export function reconnectDelayMs(failures: number, timings: StreamTimings = STREAM_TIMINGS): number {
	const { firstRetryMs, maxRetryMs, random } = timings;
	const base = Math.min(maxRetryMs, firstRetryMs * 2 ** Math.max(0, failures - 1));
	return Math.round(Math.min(maxRetryMs, Math.max(firstRetryMs, base * (0.5 + random() / 2))));
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
			if (ending instanceof Error) {
				if (isNotFound(ending)) {
					// The webhook is gone: the session's read recreates it once, or reports the error.
					await this.options.session.readNew();
				} else if (!isTransient(ending)) {
					this.options.session.halt(ending);
					return;
				}
			}
			const reason = ending instanceof Error ? ending.message : ending;
			// Only a connection that lasted resets the backoff: one cut at once must not loop fast.
			const lasted = this.connectedAt !== undefined && this.timings.now() - this.connectedAt >= this.timings.maxRetryMs;
			this.connectedAt = undefined;
			this.failures = lasted ? 1 : this.failures + 1;
			const delayMs = reconnectDelayMs(this.failures, this.timings);
			this.log(
				this.failures >= 3 ? 'warn' : 'info',
				`the event stream closed (${reason}); reconnecting in ${delayMs / 1000} s (attempt ${this.failures})`,
			);
			await sleepUnlessAborted(delayMs, this.abort.signal);
		}
	}

	/**
	 * Reads one connection until it ends, and says why it ended: a failure to open it (HTTP error,
	 * unreachable server) comes back as the error, for the caller's error policy.
	 */
	private async connect(webhookId: string): Promise<string | Error> {
		const { now, idleTimeoutMs } = this.timings;
		const connection = new AbortController();
		const close = () => connection.abort();
		this.abort.signal.addEventListener('abort', close, { once: true });
		let lastByteAt = now();
		let silent = false;
		const watchdog = (async () => {
			while (!connection.signal.aborted) {
				const left = lastByteAt + idleTimeoutMs - now();
				if (left <= 0) {
					silent = true;
					connection.abort();
					return;
				}
				await sleepUnlessAborted(left, connection.signal);
			}
		})();
		const silence = `no data for ${idleTimeoutMs / 1000} s`;
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
					lastByteAt = now();
					for (const frame of parser.push(chunk)) {
						// Catch up once per connection: at `connected`, or at the first event without one.
						if (this.connectedAt === undefined && (frame.event === 'connected' || frame.event === 'webhook')) {
							this.connected(close);
						}
						if (frame.event === 'webhook') this.deliver(frame.data);
					}
				}
			} catch (error) {
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
