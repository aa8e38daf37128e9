import { FakeLinkupApi, signPayload } from './server';

// The fake stands in for LinkupAPI in every other test, so it must follow the spec itself.
describe('FakeLinkupApi', () => {
	let fake: FakeLinkupApi;
	const key = { 'x-api-key': 'test-api-key', 'content-type': 'application/json' };

	beforeEach(async () => {
		fake = new FakeLinkupApi();
		await fake.start();
	});

	afterEach(async () => {
		await fake.stop();
	});

	async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = key) {
		const response = await fetch(`${fake.baseUrl}${path}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: response.status, json: (await response.json()) as any };
	}

	it('answers 403 INVALID_API_KEY without the right key', async () => {
		const { status, json } = await call('GET', '/v2/accounts', undefined, { 'x-api-key': 'nope' });
		expect(status).toBe(403);
		expect(json).toMatchObject({ success: false, error: { code: 'INVALID_API_KEY' }, metadata: { credits_consumed: 0 } });
	});

	it('returns the signing secret once, on create only', async () => {
		const accountId = fake.accountList()[0].account_id;
		const created = await call('POST', '/v2/webhooks', { account_id: accountId, url: 'https://example.test/hook', enable_signature: true });
		expect(created.status).toBe(201);
		expect(created.json.data.secret).toEqual(expect.any(String));
		const id = created.json.data.webhook_id;
		const got = await call('GET', `/v2/webhooks/${id}`);
		expect(got.json.data.secret).toBeUndefined();
		expect(got.json.data.signature_enabled).toBe(true);
		const list = await call('GET', '/v2/webhooks');
		expect(JSON.stringify(list.json)).not.toContain(created.json.data.secret);
	});

	it('validates paging bounds like the API', async () => {
		expect((await call('GET', '/v2/accounts?limit=501')).status).toBe(400);
		expect((await call('GET', '/v2/accounts?limit=0')).status).toBe(400);
		const accountId = fake.accountList()[0].account_id;
		const hosted = await call('POST', '/v2/webhooks', { account_id: accountId });
		expect((await call('GET', `/v2/webhooks/${hosted.json.data.webhook_id}/events?limit=201`)).status).toBe(400);
	});

	it('refuses monitoring without credits and on inactive accounts', async () => {
		const [inactive] = fake.addAccounts(1, { is_active: false, status: 'inactive' });
		expect((await call('POST', '/v2/webhooks', { account_id: inactive.account_id })).json.error.code).toBe('ACCOUNT_INACTIVE');
		fake.credits = 0;
		const accountId = fake.accountList()[0].account_id;
		const refused = await call('POST', '/v2/webhooks', { account_id: accountId });
		expect(refused.status).toBe(402);
		expect(refused.json.error.code).toBe('INSUFFICIENT_CREDITS');
		expect((await call('POST', '/v2/webhooks', { account_id: 'missing' })).json.error.code).toBe('INVALID_ACCOUNT');
	});

	it('keeps hosted events 24 hours and returns them after since, oldest first', async () => {
		const accountId = fake.accountList()[0].account_id;
		const { json } = await call('POST', '/v2/webhooks', { account_id: accountId });
		const id = json.data.webhook_id;
		const now = Date.now();
		fake.enqueueEvent(id, fake.sampleEvent(accountId), new Date(now - 25 * 3600_000));
		const older = fake.enqueueEvent(id, fake.sampleEvent(accountId), new Date(now - 2000));
		const newer = fake.enqueueEvent(id, fake.sampleEvent(accountId), new Date(now - 1000));
		const all = await call('GET', `/v2/webhooks/${id}/events`);
		expect(all.json.data.items.map((e: any) => e.event_id)).toEqual([older.event_id, newer.event_id]);
		const after = await call('GET', `/v2/webhooks/${id}/events?since=${encodeURIComponent(older.created_at)}`);
		expect(after.json.data.items.map((e: any) => e.event_id)).toEqual([newer.event_id]);
	});

	it('delivers signed events (docs/linkupapi-v2.md, Signatures)', async () => {
		const received: Array<{ headers: any; body: string }> = [];
		const http = await import('http');
		const receiver = http.createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				received.push({ headers: req.headers, body });
				res.end('ok');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(receiver.address() as any).port}/hook`;
		try {
			const accountId = fake.accountList()[0].account_id;
			const { json } = await call('POST', '/v2/webhooks', { account_id: accountId, url, enable_signature: true });
			await fake.emit(accountId, 'message');
			expect(received).toHaveLength(1);
			const { headers, body } = received[0];
			expect(headers['x-linkup-signature']).toBe(`v1=${signPayload(json.data.secret, headers['x-linkup-timestamp'], body)}`);
			expect(Math.abs(Number(headers['x-linkup-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
			expect(JSON.parse(body)).toMatchObject({ account_id: accountId, event: { type: 'message' } });
			await fake.deliver(json.data.webhook_id, JSON.parse(body), { variant: 'staleTimestamp' });
			expect(Number(received[1].headers['x-linkup-timestamp'])).toBeLessThan(Date.now() / 1000 - 3000);
		} finally {
			await new Promise((resolve) => receiver.close(resolve));
		}
	});

	it('matches an independently computed HMAC vector', () => {
		// printf '1714386470.{"a":1}' | openssl dgst -sha256 -hmac 'whsec_test'
		expect(signPayload('whsec_test', 1714386470, '{"a":1}')).toBe(
			'5fcd2479813512a040da434d1e4245b26001ae2194e04c340b070512f6035e41',
		);
	});
});
