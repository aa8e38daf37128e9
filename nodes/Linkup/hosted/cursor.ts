/**
 * Where the Hosted Trigger stopped reading its webhook's events, kept in its saved state so a
 * restart resumes without duplicates or gaps (docs/linkupapi-v2.md, "Hosted events and the stream").
 */
import type { IDataObject } from 'n8n-workflow';
import {
	CURSOR_OVERLAP_MS,
	EVENT_RETENTION_MS,
	getEventsAfterCursor,
	parseLinkupTimestamp,
	type EventPage,
	type LinkupClient,
} from '../transport';

/** The part of a trigger's saved state that says where reading stopped. */
export interface EventCursorState {
	/** `created_at` of the newest event read: the next `since`. */
	cursor?: string;
	/** Ids of the events read at the cursor's edge, which the next read may return again. */
	seenIds?: string[];
}

/**
 * Reads a hosted webhook's events page after page from a cursor kept in `state`, so a restart
 * resumes without duplicates or gaps. The ids kept are only those at the cursor's edge.
 */
export class EventCursor {
	/** Event id → `created_at` in ms, for the events the next request may return again. */
	private readonly seen = new Map<string, number>();

	constructor(private readonly state: EventCursorState) {
		const cursorTime = parseLinkupTimestamp(state.cursor)?.getTime() ?? 0;
		for (const id of state.seenIds ?? []) this.seen.set(id, cursorTime);
	}

	/** The next page after the cursor; the cursor moves only once `advance` is called. */
	async readPage(client: LinkupClient, webhookId: string): Promise<EventPage> {
		return await getEventsAfterCursor(client, webhookId, this.state.cursor, new Set(this.seen.keys()));
	}

	/** Moves the cursor past `events` and keeps only the ids the next request can return. */
	advance(events: IDataObject[]): void {
		const { state } = this;
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

	/** Forgets the ids read (the state's cursor is reset by its owner). */
	clear(): void {
		this.seen.clear();
	}

	/** Whether the newest event read is older than LinkupAPI keeps events, at `now` (epoch ms). */
	isPastRetention(now: number): boolean {
		const cursorTime = parseLinkupTimestamp(this.state.cursor)?.getTime();
		return cursorTime !== undefined && now - cursorTime > EVENT_RETENTION_MS;
	}
}
