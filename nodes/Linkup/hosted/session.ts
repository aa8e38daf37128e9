// One run of the Hosted Trigger, from trigger() to closeFunction: it owns the webhook it reads, the
// cursor, the reading of new events from /events (what the poller and the stream's catch-up call),
// the error policy, and what happens to a webhook deleted outside the workflow
// (docs/linkupapi-v2.md, "Hosted events and the stream").
import type { INodeExecutionData } from 'n8n-workflow';
import type { LifecycleContext } from '../lifecycle/context';
import type { EventOutputOptions } from '../shared/events';
import { toOutputItems } from '../shared/events';
import type { WebhookTarget } from '../shared/webhooks';
import { isNotFound, isObject, isTransient } from '../transport';
import { EventCursor } from './cursor';
import type { EventFingerprints } from './fingerprints';
import { createHostedWebhook, resetState, type HostedTriggerState } from './webhook';

/** Longest wait between reads while LinkupAPI keeps failing with a transient error. */
export const MAX_BACKOFF_MS = 5 * 60 * 1000;

/** Most pages one read takes; the rest waits for the next read, from the saved cursor. */
export const MAX_PAGES_PER_READ = 25;

export interface HostedSessionOptions {
	lifecycle: LifecycleContext;
	/** Written before each emit, so n8n saves it with the emit (production) or a plain object (test run). */
	state: HostedTriggerState;
	/**
	 * True when n8n keeps `state` (production). A webhook lost there is not recreated in the session,
	 * since its id would be saved only with the next emit: a crash before it would leave it billing
	 * unknown. The session reports through `emitError` instead, and n8n's restart of the trigger
	 * creates the new webhook and saves its id at once (README, LinkupAPI Hosted Trigger).
	 */
	durableState: boolean;
	target: WebhookTarget;
	outputOptions: EventOutputOptions;
	emit: (items: INodeExecutionData[]) => void;
	emitError: (error: Error) => void;
	/** Time between reads while LinkupAPI answers: the poll interval, or the stream's safety poll. */
	intervalMs: number;
	/** In stream mode: drops the events the stream already delivered. */
	fingerprints?: EventFingerprints;
	/** The clock, epoch ms (tests pin it). */
	now?: () => number;
}

export class HostedSession {
	private stopped = false;

	private halted = false;

	/** Tail of the queue that keeps reads from overlapping. */
	private queue: Promise<void> = Promise.resolve();

	/** Reads in a row that failed with a transient error: the backoff exponent. */
	private transientFailures = 0;

	private recreated = false;

	/** The recreation under way, which `stop` waits for so the webhook it makes is the one closed. */
	private recreation?: Promise<void>;

	private readonly cursor: EventCursor;

	/**
	 * The webhook this run reads and deletes on close. Kept apart from `state`: on n8n 1.x a restart
	 * after emitError hands the next trigger() the same static-data object, and the new id it writes
	 * there must not be deleted by this run's close.
	 */
	private ownWebhookId: string | undefined;

	constructor(readonly options: HostedSessionOptions) {
		this.cursor = new EventCursor(options.state);
		this.ownWebhookId = options.state.webhookId;
	}

	get webhookId(): string | undefined {
		return this.ownWebhookId;
	}

	/** False once stopped or halted by a permanent error. */
	get active(): boolean {
		return !this.stopped && !this.halted;
	}

