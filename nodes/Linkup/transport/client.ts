// Sends every request to LinkupAPI: the credential, the base URL, retries of idempotent calls and
// the success envelope (docs/linkupapi-v2.md, Authentication; Envelope and errors).
import {
	NodeOperationError,
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
	type NodeApiError,
} from 'n8n-workflow';
import { API_KEY_HEADER, DEFAULT_BASE_URL } from '../../../credentials/LinkupApi.credentials';
import { answerMayBeLost, connectionError, isTransientNetworkFailure, linkupApiError } from './errors';
import { isObject, parseJsonBody } from './values';

const CREDENTIAL_TYPE = 'linkupApi';

/**
 * When an idempotent call (GET, DELETE) is tried again: after a 429, a 5xx or a lost connection
 * (reset, refused, timed out). At most 3 retries; the waits double from 1 s (1 s, 2 s, 4 s) unless
 * a 429 or 5xx carries Retry-After, which is honoured up to 10 s (a longer one ends the retries at
 * once); all waits together stay under 20 s. Each attempt may also take up to the 30 s request
 * timeout. POST and PUT are never retried: a create whose answer was lost may still have happened.
 * A DELETE that meets 404 on a retry after a 5xx or a lost connection was done by that earlier
 * attempt, whose answer was lost: it counts as done (data {}), for the action node's Delete too.
 * Tests shorten or record these waits by assigning to RETRY_POLICY.
 */
export interface RetryPolicy {
	retries: number;
	firstWaitMs: number;
	maxWaitMs: number;
	totalWaitMs: number;
	wait: (ms: number) => Promise<void>;
}

export const RETRY_POLICY: RetryPolicy = {
	retries: 3,
	firstWaitMs: 1000,
	maxWaitMs: 10_000,
	totalWaitMs: 20_000,
	wait: sleep,
};

const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'DELETE']);
/**
 * How long one attempt waits for its answer. A create that times out may still be carried out
 * later (lifecycle/lateCreate.ts looks for it). Tests shorten it.
 */
export const REQUEST_TIMEOUT = { ms: 30_000 };

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

interface HttpFullResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

/** Sends one HTTP request; each way of building a client decides how the API key is attached. */
type RequestSender = (options: IHttpRequestOptions) => Promise<HttpFullResponse>;

type AttemptOutcome =
	| { data: unknown }
	| { error: NodeApiError; transient: boolean; retryAfterMs?: number };

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
			timeout: REQUEST_TIMEOUT.ms,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		};
		const policy = RETRY_POLICY;
		const retries = IDEMPOTENT_METHODS.has(request.method) ? policy.retries : 0;
		let waitedMs = 0;
		let answerLost = false;
		for (let attempt = 0; ; attempt++) {
			const outcome = await this.attempt(options);
			if ('data' in outcome) return outcome.data as T;
			if (answerLost && request.method === 'DELETE' && outcome.error.httpCode === '404') return {} as T;
			answerLost ||= answerMayBeLost(outcome.error);
			const waitMs = outcome.retryAfterMs ?? policy.firstWaitMs * 2 ** attempt;
			const fits = waitMs <= policy.maxWaitMs && waitedMs + waitMs <= policy.totalWaitMs;
			if (attempt >= retries || !outcome.transient || !fits) throw outcome.error;
			await policy.wait(waitMs);
			waitedMs += waitMs;
		}
	}

	/** Sends once; a failure says whether trying again could help and how long the API asked to wait. */
	private async attempt(options: IHttpRequestOptions): Promise<AttemptOutcome> {
		let response: HttpFullResponse;
		try {
			response = await this.send(options);
		} catch (error) {
			return {
				error: connectionError(this.node, this.baseUrl, error, undefined, options.timeout),
				transient: isTransientNetworkFailure(error),
			};
		}
		const { statusCode: status, headers } = response;
		const body = parseJsonBody(response.body);
		if (status >= 400 || (isObject(body) && body.success === false)) {
			return {
				error: linkupApiError(this.node, status, body),
				transient: status === 429 || status >= 500,
				retryAfterMs: retryAfterMs(headers),
			};
		}
		return { data: isObject(body) && 'data' in body && 'success' in body ? body.data : body };
	}
}

/** Builds the client for any node context, authenticating through n8n's credential helper. */
export async function getLinkupClient(this: LinkupFunctions): Promise<LinkupClient> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = checkedBaseUrl(this.getNode(), credentials.baseUrl);
	const send: RequestSender = async (options) =>
		(await this.helpers.httpRequestWithAuthentication.call(
			this,
			CREDENTIAL_TYPE,
			options,
		)) as HttpFullResponse;
	return new LinkupClient(this.getNode(), baseUrl, send);
}

/** The credential's values, resolved once. */
export interface LinkupCredentialValues {
	apiKey: string;
	baseUrl: string;
}

/**
 * Reads the credential while n8n can still evaluate it. Inside a trigger or a webhook hook this
 * only works until `trigger()` or the hook returns: later calls fail with "No bridge acquired for
 * this context".
 */
export async function resolveLinkupCredentials(
	this: ITriggerFunctions | IHookFunctions | IWebhookFunctions,
): Promise<LinkupCredentialValues> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	return {
		apiKey: typeof credentials.apiKey === 'string' ? credentials.apiKey : '',
		baseUrl: checkedBaseUrl(this.getNode(), credentials.baseUrl),
	};
}

/**
 * A client for work a trigger does after `trigger()` or a hook returned (timers, `closeFunction`,
 * the late look for a create that timed out). n8n can no longer evaluate the credential's
 * `authenticate` expression then, so `httpRequestWithAuthentication` fails; this sender sets the
 * same API key header itself from credentials resolved beforehand with `resolveLinkupCredentials`.
 */
export function createDetachedLinkupClient(
	this: ITriggerFunctions | IHookFunctions | IWebhookFunctions,
	credentials: LinkupCredentialValues,
): LinkupClient {
	const send: RequestSender = async (options) =>
		(await this.helpers.httpRequest({
			...options,
			headers: { ...options.headers, [API_KEY_HEADER]: credentials.apiKey },
		})) as HttpFullResponse;
	return new LinkupClient(this.getNode(), credentials.baseUrl, send);
}

export function normalizeBaseUrl(value: unknown): string {
	const text = typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_BASE_URL;
	return text.replace(/\/+$/, '');
}

/** The normalized base URL, or an error before any request when it would expose the API key. */
function checkedBaseUrl(node: INode, value: unknown): string {
	const baseUrl = normalizeBaseUrl(value);
	const problem = baseUrlProblem(baseUrl);
	if (problem) throw new NodeOperationError(node, problem);
	return baseUrl;
}

/**
 * Why the API key must not be sent to `baseUrl`, or undefined. Over plain http:// anyone on the way
 * could read the key; only this machine (localhost, 127.0.0.1, [::1]) is exempt, for local tests.
 */
export function baseUrlProblem(baseUrl: string): string | undefined {
	let url: URL;
	try {
		url = new URL(baseUrl);
	} catch {
		return `The Base URL "${baseUrl}" in your LinkupAPI credential is not a valid address. Set it to https://api.linkupapi.com.`;
	}
	if (url.protocol === 'https:') return undefined;
	if (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname.toLowerCase())) return undefined;
	return `The Base URL "${url.origin}" in your LinkupAPI credential does not start with https://, so the API key would travel unencrypted. Change it to https:// (normally https://api.linkupapi.com); plain http:// is accepted only for localhost, 127.0.0.1 and [::1].`;
}

const LOCAL_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(headers: Record<string, unknown> | undefined): number | undefined {
	const value = headers?.['retry-after'];
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
