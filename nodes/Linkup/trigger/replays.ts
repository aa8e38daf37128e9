/**
 * Remembers accepted deliveries for as long as their timestamp stays in the tolerance window, so
 * the same signed bytes posted again start nothing. Kept in process memory (memory.ts).
 */
export const MAX_REMEMBERED_DELIVERIES = 10_000;

export class ReplayMemory {
	/** Key to the epoch second after which a replay would be refused as stale anyway. */
	private readonly until = new Map<string, number>();

	constructor(private readonly capacity = MAX_REMEMBERED_DELIVERIES) {}

	get size(): number {
		return this.until.size;
	}

	/**
	 * True the first time `key` is offered (it is then remembered until `untilSeconds`), false while
	 * it is remembered. Past its capacity it forgets the oldest entries first.
	 */
	firstTime(key: string, untilSeconds: number, nowSeconds: number): boolean {
		this.forgetExpired(nowSeconds);
		const known = this.until.get(key);
		if (known !== undefined && known >= nowSeconds) return false;
		this.until.delete(key);
		this.until.set(key, untilSeconds);
		for (const oldest of this.until.keys()) {
			if (this.until.size <= this.capacity) break;
			this.until.delete(oldest);
		}
		return true;
	}

	/** Entries are kept in insertion order, so expired ones are mostly at the front. */
	private forgetExpired(nowSeconds: number): void {
		for (const [key, until] of this.until) {
			if (until >= nowSeconds) break;
			this.until.delete(key);
		}
	}
}
