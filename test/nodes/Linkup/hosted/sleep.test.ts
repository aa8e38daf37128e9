// sleepUnlessAborted: the Hosted Trigger's waits, which end when the trigger closes, on a monotonic clock.
import { sleep } from 'n8n-workflow';
import { sleepUnlessAborted } from '../../../../nodes/Linkup/hosted/sleep';

// The real sleep, unless a test makes it advance the clocks it controls instead of waiting.
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(actual.sleep) };
});
const mockedSleep = jest.mocked(sleep);

describe('sleepUnlessAborted', () => {
	it('waits the whole time when nothing aborts', async () => {
		const started = Date.now();
		await sleepUnlessAborted(1200, new AbortController().signal);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1190);
	});

	it('wakes at once when aborted, without throwing', async () => {
		const controller = new AbortController();
		const started = Date.now();
		setTimeout(() => controller.abort(), 50);
		await sleepUnlessAborted(60_000, controller.signal);
		expect(Date.now() - started).toBeLessThan(1000);
	});

	it('returns at once when already aborted and leaves no listener behind', async () => {
		const controller = new AbortController();
		const added: unknown[] = [];
		const removed: unknown[] = [];
		const signal = controller.signal;
		const add = signal.addEventListener.bind(signal);
		const remove = signal.removeEventListener.bind(signal);
		signal.addEventListener = ((type: string, listener: never, options: never) => {
			added.push(listener);
			add(type, listener, options);
		}) as typeof signal.addEventListener;
		signal.removeEventListener = ((type: string, listener: never) => {
			removed.push(listener);
			remove(type, listener);
		}) as typeof signal.removeEventListener;
		await sleepUnlessAborted(20, signal);
		expect(removed).toEqual(added);
		controller.abort();
		const started = Date.now();
		await sleepUnlessAborted(60_000, signal);
		expect(Date.now() - started).toBeLessThan(50);
	});
});

describe('sleepUnlessAborted: clock', () => {
	afterEach(() => {
		jest.restoreAllMocks();
		mockedSleep.mockImplementation(jest.requireActual('n8n-workflow').sleep);
	});

	/** Sleeps 2 s with the wall clock stepped by `stepMs` after the first slice; returns the slices slept. */
	async function slicesWithWallClockStep(stepMs: number): Promise<number[]> {
		let monotonic = 5_000;
		let wall = Date.UTC(2030, 0, 1);
		jest.spyOn(performance, 'now').mockImplementation(() => monotonic);
		jest.spyOn(Date, 'now').mockImplementation(() => wall);
		const slept: number[] = [];
		mockedSleep.mockImplementation(async (ms: number) => {
			slept.push(ms);
			monotonic += ms;
			wall += ms + (slept.length === 1 ? stepMs : 0);
		});
		await sleepUnlessAborted(2000, new AbortController().signal);
		return slept;
	}

	it('keeps its deadline on the monotonic clock: the wall clock stepped back 10 s does not stretch a 2 s wait', async () => {
		expect(await slicesWithWallClockStep(-10_000)).toEqual([1000, 1000]);
	});

	it('and the wall clock stepped ahead 10 s does not cut it short', async () => {
		expect(await slicesWithWallClockStep(10_000)).toEqual([1000, 1000]);
	});

	it('takes an injected clock', async () => {
		let now = 0;
		const slept: number[] = [];
		mockedSleep.mockImplementation(async (ms: number) => {
			slept.push(ms);
			now += 1500; // the injected clock moves 1.5 s per slice; performance.now does not move at all
		});
		await sleepUnlessAborted(2000, new AbortController().signal, () => now);
		expect(slept).toEqual([1000, 500]);
	});
});
