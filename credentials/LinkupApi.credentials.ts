// The LinkupAPI API credential: the API key, the base URL and how n8n tests them (docs/linkupapi-v2.md, Authentication).
import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** The header LinkupAPI reads the key from; the transport's detached client sets the same one. */
export const API_KEY_HEADER = 'x-api-key';
export const DEFAULT_BASE_URL = 'https://api.linkupapi.com';

/**
 * An n8n expression that is true when the Base URL may carry the API key: https://, or plain
 * http:// to this machine only (the nodes apply the same rule before every request).
 */
const KEY_MAY_TRAVEL =
	'/^(https:\\/\\/|http:\\/\\/(localhost|127\\.0\\.0\\.1|\\[::1\\])(:\\d+)?(\\/|$))/i.test(String($credentials.baseUrl || "https://").trim())';

/**
 * Where the credential test reads instead of calling a Base URL that would expose the key: n8n's
 * HTTP client answers a GET of a `data:` URL itself, without any network traffic, with the URL's
 * bytes as a raw buffer. Only such a buffer has a `byteLength`, which is how a rule recognizes it.
 */
const PLAIN_HTTP_REFUSED_CONTENT = 'plain-http-refused';
const PLAIN_HTTP_REFUSED_URL = `data:,${PLAIN_HTTP_REFUSED_CONTENT}`;

const BASE_URL_MESSAGE =
	'No LinkupAPI v2 API answered at this Base URL. Leave it as https://api.linkupapi.com unless LinkupAPI told you otherwise.';

export class LinkupApi implements ICredentialType {
	name = 'linkupApi';

	displayName = 'LinkupAPI API';

	icon: Icon = { light: 'file:../icons/linkup.svg', dark: 'file:../icons/linkup.dark.svg' };

	documentationUrl = 'https://docs.linkupapi.com/api-reference/v2/introduction';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your LinkupAPI key, from the LinkupAPI dashboard. It is sent as the x-api-key header.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				'Leave as is unless LinkupAPI support gave you another address. A trailing slash is fine. It must start with https://: the LinkupAPI nodes refuse a plain http:// address (which would expose the API key) except localhost, 127.0.0.1 and [::1] for local tests.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				[API_KEY_HEADER]: '={{$credentials.apiKey}}',
			},
		},
	};

	// Listing one account is free (0 credits) and fails with 403 INVALID_API_KEY for a bad key. A
	// Base URL that would send the key unencrypted is not called at all: the test reads a local
	// `data:` URL instead. The messages come from the answer's body, not its status: n8n 1.x loses
	// the status of a failed test request before it reads `responseCode` rules, so the request
	// ignores status errors and `responseSuccessBody` rules (first match wins) read what came back.
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ ${KEY_MAY_TRAVEL} ? $credentials.baseUrl : "" }}`,
			url: `={{ ${KEY_MAY_TRAVEL} ? "/v2/accounts?limit=1" : "${PLAIN_HTTP_REFUSED_URL}" }}`,
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'byteLength',
					value: PLAIN_HTTP_REFUSED_CONTENT.length,
					message:
						'The Base URL does not start with https://, so the API key would travel unencrypted; nothing was sent. Change it to https:// (normally https://api.linkupapi.com). Plain http:// is accepted only for localhost, 127.0.0.1 and [::1].',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.code',
					value: 'INVALID_API_KEY',
					message:
						'LinkupAPI rejected this API key (INVALID_API_KEY). Copy the key again from your LinkupAPI dashboard.',
				},
			},
			{
				// LinkupAPI's answer to a path it does not know: the Base URL has an extra path.
				type: 'responseSuccessBody',
				properties: { key: 'error.code', value: 'INVALID_ACTION', message: BASE_URL_MESSAGE },
			},
			{
				// Not LinkupAPI's envelope at all (a web page, another API, an empty answer).
				type: 'responseSuccessBody',
				properties: { key: 'success', value: undefined, message: BASE_URL_MESSAGE },
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'success',
					value: false,
					message:
						'LinkupAPI refused the test request. Check the API key and the Base URL, then try again in a minute.',
				},
			},
		],
	};
}
