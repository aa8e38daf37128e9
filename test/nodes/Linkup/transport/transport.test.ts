// The LinkupAPI client: requests, error wording, paging, lenient parsing and Base URL safety.
import { NodeApiError } from 'n8n-workflow';
import {
	extractItems,
	getAccounts,
	getEvents,
	baseUrlProblem,
	getLinkupClient,
	type LinkupRequest,
	normalizeBaseUrl,
	parseLinkupTimestamp,
} from '../../../../nodes/Linkup/transport';
import { linkupCredentials, TEST_API_KEY } from '../../../helpers/credentials';
import { createExecuteContext } from '../../../helpers/n8nContext';
import { errorOf as failureOf } from '../../../helpers/linkupNode';
import { useFakeLinkupApi } from '../../../helpers/useFakeLinkupApi';

const fakeApi = useFakeLinkupApi();

function context(baseUrl = fakeApi().baseUrl, apiKey = TEST_API_KEY) {
	return createExecuteContext({ credentials: linkupCredentials(baseUrl, apiKey) }).context as never;
}

/** One request through a client built the way every node builds it. */
async function linkupApiRequest(this: never, request: LinkupRequest): Promise<unknown> {
	return await (await getLinkupClient.call(this)).request(request);
}

const errorOf = async (promise: Promise<unknown>) => (await failureOf(promise)) as NodeApiError;

