import { LATE_CREATE_CHECKS } from '../../nodes/Linkup/lifecycle/lateCreate';
import { REQUEST_TIMEOUT } from '../../nodes/Linkup/transport';

const production = { ...LATE_CREATE_CHECKS };

/**
 * In every unit test (jest.config.js loads test/helpers/jestSetup.ts), the looks for a create that
 * lost its answer wait for ever instead of 10 to 100 s on real timers, so a test that meets a lost
 * create leaves no timer behind; tests that check the looks release them with useLateCreateChecks.
 */
export function holdLateCreateChecks(): void {
	LATE_CREATE_CHECKS.wait = async () => await new Promise<void>(() => undefined);
	LATE_CREATE_CHECKS.start = production.start;
	LATE_CREATE_CHECKS.now = production.now;
}

interface Pause {
	ms: number;
	resume: () => void;
}

/**
 * Lets a test run the looks for a late create one at a time. The clock (`now`, which starts at a
 * fixed date) moves on by each pause a test releases, so what depends on time follows the test.
 */
export function useLateCreateChecks(startMs = Date.UTC(2030, 0, 1)) {
	let pauses: Pause[] = [];
	let looks: Array<Promise<void>> = [];
	let pauseBegan: (() => void) | undefined;
	let now = startMs;
	beforeEach(() => {
		pauses = [];
		looks = [];
		now = startMs;
		LATE_CREATE_CHECKS.wait = async (ms) =>
			await new Promise<void>((resolve) => {
				pauses.push({ ms, resume: resolve });
				pauseBegan?.();
			});
		LATE_CREATE_CHECKS.start = (started) => {
			looks.push(started);
		};
		LATE_CREATE_CHECKS.now = () => now;
	});
	afterEach(() => holdLateCreateChecks());
	return {
		/** How many series of looks started in this test. */
		get started(): number {
			return looks.length;
		},
		/** The pauses waiting to be released, in ms. */
		get waiting(): number[] {
			return pauses.map((pause) => pause.ms);
		},
		/** The clock of the code under test, epoch ms. */
		get now(): number {
			return now;
		},
		/** Ends the next pause and waits until its look is done: the next pause began, or the looks ended. */
		async runNextLook(): Promise<void> {
			const pause = pauses.shift();
			if (!pause) throw new Error('no look is waiting');
			const next = new Promise<void>((resolve) => (pauseBegan = resolve));
			now += pause.ms;
			pause.resume();
			await Promise.race([next, Promise.all(looks)]);
		},
		async runAllLooks(): Promise<void> {
			while (pauses.length > 0) await this.runNextLook();
		},
	};
}

/** Makes the transport give up on an answer after `ms` in each test, instead of 30 s. */
export function useRequestTimeout(ms: number): void {
	const saved = REQUEST_TIMEOUT.ms;
	beforeEach(() => {
		REQUEST_TIMEOUT.ms = ms;
	});
	afterEach(() => {
		REQUEST_TIMEOUT.ms = saved;
	});
}
