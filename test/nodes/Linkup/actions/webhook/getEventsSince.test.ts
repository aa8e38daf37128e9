// Webhook > Get Events against an API that ignores `since` or compares it at whole seconds
// inclusively: bounded pages, each event once, and the user's Since still honoured.
import type { Json, SinceBehaviour } from '../../../../fake-linkupapi/server';
import { MAX_EVENT_PAGES } from '../../../../../nodes/Linkup/transport';
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

describe.each<{ behaviour: SinceBehaviour; all: string[] }>([
	{ behaviour: 'exclusive', all: range(0, 250) },
	// Such an API only ever shows its newest 200.
	{ behaviour: 'ignored', all: range(50, 200) },
	{ behaviour: 'wholeSecondsInclusive', all: range(0, 250) },
])('webhook getEvents when /events takes `since` as $behaviour', ({ behaviour, all }) => {
	beforeEach(() => {
		fake().sinceBehaviour = behaviour;
		store(250);
	});

	it('returns every event once, in order, in 2 calls (Return All)', async () => {
		expect(await getEvents({ returnAll: true })).toEqual(all);
		expect(fake().requests).toHaveLength(2);
	});

	it('returns at most the limit, each event once, in 2 calls', async () => {
		expect(await getEvents({ returnAll: false, limit: 240 })).toEqual(all.slice(0, 240));
		expect(fake().requests).toHaveLength(2);
	});

	it('returns only events after Since, even when the API sends older ones', async () => {
		expect(await getEvents({ returnAll: true, since: '2026-11-28T12:00:20Z' })).toEqual(range(201, 49));
		expect(fake().requests).toHaveLength(behaviour === 'ignored' ? 2 : 1);
	});
});

describe('webhook getEvents against an API that never runs out of new events', () => {
	it(`stops after ${MAX_EVENT_PAGES} pages with an error saying how to read fewer`, async () => {
		let answers = 0;
		fake().failNext({
			route: /\/events$/,
			method: 'GET',
			times: Infinity,
			edit: (answer) => {
				answers++;
				answer.data.items = Array.from({ length: 200 }, (_, i) => ({
					event_id: `a${answers}-${i}`,
					event: { type: 'message' },
					created_at: new Date(START + answers * 1000 + i).toISOString(),
				}));
			},
		});

		const error = await errorOf(getEvents({ returnAll: true }));

		expect(error.message).toMatch(/still answered full pages of new events .* after 100 pages.*Set a Limit, or a later Since/);
		expect(fake().requests).toHaveLength(MAX_EVENT_PAGES);
	});
});
