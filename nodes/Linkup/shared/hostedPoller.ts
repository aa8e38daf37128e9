// Reads a hosted webhook's events from /events on a timer: the whole trigger in poll mode, the
// catch-up and safety poll in stream mode (docs/linkupapi-v2.md, "Hosted events and the stream").
import type { INodeExecutionData } from 'n8n-workflow';
import { EventCursor, isNotFound, isObject, isTransient } from '../transport';
import type { EventFingerprints } from './eventFingerprints';
import { toOutputItems, type EventOutputOptions } from './events';
import { sleepUnlessAborted } from './sleep';
import {
	createHostedWebhook,
	deleteHostedWebhookOrReport,
	resetState,
	type HostedTarget,
	type HostedTriggerState,
	type HostedWebhookContext,
} from './hostedWebhook';

/** Longest wait between attempts while LinkupAPI keeps failing with a transient error. */
export const MAX_BACKOFF_MS = 5 * 60 * 1000;

export interface HostedPollerOptions extends HostedWebhookContext {
	/** Written before each emit, so n8n saves it with the emit (production) or a plain object (test run). */
	state: HostedTriggerState;
	target: HostedTarget;
	outputOptions: EventOutputOptions;
	intervalMs: number;
	emit: (items: INodeExecutionData[]) => void;
	emitError: (error: Error) => void;
	/** In stream mode: drops the events the stream already delivered. */
	fingerprints?: EventFingerprints;
	/** Whether the loop polls at once on start (stream mode leaves the first read to the catch-up). */
	pollFirst?: boolean;
	/** The clock, epoch ms (tests pin it). */
	now?: () => number;
}

/**
 * Polls one hosted webhook's events: one request per page, reading the next page at once while
 * pages come back full, and waiting the interval (or a capped exponential backoff after transient
 * failures) in between. Polls never overlap, never throw, and stop as soon as `stop()` is called.
 */
export class HostedEventPoller {
	private readonly abort = new AbortController();

	/** Tail of the queue that keeps polls from overlapping. */
	private queue: Promise<void> = Promise.resolve();

	private failures = 0;

	private halted = false;

	private recreated = false;

	private readonly cursor: EventCursor;

	constructor(private readonly options: HostedPollerOptions) {
		this.cursor = new EventCursor(options.state);
	}

	get webhookId(): string | undefined {
		return this.options.state.webhookId;
	}

	/** False once stopped or halted by a permanent error. */
	get active(): boolean {
		return !this.abort.signal.aborted && !this.halted;
	}

	/** Starts the loop; its first poll runs at once unless `pollFirst` is false. */
	start(): void {
		const now = this.options.now ?? Date.now;
		if (this.cursor.isPastRetention(now())) {
			this.options.logger.warn(
				`LinkupAPI Hosted Trigger: the last event read is from ${this.options.state.cursor}, more than 24 hours ago. LinkupAPI keeps events for 24 hours: if this workflow was stopped that long, the older events are gone.`,
			);
		}
		this.loop().catch((error: Error) =>
			this.options.logger.error(`LinkupAPI Hosted Trigger: polling ended unexpectedly: ${error.message}`),
		);
	}

	/** Stops at once: a sleeping loop wakes and ends, a running poll emits nothing more. */
	stop(): void {
		this.abort.abort();
	}

	/** Polls now (after any poll in progress), reading every full page; false when the read failed. */
	async pollNow(): Promise<boolean> {
		const run = this.queue.then(async () => await this.pollCycle());
		this.queue = run.then(() => undefined, () => undefined); // a failed poll must not block the next ones
		return await run;
	}

	/** Stops for good and reports `error` (a permanent failure of the stream or a poll). */
	halt(error: Error): void {
		if (!this.active) return;
		this.halted = true;
		this.options.logger.error(`LinkupAPI Hosted Trigger: stopped: ${error.message}`);
		this.options.emitError(error);
	}

	private async loop(): Promise<void> {
		let skipPoll = this.options.pollFirst === false;
		while (this.active) {
			if (!skipPoll) await this.pollNow();
			skipPoll = false;
			if (!this.active) return;
			await sleepUnlessAborted(this.nextDelayMs(), this.abort.signal);
		}
	}

	private nextDelayMs(): number {
		if (this.failures === 0) return this.options.intervalMs;
		return Math.min(MAX_BACKOFF_MS, this.options.intervalMs * 2 ** (this.failures - 1));
	}

	private async pollCycle(): Promise<boolean> {
		try {
			while (this.active && (await this.pollPage())) {
				// a full page: more events may be waiting, read on at once
			}
			if (this.failures > 0 && this.active) {
				this.options.logger.info('LinkupAPI Hosted Trigger: LinkupAPI answers again, polling resumed');
			}
			this.failures = 0;
			return true;
		} catch (error) {
			await this.handleFailure(error as Error);
			return false;
		}
	}

	/** Reads one page and emits its events; true when the page was full. */
	private async pollPage(): Promise<boolean> {
		const { client, state, fingerprints } = this.options;
		const webhookId = state.webhookId;
		if (!webhookId) return false;
		const page = await this.cursor.readPage(client, webhookId);
		if (!this.active) return false;
		this.cursor.advance(page.events);
		const items: INodeExecutionData[] = [];
		for (const item of page.events) {
			if (!isObject(item.event)) continue;
			if (fingerprints && !fingerprints.admit(item.event, 'poll')) continue;
			for (const json of toOutputItems(item.event, this.options.target.events, this.options.outputOptions)) {
				items.push({ json });
			}
		}
		// n8n saves the node's static data when `emit` is called, so the cursor goes in first.
		if (items.length > 0) this.options.emit(items);
		return page.mayHaveMore;
	}

	private async handleFailure(error: Error): Promise<void> {
		if (!this.active) return; // closing: failures of the last request do not matter
		const { logger } = this.options;
		if (isNotFound(error) && !this.recreated) {
			this.recreated = true;
			await this.recreateWebhook();
			return;
		}
		if (isTransient(error)) {
			this.failures++;
			logger.warn(
				`LinkupAPI Hosted Trigger: polling failed (${error.message}); attempt ${this.failures}, retrying in ${Math.round(this.nextDelayMs() / 1000)} s`,
			);
			return;
		}
		this.halt(error);
	}

	/**
	 * The webhook was deleted outside this trigger (dashboard, another tool): create a new one, once
	 * per run. Events between the deletion and now were never recorded by LinkupAPI.
	 */
	private async recreateWebhook(): Promise<void> {
		const { state, logger } = this.options;
		const lostId = state.webhookId;
		let webhookId: string;
		try {
			webhookId = await createHostedWebhook(this.options, this.options.target);
		} catch (error) {
			// Retry the creation on the next poll only when waiting can help (404 = account gone).
			if (isTransient(error)) this.recreated = false;
			await this.handleFailure(error as Error);
			return;
		}
		if (this.abort.signal.aborted) {
			// closeFunction already deleted the old webhook and does not know this one.
			await deleteHostedWebhookOrReport(this.options, webhookId);
			return;
		}
		resetState(state, webhookId);
		this.cursor.clear();
		this.options.fingerprints?.clear();
		logger.warn(
			`LinkupAPI Hosted Trigger: the hosted webhook ${lostId} was deleted outside this workflow; created ${webhookId}. Events between the deletion and now were not recorded.`,
		);
	}
}
