import { nonPublicUrlReason, publicHttpsUrlProblem } from '../../../../nodes/Linkup/shared/publicUrl';

describe('nonPublicUrlReason', () => {
	it.each([
		'https://n8n.example.com/webhook/abc/webhook',
		'https://127.example.com/webhook/abc/webhook',
		'https://n8n.example.com:8443/webhook/abc/webhook',
	])('accepts the public HTTPS URL %s', (url) => {
		expect(nonPublicUrlReason(url)).toBeUndefined();
	});

	it.each([
		['http://n8n.example.com/webhook', 'is not an https:// address'],
		['https://LOCALHOST/webhook', 'points at this machine (localhost), which LinkupAPI cannot reach'],
		['https://n8n.localhost/webhook', 'points at this machine (n8n.localhost), which LinkupAPI cannot reach'],
		['https://127.1.2.3/webhook', 'points at this machine (127.1.2.3), which LinkupAPI cannot reach'],
		['https://[::]/webhook', 'points at this machine ([::]), which LinkupAPI cannot reach'],
		['not a url', 'is not a valid URL'],
	])('refuses %s', (url, reason) => {
		expect(nonPublicUrlReason(url)).toBe(reason);
	});
});

describe('publicHttpsUrlProblem', () => {
	it('says what to enter instead', () => {
		expect(publicHttpsUrlProblem('http://example.com/x')).toBe(
			'"http://example.com/x" is not an https:// address. LinkupAPI delivers events only to a public HTTPS URL such as https://example.com/linkup-events (for example through a reverse proxy or a tunnel)',
		);
		expect(publicHttpsUrlProblem('https://example.com/x')).toBeUndefined();
	});
});
