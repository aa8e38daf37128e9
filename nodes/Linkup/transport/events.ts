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
export const CURSOR_OVERLAP_MS = 1;

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
export async function getEventsAfterCursor(
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
