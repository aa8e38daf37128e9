// What a reader of a hosted webhook's /events has read. The API does not say whether `since` is
// exclusive, nor that it is honoured at all (docs/linkupapi-v2.md, "Hosted events and the
// stream"), so an event counts as read by its time and by its id, never because of the `since` sent.
import type { IDataObject } from 'n8n-workflow';
import { fingerprintOf, parseLinkupTimestamp } from './values';

/** How long LinkupAPI keeps a hosted webhook's events. */
export const EVENT_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * How far a follow-up read reaches back before its cursor: several events can share the cursor's
 * millisecond (or lose their microseconds), and one stored after the read must not be skipped.
 */
export const CURSOR_OVERLAP_MS = 1;

/** Most events remembered by key; forgetting the oldest raises `readUpTo` to their time. */
export const MAX_REMEMBERED_EVENTS = 2000;

/** Longer event ids are remembered by a hash, so the saved state stays small. */
const LONGEST_KEPT_ID = 32;

/** Where reading stands, plain JSON (the Hosted Trigger saves it with every emit). */
export interface ReadPositionState {
	/** `created_at` of the newest event read. */
	cursor?: string;
	/** Keys of the events read, oldest first: event ids, or `#` and a fingerprint. At most MAX_REMEMBERED_EVENTS. */
	seenIds?: string[];
	/** Events created at or before this time count as read: the newest time among the keys forgotten. */
	readUpTo?: string;
}

function timeOf(value: unknown): number | undefined {
	return parseLinkupTimestamp(value)?.getTime();
}

/** An event's id; a hash for an overlong one, or for an event without one the stored item's fingerprint. */
function keyOf(item: IDataObject): string {
	const id = item.event_id;
	if ((typeof id === 'string' && id !== '') || typeof id === 'number') {
		const text = String(id);
		return text.length <= LONGEST_KEPT_ID ? text : `#${fingerprintOf({ event_id: text })}`;
	}
	return `#${fingerprintOf(item)}`;
}

/**
 * The cursor, the keys of the events read within LinkupAPI's retention (at most
 * MAX_REMEMBERED_EVENTS), and a time at or before which everything counts as read. An event is new
 * only when it is not older than the cursor less CURSOR_OVERLAP_MS, not at or before `readUpTo`,
 * and its key is unknown; so whatever a page holds, no event is taken twice.
 */
export class ReadPosition {
	/** Key → `created_at` in ms (undefined when the event had none), in the order read. */
	private readonly seen = new Map<string, number | undefined>();

	constructor(private readonly state: ReadPositionState) {
		// Saved keys come without their times: the cursor's is the latest they can have.
		const cursorTime = timeOf(state.cursor);
		for (const key of (state.seenIds ?? []).slice(-MAX_REMEMBERED_EVENTS)) this.seen.set(key, cursorTime);
	}

	/**
	 * The `since` to ask for: just before the cursor, or `readUpTo` before any event was read. After
	 * a full page of events already read, `pastEdge` asks from the cursor itself: a page's worth of
	 * events sharing its millisecond must not stall reading.
	 */
	nextSince(pastEdge = false): string | undefined {
		const cursorTime = timeOf(this.state.cursor);
		if (cursorTime === undefined) return this.state.readUpTo;
		return pastEdge ? this.state.cursor : new Date(cursorTime - CURSOR_OVERLAP_MS).toISOString();
	}

	/** The events of `items` (a page, oldest first) not read yet, each once; records nothing. */
	unread(items: IDataObject[]): IDataObject[] {
		const cursorTime = timeOf(this.state.cursor);
		const floor = timeOf(this.state.readUpTo);
		const keys = new Set<string>();
		return items.filter((item) => {
			const time = timeOf(item.created_at);
			if (time !== undefined) {
				if (cursorTime !== undefined && time < cursorTime - CURSOR_OVERLAP_MS) return false;
				if (floor !== undefined && time <= floor) return false;
			}
			const key = keyOf(item);
			if (this.seen.has(key) || keys.has(key)) return false;
			keys.add(key);
			return true;
		});
	}

	/** Records `events` as read: the cursor moves to the newest, and the oldest keys beyond the bounds are forgotten. */
	record(events: IDataObject[]): void {
		const { state } = this;
		let newest = timeOf(state.cursor);
		for (const event of events) {
			const time = timeOf(event.created_at);
			this.seen.set(keyOf(event), time);
			if (time !== undefined && (newest === undefined || time > newest)) {
				newest = time;
				state.cursor = String(event.created_at);
			}
		}
		this.forgetBeyondBounds(newest);
		state.seenIds = [...this.seen.keys()];
	}

	/** Forgets every key (the owner resets the state). */
	clear(): void {
		this.seen.clear();
	}

	/**
	 * Forgets the keys of events LinkupAPI no longer keeps, then the oldest beyond the cap. Each one
	 * forgotten raises `readUpTo` to its time, so the event still counts as read if it comes again.
	 */
	private forgetBeyondBounds(newest: number | undefined): void {
		const savedFloor = timeOf(this.state.readUpTo);
		let floor = savedFloor;
		const forget = (key: string, time: number | undefined) => {
			this.seen.delete(key);
			if (time !== undefined && (floor === undefined || time > floor)) floor = time;
		};
		if (newest !== undefined) {
			for (const [key, time] of this.seen) {
				if (time !== undefined && time < newest - EVENT_RETENTION_MS) forget(key, time);
			}
		}
		for (const [key, time] of this.seen) {
			if (this.seen.size <= MAX_REMEMBERED_EVENTS) break;
			forget(key, time);
		}
		if (floor !== undefined && floor !== savedFloor) this.state.readUpTo = new Date(floor).toISOString();
	}
}