describe('LinkupClient.request', () => {
	it('sends the key as x-api-key and returns the envelope data', async () => {
		const data = await linkupApiRequest.call(context(), { method: 'GET', path: '/v2/accounts', qs: { limit: 2 } });
		expect((data as { items: unknown[] }).items).toHaveLength(2);
		const [request] = fakeApi().requests;
		expect(request.headers['x-api-key']).toBe(TEST_API_KEY);
		expect(request.path).toBe('/v2/accounts');
		expect(request.query).toEqual({ limit: '2' });
	});

	it('tolerates a trailing slash in the base URL', async () => {
		await linkupApiRequest.call(context(`${fakeApi().baseUrl}//`), { method: 'GET', path: '/v2/webhooks' });
		expect(fakeApi().requests[0].path).toBe('/v2/webhooks');
	});

	it('sends JSON bodies', async () => {
		const accountId = fakeApi().accountList()[0].account_id;
		const data = await linkupApiRequest.call(context(), {
			method: 'POST',
			path: '/v2/webhooks',
			body: { account_id: accountId, events: ['message_received'] },
		});
		expect(data).toMatchObject({ account_id: accountId, events: ['message_received'], url: null });
		expect(fakeApi().requests[0].body).toEqual({ account_id: accountId, events: ['message_received'] });
	});

	it.each([
		[403, 'INVALID_API_KEY', 'Invalid or missing API key', /^INVALID_API_KEY: Invalid or missing API key\. Check the API key in your LinkupAPI credential/],
		[402, 'INSUFFICIENT_CREDITS', 'Not enough credits to start monitoring', /^INSUFFICIENT_CREDITS: Not enough credits to start monitoring\. Top up your LinkupAPI credits: monitoring needs at least 1 credit/],
		[404, 'INVALID_ACCOUNT', 'Account acc_1 not found', /^INVALID_ACCOUNT: Account acc_1 not found\. This account ID does not exist or belongs to another API key/],
		[403, 'ACCOUNT_INACTIVE', 'Account is inactive or suspended', /^ACCOUNT_INACTIVE: .*Reconnect it in LinkupAPI/],
		[400, 'INVALID_PARAMS', 'url must be a public HTTPS URL', /^INVALID_PARAMS: url must be a public HTTPS URL\. Fix the value the message names/],
		[500, 'INTERNAL_ERROR', 'Boom', /^INTERNAL_ERROR: Boom\. LinkupAPI had a problem on its side/],
	])('maps HTTP %i %s to a plain-words NodeApiError', async (status, code, message, expected) => {
		fakeApi().failNext({
			route: '/v2/webhooks',
			status,
			body: { success: false, error: { code, message }, metadata: { credits_consumed: 0 } },
		});
		const error = await errorOf(
			linkupApiRequest.call(context(), { method: 'POST', path: '/v2/webhooks', body: { account_id: 'acc_1' } }),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(expected);
		expect(error.httpCode).toBe(String(status));
	});

	it('explains an undocumented 404 without an envelope', async () => {
		fakeApi().failNext({ route: /\/v2\/webhooks\/.+/, status: 404, body: 'Not Found' });
		const error = await errorOf(linkupApiRequest.call(context(), { method: 'GET', path: '/v2/webhooks/abc' }));
		expect(error.message).toMatch(/^NOT_FOUND: Not Found\. Nothing with this ID was found for your API key/);
	});

	it('gives the not-found hint for an unknown webhook whatever code comes with the 404', async () => {
		const error = await errorOf(linkupApiRequest.call(context(), { method: 'GET', path: '/v2/webhooks/unknown' }));
		expect(error.message).toMatch(/^INVALID_PARAMS: Webhook unknown not found\. Nothing with this ID was found for your API key/);
	});

	it('reports a real wrong key from the API', async () => {
		const error = await errorOf(linkupApiRequest.call(context(fakeApi().baseUrl, 'wrong-key'), { method: 'GET', path: '/v2/accounts' }));
		expect(error.message).toMatch(/^INVALID_API_KEY: /);
		expect(error.message).not.toContain('wrong-key');
		expect(JSON.stringify(error)).not.toContain('wrong-key');
	});

	it('treats success:false on HTTP 200 as an error', async () => {
		fakeApi().failNext({ route: '/v2/accounts', status: 200, body: { success: false, error: { code: 'INVALID_PARAMS', message: 'limit too big' } } });
		const error = await errorOf(linkupApiRequest.call(context(), { method: 'GET', path: '/v2/accounts' }));
		expect(error.message).toMatch(/^INVALID_PARAMS: limit too big\./);
	});
});

describe('paging', () => {
	it('reads 1,247 accounts in 3 pages of 500', async () => {
		fakeApi().addAccounts(1244);
		const client = await getLinkupClient.call(context());
		const accounts = await getAccounts(client);
		expect(accounts).toHaveLength(1247);
		expect(new Set(accounts.map((a) => a.account_id)).size).toBe(1247);
		expect(fakeApi().requestsTo('GET', '/v2/accounts').map((r) => r.query)).toEqual([
			{ limit: '500', offset: '0' },
			{ limit: '500', offset: '500' },
			{ limit: '500', offset: '1000' },
		]);
	});

	it('fetches no more accounts than the limit asks for', async () => {
		fakeApi().addAccounts(700);
		const client = await getLinkupClient.call(context());
		expect(await getAccounts(client, 10)).toHaveLength(10);
		expect(await getAccounts(client, 600)).toHaveLength(600);
		expect(fakeApi().requestsTo('GET', '/v2/accounts').map((r) => r.query.limit)).toEqual(['10', '500', '100']);
	});

	it('reads 450 events in 3 pages of 200 with a since cursor and no duplicates', async () => {
		const accountId = fakeApi().accountList()[0].account_id;
		const client = await getLinkupClient.call(context());
		const webhook = await client.request<{ webhook_id: string }>({ method: 'POST', path: '/v2/webhooks', body: { account_id: accountId } });
		const start = Date.now() - 60_000;
		for (let i = 0; i < 450; i++) {
			fakeApi().enqueueEvent(webhook.webhook_id, fakeApi().sampleEvent(accountId), new Date(start + i * 10));
		}
		const events = await getEvents(client, webhook.webhook_id, {});
		expect(events).toHaveLength(450);
		expect(new Set(events.map((e) => e.event_id)).size).toBe(450);
		const calls = fakeApi().requestsTo('GET', /\/events$/);
		expect(calls.map((c) => c.query.limit)).toEqual(['200', '200', '200']);
		expect(calls[0].query.since).toBeUndefined();
		const oneMsBefore = (iso: unknown) => new Date(Date.parse(String(iso)) - 1).toISOString();
		expect(calls[1].query.since).toBe(oneMsBefore(events[199].created_at));
		// The second page re-reads the boundary event, so it brings 199 new ones.
		expect(calls[2].query.since).toBe(oneMsBefore(events[398].created_at));
	});

	it('loses no event when several share the millisecond at a page boundary', async () => {
		const accountId = fakeApi().accountList()[0].account_id;
		const client = await getLinkupClient.call(context());
		const webhook = await client.request<{ webhook_id: string }>({ method: 'POST', path: '/v2/webhooks', body: { account_id: accountId } });
		const start = Date.now() - 60_000;
		// Events 195 to 205 share one millisecond, so the first page of 200 ends in the middle of them.
		for (let i = 0; i < 250; i++) {
			const at = i >= 195 && i <= 205 ? start + 195 : start + i;
			fakeApi().enqueueEvent(webhook.webhook_id, fakeApi().sampleEvent(accountId), new Date(at));
		}
		const events = await getEvents(client, webhook.webhook_id, {});
		expect(events).toHaveLength(250);
		expect(new Set(events.map((e) => e.event_id)).size).toBe(250);
	});

	it('drops the boundary event when since turns out to be inclusive', async () => {
		const accountId = fakeApi().accountList()[0].account_id;
		const client = await getLinkupClient.call(context());
		const webhook = await client.request<{ webhook_id: string }>({ method: 'POST', path: '/v2/webhooks', body: { account_id: accountId } });
		const at = new Date(Date.now() - 1000);
		for (let i = 0; i < 3; i++) fakeApi().enqueueEvent(webhook.webhook_id, fakeApi().sampleEvent(accountId), at);
		fakeApi().failNext({
			route: /\/events$/,
			status: 200,
			body: { success: true, data: { items: [...fakeApi().events.get(webhook.webhook_id)!] } },
		});
		const events = await getEvents(client, webhook.webhook_id, { limit: 2 });
		expect(events).toHaveLength(2);
	});
});

describe('lenient parsing', () => {
	it('reads lists in every shape the docs hint at', () => {
		const items = [{ webhook_id: 'a' }];
		expect(extractItems({ items })).toEqual(items);
		expect(extractItems({ webhooks: items })).toEqual(items);
		expect(extractItems(items)).toEqual(items);
		expect(extractItems({ nothing: true })).toEqual([]);
		expect(extractItems(undefined)).toEqual([]);
	});

	it('treats a timestamp without a zone as UTC and keeps zoned ones', () => {
		expect(parseLinkupTimestamp('2025-01-15T10:30:00.000000')?.toISOString()).toBe('2025-01-15T10:30:00.000Z');
		expect(parseLinkupTimestamp('2026-04-28T12:00:00Z')?.toISOString()).toBe('2026-04-28T12:00:00.000Z');
		expect(parseLinkupTimestamp('2026-04-28T14:00:00+02:00')?.toISOString()).toBe('2026-04-28T12:00:00.000Z');
		expect(parseLinkupTimestamp('2025-01-15T10:31:00.123456Z')?.toISOString()).toBe('2025-01-15T10:31:00.123Z');
		expect(parseLinkupTimestamp('not a date')).toBeUndefined();
		expect(parseLinkupTimestamp(undefined)).toBeUndefined();
	});

	it('normalises the base URL', () => {
		expect(normalizeBaseUrl('https://api.linkupapi.com/')).toBe('https://api.linkupapi.com');
		expect(normalizeBaseUrl('  ')).toBe('https://api.linkupapi.com');
		expect(normalizeBaseUrl(undefined)).toBe('https://api.linkupapi.com');
	});
});

describe('base URL safety', () => {
	it.each([
		['https://api.linkupapi.com', undefined],
		['http://localhost:5678', undefined],
		['http://127.0.0.1:8080', undefined],
		['http://[::1]:8080', undefined],
		['http://api.linkupapi.com', /does not start with https:\/\/, so the API key would travel unencrypted/],
		['http://10.0.0.5', /does not start with https:\/\//],
		['http://localhost.example.com', /does not start with https:\/\//],
		['ftp://api.linkupapi.com', /does not start with https:\/\//],
		['not a url', /is not a valid address/],
	])('%s', (baseUrl, expected) => {
		const problem = baseUrlProblem(baseUrl);
		if (expected === undefined) expect(problem).toBeUndefined();
		else expect(problem).toMatch(expected);
	});

	it('refuses a plain-http credential before sending anything, with a message saying what to fix', async () => {
		const { context, httpCalls } = createExecuteContext({ credentials: linkupCredentials('http://api.linkupapi.com', TEST_API_KEY) });
		const error = await errorOf(linkupApiRequest.call(context as never, { method: 'GET', path: '/v2/accounts' }));
		expect(error.message).toMatch(/^The Base URL "http:\/\/api\.linkupapi\.com" in your LinkupAPI credential does not start with https:\/\//);
		expect(error.message).not.toContain(TEST_API_KEY);
		expect(httpCalls).toEqual([]);
	});
});
