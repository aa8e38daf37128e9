import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import {
	CURSOR_OVERLAP_MS,
	EVENTS_PAGE_SIZE,
	getEventsAfterCursor,
	parseLinkupTimestamp,
} from '../transport';
import { toOutputItems, type EventOutputOptions } from './events';
import { sleepUnlessAborted } from './sleep';
import {
	createHostedWebhook,
	deleteHostedWebhookOrReport,
	isTransient,
	resetState,
	type HostedTarget,
	type HostedTriggerState,
	type HostedWebhookContext,
} from './hostedWebhook';
import { isNotFound } from './webhooks';

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

	/** Event id → `created_at` in ms, for the events the next request may return again. */
	private readonly seen = new Map<string, number>();

	constructor(private readonly options: HostedPollerOptions) {
		const cursorTime = parseLinkupTimestamp(options.state.cursor)?.getTime() ?? 0;
		for (const id of options.state.seenIds ?? []) this.seen.set(id, cursorTime);
	}

	get webhookId(): string | undefined {
		return this.options.state.webhookId;
	}

	private get active(): boolean {
		return !this.abort.signal.aborted && !this.halted;
	}

	/** Starts the loop; its first poll runs at once. */
	start(): void {
		this.loop().catch((error: Error) =>
			this.options.logger.error(`LinkupAPI Hosted Trigger: polling ended unexpectedly: ${error.message}`),
		);
	}

	/** Stops at once: a sleeping loop wakes and ends, a running poll emits nothing more. */
	stop(): void {
		this.abort.abort();
	}

	/** Polls now (after any poll in progress), reading every full page. */
	async pollNow(): Promise<void> {
		const run = this.queue.then(async () => await this.pollCycle());
		this.queue = run.catch(() => undefined); // a failed poll must not block the next ones
		await run;
	}

	private async loop(): Promise<void> {
		while (this.active) {
			await this.pollNow();
			if (!this.active) return;
			await sleepUnlessAborted(this.nextDelayMs(), this.abort.signal);
		}
	}

	private nextDelayMs(): number {
		if (this.failures === 0) return this.options.intervalMs;
		return Math.min(MAX_BACKOFF_MS, this.options.intervalMs * 2 ** (this.failures - 1));
	}

	private async pollCycle(): Promise<void> {
		try {
			while (this.active && (await this.pollPage())) {
				// a full page: more events may be waiting, read on at once
			}
			if (this.failures > 0 && this.active) {
				this.options.logger.info('LinkupAPI Hosted Trigger: LinkupAPI answers again, polling resumed');
			}
			this.failures = 0;
		} catch (error) {
			await this.handleFailure(error as Error);
		}
	}

	/** Reads one page and emits its events; true when the page was full. */
	private async pollPage(): Promise<boolean> {
		const { client, state } = this.options;
		const webhookId = state.webhookId;
		if (!webhookId) return false;
		const seen = new Set(this.seen.keys());
		const page = await getEventsAfterCursor(client, webhookId, state.cursor, seen, EVENTS_PAGE_SIZE);
		if (!this.active) return false;
		this.remember(page.events);
		const items: INodeExecutionData[] = [];
		for (const item of page.events) {
			if (!isEventWrapper(item.event)) continue;
			for (const json of toOutputItems(item.event, this.options.target.events, this.options.outputOptions)) {
				items.push({ json });
			}
		}
		// n8n saves the node's static data when `emit` is called, so the cursor goes in first.
		if (items.length > 0) this.options.emit(items);
		return page.mayHaveMore;
	}

	/** Advances the cursor past `events` and keeps only the ids the next request can return. */
	private remember(events: IDataObject[]): void {
		const { state } = this.options;
		let newest = parseLinkupTimestamp(state.cursor)?.getTime();
		for (const event of events) {
			const time = parseLinkupTimestamp(event.created_at)?.getTime();
			if (typeof event.event_id === 'string' || typeof event.event_id === 'number') {
				this.seen.set(String(event.event_id), time ?? newest ?? 0);
			}
			if (time !== undefined && (newest === undefined || time > newest)) {
				newest = time;
				state.cursor = String(event.created_at);
			}
		}
		if (newest !== undefined) {
			const edge = newest - CURSOR_OVERLAP_MS;
			for (const [id, time] of this.seen) if (time < edge) this.seen.delete(id);
		}
		state.seenIds = [...this.seen.keys()];
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
		this.halted = true;
		logger.error(`LinkupAPI Hosted Trigger: polling stopped: ${error.message}`);
		this.options.emitError(error);
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
		this.seen.clear();
		logger.warn(
			`LinkupAPI Hosted Trigger: the hosted webhook ${lostId} was deleted outside this workflow; created ${webhookId}. Events between the deletion and now were not recorded.`,
		);
	}
}

function isEventWrapper(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
