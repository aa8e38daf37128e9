import { reconnectDelayMs, STREAM_TIMINGS } from '../../../../nodes/Linkup/hosted/stream';

describe('reconnectDelayMs', () => {
	const timings = (random: number) => ({ ...STREAM_TIMINGS, random: () => random });

	it('doubles from 1 s up to 30 s at the top of the jitter range', () => {
		expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => reconnectDelayMs(n, timings(0.999999)))).toEqual([
			1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
		]);
	});

	it('spreads reconnects over half the wait, never below 1 s', () => {
		expect([1, 2, 3, 6].map((n) => reconnectDelayMs(n, timings(0)))).toEqual([1000, 1000, 2000, 15000]);
		expect(reconnectDelayMs(3, timings(0.5))).toBe(3000);
	});

	it('waits 75 s without a byte before calling a connection dead', () => {
		expect(STREAM_TIMINGS.idleTimeoutMs).toBe(75_000);
	});
});
