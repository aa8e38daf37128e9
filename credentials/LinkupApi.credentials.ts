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
				'Leave as is unless LinkupAPI support gave you another address. A trailing slash is fine.',
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

	// Listing one account is free (0 credits) and fails with 403 INVALID_API_KEY for a bad key.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/v2/accounts',
			qs: { limit: 1 },
		},
		rules: [
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
