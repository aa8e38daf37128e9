// Shortens the transport's retry waits for the tests of one file.
import { RETRY_POLICY, type RetryPolicy } from '../../nodes/Linkup/transport';

/**
 * Shrinks the transport's retry waits a hundredfold for each test (same number of retries, same
 * ratios), so tests that exhaust the retries do not wait real seconds; restores them afterwards.
 */
export function useShortRetryWaits(): void {
	let saved: RetryPolicy;
	beforeEach(() => {
		saved = { ...RETRY_POLICY };
		Object.assign(RETRY_POLICY, {
			firstWaitMs: saved.firstWaitMs / 100,
			maxWaitMs: saved.maxWaitMs / 100,
			totalWaitMs: saved.totalWaitMs / 100,
		});
	});
	afterEach(() => {
		Object.assign(RETRY_POLICY, saved);
	});
}
