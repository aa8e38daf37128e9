// Reads a hosted webhook's stored events from /events: a page in `created_at` order, and Get Events'
// paging (docs/linkupapi-v2.md, "Hosted events and the stream").
import type { IDataObject } from 'n8n-workflow';
import type { LinkupClient } from './client';
import { ReadPosition } from './readPosition';
import { extractItems, parseLinkupTimestamp } from './values';

/** Largest page the events endpoint accepts. */
const EVENTS_PAGE_SIZE = 200;

/** Most pages one Get Events reads: a server answering full pages of new events must not keep it going. */
export const MAX_EVENT_PAGES = 100;

export interface EventsPage {
	/** The items the API returned, oldest first, including any already read. */
	items: IDataObject[];
	/** True when the API returned a full page, so more events may be waiting. */
	full: boolean;
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

/** One page of a hosted webhook's events after `since` (whatever the API makes of it), oldest first. */
export async function getEventsPage(
	client: LinkupClient,
	webhookId: string,
	since: string | undefined,
	pageSize = EVENTS_PAGE_SIZE,
): Promise<EventsPage> {
	const qs: IDataObject = { limit: pageSize };
	if (since) qs.since = since;
	const data = await client.request({
		method: 'GET',
		path: `/v2/webhooks/${encodeURIComponent(webhookId)}/events`,
		qs,
	});
	const items = sortByCreatedAt(extractItems(data));
	return { items, full: items.length >= pageSize };
}

/**
 * Reads a hosted webhook's events after `since`, page after page, until a short page, `limit`, or
 * a page with nothing new even from the cursor itself (asking again would bring the same); each
 * event once.
 */
export async function getEvents(
	client: LinkupClient,
	webhookId: string,
	options: { since?: string; limit?: number },
): Promise<IDataObject[]> {
	// The user's Since is also a floor: events at or before it are dropped if the API sends them.
	const position = new ReadPosition({ readUpTo: options.since });
	const events: IDataObject[] = [];
	let stalled = false;
	for (let pageIndex = 0; pageIndex < MAX_EVENT_PAGES; pageIndex++) {
		// Follow-up pages are full-size: they re-read events around the cursor (one, or a whole second
		// if the API rounds `since`), and a page taken up by those would end the reading early.
		const pageSize =
			pageIndex === 0 && options.limit !== undefined ? Math.min(EVENTS_PAGE_SIZE, options.limit) : EVENTS_PAGE_SIZE;
		const page = await getEventsPage(client, webhookId, position.nextSince(stalled), pageSize);
		const unread = position.unread(page.items);
		position.record(unread);
		events.push(...unread);
		// A full page of events already read gets one more page, from the cursor itself.
		const firstStall: boolean = page.full && unread.length === 0 && !stalled;
		stalled = firstStall;
		const limitReached = options.limit !== undefined && events.length >= options.limit;
		if (!firstStall && (!page.full || unread.length === 0 || limitReached)) {
			return options.limit === undefined ? events : events.slice(0, options.limit);
		}
	}
	throw new Error(
		`LinkupAPI still answered full pages of new events for webhook ${webhookId} after ${MAX_EVENT_PAGES} pages, so reading stopped. Set a Limit, or a later Since, to read fewer events.`,
	);
}
