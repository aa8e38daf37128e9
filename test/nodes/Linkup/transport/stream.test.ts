// The event stream's opener: the API key never shows, and a Retry-After reaches the reconnect.
import { createEventStreamOpener, redactApiKey, retryAfterOf } from '../../../../nodes/Linkup/transport/stream';
import { linkupCredentials, TEST_API_KEY } from '../../../helpers/credentials';
import { createTriggerContext } from '../../../helpers/n8nContext';
import { useFakeLinkupApi } from '../../../helpers/useFakeLinkupApi';

describe('redactApiKey', () => {
	it('hides every api_key value in a URL or message, whatever follows it', () => {
		expect(redactApiKey('GET https://api.linkupapi.com/v2/webhooks/w/stream?api_key=sk_live_1&x=2')).toBe(
			'GET https://api.linkupapi.com/v2/webhooks/w/stream?api_key=***&x=2',
		);
		expect(redactApiKey('"url":"/stream?API_KEY=abc" and api_key=def#frag')).toBe(
			'"url":"/stream?API_KEY=***" and api_key=***#frag',
		);
		expect(redactApiKey('no key here')).toBe('no key here');
	});
});

describe('createEventStreamOpener: error answers', () => {
	const fake = useFakeLinkupApi();

	/** Opens a stream whose answer is a fault (answered before any routing); resolves to the error thrown. */
	async function openError(): Promise<unknown> {
		const { context } = createTriggerContext({ credentials: linkupCredentials(fake().baseUrl) });
		const open = createEventStreamOpener.call(context as never, { apiKey: TEST_API_KEY, baseUrl: fake().baseUrl });
		return await open('w1', new AbortController().signal).then(
			() => undefined,
			(error: unknown) => error,
		);
	}

	it.each([
		['60', 60_000],
		['0', 0],
	])('gives the wait a Retry-After of %s s asks for, with the API error', async (header, ms) => {
		fake().failNext({ route: /\/stream$/, status: 503, headers: { 'retry-after': header } });
		const error = await openError();
		expect((error as Error).message).toMatch(/^INTERNAL_ERROR: /);
		expect(retryAfterOf(error)).toBe(ms);
	});

	it('reads a Retry-After given as an HTTP date', async () => {
		const at = new Date(Date.now() + 120_000).toUTCString();
		fake().failNext({ route: /\/stream$/, status: 429, headers: { 'retry-after': at } });
		const waitMs = retryAfterOf(await openError());
		expect(waitMs).toBeGreaterThan(100_000);
		expect(waitMs).toBeLessThanOrEqual(120_000);
	});

	it('gives no wait when the answer has no or an unreadable Retry-After', async () => {
		fake().failNext({ route: /\/stream$/, status: 503 });
		expect(retryAfterOf(await openError())).toBeUndefined();
		fake().failNext({ route: /\/stream$/, status: 503, headers: { 'retry-after': 'soon' } });
		expect(retryAfterOf(await openError())).toBeUndefined();
		expect(retryAfterOf(new Error('no answer at all'))).toBeUndefined();
	});
});
