import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INode,
	type ITriggerFunctions,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';

export const CREDENTIAL_TYPE = 'linkupApi';
export const DEFAULT_BASE_URL = 'https://api.linkupapi.com';

/** Largest page sizes the API accepts. */
export const ACCOUNTS_PAGE_SIZE = 500;

/** 429 handling for idempotent GETs: at most this many retries, doubling the wait each time. */
export const RATE_LIMIT_RETRIES = 3;
const RATE_LIMIT_FIRST_WAIT_MS = 1000;
const RETRY_AFTER_MAX_MS = 30_000;
const REQUEST_TIMEOUT_MS = 30_000;

export type LinkupFunctions =
	| IExecuteFunctions
	| IHookFunctions
	| ILoadOptionsFunctions
	| ITriggerFunctions
	| IWebhookFunctions;

export interface LinkupRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, starting with /v2/. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
}

export interface HttpFullResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

/** Sends one HTTP request; each caller decides how the API key is attached. */
export type RequestSender = (options: IHttpRequestOptions) => Promise<HttpFullResponse>;

/** Talks to LinkupAPI: unwraps the success envelope and turns every failure into a NodeApiError. */
export class LinkupClient {
	constructor(
		private readonly node: INode,
		readonly baseUrl: string,
		private readonly send: RequestSender,
	) {}

	/** Returns the envelope's `data` (or the whole body when there is no envelope). */
	async request<T = IDataObject>(request: LinkupRequest): Promise<T> {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: `${this.baseUrl}${request.path}`,
			qs: request.qs,
			body: request.body,
			json: true,
			timeout: REQUEST_TIMEOUT_MS,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		};
		const retries = request.method === 'GET' ? RATE_LIMIT_RETRIES : 0;
		for (let attempt = 0; ; attempt++) {
			let response: HttpFullResponse;
			try {
				response = await this.send(options);
			} catch (error) {
				throw this.connectionError(error as Error);
			}
			const body = parseBody(response.body);
			if (response.statusCode === 429 && attempt < retries) {
				await sleep(retryDelayMs(response.headers, attempt));
				continue;
			}
			if (response.statusCode >= 400 || (isObject(body) && body.success === false)) {
				throw linkupApiError(this.node, response.statusCode, body);
			}
			if (isObject(body) && 'data' in body && 'success' in body) return body.data as T;
			return body as T;
		}
	}

	private connectionError(error: Error): NodeApiError {
		const reason = describeNetworkFailure(error);
		return new NodeApiError(this.node, { message: reason } as JsonObject, {
			message: `Could not reach LinkupAPI at ${this.baseUrl} (${reason}).`,
			description:
				'Check the Base URL in your LinkupAPI credential (normally https://api.linkupapi.com) and that this n8n instance can reach the internet.',
		});
	}
}

/** Builds the client for any node context, authenticating through n8n's credential helper. */
export async function getLinkupClient(this: LinkupFunctions): Promise<LinkupClient> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const send: RequestSender = async (options) =>
		(await this.helpers.httpRequestWithAuthentication.call(
			this,
			CREDENTIAL_TYPE,
			options,
		)) as HttpFullResponse;
	return new LinkupClient(this.getNode(), normalizeBaseUrl(credentials.baseUrl), send);
}

/** The credential's values, resolved once. */
export interface LinkupCredentialValues {
	apiKey: string;
	baseUrl: string;
}

/**
 * Reads the credential while n8n can still evaluate it. Inside a trigger this only works until
 * `trigger()` returns: later calls fail with "No bridge acquired for this context".
 */
export async function resolveLinkupCredentials(
	this: ITriggerFunctions,
): Promise<LinkupCredentialValues> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	return {
		apiKey: typeof credentials.apiKey === 'string' ? credentials.apiKey : '',
		baseUrl: normalizeBaseUrl(credentials.baseUrl),
	};
}

/**
 * A client for work a trigger does after `trigger()` returned (timers, `closeFunction`). n8n can
 * no longer evaluate the credential's `authenticate` expression then, so
 * `httpRequestWithAuthentication` fails; this sender sets the same `x-api-key` header itself from
 * credentials resolved beforehand with `resolveLinkupCredentials`.
 */
export function createDetachedLinkupClient(
	this: ITriggerFunctions,
	credentials: LinkupCredentialValues,
): LinkupClient {
	const send: RequestSender = async (options) =>
		(await this.helpers.httpRequest({
			...options,
			headers: { ...options.headers, 'x-api-key': credentials.apiKey },
		})) as HttpFullResponse;
	return new LinkupClient(this.getNode(), credentials.baseUrl, send);
}

export async function linkupApiRequest<T = IDataObject>(
	this: LinkupFunctions,
	request: LinkupRequest,
): Promise<T> {
	const client = await getLinkupClient.call(this);
	return await client.request<T>(request);
}

