// ReplayMemory: accepted deliveries remembered within their window, bounded in size.
import { ReplayMemory } from '../../../../nodes/Linkup/trigger/replays';

describe('ReplayMemory', () => {
	it('refuses a key it remembers and takes it again once its window has passed', () => {
		const memory = new ReplayMemory();
		expect(memory.firstTime('a', 1300, 1000)).toBe(true);
		expect(memory.firstTime('a', 1300, 1299)).toBe(false);
		expect(memory.firstTime('a', 1300, 1300)).toBe(false);
		expect(memory.firstTime('a', 1700, 1301)).toBe(true);
	});

	it('forgets expired entries as time passes, so memory follows the window', () => {
		const memory = new ReplayMemory();
		for (let i = 0; i < 100; i++) memory.firstTime(`k${i}`, 1000 + i, 900);
		expect(memory.size).toBe(100);
		memory.firstTime('late', 5000, 2000);
		expect(memory.size).toBe(1);
	});

	it('never holds more than its capacity: the oldest entries go first', () => {
		const memory = new ReplayMemory(3);
		for (const key of ['a', 'b', 'c', 'd']) expect(memory.firstTime(key, 2000, 1000)).toBe(true);
		expect(memory.size).toBe(3);
		expect(memory.firstTime('d', 2000, 1000)).toBe(false);
		expect(memory.firstTime('a', 2000, 1000)).toBe(true);
	});
});
