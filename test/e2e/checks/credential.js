// @ts-check
'use strict';
// The credential's test request as n8n's editor runs it ("Test" in the credential form): n8n itself,
// not a stand-in, sends the request and reports the package's messages.
const http = require('http');
const { assert } = require('../helpers');

/**
 * The editor's "Test" button: the stored credential (secrets redacted) with the form's changes.
 * @param {import('../helpers').CheckContext} t
 * @param {Record<string, string>} changes
 */
async function testCredential(t, changes) {
	const stored = await t.client.rest('GET', `/rest/credentials/${t.credential.id}?includeData=true`);
	const data = { ...stored.body.data, ...changes };
	assert(data.apiKey !== t.fake.apiKey, 'n8n returned the stored API key unredacted');
	const credential = { id: t.credential.id, name: t.credential.name, type: 'linkupApi', data };
	const res = await t.client.rest('POST', '/rest/credentials/test', { credentials: credential });
	return res.body;
}

/** @type {import('../helpers').Check[]} */
module.exports = [
	{
		name: 'credential test: n8n passes the stored key with a free GET /v2/accounts?limit=1',
		async run(t) {
			const { fake } = t;
			const before = fake.requests.length;
			const result = await testCredential(t, {});
			assert(result && result.status === 'OK', `credential test answered ${JSON.stringify(result)}`);
			const calls = fake.requests.slice(before).filter((r) => r.path === '/v2/accounts');
			assert(calls.length === 1, `expected 1 GET /v2/accounts, saw ${calls.length}`);
			assert(calls[0].headers['x-api-key'] === fake.apiKey, 'the stored key was not sent as x-api-key');
			assert(calls[0].query.limit === '1', `limit was ${calls[0].query.limit}, expected 1`);
		},
	},
	{
		name: 'credential test: n8n refuses a wrong key with the package\'s message',
		async run(t) {
			const { fake } = t;
			const before = fake.requests.length;
			const result = await testCredential(t, { apiKey: 'not-the-right-key' });
			const expected = 'LinkupAPI rejected this API key (INVALID_API_KEY). Copy the key again from your LinkupAPI dashboard.';
			assert(result && result.status === 'Error', `credential test answered ${JSON.stringify(result)}`);
			assert(result.message === expected, `message was "${result.message}", expected "${expected}"`);
			const sent = fake.requests.slice(before).filter((r) => r.path === '/v2/accounts');
			assert(sent.length === 1 && sent[0].headers['x-api-key'] === 'not-the-right-key', 'the wrong key did not reach the fake');
		},
	},
	{
		name: 'credential test: a plain-http Base URL fails without sending the key, with the package\'s message',
		async run(t) {
			// A listener on another loopback address stands for a plain-http server elsewhere: it records
			// whatever reaches it, so the check sees that the key never left.
			const seen = [];
			const recorder = http.createServer((req, res) => {
				seen.push(req.headers);
				res.end('{"success":true,"data":{"items":[]}}');
			});
			await new Promise((resolve) => recorder.listen(0, '127.0.0.2', () => resolve(undefined)));
			try {
				const result = await testCredential(t, { baseUrl: `http://127.0.0.2:${/** @type {import('net').AddressInfo} */ (recorder.address()).port}` });
				t.note(`plain http: ${result && result.message}`);
				const expected = /^The Base URL does not start with https:\/\/, so the API key would travel unencrypted; nothing was sent/;
				assert(result && result.status === 'Error', `a plain-http Base URL passed the test: ${JSON.stringify(result)}`);
				assert(expected.test(result.message), `message was "${result.message}"`);
				assert(seen.length === 0, `the plain-http server received ${seen.length} request(s)`);
			} finally {
				await new Promise((resolve) => recorder.close(resolve));
			}
		},
	},
	{
		name: 'credential test: a Base URL where no LinkupAPI answers fails with the package\'s message',
		async run(t) {
			const { fake } = t;
			// A path LinkupAPI does not know (its 404 envelope) and a server that is not LinkupAPI at all.
			const other = http.createServer((req, res) => {
				res.writeHead(404, { 'content-type': 'text/html' });
				res.end('<html><body>Not Found</body></html>');
			});
			await new Promise((resolve) => other.listen(0, '127.0.0.1', () => resolve(undefined)));
			try {
				for (const baseUrl of [`${fake.baseUrl}/nothing-here`, `http://127.0.0.1:${/** @type {import('net').AddressInfo} */ (other.address()).port}`]) {
					const result = await testCredential(t, { baseUrl });
					const expected = /^No LinkupAPI v2 API answered at this Base URL/;
					assert(result && result.status === 'Error', `${baseUrl} passed the test: ${JSON.stringify(result)}`);
					assert(expected.test(result.message), `${baseUrl}: message was "${result.message}"`);
				}
			} finally {
				await new Promise((resolve) => other.close(resolve));
			}
		},
	},
];
