// Webhook → Create: registers a custom-mode or hosted webhook (docs/linkupapi-v2.md, Webhook endpoints).
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { accountIdLocator, billingNotice, eventsProperty } from '../../shared/descriptions';
import {
	forOperation,
	getAccountId,
	invalidInput,
	readEvents,
	readWebhookUrl,
	requestObject,
	type LinkupOperation,
} from '../common';
import { labelSecret } from '../secret';

const properties: INodeProperties[] = [
	billingNotice,
	accountIdLocator,
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/linkup-events',
		description:
			'Public HTTPS address LinkupAPI posts each event to (custom mode). Leave empty for a hosted webhook whose events you read with Get Events (kept 24 hours).',
	},
	eventsProperty,
	{
		displayName: 'Enable Signature',
		name: 'enableSignature',
		type: 'boolean',
		default: true,
		displayOptions: { hide: { url: [''] } },
		description:
			'Whether LinkupAPI signs each delivery (X-Linkup-Signature header) so your endpoint can check it came from LinkupAPI. The signing secret is in the output once: store it right away. Custom mode only.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Retry Failed Deliveries',
				name: 'retry',
				type: 'boolean',
				default: false,
				description:
					'Whether LinkupAPI retries a delivery your URL did not accept. Documented only by a third party, not by LinkupAPI: it may be ignored. Not sent for hosted webhooks.',
			},
		],
	},
];

export const description = forOperation('webhook', 'create', properties);

/** POST /v2/webhooks: a custom-mode webhook when a URL is given, otherwise a hosted one. */
export const execute: LinkupOperation = async function (this, itemIndex) {
	const accountId = getAccountId.call(this, itemIndex);
	const url = readWebhookUrl.call(this, 'url', itemIndex, { allowEmpty: true, field: 'URL' });
	const events = readEvents.call(this, 'events', itemIndex, 'Events');
	const enableSignature = this.getNodeParameter('enableSignature', itemIndex, false) === true;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const body: IDataObject = { account_id: accountId, events };
	if (url === '') {
		if (enableSignature) {
			throw invalidInput(
				this,
				itemIndex,
				'Enable Signature works only with a URL: hosted webhooks (empty URL) are never signed. Turn off Enable Signature, or enter the public HTTPS URL LinkupAPI should post to.',
			);
		}
	} else {
		body.url = url;
		body.enable_signature = enableSignature;
		if (typeof options.retry === 'boolean') body.retry = options.retry;
	}

	const created = await requestObject.call(this, { method: 'POST', path: '/v2/webhooks', body });
	return labelSecret.call(this, created);
};
