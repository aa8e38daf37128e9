// ReplayMemory: accepted deliveries remembered within their window, bounded in size.
import { ReplayMemory } from '../../../../nodes/Linkup/trigger/replays';
import { MAX_TOLERANCE_SECONDS } from '../../../../nodes/Linkup/trigger/signature';

const first = { verdict: 'first' };
const again = { verdict: 'again' };
const forgottenUpTo = (second: number) => ({ verdict: 'forgotten', forgottenUpTo: second });

describe('ReplayMemory', () => {
	it('refuses a key until its timestamp plus the one-hour cap, whatever tolerance accepted it, then takes it again', () => {
		const memory = new ReplayMemory();
		expect(memory.recall('s', 'a', 1000, 1000)).toEqual(first);
		expect(memory.recall('s', 'a', 1000, 1001)).toEqual(again);
		expect(memory.recall('s', 'a', 1000, 1000 + MAX_TOLERANCE_SECONDS)).toEqual(again);
		expect(memory.recall('s', 'a', 1000, 1001 + MAX_TOLERANCE_SECONDS)).toEqual(first);
	});

	it('forgets expired entries as time passes, so memory follows the window', () => {
		const memory = new ReplayMemory();
		for (let i = 0; i < 100; i++) memory.recall('s', `k${i}`, 1000 + i, 1000);
		expect(memory.size).toBe(100);
		memory.recall('s', 'late', 1200 + MAX_TOLERANCE_SECONDS, 1200 + MAX_TOLERANCE_SECONDS);
		expect(memory.size).toBe(1);
	});

	it('never holds more than its capacity: it forgets the earliest signed first and refuses what is signed at or before them', () => {
		const memory = new ReplayMemory(3);
		// Received in this order, signed in another: 'early' is the earliest though not the first received.
		expect(memory.recall('s', 'b', 1002, 1005)).toEqual(first);
		expect(memory.recall('s', 'early', 1001, 1005)).toEqual(first);
		expect(memory.recall('s', 'c', 1003, 1005)).toEqual(first);
		expect(memory.recall('s', 'd', 1004, 1005)).toEqual(first);
		expect(memory.size).toBe(3);
		expect(memory.recall('s', 'b', 1002, 1005)).toEqual(again);
		expect(memory.recall('s', 'early', 1001, 1005)).toEqual(forgottenUpTo(1001));
		expect(memory.recall('s', 'new but as early', 1001, 1005)).toEqual(forgottenUpTo(1001));
		expect(memory.recall('s', 'e', 1005, 1005)).toEqual(first);
		expect(memory.size).toBe(3);
		expect(memory.recall('s', 'b', 1002, 1005)).toEqual(forgottenUpTo(1002));
	});

	it('however many deliveries come, a remembered one is never accepted again inside its window', () => {
		const memory = new ReplayMemory(100);
		const signed = new Map<string, number>();
		for (let i = 0; i < 5000; i++) {
			const now = 10_000 + Math.floor(i / 3);
			const timestamp = now - (i % 7) * 50; // deliveries arrive late by up to 300 s, out of order
			expect(memory.recall('s', `k${i}`, timestamp, now).verdict).not.toBe('again');
			signed.set(`k${i}`, timestamp);
			const replayed = `k${(i * 7919) % (i + 1)}`;
			if (signed.get(replayed)! + MAX_TOLERANCE_SECONDS >= now) {
				expect(memory.recall('s', replayed, signed.get(replayed)!, now).verdict).not.toBe('first');
			}
			expect(memory.size).toBeLessThanOrEqual(100);
		}
	});

	it('a refusal after forgetting concerns only that signer and ends an hour after the forgotten timestamp', () => {
		const memory = new ReplayMemory(1);
		memory.recall('busy', 'a', 1000, 1000);
		memory.recall('busy', 'b', 1001, 1001);
		expect(memory.recall('busy', 'late', 1000, 1001)).toEqual(forgottenUpTo(1000));
		expect(memory.recall('quiet', 'late', 1000, 1001)).toEqual(first);
		// Past the cap a delivery signed that early is refused as too old anyway; the memory lets go.
		expect(memory.recall('busy', 'late', 1000, 1001 + MAX_TOLERANCE_SECONDS)).toEqual(first);
	});
});
