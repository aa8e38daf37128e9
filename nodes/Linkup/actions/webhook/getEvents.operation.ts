// Webhook → Get Events: reads a hosted webhook's stored events (docs/linkupapi-v2.md, Hosted events and the stream).
import type { INodeProperties } from 'n8n-workflow';
import { webhookIdLocator } from '../../shared/descriptions';
import { getEvents, getLinkupClient, isObject } from '../../transport';
import {
	forOperation,
	getWebhookId,
	notice,
	readDate,
	readLimit,
	returnAllOrLimit,
	type LinkupOperation,
} from '../common';

const properties: INodeProperties[] = [
	notice(
		'getEventsNotice',
		'Only hosted webhooks (created without a URL) store events, for 24 hours. A "message_received" subscription arrives as event.type "message".',
	),
	webhookIdLocator,
	{
		displayName: 'Since',
		name: 'since',
		type: 'dateTime',
		default: '',
		description:
			"Only return events stored after this time (in the workflow's time zone unless the value has one). Leave empty for every stored event.",
	},
	...returnAllOrLimit,
];

export const description = forOperation('webhook', 'getEvents', properties);

/**
 * GET /v2/webhooks/{id}/events, paging 200 at a time with `since` and dropping repeated event IDs.
 * Each item is the event wrapper as LinkupAPI sent it, plus `event_id` and `created_at`.
 */
export const execute: LinkupOperation = async function (this, itemIndex) {
	const webhookId = getWebhookId.call(this, itemIndex);
	const since = readDate.call(this, 'since', itemIndex, 'Since');
	const limit = readLimit.call(this, itemIndex);
	const client = await getLinkupClient.call(this);
	const events = await getEvents(client, webhookId, { since, limit });
	return events.map(({ event, ...stored }) =>
		isObject(event) ? { ...event, ...stored } : { event, ...stored },
	);
};
