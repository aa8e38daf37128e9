// sleepUnlessAborted: the Hosted Trigger's waits, which end when the trigger closes.
import { sleepUnlessAborted } from '../../../../nodes/Linkup/hosted/sleep';

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
