// Reading a webhook object: event sets, its id and whether it is stopped.
import {
	isMonitoring,
	normalizeEvents,
	sameEvents,
	webhookIdOf,
} from '../../../../nodes/Linkup/shared/webhooks';

describe('event sets', () => {
	it('ignore order and duplicates, and treat no filter as "all"', () => {
		expect(normalizeEvents(['message_received', 'accepted_invitation', 'message_received'])).toEqual([
			'accepted_invitation',
			'message_received',
		]);
		expect(normalizeEvents([])).toEqual(['all']);
		expect(normalizeEvents(undefined)).toEqual(['all']);
		expect(sameEvents(['a', 'b'], ['b', 'a'])).toBe(true);
		expect(sameEvents(['all'], ['message_received'])).toBe(false);
	});
});

describe('webhook fields', () => {
	it('reads webhook_id first, then id', () => {
		expect(webhookIdOf({ webhook_id: 'w1', id: 'x' })).toBe('w1');
		expect(webhookIdOf({ id: 42 })).toBe('42');
		expect(webhookIdOf({})).toBeUndefined();
	});

	it('counts a webhook as stopped when either flag is false', () => {
		expect(isMonitoring({})).toBe(true);
		expect(isMonitoring({ monitoring: true, is_active: true })).toBe(true);
		expect(isMonitoring({ monitoring: false })).toBe(false);
		expect(isMonitoring({ is_active: false })).toBe(false);
	});
});
