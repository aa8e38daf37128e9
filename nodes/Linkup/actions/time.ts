// Reads a date the user typed, in the workflow's time zone when it names none (like n8n's date picker).
import { parseLinkupTimestamp } from '../transport';

const ZONE_LESS = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;

/** How many milliseconds `timeZone`'s wall clock is ahead of UTC at `instant`. */
function zoneOffsetMs(instant: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric',
	}).formatToParts(new Date(instant));
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const wallClock = Date.UTC(
		part('year'),
		part('month') - 1,
		part('day'),
		part('hour'),
		part('minute'),
		part('second'),
	);
	return wallClock - (instant - (instant % 1000));
}

/**
 * Parses a date the way n8n's date pickers mean it: a value without a zone (what the picker
 * stores) is a wall-clock time in `timeZone`, the workflow's time zone; a value with `Z` or an
 * offset is taken as is.
 */
export function parseDateInZone(text: string, timeZone: string): Date | undefined {
	const date = parseLinkupTimestamp(text);
	if (!date || !ZONE_LESS.test(text.trim())) return date;
	const wallClock = date.getTime();
	// The offset depends on the instant being looked for; a second pass settles DST changes.
	let instant = wallClock - zoneOffsetMs(wallClock, timeZone);
	instant = wallClock - zoneOffsetMs(instant, timeZone);
	return new Date(instant);
}
