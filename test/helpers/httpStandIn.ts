// Stands in for n8n-core's `httpRequest`, over real HTTP with fetch: returnFullResponse,
// ignoreHttpStatusErrors, json, qs, timeout, abortSignal, stream bodies and `data:` URLs as axios
// (n8n's HTTP client) answers them.
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { Readable } from 'stream';

/** What axios throws: a failing status carries the response, a network failure its code. */
export class HttpError extends Error {
	constructor(
		message: string,
		readonly code?: string,
		readonly response?: { status: number; data: unknown; headers: IDataObject },
	) {
		super(message);
	}
}

/** What n8n-core's `httpRequest` does, over real HTTP with fetch. */
export async function httpRequest(options: IHttpRequestOptions): Promise<unknown> {
	const base = options.baseURL ? options.baseURL.replace(/\/+$/, '') + '/' : '';
	const url = new URL(base ? base + options.url.replace(/^\/+/, '') : options.url);
	for (const [key, value] of Object.entries(options.qs ?? {})) {
		if (value === undefined) continue;
		if (Array.isArray(value)) value.forEach((v) => url.searchParams.append(key, String(v)));
		else url.searchParams.set(key, String(value));
	}
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(options.headers ?? {})) headers[key.toLowerCase()] = String(value);
	let body: string | undefined;
	if (options.body !== undefined && options.method !== 'GET') {
		body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
		headers['content-type'] ??= 'application/json';
	}
	if (options.json) headers.accept ??= 'application/json';
	if (url.protocol === 'data:') return answerDataUrl(options);
	let response: Response;
	try {
		const timeout = AbortSignal.timeout(options.timeout ?? 300_000);
		const abort = options.abortSignal as AbortSignal | undefined;
		response = await fetch(url, {
			method: options.method ?? 'GET',
			headers,
			body,
			signal: abort ? AbortSignal.any([timeout, abort]) : timeout,
		});
	} catch (error) {
		const cause = (error as { cause?: { code?: string; message?: string } }).cause;
		const code = (error as Error).name === 'TimeoutError' ? 'ECONNABORTED' : cause?.code;
		throw new HttpError(cause?.message ?? (error as Error).message, code);
	}
	if (options.encoding === 'stream') {
		// Like axios' `responseType: 'stream'`: the body as a Node.js readable stream, status errors included.
		const stream = response.body ? Readable.fromWeb(response.body as never) : Readable.from([]);
		return { body: stream, headers: Object.fromEntries(response.headers.entries()), statusCode: response.status };
	}
	const text = await response.text();
	let data: unknown = text;
	if (text && (options.json || response.headers.get('content-type')?.includes('json'))) {
		try {
			data = JSON.parse(text);
		} catch {
			data = text;
		}
	}
	return settle(options, {
		status: response.status,
		statusText: response.statusText,
		data,
		headers: Object.fromEntries(response.headers.entries()),
	});
}

/** What axios does with an answer: throw for a failing status unless told not to, and shape the result. */
function settle(
	options: IHttpRequestOptions,
	response: { status: number; statusText: string; data: unknown; headers: IDataObject },
): unknown {
	const { status, statusText, data, headers } = response;
	if (status >= 400 && !options.ignoreHttpStatusErrors) {
		throw new HttpError(`Request failed with status code ${status}`, undefined, { status, data, headers });
	}
	if (options.returnFullResponse) return { body: data, headers, statusCode: status, statusMessage: statusText };
	return data;
}

/**
 * What axios's Node adapter (n8n's HTTP client) answers for a `data:` URL, without any network
 * traffic: a GET gets the URL's decoded bytes as a Buffer (never parsed as JSON), any other method
 * a 405 with no body.
 */
function answerDataUrl(options: IHttpRequestOptions): unknown {
	if ((options.method ?? 'GET') !== 'GET') {
		return settle(options, { status: 405, statusText: 'method not allowed', data: undefined, headers: {} });
	}
	const content = decodeURIComponent(options.url.slice(options.url.indexOf(',') + 1));
	return settle(options, { status: 200, statusText: 'OK', data: Buffer.from(content), headers: {} });
}
