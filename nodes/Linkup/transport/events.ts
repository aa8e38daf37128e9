// Reads a hosted webhook's stored events from /events: paging, ordering and the `since` cursor
// (docs/linkupapi-v2.md, "Hosted events and the stream").
import type { IDataObject } from 'n8n-workflow';
import type { LinkupClient } from './client';
import { extractItems, parseLinkupTimestamp } from './values';

/** Largest page the events endpoint accepts. */
const EVENTS_PAGE_SIZE = 200;

/** How long LinkupAPI keeps a hosted webhook's events. */
export const EVENT_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * How far a follow-up read reaches back before its cursor. The API does not say whether `since` is
 * exclusive, and several events can share the cursor's millisecond (or lose their microseconds):
 * re-reading that millisecond and dropping the ids already seen loses none of them.
 */
const CURSOR_OVERLAP_MS = 1;

export interface EventPage {
	events: IDataObject[];
	/** The `since` value for the next call: the newest `created_at` seen, or the one passed in. */
	cursor?: string;
	/** True when the API returned a full page, so more events may be waiting. */
	mayHaveMore: boolean;
	/** How many items the API returned, including those dropped as already seen. */
	received: number;
}

function timeOf(item: IDataObject): number {
	return parseLinkupTimestamp(item.created_at)?.getTime() ?? 0;
}

/**
 * Puts a page oldest first. The API does not document its order: a page that comes newest first is
 * reversed (keeping the order of events that share a millisecond), then sorted by `created_at`.
 */
export function sortByCreatedAt(items: IDataObject[]): IDataObject[] {
	const newestFirst = items.length > 1 && timeOf(items[0]) > timeOf(items[items.length - 1]);
	const ordered = newestFirst ? [...items].reverse() : [...items];
	return ordered.sort((a, b) => timeOf(a) - timeOf(b));
}

function isLater(candidate: unknown, current: string | undefined): boolean {
	const candidateTime = parseLinkupTimestamp(candidate);
	if (!candidateTime) return false;
	const currentTime = parseLinkupTimestamp(current);
	return !currentTime || candidateTime.getTime() > currentTime.getTime();
}

/**
 * Reads one page of a hosted webhook's events after `since`, dropping ids already in `seen`
 * (the API does not say whether `since` is exclusive, so the boundary event may come back).
 */
async function getEventsPage(
	client: LinkupClient,
	webhookId: string,
	since: string | undefined,
	seen: Set<string>,
	pageSize = EVENTS_PAGE_SIZE,
): Promise<EventPage> {
	const qs: IDataObject = { limit: pageSize };
	if (since) qs.since = since;
	const data = await client.request({
		method: 'GET',
		path: `/v2/webhooks/${encodeURIComponent(webhookId)}/events`,
		qs,
	});
	const items = sortByCreatedAt(extractItems(data));
	const events: IDataObject[] = [];
	let cursor = since;
	for (const item of items) {
		const id = item.event_id === undefined ? undefined : String(item.event_id);
		if (id !== undefined) {
			if (seen.has(id)) continue;
			seen.add(id);
		}
		events.push(item);
		if (isLater(item.created_at, cursor)) cursor = String(item.created_at);
	}
	return {
		events,
		cursor,
		mayHaveMore: items.length >= pageSize && events.length > 0,
		received: items.length,
	};
}

/**
 * Reads the page after `cursor`, the newest `created_at` already read, reaching back
 * CURSOR_OVERLAP_MS. `seen` must hold the ids read at the cursor's edge.
 */
async function getEventsAfterCursor(
	client: LinkupClient,
	webhookId: string,
	cursor: string | undefined,
	seen: Set<string>,
	pageSize = EVENTS_PAGE_SIZE,
): Promise<EventPage> {
	const cursorTime = parseLinkupTimestamp(cursor);
	if (!cursorTime) return await getEventsPage(client, webhookId, cursor, seen, pageSize);
	const reachBack = new Date(cursorTime.getTime() - CURSOR_OVERLAP_MS).toISOString();
	let page = await getEventsPage(client, webhookId, reachBack, seen, pageSize);
	if (page.events.length === 0 && page.received >= pageSize) {
		// A whole page at the cursor's edge was already read: step past it or reading would stall.
		page = await getEventsPage(client, webhookId, cursor, seen, pageSize);
	}
	return { ...page, cursor: isLater(page.cursor, cursor) ? page.cursor : cursor };
}

/** Reads a hosted webhook's events after `since`, page after page, until a short page or `limit`. */
export async function getEvents(
	client: LinkupClient,
	webhookId: string,
	options: { since?: string; limit?: number },
): Promise<IDataObject[]> {
	const seen = new Set<string>();
	const events: IDataObject[] = [];
	let cursor = options.since;
	for (let pageIndex = 0; ; pageIndex++) {
		const remaining = options.limit === undefined ? EVENTS_PAGE_SIZE : options.limit - events.length;
		// A follow-up page re-reads the boundary event: ask for one more so `limit` still fits one call.
		const pageSize = Math.min(EVENTS_PAGE_SIZE, Math.max(1, remaining) + (pageIndex === 0 ? 0 : 1));
		// The first page honours the user's `since` exactly; later ones continue from the cursor.
		const page =
			pageIndex === 0
				? await getEventsPage(client, webhookId, cursor, seen, pageSize)
				: await getEventsAfterCursor(client, webhookId, cursor, seen, pageSize);
		events.push(...page.events);
		cursor = page.cursor;
		if (!page.mayHaveMore || (options.limit !== undefined && events.length >= options.limit)) break;
	}
	return options.limit === undefined ? events : events.slice(0, options.limit);
}

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
