/**
 * Tells the n8n log why deliveries were refused, without letting a flood of forged requests fill
 * it, and says so when the signing secret was probably rotated outside the trigger.
 */
import type { Logger } from 'n8n-workflow';
import type { Refusal } from './delivery';

/** At most this many refusal lines per trigger per window; the rest are counted. */
export const REFUSALS_LOGGED_PER_WINDOW = 5;
export const LOG_WINDOW_MS = 60_000;
/** Well-formed, timely deliveries in a row that fail the signature before the rotation warning. */
export const MISMATCHES_BEFORE_ROTATION_WARNING = 3;

interface TriggerLog {
	windowStart: number;
	logged: number;
	unlogged: number;
	mismatchesInARow: number;
	rotationWarnedAt?: number;
}

export class RefusalLog {
	private readonly triggers = new Map<string, TriggerLog>();

	constructor(private readonly now: () => number = () => Date.now()) {}

	/** `key` names the trigger (its webhook id). */
	refused(logger: Logger, key: string, refusal: Refusal): void {
		const log = this.logOf(key);
		if (refusal.signatureMismatch) log.mismatchesInARow++;
		else if (!refusal.duplicate) log.mismatchesInARow = 0;
		if (log.logged < REFUSALS_LOGGED_PER_WINDOW) {
			log.logged++;
			const line = `LinkupAPI Trigger refused a delivery (${refusal.status}): ${refusal.reason}${this.takeUnlogged(log)}`;
			if (refusal.duplicate) logger.info(line);
			else logger.warn(line);
		} else {
			log.unlogged++;
		}
		const warnedThisWindow = log.rotationWarnedAt !== undefined && log.rotationWarnedAt >= log.windowStart;
		if (log.mismatchesInARow >= MISMATCHES_BEFORE_ROTATION_WARNING && !warnedThisWindow) {
			log.rotationWarnedAt = this.now();
			logger.warn(
				`LinkupAPI Trigger: ${log.mismatchesInARow} deliveries in a row were well-formed and on time but not signed with the secret this trigger stored. ` +
					"The webhook's signing secret was probably rotated outside this trigger (for example with the LinkupAPI node's Rotate Secret). " +
					'Deactivate and reactivate the workflow: the trigger then registers a webhook with a new secret.',
			);
		}
	}

	accepted(key: string): void {
		const log = this.triggers.get(key);
		if (log) log.mismatchesInARow = 0;
	}

	private logOf(key: string): TriggerLog {
		const now = this.now();
		let log = this.triggers.get(key);
		if (!log) {
			log = { windowStart: now, logged: 0, unlogged: 0, mismatchesInARow: 0 };
			this.triggers.set(key, log);
		} else if (now - log.windowStart >= LOG_WINDOW_MS) {
			log.windowStart = now;
			log.logged = 0;
		}
		return log;
	}

	private takeUnlogged(log: TriggerLog): string {
		if (log.unlogged === 0) return '';
		const note = ` (${log.unlogged} more refused before were not logged)`;
		log.unlogged = 0;
		return note;
	}
}
