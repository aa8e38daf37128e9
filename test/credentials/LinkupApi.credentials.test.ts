// The LinkupAPI API credential: its names and its test request against the fake LinkupAPI.
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import { LinkupApi } from '../../credentials/LinkupApi.credentials';
import { useFakeLinkupApi } from '../helpers/useFakeLinkupApi';
import { linkupCredentials, runCredentialTest, TEST_API_KEY } from '../helpers/credentials';

describe('LinkupApi credential', () => {
	const credential = new LinkupApi();
	const fakeApi = useFakeLinkupApi();

	it('has the fixed public names', () => {
		expect(credential.name).toBe('linkupApi');
		expect(credential.displayName).toBe('LinkupAPI API');
		expect(credential.properties.map((p) => p.name)).toEqual(['apiKey', 'baseUrl']);
		expect(credential.properties[0].typeOptions).toEqual({ password: true });
		expect(credential.properties[1].default).toBe('https://api.linkupapi.com');
	});

	it('passes the test with a valid key, calling the free GET /v2/accounts?limit=1 with x-api-key', async () => {
		const result = await runCredentialTest(credential, linkupCredentials(fakeApi().baseUrl));
		expect(result.status).toBe('OK');
		expect(fakeApi().requests).toHaveLength(1);
		expect(fakeApi().requests[0]).toMatchObject({ method: 'GET', path: '/v2/accounts', query: { limit: '1' } });
		expect(fakeApi().requests[0].headers['x-api-key']).toBe(TEST_API_KEY);
	});

	it('accepts a base URL with a trailing slash', async () => {
		const result = await runCredentialTest(credential, linkupCredentials(`${fakeApi().baseUrl}/`));
		expect(result.status).toBe('OK');
		expect(fakeApi().requests[0].path).toBe('/v2/accounts');
	});

	it('fails a wrong key with a message that says what to do, without echoing the key', async () => {
		const result = await runCredentialTest(credential, linkupCredentials(fakeApi().baseUrl, 'not-the-key'));
		expect(result).toEqual({
			status: 'Error',
			message: 'LinkupAPI rejected this API key (INVALID_API_KEY). Copy the key again from your LinkupAPI dashboard.',
		});
		expect(fakeApi().requests[0].headers['x-api-key']).toBe('not-the-key');
	});

	it('explains a base URL where no LinkupAPI answers', async () => {
		const result = await runCredentialTest(credential, linkupCredentials(`${fakeApi().baseUrl}/nothing-here`));
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/^No LinkupAPI v2 API answered at this Base URL/) });
	});

	it.each([
		['a web page', 404, 'text/html', '<html><body>Not Found</body></html>'],
		['another JSON API', 200, 'application/json', '{"items":[]}'],
		['an empty answer', 502, 'text/plain', ''],
	])('explains a base URL that gives %s instead of a LinkupAPI answer', async (_, status, contentType, body) => {
		const server = createServer((request, response) => {
			response.writeHead(status, { 'content-type': contentType });
			response.end(body);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const result = await runCredentialTest(
				credential,
				linkupCredentials(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
			);
			expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/^No LinkupAPI v2 API answered at this Base URL/) });
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});

	it('fails any other refusal from LinkupAPI with a general message', async () => {
		fakeApi().failNext({ route: '/v2/accounts', method: 'GET', status: 429 });
		const result = await runCredentialTest(credential, linkupCredentials(fakeApi().baseUrl));
		expect(result).toEqual({
			status: 'Error',
			message: 'LinkupAPI refused the test request. Check the API key and the Base URL, then try again in a minute.',
		});
	});

	it.each(['http://127.0.0.2', 'http://localhost.127.0.0.2.nip.io', 'http://127.0.0.1@127.0.0.2'])(
		'refuses the plain-http Base URL %s without sending the key anywhere',
		async (host) => {
			// A server on another loopback address stands for a plain-http LinkupAPI elsewhere.
			const seen: unknown[] = [];
			const server = createServer((request, response) => {
				seen.push(request.headers);
				response.end('{"success":true,"data":{"items":[]}}');
			});
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
			const port = (server.address() as AddressInfo).port;
			try {
				const result = await runCredentialTest(credential, linkupCredentials(`${host}:${port}`));
				expect(result).toEqual({
					status: 'Error',
					message: expect.stringMatching(/^The Base URL does not start with https:\/\/, so the API key would travel unencrypted; nothing was sent/),
				});
				expect(seen).toEqual([]);
				expect(fakeApi().requests).toEqual([]);
			} finally {
				await new Promise((resolve) => server.close(resolve));
			}
		},
	);
});
