/**
 * Remembers accepted deliveries for as long as any allowed tolerance could still accept them, so
 * the same signed bytes posted again start nothing. Kept in process memory (memory.ts).
 */
import { MAX_TOLERANCE_SECONDS } from './signature';

export const MAX_REMEMBERED_DELIVERIES = 10_000;

/** What the memory knows of a delivery: new, accepted before, or older than what it still holds. */
export type Recall = { verdict: 'first' } | { verdict: 'again' } | { verdict: 'forgotten'; forgottenUpTo: number };

export class ReplayMemory {
	/** Each remembered delivery's key, to the signer it belongs to. */
	private readonly signerOf = new Map<string, string>();
	/** Keys by signing second, and those seconds in a min-heap: the earliest go first. */
	private readonly bySecond = new Map<number, string[]>();
	private readonly seconds: number[] = [];
	/**
	 * Per signer, the latest timestamp whose entries were forgotten to stay within capacity: every
	 * delivery signed at or before it is refused, as it may be a forgotten one replayed. Per signer
	 * (one webhook's secret), as only that signer's deliveries verify for it, so one busy trigger
	 * does not refuse the late deliveries of the others. At most one per signer in this process.
	 */
	private readonly forgottenUpTo = new Map<string, number>();

	constructor(private readonly capacity = MAX_REMEMBERED_DELIVERIES) {}

	get size(): number {
		return this.signerOf.size;
	}

	/**
	 * Looks up the delivery `key` that `signer` signed at `timestampSeconds`, and remembers it when
	 * it is new. Entries live until their timestamp plus MAX_TOLERANCE_SECONDS, whatever tolerance
	 * accepted them, so raising the option never lets an old copy through.
	 */
	recall(signer: string, key: string, timestampSeconds: number, nowSeconds: number): Recall {
		this.forgetExpired(nowSeconds);
		if (this.signerOf.has(key)) return { verdict: 'again' };
		const floor = this.forgottenUpTo.get(signer);
		if (floor !== undefined && timestampSeconds <= floor) return { verdict: 'forgotten', forgottenUpTo: floor };
		this.signerOf.set(key, signer);
		const keys = this.bySecond.get(timestampSeconds);
		if (keys) keys.push(key);
		else {
			this.bySecond.set(timestampSeconds, [key]);
			pushSecond(this.seconds, timestampSeconds);
		}
		while (this.signerOf.size > this.capacity) this.forgetEarliestSecond(true);
		return { verdict: 'first' };
	}

	private forgetExpired(nowSeconds: number): void {
		const expired = (second: number) => second + MAX_TOLERANCE_SECONDS < nowSeconds;
		while (this.seconds.length > 0 && expired(this.seconds[0])) this.forgetEarliestSecond(false);
		for (const [signer, floor] of this.forgottenUpTo) {
			if (expired(floor)) this.forgottenUpTo.delete(signer);
		}
	}

	/** Forgets every entry of the earliest second; with `raiseFloor`, refuses its signers' older deliveries. */
	private forgetEarliestSecond(raiseFloor: boolean): void {
		const second = popSecond(this.seconds);
		for (const key of this.bySecond.get(second) ?? []) {
			const signer = this.signerOf.get(key);
			this.signerOf.delete(key);
			if (raiseFloor && signer !== undefined) this.forgottenUpTo.set(signer, second);
		}
		this.bySecond.delete(second);
	}
}

function pushSecond(heap: number[], second: number): void {
	heap.push(second);
	for (let i = heap.length - 1; i > 0; ) {
		const parent = (i - 1) >> 1;
		if (heap[parent] <= heap[i]) break;
		[heap[parent], heap[i]] = [heap[i], heap[parent]];
		i = parent;
	}
}

function popSecond(heap: number[]): number {
	const earliest = heap[0];
	const last = heap.pop()!;
	if (heap.length === 0) return earliest;
	heap[0] = last;
	for (let i = 0; ; ) {
		const left = 2 * i + 1;
		const right = left + 1;
		let smallest = i;
		if (left < heap.length && heap[left] < heap[smallest]) smallest = left;
		if (right < heap.length && heap[right] < heap[smallest]) smallest = right;
		if (smallest === i) return earliest;
		[heap[smallest], heap[i]] = [heap[i], heap[smallest]];
		i = smallest;
	}
}
