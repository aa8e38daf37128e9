// The LinkupAPI API credential: the API key, the base URL and how n8n tests them (docs/linkupapi-v2.md, Authentication).
import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestMethods,
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
 * Where the credential test posts instead of calling a Base URL that would expose the key: n8n's
 * HTTP client answers a POST to a `data:` URL with 405 itself, without any network traffic.
 */
const PLAIN_HTTP_REFUSED_URL = 'data:,plain-http-refused';
const PLAIN_HTTP_REFUSED_STATUS = 405;

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
	// Base URL that would send the key unencrypted is not called at all: the test posts to a local
	// `data:` URL instead, and its 405 carries the message (a credential test speaks only through
	// response codes). n8n 1.x ignores these rules and shows its own text for the status.
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ ${KEY_MAY_TRAVEL} ? $credentials.baseUrl : "" }}`,
			url: `={{ ${KEY_MAY_TRAVEL} ? "/v2/accounts?limit=1" : "${PLAIN_HTTP_REFUSED_URL}" }}`,
			method: `={{ ${KEY_MAY_TRAVEL} ? "GET" : "POST" }}` as IHttpRequestMethods,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: PLAIN_HTTP_REFUSED_STATUS,
					message:
						'The Base URL does not start with https://, so the API key would travel unencrypted; nothing was sent. Change it to https:// (normally https://api.linkupapi.com). Plain http:// is accepted only for localhost, 127.0.0.1 and [::1].',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'LinkupAPI rejected this API key (INVALID_API_KEY). Copy the key again from your LinkupAPI dashboard.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'LinkupAPI rejected this API key. Copy the key again from your LinkupAPI dashboard.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No LinkupAPI v2 API answered at this Base URL. Leave it as https://api.linkupapi.com unless LinkupAPI told you otherwise.',
				},
			},
		],
	};
}
