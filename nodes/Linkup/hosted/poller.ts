// Reads the session's new events on a timer: the whole trigger in poll mode, the safety poll in
// stream mode. Reads never overlap (the session queues them) and the loop ends as soon as it stops.
import type { HostedSession } from './session';
import { sleepUnlessAborted } from './sleep';

export class HostedPoller {
	private readonly abort = new AbortController();

	/**
	 * @param pollFirst whether the loop reads at once on start (stream mode leaves the first read to
	 *   the stream's catch-up)
	 */
	constructor(
		private readonly session: HostedSession,
		private readonly pollFirst: boolean,
	) {}

	private get running(): boolean {
		return !this.abort.signal.aborted && this.session.active;
	}

	start(): void {
		this.loop().catch((error: Error) =>
			this.session.options.lifecycle.logger.error(
				`${this.session.options.lifecycle.label}: polling ended unexpectedly: ${error.message}`,
			),
		);
	}

	/** Stops at once: a sleeping loop wakes and ends. */
	stop(): void {
		this.abort.abort();
	}

	private async loop(): Promise<void> {
		let skipRead = !this.pollFirst;
		while (this.running) {
			if (!skipRead) await this.session.readNew();
			skipRead = false;
			if (!this.running) return;
			await sleepUnlessAborted(this.session.nextDelayMs(), this.abort.signal);
		}
	}
}
