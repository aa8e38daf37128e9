import { FakeLinkupApi } from './server';

// The stream faults are also driven over the control API by the e2e checks in real n8n.
describe('FakeLinkupApi: hostile or broken event streams', () => {
	let fake: FakeLinkupApi;
	let webhookId: string;

	beforeEach(async () => {
		fake = new FakeLinkupApi();
		await fake.start();
		const created = await fetch(`${fake.baseUrl}/v2/webhooks`, {
			method: 'POST',
			headers: { 'x-api-key': fake.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify({ account_id: fake.accountList()[0].account_id }),
		});
		webhookId = ((await created.json()) as { data: { webhook_id: string } }).data.webhook_id;
	});

	afterEach(async () => {
		await fake.stop();
	});

	/** Opens the stream; `text()` reads everything after the connected frame until the fake cuts it. */
	async function openStream() {
		const response = await fetch(`${fake.baseUrl}/v2/webhooks/${webhookId}/stream?api_key=${fake.apiKey}`);
		const reader = response.body!.getReader();
		const decoder = new TextDecoder();
		let received = '';
		while (!received.endsWith('\n\n')) received += decoder.decode((await reader.read()).value);
		return {
			async text(): Promise<string> {
				let rest = '';
				try {
					for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += decoder.decode(chunk.value);
				} catch {
					// the fake closes a stream by cutting its connection
				}
				return rest;
			},
		};
	}

	async function control(name: string, body: unknown) {
		const response = await fetch(`${fake.baseUrl}/__control/${name}`, { method: 'POST', body: JSON.stringify(body) });
		return { status: response.status, json: await response.json() };
	}

	it('endless-line sends bytes without a line break up to max_bytes, no event among them, then closes', async () => {
		const stream = await openStream();
		expect(await control('endless-line', { webhook_id: webhookId, bytes_per_second: 4_000_000, max_bytes: 300_000 })).toEqual({
			status: 200,
			json: { streams: 1 },
		});
		await fake.emit(fake.accountList()[0].account_id);
		const text = await stream.text();
		expect(text).toBe('x'.repeat(300_000));
		expect(fake.events.get(webhookId)).toHaveLength(1); // stored for /events all the same
		expect(fake.openStreams()).toBe(0);
	});

	it('endless-line stops at max_ms, whatever max_bytes says', async () => {
		const stream = await openStream();
		const { finished } = fake.sendEndlessLine({ bytesPerSecond: 1000, maxBytes: 1_000_000_000, maxMs: 200 });
		const sent = await finished;
		expect((await stream.text()).length).toBe(sent);
		expect(sent).toBeLessThan(1_000_000);
	});

	it('stream-chunks writes the chunks as given, in order', async () => {
		const stream = await openStream();
		const chunks = ['event: webhook\r', '', '\ndata: 1\r', '\n\r\n'];
		expect(await control('stream-chunks', { chunks, gap_ms: 5 })).toEqual({ status: 200, json: { streams: 1 } });
		fake.dropStreams();
		expect(await stream.text()).toBe(chunks.join(''));
		expect((await control('stream-chunks', { chunks: 'nope' })).status).toBe(400);
	});
});
