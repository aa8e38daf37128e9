// sortByCreatedAt: event pages put oldest first.
import { sortByCreatedAt } from '../../../../nodes/Linkup/transport';

describe('sortByCreatedAt', () => {
	it('puts a newest-first page oldest first, keeping the order of events that share a millisecond', () => {
		const page = [
			{ event_id: 'c', created_at: '2026-01-01T00:00:00.002Z' },
			{ event_id: 'b2', created_at: '2026-01-01T00:00:00.001Z' },
			{ event_id: 'b1', created_at: '2026-01-01T00:00:00.001Z' },
			{ event_id: 'a', created_at: '2026-01-01T00:00:00.000Z' },
		];
		expect(sortByCreatedAt(page).map((item) => item.event_id)).toEqual(['a', 'b1', 'b2', 'c']);
		expect(sortByCreatedAt([...page].reverse()).map((item) => item.event_id)).toEqual(['a', 'b1', 'b2', 'c']);
	});
});
