// The Hosted Trigger emits each event once whatever /events does with `since` (exclusive, ignored,
// or compared at whole seconds inclusively), at a bounded number of /events calls per read.
import type { IDataObject } from 'n8n-workflow';
import { MAX_PAGES_PER_READ } from '../../../../nodes/Linkup/hosted/session';
import type { Json, SinceBehaviour } from '../../../fake-linkupapi/server';
import { answerEndlessNewEvents } from '../../../helpers/endlessEvents';
import {
	accountId,
	emittedJson,
	eventPolls,
	fake,
	type Harness,
	startTrigger,
	useHostedTriggerTests,
} from '../../../helpers/hostedTrigger';

useHostedTriggerTests();

// Events are stored at fixed dates and the fake's clock is pinned after them: nothing depends on
// the machine's clock, and the 24 h retention keeps them whatever day the suite runs.
const START = Date.parse('2026-11-28T12:00:00.000Z');
beforeEach(() => {
	fake.now = () => START + 3600_000;
});

/** Stores messages `from` … `from + count - 1`, 100 ms apart (10 in each second). */
function store(webhookId: string, from: number, count: number, spacingMs = 100): Json[] {
	return Array.from({ length: count }, (_, i) => {
		const n = from + i;
		const wrapper = fake.sampleEvent(accountId, 'message', { message_text: `m${n}` });
		fake.enqueueEvent(webhookId, wrapper, new Date(START + n * spacingMs));
		return wrapper;
	});
}

/** A trigger that reads only when told: its timer's next read is an hour away. */
async function startPolling(staticData?: IDataObject): Promise<Harness> {
	const harness = await startTrigger({ options: { pollInterval: 3600 }, staticData });
	await read(harness); // waits for the read at start, so each later read is counted alone
	return harness;
}

/** One poll cycle; returns how many /events calls it made. */
async function read(harness: Harness): Promise<number> {
	const before = eventPolls();
	await harness.response.manualTriggerFunction!();
	return eventPolls() - before;
}

function texts(harness: Harness): unknown[] {
	return emittedJson(harness).map((json) => (json.event as Json).message_text);
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => `m${from + i}`);

/** The fake's `since` behaviour, and the /events calls per read it costs in each scenario. */
const behaviours: Array<{ behaviour: SinceBehaviour; inBatches: number[]; atOnce: number[] }> = [
	{ behaviour: 'exclusive', inBatches: [1, 1, 1, 1, 1, 1], atOnce: [2, 1, 1] },
	// Once 200 events are stored, every page is full: one more call finds nothing new, and stops.
	{ behaviour: 'ignored', inBatches: [1, 1, 1, 2, 2, 1], atOnce: [2, 1, 1] },
	{ behaviour: 'wholeSecondsInclusive', inBatches: [1, 1, 1, 1, 1, 1], atOnce: [2, 1, 1] },
];

describe.each(behaviours)('LinkupHostedTrigger when /events takes `since` as $behaviour', ({ behaviour, inBatches, atOnce }) => {
	beforeEach(() => {
		fake.sinceBehaviour = behaviour;
	});

	it('emits 5 events once each over 3 reads, one /events call per read', async () => {
		const harness = await startPolling();
		store(harness.staticData.webhookId as string, 0, 5);
		const calls = [await read(harness), await read(harness), await read(harness)];
		expect(texts(harness)).toEqual(range(0, 5));
		expect(calls).toEqual([1, 1, 1]);
	});

	it('emits 250 events arriving 50 per read once each, in order', async () => {
		const harness = await startPolling();
		const calls: number[] = [];
		for (let batch = 0; batch < 5; batch++) {
			store(harness.staticData.webhookId as string, batch * 50, 50);
			calls.push(await read(harness));
		}
		calls.push(await read(harness));
		expect(texts(harness)).toEqual(range(0, 250));
		expect(calls).toEqual(inBatches);
	});

	it('emits 250 events stored at once once each, in order, with at most 2 calls per read', async () => {
		const harness = await startPolling();
		store(harness.staticData.webhookId as string, 0, 250);
		const calls = [await read(harness), await read(harness), await read(harness)];
		// An API that ignores `since` only ever shows its newest 200: the oldest 50 are out of reach.
		expect(texts(harness)).toEqual(behaviour === 'ignored' ? range(50, 200) : range(0, 250));
		expect(calls).toEqual(atOnce);
	});

	it('emits nothing again after a restart from the saved state, then only what is new', async () => {
		const first = await startPolling();
		const webhookId = first.staticData.webhookId as string;
		store(webhookId, 0, 5);
		await read(first);
		expect(texts(first)).toEqual(range(0, 5));

		const second = await startPolling(JSON.parse(JSON.stringify(first.savedStaticData)) as IDataObject);
		expect(second.staticData.webhookId).toBe(webhookId);
		await read(second);
		expect(texts(second)).toEqual([]);
		store(webhookId, 5, 1);
		await read(second);
		await read(second);
		expect(texts(second)).toEqual(['m5']);
	});

	it('recognises events without an event_id by their fingerprint', async () => {
		fake.failNext({
			route: /\/events$/,
			method: 'GET',
			times: Infinity,
			edit: (answer) => answer.data.items.forEach((item: Json) => delete item.event_id),
		});
		const harness = await startPolling();
		store(harness.staticData.webhookId as string, 0, 5);
		await read(harness);
		await read(harness);
		store(harness.staticData.webhookId as string, 5, 2);
		await read(harness);
		await read(harness);
		expect(texts(harness)).toEqual(range(0, 7));
		expect((harness.staticData.seenIds as string[]).every((key) => /^#[0-9a-f]{20}$/.test(key))).toBe(true);
	});
});

describe('LinkupHostedTrigger: reads of /events per poll', () => {
	it('emits events sharing a second once when `since` is compared at whole seconds inclusively', async () => {
		fake.sinceBehaviour = 'wholeSecondsInclusive';
		const harness = await startPolling();
		const webhookId = harness.staticData.webhookId as string;
		store(webhookId, 0, 3, 1); // 12:00:00.000, .001 and .002
		const calls = [await read(harness), await read(harness)];
		store(webhookId, 3, 1, 1); // the same second, after the cursor
		calls.push(await read(harness), await read(harness));
		expect(texts(harness)).toEqual(['m0', 'm1', 'm2', 'm3']);
		expect(calls).toEqual([1, 1, 1, 1]);
	});

	it(`reads at most ${MAX_PAGES_PER_READ} pages at once, then goes on at the next read`, async () => {
		answerEndlessNewEvents(fake, START);
		const harness = await startPolling();
		expect(await read(harness)).toBe(MAX_PAGES_PER_READ);
		expect(await read(harness)).toBe(MAX_PAGES_PER_READ);
		expect(new Set(texts(harness)).size).toBe(texts(harness).length);
	});

	it('does not stall on a full page of events sharing one millisecond: the next read asks from the cursor', async () => {
		const harness = await startPolling();
		const webhookId = harness.staticData.webhookId as string;
		store(webhookId, 0, 200, 0); // all at 12:00:00.000
		store(webhookId, 200, 3, 1); // 12:00:00.200 to .202
		const calls = [await read(harness), await read(harness), await read(harness)];
		expect(texts(harness)).toEqual(range(0, 203));
		expect(calls).toEqual([2, 1, 1]);
		expect(fake.requestsTo('GET', /\/events$/).at(-2)?.query.since).toBe(new Date(START).toISOString());
	});
});
