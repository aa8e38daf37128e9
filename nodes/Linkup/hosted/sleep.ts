// Waits that end early when the trigger closes, built on n8n-workflow's sleep (present in every n8n line).
import { sleep } from 'n8n-workflow';

/** Longest single timer: after an abort, at most this much of a timer is left running. */
const SLEEP_SLICE_MS = 1000;

/**
 * Waits `ms`, or less when `signal` aborts, and never throws. n8n-workflow's `sleepWithAbort` would
 * do, but the copy inside n8n 2.41 (the one community nodes get at run time) does not export it.
 * The deadline is kept on a monotonic clock: a step of the wall clock (NTP, a suspended laptop)
 * neither stretches nor cuts the wait.
 */
export async function sleepUnlessAborted(
	ms: number,
	signal: AbortSignal,
	now: () => number = () => performance.now(),
): Promise<void> {
	if (signal.aborted) return;
	let wake = () => {};
	const aborted = new Promise<void>((resolve) => {
		wake = resolve;
		signal.addEventListener('abort', wake, { once: true });
	});
	try {
		const deadline = now() + ms;
		for (let left = ms; left > 0 && !signal.aborted; left = deadline - now()) {
			await Promise.race([sleep(Math.min(left, SLEEP_SLICE_MS)), aborted]);
		}
	} finally {
		signal.removeEventListener('abort', wake);
	}
}
