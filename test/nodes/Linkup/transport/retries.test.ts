// The transport's retries: GET and DELETE through rate limits, 5xx and dropped connections; never POST or PUT.
import { NodeApiError } from 'n8n-workflow';
import {
	deleteWebhook,
	getLinkupClient,
	RETRY_POLICY,
	type LinkupRequest,
} from '../../../../nodes/Linkup/transport';
import { linkupCredentials } from '../../../helpers/credentials';
import { createExecuteContext } from '../../../helpers/n8nContext';
import { useShortRetryWaits } from '../../../helpers/shortRetryWaits';
import { errorOf as failureOf } from '../../../helpers/linkupNode';
import { useFakeLinkupApi } from '../../../helpers/useFakeLinkupApi';

// Waits here are the real policy's divided by 100: first 10 ms, at most 100 ms each, 200 ms in all.
const fakeApi = useFakeLinkupApi();
useShortRetryWaits();

const ATTEMPTS = RETRY_POLICY.retries + 1;
const rateLimited = { status: 429, body: { success: false, error: { code: 'RATE_LIMITED', message: 'Too many requests' } } };

async function send(request: LinkupRequest, baseUrl = fakeApi().baseUrl): Promise<unknown> {
	const { context } = createExecuteContext({ credentials: linkupCredentials(baseUrl) });
	return await (await getLinkupClient.call(context as never)).request(request);
}

const errorOf = async (promise: Promise<unknown>) => (await failureOf(promise)) as NodeApiError;

/** Milliseconds between the calls the fake saw. */
function gaps(method: string, path: string | RegExp): number[] {
	const times = fakeApi().requestsTo(method, path).map((request) => request.time);
	return times.slice(1).map((time, index) => time - times[index]);
}

async function hostedWebhookId(): Promise<string> {
	const accountId = fakeApi().accountList()[0].account_id;
	const created = await send({ method: 'POST', path: '/v2/webhooks', body: { account_id: accountId } });
	return (created as { webhook_id: string }).webhook_id;
}

