/** LinkupAPI's `v1` delivery signature (docs/linkupapi-v2.md, Signatures), checked in constant time. */
import { createHmac, timingSafeEqual } from 'crypto';

/** Header names as Node.js presents them (lower case). */
export const SIGNATURE_HEADER = 'x-linkup-signature';
export const TIMESTAMP_HEADER = 'x-linkup-timestamp';
export const SIGNATURE_PREFIX = 'v1=';
/** LinkupAPI recommends rejecting deliveries more than about 5 minutes old. */
export const DEFAULT_TOLERANCE_SECONDS = 300;
/** A wider window would let a delivery recorded long ago pass as current. */
export const MAX_TOLERANCE_SECONDS = 3600;
/** The reason given when a well-formed, timely delivery's HMAC does not match the secret. */
export const INVALID_SIGNATURE = 'Invalid signature';

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
		return reject(INVALID_SIGNATURE);
	}
	return { valid: true };
}

function reject(reason: string): SignatureCheck {
	return { valid: false, reason };
}

/**
 * The Timestamp Tolerance option in seconds: the default when unset or not a positive number.
 * Throws an error that tells the user what to change when it is above MAX_TOLERANCE_SECONDS.
 */
export function readToleranceSeconds(value: unknown): number {
	const seconds = Number(value);
	if (value === undefined || value === '' || !Number.isFinite(seconds) || seconds <= 0) {
		return DEFAULT_TOLERANCE_SECONDS;
	}
	if (seconds > MAX_TOLERANCE_SECONDS) {
		throw new Error(
			`Timestamp Tolerance is ${seconds} seconds, but at most ${MAX_TOLERANCE_SECONDS} (one hour) is allowed: a wider window would accept deliveries recorded long ago. Set it to ${MAX_TOLERANCE_SECONDS} or less in the trigger's options.`,
		);
	}
	return seconds;
}
