import { FakeLinkupApi, type Json } from './server';

// How the fake's /events reads `since`: the Hosted Trigger's and Get Events' tests rely on each.
describe('FakeLinkupApi: sinceBehaviour of /events', () => {
	const START = Date.parse('2026-11-28T12:00:00.000Z');
	let fake: FakeLinkupApi;
	let webhookId: string;

	beforeEach(async () => {
		fake = new FakeLinkupApi({ now: () => START + 3600_000 });
		await fake.start();
		const created = await fetch(`${fake.baseUrl}/v2/webhooks`, {
			method: 'POST',
			headers: { 'x-api-key': fake.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify({ account_id: fake.accountList()[0].account_id }),
		});
		webhookId = ((await created.json()) as Json).data.webhook_id;
		// Five events: 12:00:00.000, .400, .800, 12:00:01.200 and 1.600.
		for (let n = 0; n < 5; n++) fake.enqueueEvent(webhookId, { n }, new Date(START + n * 400));
	});

	afterEach(async () => {
		await fake.stop();
	});

	async function eventsAfter(since: string, limit = 200): Promise<unknown[]> {
		const url = `${fake.baseUrl}/v2/webhooks/${webhookId}/events?limit=${limit}&since=${since}`;
		const answer = (await (await fetch(url, { headers: { 'x-api-key': fake.apiKey } })).json()) as Json;
		return answer.data.items.map((item: Json) => item.event.n);
	}

	it('takes `since` exclusively to the millisecond by default', async () => {
		expect(fake.sinceBehaviour).toBe('exclusive');
		expect(await eventsAfter('2026-11-28T12:00:00.400Z')).toEqual([2, 3, 4]);
	});

	it('ignores `since` and answers the newest `limit` events, oldest first, when told to', async () => {
		fake.sinceBehaviour = 'ignored';
		expect(await eventsAfter('2026-11-28T12:00:01.500Z')).toEqual([0, 1, 2, 3, 4]);
		expect(await eventsAfter('2026-11-28T12:00:01.500Z', 2)).toEqual([3, 4]);
	});

	it('compares `since` at whole seconds, inclusively, when told to', async () => {
		fake.sinceBehaviour = 'wholeSecondsInclusive';
		expect(await eventsAfter('2026-11-28T12:00:00.999Z')).toEqual([0, 1, 2, 3, 4]);
		expect(await eventsAfter('2026-11-28T12:00:01.000Z')).toEqual([3, 4]);
	});
});
