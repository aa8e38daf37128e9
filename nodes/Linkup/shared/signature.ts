import { createHmac, timingSafeEqual } from 'crypto';

/** Header names as Node.js presents them (lower case). */
export const SIGNATURE_HEADER = 'x-linkup-signature';
export const TIMESTAMP_HEADER = 'x-linkup-timestamp';
export const SIGNATURE_PREFIX = 'v1=';
/** LinkupAPI recommends rejecting deliveries more than about 5 minutes old. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const HEX_SHA256 = /^[0-9a-f]{64}$/i;
const UNIX_SECONDS = /^\d{1,12}$/;

/** `hex(HMAC_SHA256(secret, "<timestamp>.<raw body>"))`, LinkupAPI's `v1` scheme. */
export function computeLinkupSignature(
	secret: string,
	timestamp: string,
	rawBody: Buffer | string,
): string {
	return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

export interface SignedDelivery {
	/** The exact bytes received; re-serialised JSON does not verify. */
	rawBody: Buffer | string | undefined;
	/** Raw `X-Linkup-Timestamp` header value. */
	timestamp: string | string[] | undefined;
	/** Raw `X-Linkup-Signature` header value. */
	signature: string | string[] | undefined;
}

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

/**
 * Checks a custom-mode delivery: `v1=` prefix, timestamp within `toleranceSeconds` of now (past
 * or future), then a constant-time comparison of the HMAC. Never throws; the reason is safe to
 * send back to the caller (it holds no secret).
 */
export function verifyLinkupSignature(
	secret: string,
	delivery: SignedDelivery,
	toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
	nowSeconds: number = Math.floor(Date.now() / 1000),
): SignatureCheck {
	const { timestamp, signature } = delivery;
	if (typeof signature !== 'string' || signature === '') {
		return reject('Missing X-Linkup-Signature header');
	}
	if (typeof timestamp !== 'string' || timestamp === '') {
		return reject('Missing X-Linkup-Timestamp header');
	}
	if (!signature.startsWith(SIGNATURE_PREFIX)) {
		return reject('Unsupported signature scheme (expected v1=)');
	}
	const given = signature.slice(SIGNATURE_PREFIX.length);
	if (!HEX_SHA256.test(given)) return reject('Malformed signature');
	if (!UNIX_SECONDS.test(timestamp)) return reject('Malformed timestamp');
	const age = nowSeconds - Number(timestamp);
	if (age > toleranceSeconds) return reject('Timestamp too old');
	if (-age > toleranceSeconds) return reject('Timestamp in the future');

	const expected = Buffer.from(
		computeLinkupSignature(secret, timestamp, delivery.rawBody ?? ''),
		'hex',
	);
	const actual = Buffer.from(given, 'hex');
	if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
		return reject('Invalid signature');
	}
	return { valid: true };
}

function reject(reason: string): SignatureCheck {
	return { valid: false, reason };
}
