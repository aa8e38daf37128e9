// The LinkupAPI node's Webhook > Get Events operation: paging, Since, checks.
import { NodeOperationError } from 'n8n-workflow';
import type { Json } from '../../../../fake-linkupapi/server';
import {
	errorOf,
	firstAccountId,
	rl,
	runNode,
	seedWebhook,
	useFakeLinkupApi,
} from '../../../../helpers/linkupNode';

const fake = useFakeLinkupApi();
// Events are stored at fixed dates; the fake's clock is pinned an hour later so its 24 h retention
// keeps them whatever day the suite runs.
const START = Date.parse('2026-11-28T12:00:00.000Z');
let webhookId: string;

/** Stores `count` message events one second apart, starting at START. */
function enqueue(count: number): Json[] {
	return Array.from({ length: count }, (_, i) =>
		fake().enqueueEvent(
			webhookId,
			fake().sampleEvent(firstAccountId(fake()), 'message', { message_text: `message ${i}` }),
			new Date(START + i * 1000),
		),
	);
}

beforeEach(async () => {
	fake().now = () => START + 3600_000;
	webhookId = (await seedWebhook(fake(), { account_id: firstAccountId(fake()) })).webhook_id;
});

function getEvents(parameters: Record<string, unknown>) {
	return runNode(fake(), {
		resource: 'webhook',
		operation: 'getEvents',
		webhookId: rl(webhookId),
		since: '',
		...parameters,
	});
}

function oneMsBefore(iso: unknown): string {
	return new Date(Date.parse(String(iso)) - 1).toISOString();
}

describe('webhook getEvents', () => {
	it('reads 450 events with Return All in 3 calls of limit 200, one item per event', async () => {
		const stored = enqueue(450);

		const { json } = await getEvents({ returnAll: true });

		const calls = fake().requestsTo('GET', `/v2/webhooks/${webhookId}/events`);
		expect(fake().requests).toHaveLength(3);
		expect(calls.map((call) => call.query)).toEqual([
			{ limit: '200' },
			// Follow-up pages reach back 1 ms and re-read the boundary event (dropped as already seen).
			{ limit: '200', since: oneMsBefore(stored[199].created_at) },
			{ limit: '200', since: oneMsBefore(stored[398].created_at) },
		]);
		expect(calls.every((call) => call.headers['x-api-key'] === fake().apiKey)).toBe(true);
		expect(json).toHaveLength(450);
		expect(new Set(json.map((item) => item.event_id)).size).toBe(450);
		expect(json[0]).toEqual({ ...stored[0].event, event_id: stored[0].event_id, created_at: stored[0].created_at });
		expect(json[449]).toMatchObject({
			account_id: firstAccountId(fake()),
			event: { type: 'message', message_text: 'message 449' },
		});
	});

	it('asks for exactly the limit when it fits one page', async () => {
		enqueue(30);

		const { json } = await getEvents({ returnAll: false, limit: 10 });

		expect(fake().requests.map((request) => request.query)).toEqual([{ limit: '10' }]);
		expect(json.map((item) => (item.event as Json).message_text)).toEqual(
			Array.from({ length: 10 }, (_, i) => `message ${i}`),
		);
	});

	it('pages a limit above 200 with full follow-up pages, which also hold the events re-read at the cursor', async () => {
		const stored = enqueue(500);

		const { json } = await getEvents({ returnAll: false, limit: 250 });

		expect(fake().requests.map((request) => request.query)).toEqual([
			{ limit: '200' },
			{ limit: '200', since: oneMsBefore(stored[199].created_at) },
		]);
		expect(json).toHaveLength(250);
	});

	it('sends Since as ISO 8601 UTC and returns only later events', async () => {
		enqueue(5);

		const { json } = await getEvents({ returnAll: true, since: '2026-11-28T12:00:02' });

		expect(fake().requests[0].query).toEqual({ limit: '200', since: '2026-11-28T12:00:02.000Z' });
		expect(json.map((item) => (item.event as Json).message_text)).toEqual(['message 3', 'message 4']);
	});

	it.each([
		['Europe/Paris', '2026-11-28T13:00:02', '2026-11-28T12:00:02.000Z'],
		['America/New_York', '2026-11-28T07:00:02', '2026-11-28T12:00:02.000Z'],
		['America/New_York', '2026-11-28T12:00:02Z', '2026-11-28T12:00:02.000Z'],
	])('reads a Since without a zone in the workflow time zone (%s, %s)', async (timezone, since, sent) => {
		const { json } = await runNode(
			fake(),
			{ resource: 'webhook', operation: 'getEvents', webhookId: rl(webhookId), since, returnAll: true },
			{ timezone },
		);

		expect(fake().requests[0].query).toEqual({ limit: '200', since: sent });
		expect(json).toEqual([]);
	});

	it('refuses a Since that is not a date before calling the API', async () => {
		const error = await errorOf(getEvents({ returnAll: true, since: 'last tuesday' }));

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^The Since field is not a date \(got "last tuesday"\)\. Enter a date and time/);
		expect(fake().requests).toHaveLength(0);
	});

	it('refuses an empty webhook before calling the API', async () => {
		const error = await errorOf(getEvents({ returnAll: true, webhookId: rl('') }));

		expect(error.message).toMatch(/^The Webhook field is empty\. Pick the webhook from the list or enter its ID/);
		expect(fake().requests).toHaveLength(0);
	});
});
