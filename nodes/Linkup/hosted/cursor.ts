/**
 * Where the Hosted Trigger stopped reading its webhook's events, kept in its saved state so a
 * restart resumes without duplicates or gaps (docs/linkupapi-v2.md, "Hosted events and the stream").
 */
import type { IDataObject } from 'n8n-workflow';
import {
	EVENT_RETENTION_MS,
	getEventsPage,
	parseLinkupTimestamp,
	ReadPosition,
	type LinkupClient,
	type ReadPositionState,
} from '../transport';

/** The part of a trigger's saved state that says where reading stopped. */
export type EventCursorState = ReadPositionState;

export interface CursorPage {
	/** The page's events not read before, oldest first. */
	events: IDataObject[];
	/** True when the page was full and brought new events, so more may be waiting. */
	mayHaveMore: boolean;
}

/**
 * Reads a hosted webhook's events page after page from the position kept in `state`. Whatever a
 * page holds (the API may ignore `since` or round it), only events not read before come out.
 */
export class EventCursor {
	private readonly position: ReadPosition;

	/** The last page was full of events already read. */
	private stalled = false;

	constructor(private readonly state: EventCursorState) {
		this.position = new ReadPosition(state);
	}

	/** The unread events of the next page; they count as read only once `advance` is called. */
	async readPage(client: LinkupClient, webhookId: string): Promise<CursorPage> {
		// Past the cursor's millisecond at the read after a stalled one, never at once: a server that
		// ignores `since` would answer the same page again.
		const page = await getEventsPage(client, webhookId, this.position.nextSince(this.stalled));
		const events = this.position.unread(page.items);
		this.stalled = page.full && events.length === 0;
		return { events, mayHaveMore: page.full && events.length > 0 };
	}

	/** Counts `events` as read and moves the cursor past them. */
	advance(events: IDataObject[]): void {
		this.position.record(events);
	}

	/** Forgets the events read (the state's cursor is reset by its owner). */
	clear(): void {
		this.position.clear();
		this.stalled = false;
	}

	/** Whether the newest event read is older than LinkupAPI keeps events, at `now` (epoch ms). */
	isPastRetention(now: number): boolean {
		const cursorTime = parseLinkupTimestamp(this.state.cursor)?.getTime();
		return cursorTime !== undefined && now - cursorTime > EVENT_RETENTION_MS;
	}
}