describe('idempotent retry of GET and DELETE', () => {
	it('retries a GET answered 429 after the Retry-After the API asked for', async () => {
		fakeApi().failNext({ route: '/v2/accounts', ...rateLimited, headers: { 'retry-after': '0.05' } });
		await send({ method: 'GET', path: '/v2/accounts' });
		expect(fakeApi().requestsTo('GET', '/v2/accounts')).toHaveLength(2);
		expect(gaps('GET', '/v2/accounts')[0]).toBeGreaterThanOrEqual(45);
	});

	it('doubles the wait when a 429 gives no Retry-After', async () => {
		fakeApi().failNext({ route: '/v2/accounts', ...rateLimited, times: 3 });
		await send({ method: 'GET', path: '/v2/accounts' });
		const [first, second, third] = gaps('GET', '/v2/accounts');
		expect([first >= 9, second >= 19, third >= 39]).toEqual([true, true, true]);
	});

	it('does not retry when Retry-After asks for longer than the cap, and says it is rate-limited', async () => {
		fakeApi().failNext({ route: '/v2/accounts', ...rateLimited, headers: { 'retry-after': '1' } });
		const error = await errorOf(send({ method: 'GET', path: '/v2/accounts' }));
		expect(error.message).toMatch(/^RATE_LIMITED: Too many requests\. LinkupAPI is limiting how fast you call it/);
		expect(fakeApi().requestsTo('GET', '/v2/accounts')).toHaveLength(1);
	});

	it('keeps all waits together under the total cap', async () => {
		// Each answer asks for the longest single wait (100 ms); the total cap (200 ms) allows two.
		fakeApi().failNext({ route: '/v2/accounts', ...rateLimited, times: 10, headers: { 'retry-after': '0.1' } });
		const error = await errorOf(send({ method: 'GET', path: '/v2/accounts' }));
		expect(error.message).toMatch(/^RATE_LIMITED: /);
		expect(fakeApi().requestsTo('GET', '/v2/accounts')).toHaveLength(3);
	});

	it('gives up after 3 retries with the last error in plain words', async () => {
		fakeApi().failNext({ route: '/v2/accounts', ...rateLimited, times: 10, headers: { 'retry-after': '0' } });
		const error = await errorOf(send({ method: 'GET', path: '/v2/accounts' }));
		expect(error.message).toMatch(/^RATE_LIMITED: Too many requests\. LinkupAPI is limiting how fast you call it/);
		expect(fakeApi().requestsTo('GET', '/v2/accounts')).toHaveLength(ATTEMPTS);
	});

	it.each([500, 502, 503, 504])('retries a GET answered %i and returns the data', async (status) => {
		fakeApi().failNext({ route: '/v2/accounts', status, times: 2 });
		const data = await send({ method: 'GET', path: '/v2/accounts' });
		expect((data as { items: unknown[] }).items).toHaveLength(3);
		expect(fakeApi().requestsTo('GET', '/v2/accounts')).toHaveLength(3);
	});

	it('retries a GET whose connection was dropped', async () => {
		fakeApi().failNext({ route: '/v2/accounts', destroy: true, times: 2 });
		const data = await send({ method: 'GET', path: '/v2/accounts' });
		expect((data as { items: unknown[] }).items).toHaveLength(3);
		expect(fakeApi().requestsTo('GET', '/v2/accounts')).toHaveLength(3);
	});

	it('retries a refused connection until the API is back', async () => {
		// Waits of 150, 300 and 600 ms leave the restart (after 50 ms) time even on a busy machine.
		Object.assign(RETRY_POLICY, { firstWaitMs: 150, maxWaitMs: 1000, totalWaitMs: 2000 });
		const fake = fakeApi();
		const port = fake.port;
		await fake.stop();
		const restarted = new Promise((resolve) => setTimeout(resolve, 50)).then(() => fake.start(port));
		const data = await send({ method: 'GET', path: '/v2/accounts' }, `http://127.0.0.1:${port}`);
		await restarted;
		expect((data as { items: unknown[] }).items).toHaveLength(3);
		expect(fake.requestsTo('GET', '/v2/accounts')).toHaveLength(1);
	});

	it('names the failure when the connection stays refused', async () => {
		const port = fakeApi().port;
		await fakeApi().stop();
		const error = await errorOf(send({ method: 'GET', path: '/v2/accounts' }, `http://127.0.0.1:${port}`));
		expect(error.message).toBe(`Could not reach LinkupAPI at http://127.0.0.1:${port} (connection refused).`);
	});

	it.each([400, 403, 404])('does not retry a GET answered %i', async (status) => {
		fakeApi().failNext({ route: '/v2/accounts', status, times: 5 });
		await errorOf(send({ method: 'GET', path: '/v2/accounts' }));
		expect(fakeApi().requestsTo('GET', '/v2/accounts')).toHaveLength(1);
	});

	it('retries a DELETE answered 429 with Retry-After, 5xx or a dropped connection, then deletes', async () => {
		const webhookId = await hostedWebhookId();
		const path = `/v2/webhooks/${webhookId}`;
		fakeApi().failNext({ route: path, method: 'DELETE', ...rateLimited, headers: { 'retry-after': '0.02' } });
		fakeApi().failNext({ route: path, method: 'DELETE', status: 503 });
		fakeApi().failNext({ route: path, method: 'DELETE', destroy: true });
		await send({ method: 'DELETE', path });
		expect(fakeApi().requestsTo('DELETE', path)).toHaveLength(4);
		expect(fakeApi().webhooks.has(webhookId)).toBe(false);
	});

	it.each([
		['a 502', { status: 502 }],
		['a dropped connection', {}],
	] as const)('counts a DELETE whose answer was lost (%s) and whose retry meets 404 as done', async (_what, fault) => {
		const webhookId = await hostedWebhookId();
		const path = `/v2/webhooks/${webhookId}`;
		fakeApi().loseAnswerNext({ route: path, method: 'DELETE', ...fault });
		const { context } = createExecuteContext({ credentials: linkupCredentials(fakeApi().baseUrl) });
		const client = await getLinkupClient.call(context as never);
		expect(await deleteWebhook(client, webhookId)).toBe(true);
		expect(fakeApi().requestsTo('DELETE', path)).toHaveLength(2);
		expect(fakeApi().webhooks.has(webhookId)).toBe(false);
	});

	it('still reports 404 for a DELETE whose first answer was a rate limit (it was never done)', async () => {
		const path = '/v2/webhooks/0123456789abcdef01234567';
		fakeApi().failNext({ route: path, method: 'DELETE', ...rateLimited, headers: { 'retry-after': '0' } });
		const error = await errorOf(send({ method: 'DELETE', path }));
		expect(error.httpCode).toBe('404');
		expect(fakeApi().requestsTo('DELETE', path)).toHaveLength(2);
	});

	it.each([
		['POST', '429', { ...rateLimited, headers: { 'retry-after': '0' } }],
		['POST', '500', { status: 500 }],
		['POST', 'a dropped connection', { destroy: true }],
		['PUT', '429', { ...rateLimited, headers: { 'retry-after': '0' } }],
		['PUT', '503', { status: 503 }],
		['PUT', 'a dropped connection', { destroy: true }],
	] as const)('never retries a %s after %s', async (method, _what, fault) => {
		const webhookId = await hostedWebhookId();
		const path = method === 'POST' ? '/v2/webhooks' : `/v2/webhooks/${webhookId}`;
		fakeApi().failNext({ route: path, method, times: 5, ...fault });
		await errorOf(send({ method, path, body: { account_id: 'acc_1' } }));
		expect(fakeApi().requestsTo(method, path)).toHaveLength(method === 'POST' ? 2 : 1);
	});
});
