// Recognises an event that reaches the hosted trigger twice, once through the stream and once
// through /events: stream frames carry no event id (docs/linkupapi-v2.md, "Hosted events and the
// stream"), so both copies are matched by a fingerprint of the event wrapper.
import type { IDataObject } from 'n8n-workflow';
import { EVENT_RETENTION_MS, fingerprintOf } from '../transport';

export type EventPath = 'stream' | 'poll';

/** Most fingerprints kept per path; the oldest go first. */
export const MAX_FINGERPRINTS = 2000;

interface Entry {
	fingerprint: string;
	at: number;
}

/**
 * Remembers, per path, the events delivered and not yet seen on the other path. An event is
 * admitted (emitted) the first time it arrives; its copy on the other path is dropped once. Two
 * identical events (same content, same second) are two entries, so neither is lost. Entries expire
 * with LinkupAPI's retention and at most MAX_FINGERPRINTS are kept per path.
 */
export class EventFingerprints {
	private readonly pending: Record<EventPath, Entry[]> = { stream: [], poll: [] };

	/**
	 * @param state the trigger's saved state; `state.streamed` keeps the fingerprints of streamed
	 *   events /events has not shown yet, so a restart does not emit them again
	 */
	constructor(
		private readonly state: IDataObject,
		private readonly now: () => number,
	) {
		const at = now();
		const saved = Array.isArray(state.streamed) ? state.streamed : [];
		this.pending.stream = saved
			.filter((fingerprint): fingerprint is string => typeof fingerprint === 'string')
			.map((fingerprint) => ({ fingerprint, at }));
	}

	/** True when `wrapper` is new and must be emitted; false when the other path delivered it. */
	admit(wrapper: IDataObject, path: EventPath): boolean {
		const fingerprint = fingerprintOf(wrapper);
		const other = this.pending[path === 'stream' ? 'poll' : 'stream'];
		const index = other.findIndex((entry) => entry.fingerprint === fingerprint);
		if (index >= 0) {
			other.splice(index, 1);
		} else {
			this.pending[path].push({ fingerprint, at: this.now() });
		}
		this.prune();
		return index < 0;
	}

	/** Forgets everything (a new webhook starts with no events). */
	clear(): void {
		this.pending.stream = [];
		this.pending.poll = [];
		this.prune();
	}

	private prune(): void {
		const oldest = this.now() - EVENT_RETENTION_MS;
		for (const path of ['stream', 'poll'] as const) {
			const kept = this.pending[path].filter((entry) => entry.at >= oldest);
			this.pending[path] = kept.slice(Math.max(0, kept.length - MAX_FINGERPRINTS));
		}
		this.state.streamed = this.pending.stream.map((entry) => entry.fingerprint);
	}
}
