// Webhook > Get Events against an API that ignores `since` or compares it at whole seconds
// inclusively: bounded pages, each event once, and the user's Since still honoured.
import type { Json, SinceBehaviour } from '../../../../fake-linkupapi/server';
import { MAX_EVENT_PAGES } from '../../../../../nodes/Linkup/transport';
import { answerEndlessNewEvents } from '../../../../helpers/endlessEvents';
import { errorOf, firstAccountId, rl, runNode, seedWebhook, useFakeLinkupApi } from '../../../../helpers/linkupNode';

const fake = useFakeLinkupApi();
// Events are stored at fixed dates; the fake's clock is pinned an hour later so its 24 h retention
// keeps them whatever day the suite runs.
const START = Date.parse('2026-11-28T12:00:00.000Z');
let webhookId: string;

beforeEach(async () => {
	fake().now = () => START + 3600_000;
	webhookId = (await seedWebhook(fake(), { account_id: firstAccountId(fake()) })).webhook_id;
});

/** Stores `count` messages, 10 in each second. */
function store(count: number): void {
	for (let n = 0; n < count; n++) {
		const wrapper = fake().sampleEvent(firstAccountId(fake()), 'message', { message_text: `m${n}` });
		fake().enqueueEvent(webhookId, wrapper, new Date(START + n * 100));
	}
}

async function getEvents(parameters: Record<string, unknown>): Promise<unknown[]> {
	const { json } = await runNode(fake(), {
		resource: 'webhook',
		operation: 'getEvents',
		webhookId: rl(webhookId),
		since: '',
		...parameters,
	});
	return json.map((item) => (item.event as Json).message_text);
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => `m${from + i}`);

// Against an API that ignores `since`, a full page with nothing new is asked once more from the
// cursor itself (an API that does take `since` would answer past the cursor's millisecond), then
// reading ends: 3 calls.
describe.each<{ behaviour: SinceBehaviour; all: string[]; calls: number }>([
	{ behaviour: 'exclusive', all: range(0, 250), calls: 2 },
	// Such an API only ever shows its newest 200.
	{ behaviour: 'ignored', all: range(50, 200), calls: 3 },
	{ behaviour: 'wholeSecondsInclusive', all: range(0, 250), calls: 2 },
])('webhook getEvents when /events takes `since` as $behaviour', ({ behaviour, all, calls }) => {
	beforeEach(() => {
		fake().sinceBehaviour = behaviour;
		store(250);
	});

	it('returns every event once, in order, in at most 3 calls (Return All)', async () => {
		expect(await getEvents({ returnAll: true })).toEqual(all);
		expect(fake().requests).toHaveLength(calls);
	});

	it('returns at most the limit, each event once, in at most 3 calls', async () => {
		expect(await getEvents({ returnAll: false, limit: 240 })).toEqual(all.slice(0, 240));
		expect(fake().requests).toHaveLength(calls);
	});

	it('returns only events after Since, even when the API sends older ones', async () => {
		expect(await getEvents({ returnAll: true, since: '2026-11-28T12:00:20Z' })).toEqual(range(201, 49));
		expect(fake().requests).toHaveLength(behaviour === 'ignored' ? 3 : 1);
	});
});

describe('webhook getEvents: pages it must not stop at', () => {
	it('reads past a full page of events sharing one millisecond', async () => {
		for (let n = 0; n < 203; n++) {
			const wrapper = fake().sampleEvent(firstAccountId(fake()), 'message', { message_text: `m${n}` });
			fake().enqueueEvent(webhookId, wrapper, new Date(START + Math.max(0, n - 199)));
		}

		expect(await getEvents({ returnAll: true })).toEqual(range(0, 203));
		expect(fake().requests.map((request) => request.query.since)).toEqual([
			undefined,
			new Date(START - 1).toISOString(),
			new Date(START).toISOString(),
		]);
	});

	it(`stops an API that never runs out of new events after ${MAX_EVENT_PAGES} pages, saying how to read fewer`, async () => {
		answerEndlessNewEvents(fake(), START);

		const error = await errorOf(getEvents({ returnAll: true }));

		expect(error.message).toMatch(/still answered full pages of new events .* after 100 pages.*Set a Limit, or a later Since/);
		expect(fake().requests).toHaveLength(MAX_EVENT_PAGES);
	});
});
