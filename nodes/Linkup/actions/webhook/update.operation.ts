// Webhook → Update: changes a webhook's URL or events (docs/linkupapi-v2.md, Webhook endpoints).
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { eventsProperty, webhookIdLocator } from '../../shared/descriptions';
import {
	forOperation,
	invalidInput,
	notice,
	readEvents,
	readWebhookUrl,
	webhookRequest,
	type LinkupOperation,
} from '../common';

const properties: INodeProperties[] = [
	notice(
		'updateNotice',
		'Only a third party documents this call, not LinkupAPI, so it may answer differently. If it fails, delete the webhook and create a new one. Turning Active on starts billing (about 10 credits a day per account).',
	),
	webhookIdLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Active',
				name: 'isActive',
				type: 'boolean',
				default: true,
				description: 'Whether the webhook monitors its account (on starts billing, off stops it)',
			},
			{ ...eventsProperty, required: false },
			{
				displayName: 'Retry Failed Deliveries',
				name: 'retry',
				type: 'boolean',
				default: false,
				description:
					'Whether LinkupAPI retries a delivery your URL did not accept. Documented only by a third party: it may be ignored.',
			},
			{
				displayName: 'URL',
				name: 'url',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://example.com/linkup-events',
				description: 'New public HTTPS address LinkupAPI posts events to',
			},
		],
	},
];

export const description = forOperation('webhook', 'update', properties);

/** PUT /v2/webhooks/{id} with only the fields chosen: `url`, `events`, `is_active`, `retry`. */
export const execute: LinkupOperation = async function (this, itemIndex) {
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	if ('url' in fields) {
		body.url = readWebhookUrl.call(this, 'updateFields.url', itemIndex, {
			allowEmpty: false,
			field: 'URL',
		});
	}
	if ('events' in fields) {
		body.events = readEvents.call(this, 'updateFields.events', itemIndex, 'Events');
	}
	if (typeof fields.isActive === 'boolean') body.is_active = fields.isActive;
	if (typeof fields.retry === 'boolean') body.retry = fields.retry;
	if (Object.keys(body).length === 0) {
		throw invalidInput(
			this,
			itemIndex,
			'Nothing to update: add at least one field under Update Fields (Active, Events, Retry Failed Deliveries or URL).',
		);
	}
	return await webhookRequest.call(this, itemIndex, 'PUT', '', body);
};
