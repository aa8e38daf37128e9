/**
 * Turns a delivery's bytes into the event wrapper (docs/linkupapi-v2.md, Event shapes), refusing
 * bodies n8n could not carry safely: too deeply nested for its deep copy, or with keys that would
 * change an object's prototype.
 */
import type { IDataObject } from 'n8n-workflow';
import { isObject } from '../transport';

/** LinkupAPI's wrappers are four levels deep; nothing legitimate comes near this. */
export const MAX_BODY_DEPTH = 32;
const REFUSED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Parses the received bytes; n8n's parsed body is not trusted to be the same. */
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
