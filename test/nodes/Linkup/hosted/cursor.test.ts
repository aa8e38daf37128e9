// The Hosted Trigger's event cursor: where reading stopped, and the 24-hour retention.
import { EventCursor, type EventCursorState } from '../../../../nodes/Linkup/hosted/cursor';
import { EVENT_RETENTION_MS } from '../../../../nodes/Linkup/transport';

describe('EventCursor', () => {
	const at = Date.UTC(2026, 0, 2);

	it('says when the newest event read is older than the 24 h LinkupAPI keeps events', () => {
		const state = { cursor: new Date(at - EVENT_RETENTION_MS - 1).toISOString() };
		expect(new EventCursor(state).isPastRetention(at)).toBe(true);
		expect(new EventCursor(state).isPastRetention(at - 2)).toBe(false);
		expect(new EventCursor({}).isPastRetention(at)).toBe(false);
	});

	it('moves past the newest event and remembers every event read', () => {
		const state: EventCursorState = {};
		new EventCursor(state).advance([
			{ event_id: 'a', created_at: '2026-01-01T00:00:00.000Z' },
			{ event_id: 'b', created_at: '2026-01-01T00:00:00.005Z' },
			{ event_id: 'c', created_at: '2026-01-01T00:00:00.005Z' },
		]);
		expect(state).toEqual({ cursor: '2026-01-01T00:00:00.005Z', seenIds: ['a', 'b', 'c'] });
	});
});
