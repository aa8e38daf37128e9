// The LinkupAPI credential as tests use it: its test values, how n8n applies its `authenticate`
// block to a request, and how n8n's credential tester runs its `test` request.
import {
	NodeApiError,
	type IAuthenticateGeneric,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestOptions,
} from 'n8n-workflow';
import { HttpError, httpRequest } from './httpStandIn';
import { makeNode } from './node';

export const TEST_API_KEY = 'test-api-key';

export function linkupCredentials(baseUrl: string, apiKey = TEST_API_KEY): ICredentialDataDecryptedObject {
	return { apiKey, baseUrl };
}

/** Evaluates `={{ … }}` as JavaScript with `$credentials`, standing in for n8n's expression engine. */
function resolveCredentialExpression(value: string, credentials: ICredentialDataDecryptedObject): string {
	if (!value.startsWith('=')) return value;
	return value.slice(1).replace(/\{\{([\s\S]*?)\}\}/g, (_, code: string) =>
		String(new Function('$credentials', `return (${code});`)(credentials)),
	);
}

export function applyAuthentication(
	credentialType: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
): IHttpRequestOptions {
	const authenticate = credentialType.authenticate as IAuthenticateGeneric;
	const headers: IDataObject = { ...(options.headers ?? {}) };
	for (const [name, value] of Object.entries(authenticate.properties.headers ?? {})) {
		headers[name] = resolveCredentialExpression(String(value), credentials);
	}
	return { ...options, headers };
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/** lodash's `get` for a dotted path, as n8n's credential tester reads a `responseSuccessBody` key. */
function readPath(value: unknown, path: string): unknown {
	let current = value;
	for (const key of path.split('.')) {
		if (current === null || current === undefined) return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

/**
 * Runs a credential's `test` the way n8n's credential tester does (n8n 1.123 and 2.x): the test
 * request goes through the routing node (expressions resolved, the credential's `authenticate`
 * block applied, the full response kept, `ignoreHttpStatusErrors` as the credential sets it). A
 * failing status throws: n8n 2.x then maps it through the `responseCode` rules, but n8n 1.x loses
 * the status first and shows the generic NodeApiError text, which is what this stand-in answers so
 * that a credential relying on `responseCode` rules fails here as it does in n8n 1.x. An answer
 * that arrives becomes the node's items (an array body one item per element) and the
 * `responseSuccessBody` rules read the first item's json, first match wins.
 */
export async function runCredentialTest(
	credentialType: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult> {
	const { request, rules = [] } = credentialType.test!;
	const resolve = (value: unknown) =>
		typeof value === 'string' ? resolveCredentialExpression(value, credentials) : value;
	const options = applyAuthentication(credentialType, credentials, {
		method: resolve(request.method) as IHttpRequestOptions['method'],
		baseURL: resolve(request.baseURL) as string | undefined,
		url: resolve(request.url) as string,
		qs: request.qs,
		ignoreHttpStatusErrors: request.ignoreHttpStatusErrors,
		returnFullResponse: true,
	});
	let response: { body: unknown };
	try {
		response = (await httpRequest(options)) as { body: unknown };
	} catch (error) {
		if ((error as HttpError).response) return { status: 'Error', message: new NodeApiError(makeNode(), error as never).message };
		return { status: 'Error', message: (error as HttpError).code ?? (error as Error).message };
	}
	const items = Array.isArray(response.body) ? response.body.map((json: unknown) => ({ json })) : [{ json: response.body }];
	for (const rule of rules) {
		if (rule.type === 'responseSuccessBody' && readPath(items[0].json, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
