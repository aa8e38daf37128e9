// Reads the values LinkupAPI answers with, leniently: JSON bodies, objects, lists and timestamps.
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

export function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a list body leniently: `data.items`, `data.webhooks`, `data.accounts`, `data.events` or a bare array. */
export function extractItems(data: unknown): IDataObject[] {
	if (Array.isArray(data)) return data as IDataObject[];
	if (isObject(data)) {
		for (const key of ['items', 'webhooks', 'accounts', 'events']) {
			if (Array.isArray(data[key])) return data[key] as IDataObject[];
		}
	}
	return [];
}

/** Parses the API's timestamps; a value without a zone (`2025-01-15T10:30:00.000000`) is UTC. */
export function parseLinkupTimestamp(value: unknown): Date | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	let text = value.trim().replace(' ', 'T');
	// JavaScript dates keep milliseconds only: cut microseconds.
	text = text.replace(/(\.\d{3})\d+/, '$1');
	if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(text)) {
		text += text.includes('T') ? 'Z' : 'T00:00:00Z';
	}
	const date = new Date(text);
	return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A body n8n left as text is parsed as JSON when it is JSON, and kept as it came otherwise. */
export function parseJsonBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (isObject(value)) {
		const entries = Object.keys(value)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/** A short hash of a value's content, the same whatever the order of its keys. */
export function fingerprintOf(value: IDataObject): string {
	return createHash('sha256').update(canonical(value)).digest('hex').slice(0, 20);
}
