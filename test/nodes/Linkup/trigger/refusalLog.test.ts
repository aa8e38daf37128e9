// RefusalLog: refused deliveries logged at a bounded rate, and the rotated-secret warning.
import {
	RefusalLog,
	LOG_WINDOW_MS,
	REFUSALS_LOGGED_PER_WINDOW,
} from '../../../../nodes/Linkup/trigger/refusalLog';
import type { LoggedMessage } from '../../../helpers/n8nContext';

function recorder() {
	const logs: LoggedMessage[] = [];
	const log = (level: LoggedMessage['level']) => (message: string) => logs.push({ level, message });
	return { logs, logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } as never };
}

describe('RefusalLog', () => {
	it('logs a few refusals per minute, then says how many it did not log', () => {
		let now = 0;
		const log = new RefusalLog(() => now);
		const { logs, logger } = recorder();
		for (let i = 0; i < 50; i++) log.refused(logger, 'w1', { status: 401, reason: 'Missing X-Linkup-Signature header' });
		expect(logs).toHaveLength(REFUSALS_LOGGED_PER_WINDOW);
		expect(logs.every((entry) => entry.level === 'warn')).toBe(true);
		now += LOG_WINDOW_MS;
		log.refused(logger, 'w1', { status: 400, reason: 'Body is not valid JSON' });
		expect(logs.at(-1)!.message).toBe(
			`LinkupAPI Trigger refused a delivery (400): Body is not valid JSON (${50 - REFUSALS_LOGGED_PER_WINDOW} more refused before were not logged)`,
		);
	});

	it('counts each trigger on its own', () => {
		const log = new RefusalLog(() => 0);
		const { logs, logger } = recorder();
		for (let i = 0; i < 10; i++) log.refused(logger, 'w1', { status: 401, reason: 'Malformed signature' });
		log.refused(logger, 'w2', { status: 401, reason: 'Malformed signature' });
		expect(logs).toHaveLength(REFUSALS_LOGGED_PER_WINDOW + 1);
	});

	it('a duplicate is logged at info; an accepted delivery resets the rotated-secret count', () => {
		const log = new RefusalLog(() => 0);
		const { logs, logger } = recorder();
		log.refused(logger, 'w1', { status: 200, reason: 'Already received', duplicate: true });
		expect(logs[0].level).toBe('info');
		const mismatch = { status: 401, reason: 'Invalid signature', signatureMismatch: true };
		log.refused(logger, 'w1', mismatch);
		log.refused(logger, 'w1', mismatch);
		log.accepted('w1');
		log.refused(logger, 'w1', mismatch);
		expect(logs.some((entry) => entry.message.includes('probably rotated'))).toBe(false);
		log.refused(logger, 'w1', mismatch);
		log.refused(logger, 'w1', mismatch);
		expect(logs.filter((entry) => entry.message.includes('probably rotated'))).toHaveLength(1);
	});
});
