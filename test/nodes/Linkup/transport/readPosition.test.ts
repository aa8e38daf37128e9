// ReadPosition: which events of a page are new, whatever the API did with `since`, and how much of
// what was read is kept (and saved) within LinkupAPI's retention.
import type { IDataObject } from 'n8n-workflow';
import {
	EVENT_RETENTION_MS,
	fingerprintOf,
	MAX_REMEMBERED_EVENTS,
	ReadPosition,
	type ReadPositionState,
} from '../../../../nodes/Linkup/transport';

const START = Date.parse('2026-11-28T12:00:00.000Z');

/** Stored event number `n`, with the id `e<n>` unless given (`null`: none). */
function stored(n: number, atMs = START + n, id: string | null = `e${n}`): IDataObject {
	const item: IDataObject = { event: { type: 'message', message_text: `message ${n}` }, created_at: new Date(atMs).toISOString() };
	if (id !== null) item.event_id = id;
	return item;
}

/** Takes the new events of `items` as a reader does, and returns them. */
function take(position: ReadPosition, items: IDataObject[]): IDataObject[] {
	const unread = position.unread(items);
	position.record(unread);
	return unread;
}

describe('ReadPosition', () => {
	it('takes each event once: by id, by time before the cursor, and once within a page', () => {
		const position = new ReadPosition({});
		expect(take(position, [stored(0), stored(1), stored(2), stored(2)])).toEqual([stored(0), stored(1), stored(2)]);
		// The page again (a server that ignores `since`), with one event stored since at the cursor's millisecond.
		expect(take(position, [stored(0), stored(1), stored(2), stored(3, START + 2)])).toEqual([stored(3, START + 2)]);
		// An unknown id older than the cursor less 1 ms is dropped as read: an exclusive `since` never sends it.
		expect(take(position, [stored(4, START)])).toEqual([]);
		expect(position.nextSince()).toBe(new Date(START + 1).toISOString());
	});

	it('recognises an event without an id by the fingerprint of the stored item', () => {
		const state: ReadPositionState = {};
		const position = new ReadPosition(state);
		const withoutId = [stored(0, START, null), stored(1, START, null)];
		expect(take(position, withoutId)).toHaveLength(2);
		expect(take(position, withoutId)).toEqual([]);
		expect(state.seenIds).toEqual(withoutId.map((item) => `#${fingerprintOf(item)}`));
	});

	it('drops events at or before readUpTo, and asks from it before any event is read', () => {
		const position = new ReadPosition({ readUpTo: new Date(START + 1).toISOString() });
		expect(position.nextSince()).toBe(new Date(START + 1).toISOString());
		expect(take(position, [stored(0), stored(1), stored(2)])).toEqual([stored(2)]);
	});

	it(`keeps at most ${MAX_REMEMBERED_EVENTS} keys; the events forgotten still count as read`, () => {
		const state: ReadPositionState = {};
		const position = new ReadPosition(state);
		const events = Array.from({ length: MAX_REMEMBERED_EVENTS + 10 }, (_, n) => stored(n, START + n * 1000));
		take(position, events);
		expect(state.seenIds).toHaveLength(MAX_REMEMBERED_EVENTS);
		expect(state.seenIds?.[0]).toBe('e10');
		expect(state.readUpTo).toBe(events[9].created_at);
		// Even with the cursor moved back (a saved state from before), the forgotten ones stay read.
		const older = new ReadPosition({ seenIds: [], readUpTo: state.readUpTo, cursor: String(events[0].created_at) });
		expect(older.unread(events.slice(0, 12))).toEqual(events.slice(10, 12));
	});

	it('forgets the keys of events more than 24 hours older than the newest', () => {
		const state: ReadPositionState = {};
		const position = new ReadPosition(state);
		take(position, [stored(0), stored(1)]);
		take(position, [stored(2, START + 1 + EVENT_RETENTION_MS), stored(3, START + 1 + EVENT_RETENTION_MS)]);
		expect(state.seenIds).toEqual(['e1', 'e2', 'e3']);
		expect(state.readUpTo).toBe(stored(0).created_at);
	});

	it('keeps the saved state small: long ids are kept as a 21-character hash', () => {
		const state: ReadPositionState = {};
		const position = new ReadPosition(state);
		take(
			position,
			Array.from({ length: MAX_REMEMBERED_EVENTS }, (_, n) => stored(n, START + n, `${'x'.repeat(1000)}${n}`)),
		);
		expect(state.seenIds?.every((key) => key.length === 21)).toBe(true);
		expect(take(position, [stored(5, START + 5, `${'x'.repeat(1000)}5`)])).toEqual([]);
		// Ids of up to 32 characters are kept as they are: 2,000 of them take at most 70 KB of JSON.
		expect(JSON.stringify(state).length).toBeLessThan(MAX_REMEMBERED_EVENTS * 35);
	});

	it('resumes from a saved state: what was read before stays read', () => {
		const state: ReadPositionState = {};
		take(new ReadPosition(state), [stored(0), stored(1), stored(2)]);
		const saved = JSON.parse(JSON.stringify(state)) as ReadPositionState;
		expect(take(new ReadPosition(saved), [stored(0), stored(1), stored(2), stored(3)])).toEqual([stored(3)]);
	});
});
