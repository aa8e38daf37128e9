import {
	clearStoredWebhook,
	isMonitoring,
	nonPublicUrlReason,
	normalizeEvents,
	sameEvents,
	webhookIdOf,
} from '../../../../nodes/Linkup/shared/webhooks';

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

describe('event sets', () => {
	it('ignore order and duplicates, and treat no filter as "all"', () => {
		expect(normalizeEvents(['message_received', 'accepted_invitation', 'message_received'])).toEqual([
			'accepted_invitation',
			'message_received',
		]);
		expect(normalizeEvents([])).toEqual(['all']);
		expect(normalizeEvents(undefined)).toEqual(['all']);
		expect(sameEvents(['a', 'b'], ['b', 'a'])).toBe(true);
		expect(sameEvents(['all'], ['message_received'])).toBe(false);
	});
});

describe('webhook fields', () => {
	it('reads webhook_id first, then id', () => {
		expect(webhookIdOf({ webhook_id: 'w1', id: 'x' })).toBe('w1');
		expect(webhookIdOf({ id: 42 })).toBe('42');
		expect(webhookIdOf({})).toBeUndefined();
	});

	it('counts a webhook as stopped when either flag is false', () => {
		expect(isMonitoring({})).toBe(true);
		expect(isMonitoring({ monitoring: true, is_active: true })).toBe(true);
		expect(isMonitoring({ monitoring: false })).toBe(false);
		expect(isMonitoring({ is_active: false })).toBe(false);
	});

	it('clears only the keys the trigger stores', () => {
		const staticData = { webhookId: 'w', webhookSecret: 's', webhookUrl: 'u', webhookEvents: ['all'], accountId: 'a', other: 1 };
		clearStoredWebhook(staticData);
		expect(staticData).toEqual({ other: 1 });
	});
});
