/**
 * Decides whether a delivery posted to the LinkupAPI Trigger may start anything (its exact bytes,
 * signature, timestamp window, whether it was already accepted: docs/linkupapi-v2.md, Signatures),
 * then turns its bytes into the event wrapper (Event shapes).
 */
import { createHash } from 'crypto';
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { isObject } from '../transport';
import { acceptedDeliveries } from './memory';
import { MAX_REMEMBERED_DELIVERIES } from './replays';
import {
	INVALID_SIGNATURE,
	SIGNATURE_HEADER,
	SIGNATURE_PREFIX,
	TIMESTAMP_HEADER,
	readToleranceSeconds,
	verifyLinkupSignature,
} from './signature';

export type N8nRequest = ReturnType<IWebhookFunctions['getRequestObject']> & {
	readRawBody?: () => Promise<void>;
};

/** Why a delivery starts nothing, and the HTTP status it is answered with. */
export interface Refusal {
	status: number;
	reason: string;
	/** Well-formed and on time, but signed with another secret (e.g. rotated outside the trigger). */
	signatureMismatch?: boolean;
	/** Already accepted once: answered 200 so LinkupAPI does not send it again. */
	duplicate?: boolean;
}

export interface DeliveryRules {
	verifySignature: boolean;
	/** The secret the trigger stored when it created its webhook. */
	secret?: string;
	/** The Timestamp Tolerance option, as set. */
	toleranceSeconds: unknown;
}

export const ALREADY_RECEIVED = 'Already received: this delivery was accepted before and starts nothing again';

/**
 * The exact bytes received. From typeVersion 1.1 on, n8n reads the body only for content types it
 * parses (JSON, text, form, XML); for any other, its `readRawBody` reads it on demand.
 */
export async function readRawBody(request: N8nRequest): Promise<Buffer | undefined> {
	if (request.rawBody === undefined && typeof request.readRawBody === 'function') {
		await request.readRawBody();
	}
	return request.rawBody as Buffer | undefined;
}

/** Reads the delivery's bytes and says why it must start nothing, or gives no refusal. */
export async function verifyDelivery(
	request: N8nRequest,
	rules: DeliveryRules,
	nowSeconds?: number,
): Promise<{ rawBody: Buffer | undefined; refusal?: Refusal }> {
	const rawBody = await readRawBody(request);
	return { rawBody, refusal: rules.verifySignature ? checkSigned(request, rawBody, rules, nowSeconds) : undefined };
}

function checkSigned(
	request: N8nRequest,
	rawBody: Buffer | undefined,
	rules: DeliveryRules,
	nowSeconds = Math.floor(Date.now() / 1000),
): Refusal | undefined {
	let tolerance: number;
	try {
		tolerance = readToleranceSeconds(rules.toleranceSeconds);
	} catch (error) {
		return { status: 500, reason: (error as Error).message };
	}
	if (!rules.secret) {
		return {
			status: 401,
			reason:
				'No signing secret stored for this trigger: deactivate and reactivate the workflow (or stop and restart listening)',
		};
	}
	const timestamp = request.headers[TIMESTAMP_HEADER];
	const signature = request.headers[SIGNATURE_HEADER];
	const check = verifyLinkupSignature(rules.secret, { rawBody, timestamp, signature }, tolerance, nowSeconds);
	if (!check.valid) {
		return { status: 401, reason: check.reason, signatureMismatch: check.reason === INVALID_SIGNATURE };
	}
	// Valid, so both headers are well-formed strings; the HMAC names these exact bytes and timestamp.
	const key = String(signature).slice(SIGNATURE_PREFIX.length).toLowerCase();
	// Only deliveries signed with this secret verify here, so it names the trigger; a digest keeps the secret itself out.
	const signer = createHash('sha256').update(rules.secret).digest('hex');
	const recall = acceptedDeliveries.recall(signer, key, Number(timestamp), nowSeconds);
	if (recall.verdict === 'again') return { status: 200, reason: ALREADY_RECEIVED, duplicate: true };
	if (recall.verdict === 'forgotten') {
		return { status: 401, reason: forgottenReason(Number(timestamp), recall.forgottenUpTo) };
	}
	return undefined;
}

/** Said when a flood of deliveries made the memory forget the ones signed as early as this one. */
function forgottenReason(timestampSeconds: number, forgottenUpTo: number): string {
	const time = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
	return `Refused as a possible replay: this delivery is signed at ${time(timestampSeconds)}, and after more than ${MAX_REMEMBERED_DELIVERIES.toLocaleString('en-US')} deliveries within an hour this n8n process no longer remembers the ones signed at or before ${time(forgottenUpTo)}, so it cannot tell a copy from a first delivery. Deliveries signed later are accepted as usual`;
}

/** LinkupAPI's wrappers are four levels deep; nothing legitimate comes near this. */
export const MAX_BODY_DEPTH = 32;
const REFUSED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Parses the received bytes (n8n's parsed body is not trusted to be the same), refusing bodies n8n
 * could not carry safely: too deeply nested for its deep copy, or with keys that would change an
 * object's prototype.
 */
export function parseDelivery(rawBody: Buffer | undefined): { wrapper: IDataObject } | { error: string } {
	const text = rawBody?.toString('utf8').trim() ?? '';
	if (text === '') return { error: 'Empty body' };
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return { error: 'Body is not valid JSON' };
	}
	if (!isObject(parsed)) return { error: 'Body is not a JSON object' };
	const problem = shapeProblem(parsed);
	return problem ? { error: problem } : { wrapper: parsed };
}

/** Walks the value without recursion, so no body can exhaust the stack. */
function shapeProblem(root: IDataObject): string | undefined {
	const pending: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 1 }];
	while (pending.length > 0) {
		const { value, depth } = pending.pop()!;
		if (typeof value !== 'object' || value === null) continue;
		if (depth > MAX_BODY_DEPTH) return `Body is nested more than ${MAX_BODY_DEPTH} levels deep`;
		if (!Array.isArray(value)) {
			const refused = Object.keys(value).find((key) => REFUSED_KEYS.has(key));
			if (refused) return `Body has a "${refused}" key, which is refused`;
		}
		for (const child of Object.values(value)) pending.push({ value: child, depth: depth + 1 });
	}
	return undefined;
}