	/** The wait before the next read: the interval, or a capped exponential backoff after failures. */
	nextDelayMs(): number {
		const { intervalMs } = this.options;
		if (this.transientFailures === 0) return intervalMs;
		return Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** (this.transientFailures - 1));
	}

	/** Warns when the last event read is older than LinkupAPI keeps events. */
	warnIfPastRetention(): void {
		const now = this.options.now ?? Date.now;
		if (!this.cursor.isPastRetention(now())) return;
		this.log(
			'warn',
			`the last event read is from ${this.options.state.cursor}, more than 24 hours ago. LinkupAPI keeps events for 24 hours: if this workflow was stopped that long, the older events are gone.`,
		);
	}

	/**
	 * Ends the session: a read in progress emits nothing more. Resolves once a recreation under way
	 * has finished, so that `webhookId` then names the webhook to delete.
	 */
	async stop(): Promise<void> {
		this.stopped = true;
		await this.recreation;
	}

	/** Stops for good and reports `error` (a permanent failure of the stream or a read). */
	halt(error: Error): void {
		if (!this.active) return;
		this.halted = true;
		this.log('error', `stopped: ${error.message}`);
		this.options.emitError(error);
	}

	/** Reads and emits every new event (after any read in progress); false when the read failed. */
	async readNew(): Promise<boolean> {
		const run = this.queue.then(async () => await this.readAll());
		this.queue = run.then(() => undefined, () => undefined); // a failed read must not block the next ones
		return await run;
	}

	private async readAll(): Promise<boolean> {
		try {
			// A full page of new events: more may be waiting, read on at once (a page with nothing new
			// ends the read, so an API that ignores `since` costs one call per interval).
			let fullPages = 0;
			while (this.active && fullPages < MAX_PAGES_PER_READ && (await this.readPage())) fullPages++;
			if (this.transientFailures > 0 && this.active) this.log('info', 'LinkupAPI answers again, polling resumed');
			this.transientFailures = 0;
			return true;
		} catch (error) {
			await this.handleFailure(error as Error);
			return false;
		}
	}

	/** Reads one page and emits its new events; true when the page was full of new events. */
	private async readPage(): Promise<boolean> {
		const { lifecycle, state, fingerprints, target, outputOptions } = this.options;
		const webhookId = state.webhookId;
		if (!webhookId) return false;
		const page = await this.cursor.readPage(lifecycle.client, webhookId);
		if (!this.active) return false;
		this.cursor.advance(page.events);
		const items: INodeExecutionData[] = [];
		for (const item of page.events) {
			if (!isObject(item.event)) continue;
			if (fingerprints && !fingerprints.admit(item.event, 'poll')) continue;
			for (const json of toOutputItems(item.event, target.events, outputOptions)) items.push({ json });
		}
		// n8n saves the node's static data when `emit` is called, so the cursor goes in first.
		if (items.length > 0) this.options.emit(items);
		return page.mayHaveMore;
	}

	private async handleFailure(error: Error): Promise<void> {
		if (!this.active) return; // closing: failures of the last request do not matter
		if (isNotFound(error) && this.options.durableState) {
			this.reportLostWebhook();
			return;
		}
		if (isNotFound(error) && !this.recreated) {
			this.recreated = true;
			this.recreation = this.recreateWebhook();
			await this.recreation;
			return;
		}
		if (isTransient(error)) {
			this.transientFailures++;
			this.log(
				'warn',
				`polling failed (${error.message}); attempt ${this.transientFailures}, retrying in ${Math.round(this.nextDelayMs() / 1000)} s`,
			);
			return;
		}
		this.halt(error);
	}

	/**
	 * Production: the webhook was deleted outside this trigger. n8n answers emitError by closing the
	 * trigger (its DELETE of the lost id meets 404, which counts as done) and running trigger() again,
	 * which creates one webhook and is followed by a save of the static data.
	 */
	private reportLostWebhook(): void {
		this.halt(
			new Error(
				`The hosted webhook ${this.webhookId} was deleted outside this workflow (LinkupAPI answers 404). n8n restarts this trigger, which creates a new hosted webhook; LinkupAPI recorded no events between the deletion and the restart.`,
			),
		);
	}

	/**
	 * Test run: the webhook was deleted outside this trigger (dashboard, another tool): create a new
	 * one, once per run. Events between the deletion and now were never recorded by LinkupAPI.
	 */
	private async recreateWebhook(): Promise<void> {
		const { lifecycle, state, target } = this.options;
		const lostId = state.webhookId;
		let webhookId: string;
		try {
			webhookId = await createHostedWebhook(lifecycle, target, state);
		} catch (error) {
			// Retry the creation on the next read only when waiting can help (404 = account gone).
			if (isTransient(error)) this.recreated = false;
			await this.handleFailure(error as Error);
			return;
		}
		// Recorded even when stopping meanwhile: closeFunction waits for this and deletes it.
		resetState(state, webhookId);
		this.ownWebhookId = webhookId;
		if (this.stopped) return;
		this.cursor.clear();
		this.options.fingerprints?.clear();
		this.log(
			'warn',
			`the hosted webhook ${lostId} was deleted outside this workflow; created ${webhookId}. Events between the deletion and now were not recorded.`,
		);
	}

	private log(level: 'info' | 'warn' | 'error', message: string): void {
		this.options.lifecycle.logger[level](`${this.options.lifecycle.label}: ${message}`);
	}
}
