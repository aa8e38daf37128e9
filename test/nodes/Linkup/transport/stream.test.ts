// redactApiKey: the event stream's URL and errors never show the API key.
import { redactApiKey } from '../../../../nodes/Linkup/transport/stream';

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
