// LinkupAPI's v1 delivery signature: fixed vectors, and what verification accepts and refuses.
import { createHmac } from 'crypto';
import {
	computeLinkupSignature,
	verifyLinkupSignature,
	type SignedDelivery,
} from '../../../../nodes/Linkup/trigger/signature';

// Fixed vectors computed once outside this code base with
// `printf '%s' '<timestamp>.<body>' | openssl dgst -sha256 -hmac '<secret>'` (OpenSSL 3).
const SECRET = 'kF3pQ9vX2mL7tR4wZ8yB1nC6dH0jS5aE';
const TIMESTAMP = '1714386470';
const BODY =
	'{"account_id":"69c127c37cae0494dd827286","account_name":"My Account","event":{"type":"message","sender_name":"John Doe","message_text":"Hello!"},"timestamp":"2025-01-15T10:31:00Z"}';
const VECTORS: Array<{ body: string; hex: string }> = [
	{ body: BODY, hex: 'e470ce2235aca957cb1d7d4c6c834986372ba2e290490d42a92f56fbf9e4f372' },
	{ body: '', hex: '71aaabf2f87a61f38afda2249ba8bab5c1975e6d0c9d7be7d2826390961507ca' },
	{ body: '{"a":"é"}', hex: '16ca007e79fe33dde3b4252ec684a62ab53583f2b9173e213afa4b142576c888' },
];
const NOW = Number(TIMESTAMP);

function delivery(overrides: Partial<SignedDelivery> = {}): SignedDelivery {
	return {
		rawBody: Buffer.from(BODY, 'utf8'),
		timestamp: TIMESTAMP,
		signature: `v1=${VECTORS[0].hex}`,
		...overrides,
	};
}

describe('computeLinkupSignature', () => {
	it.each(VECTORS)('matches the OpenSSL vector for body %#', ({ body, hex }) => {
		expect(computeLinkupSignature(SECRET, TIMESTAMP, body)).toBe(hex);
		expect(computeLinkupSignature(SECRET, TIMESTAMP, Buffer.from(body, 'utf8'))).toBe(hex);
	});

	it('agrees with a one-shot HMAC over "<timestamp>.<body>"', () => {
		const reference = createHmac('sha256', 'another secret').update(`42.${BODY}`).digest('hex');
		expect(computeLinkupSignature('another secret', '42', BODY)).toBe(reference);
	});
});

describe('verifyLinkupSignature', () => {
	it('accepts the fixed vector within the window', () => {
		expect(verifyLinkupSignature(SECRET, delivery(), 300, NOW)).toEqual({ valid: true });
		expect(verifyLinkupSignature(SECRET, delivery(), 300, NOW + 300)).toEqual({ valid: true });
		expect(verifyLinkupSignature(SECRET, delivery(), 300, NOW - 300)).toEqual({ valid: true });
	});

	it('accepts an upper-case hex signature (same bytes)', () => {
		const check = verifyLinkupSignature(SECRET, delivery({ signature: `v1=${VECTORS[0].hex.toUpperCase()}` }), 300, NOW);
		expect(check).toEqual({ valid: true });
	});

	it.each([
		['a stale timestamp', delivery(), NOW + 301, 'Timestamp too old'],
		['a future timestamp', delivery(), NOW - 301, 'Timestamp in the future'],
		['a wrong secret', delivery(), NOW, 'Invalid signature'],
	])('rejects %s', (_name, input, now, reason) => {
		const secret = reason === 'Invalid signature' ? `${SECRET}x` : SECRET;
		expect(verifyLinkupSignature(secret, input, 300, now)).toEqual({ valid: false, reason });
	});

	it('rejects a body that differs by one byte, and re-serialised JSON', () => {
		const modified = delivery({ rawBody: Buffer.from(BODY.replace('Hello!', 'Hello?')) });
		expect(verifyLinkupSignature(SECRET, modified, 300, NOW)).toEqual({ valid: false, reason: 'Invalid signature' });
		const pretty = delivery({ rawBody: JSON.stringify(JSON.parse(BODY), null, 1) });
		expect(verifyLinkupSignature(SECRET, pretty, 300, NOW)).toEqual({ valid: false, reason: 'Invalid signature' });
	});

	it('rejects a signature made for another timestamp', () => {
		const other = computeLinkupSignature(SECRET, String(NOW - 1), BODY);
		expect(verifyLinkupSignature(SECRET, delivery({ signature: `v1=${other}` }), 300, NOW)).toEqual({
			valid: false,
			reason: 'Invalid signature',
		});
	});

	it.each([
		['no signature header', { signature: undefined }, 'Missing X-Linkup-Signature header'],
		['an empty signature header', { signature: '' }, 'Missing X-Linkup-Signature header'],
		['no timestamp header', { timestamp: undefined }, 'Missing X-Linkup-Timestamp header'],
		['a repeated header', { timestamp: [TIMESTAMP, TIMESTAMP] }, 'Missing X-Linkup-Timestamp header'],
		['another scheme prefix', { signature: `v2=${VECTORS[0].hex}` }, 'Unsupported signature scheme (expected v1=)'],
		['no prefix', { signature: VECTORS[0].hex }, 'Unsupported signature scheme (expected v1=)'],
		['a truncated signature', { signature: `v1=${VECTORS[0].hex.slice(0, 62)}` }, 'Malformed signature'],
		['non-hex characters', { signature: `v1=${'z'.repeat(64)}` }, 'Malformed signature'],
		['a millisecond or text timestamp', { timestamp: '1714386470.5' }, 'Malformed timestamp'],
	])('rejects %s', (_name, overrides, reason) => {
		expect(verifyLinkupSignature(SECRET, delivery(overrides as Partial<SignedDelivery>), 300, NOW)).toEqual({
			valid: false,
			reason,
		});
	});

	it('treats a missing body as empty bytes', () => {
		const check = verifyLinkupSignature(
			SECRET,
			delivery({ rawBody: undefined, signature: `v1=${VECTORS[1].hex}` }),
			300,
			NOW,
		);
		expect(check).toEqual({ valid: true });
	});
});
