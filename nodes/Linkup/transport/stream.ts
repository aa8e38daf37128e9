// Opens a hosted webhook's server-sent events stream through n8n's request helper, keeping the API
// key (which the stream takes in its query string) out of every message (docs/linkupapi-v2.md,
// "Hosted events and the stream").
import type { IHttpRequestOptions, ITriggerFunctions, NodeApiError } from 'n8n-workflow';
import { connectionError, linkupApiError } from './errors';
import { retryAfterMs, type LinkupCredentialValues } from './client';
import { parseJsonBody } from './values';

/** The response body n8n's helper gives for `encoding: 'stream'`: a Node.js readable stream. */
type ByteStream = AsyncIterable<Uint8Array | string> & { destroy?: () => void };

interface StreamResponse {
	body: unknown;
	headers?: Record<string, unknown>;
	statusCode: number;
}

/** Opens the stream of one hosted webhook; `signal` closes it. */
export type EventStreamOpener = (webhookId: string, signal: AbortSignal) => Promise<ByteStream>;

/** An error answer of the stream, with the wait its Retry-After header asked for. */
export type StreamAnswerError = NodeApiError & { retryAfterMs?: number };

/** How long a failed open asked to wait before the next one (Retry-After), if it did. */
export function retryAfterOf(error: unknown): number | undefined {
	const asked = (error as Partial<StreamAnswerError> | undefined)?.retryAfterMs;
	return typeof asked === 'number' ? asked : undefined;
}

/** Hides the value of every `api_key=` in `text` (URLs in logs, errors and executions). */
export function redactApiKey(text: string): string {
	return text.replace(/(api_key=)[^&\s"'#]*/gi, '$1***');
}

async function readText(body: ByteStream): Promise<string> {
	const decoder = new TextDecoder();
	let text = '';
	for await (const chunk of body) {
		text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
		if (text.length > 10_000) break; // an error answer is short; never read a stream to its end
	}
	body.destroy?.();
	return text + decoder.decode();
}

/**
 * Opens streams with the credential resolved while `trigger()` ran: the stream is reopened from
 * timers, when n8n can no longer evaluate the credential. The stream takes the key as `api_key` in
 * the query string, not in the `x-api-key` header the credential sets, so it is added here.
 */
export function createEventStreamOpener(
	this: ITriggerFunctions,
	credentials: LinkupCredentialValues,
): EventStreamOpener {
	const node = this.getNode();
	const helpers = this.helpers;
	return async (webhookId, signal) => {
		const options: IHttpRequestOptions = {
			method: 'GET',
			url: `${credentials.baseUrl}/v2/webhooks/${encodeURIComponent(webhookId)}/stream`,
			qs: { api_key: credentials.apiKey },
			headers: { accept: 'text/event-stream' },
			encoding: 'stream',
			abortSignal: signal,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		};
		let response: StreamResponse;
		try {
			response = (await helpers.httpRequest(options)) as StreamResponse;
		} catch (error) {
			const failure = connectionError(node, credentials.baseUrl, error, redactApiKey);
			failure.description = `${failure.description ?? ''} If a proxy cuts long-lived connections, set "Receive Events" to "Poll".`;
			throw failure;
		}
		const body = response.body as ByteStream;
		if (response.statusCode >= 400) {
			const text = redactApiKey(await readText(body));
			const error: StreamAnswerError = linkupApiError(node, response.statusCode, parseJsonBody(text));
			error.retryAfterMs = retryAfterMs(response.headers);
			throw error;
		}
		return body;
	};
}
