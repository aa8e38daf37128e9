// parseDateInZone: a typed date read as wall-clock time in the workflow's time zone unless it names one.
import { parseDateInZone } from '../../../../nodes/Linkup/actions/time';

describe('parseDateInZone', () => {
	it.each([
		['2026-11-28T13:00:00', 'Europe/Paris', '2026-11-28T12:00:00.000Z'],
		['2026-07-01T14:00:00', 'Europe/Paris', '2026-07-01T12:00:00.000Z'],
		['2026-07-01T08:00:00', 'America/New_York', '2026-07-01T12:00:00.000Z'],
		['2026-03-08T03:30:00', 'America/New_York', '2026-03-08T07:30:00.000Z'],
		['2026-11-01T00:30:00', 'America/New_York', '2026-11-01T04:30:00.000Z'],
		['2026-11-28T12:00:00.250', 'Asia/Kolkata', '2026-11-28T06:30:00.250Z'],
		['2026-11-28', 'Asia/Tokyo', '2026-11-27T15:00:00.000Z'],
		['2026-11-28T12:00:00', 'UTC', '2026-11-28T12:00:00.000Z'],
	])('reads %s as wall-clock time in %s', (text, zone, expected) => {
		expect(parseDateInZone(text, zone)?.toISOString()).toBe(expected);
	});

	it.each([
		['2026-11-28T12:00:00Z', '2026-11-28T12:00:00.000Z'],
		['2026-11-28T13:00:00+01:00', '2026-11-28T12:00:00.000Z'],
	])('keeps the zone %s carries', (text, expected) => {
		expect(parseDateInZone(text, 'America/New_York')?.toISOString()).toBe(expected);
	});

	it.each(['', 'last tuesday', '2026-13-45T99:00:00'])('gives undefined for %p', (text) => {
		expect(parseDateInZone(text, 'Europe/Paris')).toBeUndefined();
	});
});
