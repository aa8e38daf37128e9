// The fake's slow-create fault: the call is carried out late, answering a client still waiting.
import { until } from '../helpers/triggerHooks';
import { useFakeLinkupApi } from '../helpers/useFakeLinkupApi';

const fakeApi = useFakeLinkupApi();

async function createHosted(signal?: AbortSignal) {
	const fake = fakeApi();
	return await fetch(`${fake.baseUrl}/v2/webhooks`, {
		method: 'POST',
		headers: { 'x-api-key': fake.apiKey, 'content-type': 'application/json' },
		body: JSON.stringify({ account_id: fake.accountList()[0].account_id }),
		signal,
	});
}

describe('FakeLinkupApi.performLateNext', () => {
	it('holds the call until afterMs, then carries it out and answers a client still waiting', async () => {
		const fake = fakeApi();
		const late = fake.performLateNext({ route: '/v2/webhooks', method: 'POST', afterMs: 50 });
		const response = await createHosted();
		await late.performed;
		expect(response.status).toBe(201);
		expect(fake.webhooks.size).toBe(1);
	});

	it('carries the call out after the client gave up, when told to: the webhook exists, the answer went nowhere', async () => {
		const fake = fakeApi();
		const late = fake.performLateNext({ route: '/v2/webhooks', method: 'POST', afterMs: 600_000 });
		const abort = new AbortController();
		const request = createHosted(abort.signal).catch((error: Error) => error);
		await until(() => fake.requestsTo('POST', '/v2/webhooks').length === 1);
		abort.abort();
		expect(await request).toMatchObject({ name: 'AbortError' });
		expect(fake.webhooks.size).toBe(0);
		late.performNow();
		await late.performed;
		expect(fake.webhooks.size).toBe(1);
		expect(fake.requestsTo('POST', '/v2/webhooks')).toHaveLength(1);
	});
});
