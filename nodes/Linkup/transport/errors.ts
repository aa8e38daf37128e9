// Turns LinkupAPI's error answers and network failures into errors that say, in plain words, what
// happened and what to do (docs/linkupapi-v2.md, Envelope and errors).
import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';
import { isObject } from './values';

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

/** Failures that may pass by themselves; a wrong host name or a bad certificate will not. */
const TRANSIENT_NETWORK_FAILURES: ReadonlySet<string> = new Set([
	'connection refused',
	'timed out',
	'connection reset',
]);

export function isTransientNetworkFailure(error: unknown): boolean {
	return TRANSIENT_NETWORK_FAILURES.has(describeNetworkFailure(error));
}

/** Names the network failure, looking through n8n's and axios' wrappers for the system error code. */
function describeNetworkFailure(error: unknown): string {
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

/**
 * The error for a request that got no answer, naming the base URL it tried. A timeout says that
 * LinkupAPI was slow (`timeoutMs`, when known, says after how long): it is not a sign of a wrong
 * Base URL, and a create that timed out may still be carried out. `redact` cleans the failure's
 * own text, which may quote a URL carrying a secret.
 */
export function connectionError(
	node: INode,
	baseUrl: string,
	error: unknown,
	redact: (text: string) => string = (text) => text,
	timeoutMs?: number,
): NodeApiError {
	const reason = redact(describeNetworkFailure(error));
	if (reason === 'timed out') {
		const after = timeoutMs === undefined ? '' : ` after ${timeoutMs / 1000} s`;
		return new NodeApiError(node, { message: reason } as JsonObject, {
			message: `LinkupAPI at ${baseUrl} was too slow to answer (timed out${after}).`,
			// n8n 1.x's activation error shows the description, not the message: both say what happened.
			description: `LinkupAPI was too slow to answer (no answer${after}); it is probably busy for a moment: try again in a few minutes.`,
		});
	}
	return new NodeApiError(node, { message: reason } as JsonObject, {
		message: `Could not reach LinkupAPI at ${baseUrl} (${reason}).`,
		description:
			'Check the Base URL in your LinkupAPI credential (normally https://api.linkupapi.com) and that this n8n instance can reach the internet.',
	});
}

/**
 * Whether retrying later can help: rate limits, server errors and network failures (which carry
 * no HTTP status). Other 4xx answers (bad key, no credits, unknown id) need the user to act.
 */
export function isTransient(error: unknown): boolean {
	if (!(error instanceof NodeApiError)) return false;
	if (error.httpCode === null) return true;
	const status = Number(error.httpCode);
	return !Number.isFinite(status) || status === 408 || status === 429 || status >= 500;
}

/** A failure after which LinkupAPI may have done the work: transient, but not a 429 (refused before). */
export function answerMayBeLost(error: unknown): boolean {
	return isTransient(error) && !(error instanceof NodeApiError && error.httpCode === '429');
}

/** The API answered 404: for a read or a delete, the thing is gone. */
export function isNotFound(error: unknown): boolean {
	return error instanceof NodeApiError && error.httpCode === '404';
}

/**
 * The error as n8n shows node errors: LinkupAPI and input errors unchanged (tagged with the failing
 * item when there is one), anything else wrapped.
 */
export function asNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined) error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, itemIndex === undefined ? {} : { itemIndex });
}