export function normalizeBaseUrl(value: unknown): string {
	const text = typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_BASE_URL;
	return text.replace(/\/+$/, '');
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

/**
 * Lists every account (or the first `limit`), `offset`-paging with the largest page the API allows.
 */
export async function getAccounts(client: LinkupClient, limit?: number): Promise<IDataObject[]> {
	const accounts: IDataObject[] = [];
	let offset = 0;
	for (;;) {
		const wanted = limit === undefined ? ACCOUNTS_PAGE_SIZE : limit - accounts.length;
		const pageSize = Math.min(ACCOUNTS_PAGE_SIZE, Math.max(1, wanted));
		const data = await client.request({
			method: 'GET',
			path: '/v2/accounts',
			qs: { limit: pageSize, offset },
		});
		const page = extractItems(data);
		accounts.push(...page);
		offset += page.length;
		const total = isObject(data) && typeof data.total === 'number' ? data.total : undefined;
		const done =
			page.length < pageSize ||
			(total !== undefined && offset >= total) ||
			(limit !== undefined && accounts.length >= limit);
		if (done) break;
	}
	return limit === undefined ? accounts : accounts.slice(0, limit);
}

interface ErrorExplanation {
	code: string;
	hint: string;
}

function explain(status: number, code: string | undefined): ErrorExplanation {
	const known: Record<string, string> = {
		INVALID_API_KEY:
			'Check the API key in your LinkupAPI credential: it is missing, wrong or expired.',
		ACCOUNT_INACTIVE:
			'This LinkedIn account is inactive or suspended in LinkupAPI. Reconnect it in LinkupAPI, then try again.',
		INVALID_ACCOUNT:
			'This account ID does not exist or belongs to another API key. Pick the account from the list.',
		INSUFFICIENT_CREDITS:
			'Top up your LinkupAPI credits: monitoring needs at least 1 credit and costs about 10 credits a day per account.',
		INVALID_PARAMS: 'Fix the value the message names and try again.',
		INVALID_ACTION: 'This action is not supported by LinkupAPI for this resource.',
		RATE_LIMITED:
			'LinkupAPI is limiting how fast you call it. Wait a minute and try again, or run the workflow less often.',
		INTERNAL_ERROR:
			'LinkupAPI had a problem on its side. Try again in a few minutes; if it keeps failing, contact LinkupAPI support.',
	};
	// No code is documented for an unknown webhook: any 404 but INVALID_ACCOUNT gets the not-found hint.
	if (status === 404 && code !== 'INVALID_ACCOUNT')
		return {
			code: code ?? 'NOT_FOUND',
			hint: 'Nothing with this ID was found for your API key: check the ID, or pick it from the list. A webhook may have been deleted in the meantime.',
		};
	if (code && known[code]) return { code, hint: known[code] };
	if (status === 401 || status === 403) return { code: code ?? 'INVALID_API_KEY', hint: known.INVALID_API_KEY };
	if (status === 402) return { code: code ?? 'INSUFFICIENT_CREDITS', hint: known.INSUFFICIENT_CREDITS };
	if (status === 400) return { code: code ?? 'INVALID_PARAMS', hint: known.INVALID_PARAMS };
	if (status === 429) return { code: code ?? 'RATE_LIMITED', hint: known.RATE_LIMITED };
	if (status >= 500) return { code: code ?? 'INTERNAL_ERROR', hint: known.INTERNAL_ERROR };
	return { code: code ?? `HTTP_${status}`, hint: 'LinkupAPI refused the request.' };
}

/** Builds the error users see: `CODE: API message. Plain-words hint.` */
export function linkupApiError(node: INode, status: number, body: unknown): NodeApiError {
	const envelope = isObject(body) && isObject(body.error) ? body.error : {};
	const apiCode = typeof envelope.code === 'string' ? envelope.code : undefined;
	const apiMessage =
		typeof envelope.message === 'string' && envelope.message.trim() !== ''
			? envelope.message.trim()
			: typeof body === 'string' && body.trim() !== '' && body.length < 300
				? body.trim()
				: `LinkupAPI answered with HTTP ${status}`;
	const { code, hint } = explain(status, apiCode);
	const sentence = /[.!?]$/.test(apiMessage) ? apiMessage : `${apiMessage}.`;
	const errorBody: JsonObject = isObject(body)
		? (body as JsonObject)
		: { error: { code, message: apiMessage } };
	return new NodeApiError(node, errorBody, {
		message: `${code}: ${sentence} ${hint}`,
		description: `LinkupAPI answered HTTP ${status} with error code ${code}.`,
		httpCode: String(status),
	});
}

const NETWORK_FAILURES: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host name not found',
	EAI_AGAIN: 'host name lookup failed',
	ETIMEDOUT: 'timed out',
	ECONNABORTED: 'timed out',
	ECONNRESET: 'connection reset',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	CERT_HAS_EXPIRED: 'the server certificate has expired',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed',
};

/** Names the network failure, looking through n8n's and axios' wrappers for the system error code. */
export function describeNetworkFailure(error: unknown): string {
	const seen = new Set<unknown>();
	let current: unknown = error;
	const texts: string[] = [];
	while (isObject(current) && !seen.has(current)) {
		seen.add(current);
		if (typeof current.code === 'string' && NETWORK_FAILURES[current.code]) {
			return NETWORK_FAILURES[current.code];
		}
		if (typeof current.message === 'string') texts.push(current.message);
		// NodeApiError keeps the wrapped error's message (e.g. "connect ECONNREFUSED …") in `messages`.
		if (Array.isArray(current.messages)) texts.push(...current.messages.map(String));
		current = current.cause ?? current.errorResponse ?? current.error;
	}
	for (const [code, reason] of Object.entries(NETWORK_FAILURES)) {
		if (texts.some((text) => text.includes(code))) return reason;
	}
	if (texts.some((text) => /timeout/i.test(text))) return 'timed out';
	if (texts.some((text) => /socket hang up|other side closed/i.test(text))) return 'connection reset';
	return texts.length > 0 ? texts[texts.length - 1] : 'network error';
}

function retryDelayMs(headers: Record<string, unknown>, attempt: number): number {
	const retryAfter = Number(headers?.['retry-after']);
	if (Number.isFinite(retryAfter) && retryAfter >= 0) {
		return Math.min(retryAfter * 1000, RETRY_AFTER_MAX_MS);
	}
	return RATE_LIMIT_FIRST_WAIT_MS * 2 ** attempt;
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

export function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export * from './events';
