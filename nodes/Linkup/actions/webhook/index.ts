// The Webhook resource: its operation list and each operation's fields and code.
import type { INodeProperties } from 'n8n-workflow';
import type { OperationModule } from '../common';
import * as create from './create.operation';
import * as deleteWebhook from './delete.operation';
import * as disableSignature from './disableSignature.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getEvents from './getEvents.operation';
import * as rotateSecret from './rotateSecret.operation';
import * as start from './start.operation';
import * as stop from './stop.operation';
import * as update from './update.operation';

export const operations: Record<string, OperationModule> = {
	create,
	delete: deleteWebhook,
	disableSignature,
	get,
	getAll,
	getEvents,
	rotateSecret,
	start,
	stop,
	update,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['webhook'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					'Create a webhook: with a URL LinkupAPI posts events to it, without one it stores them for Get Events. Starts billing.',
				action: 'Create a webhook',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a webhook, ending billing when it is the last one of its account',
				action: 'Delete a webhook',
			},
			{
				name: 'Disable Signature',
				value: 'disableSignature',
				description:
					'Delete the signing secret so deliveries are no longer signed. A LinkupAPI Trigger using this webhook then refuses every delivery until its workflow is deactivated and reactivated.',
				action: 'Disable the signature of a webhook',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a webhook',
				action: 'Get a webhook',
			},
			{
				name: 'Get Events',
				value: 'getEvents',
				description: 'Get the events a hosted webhook stored in the last 24 hours',
				action: 'Get the events of a hosted webhook',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many webhooks',
				action: 'Get many webhooks',
			},
			{
				name: 'Rotate Secret',
				value: 'rotateSecret',
				description:
					'Replace the signing secret; the old one stops working at once. A LinkupAPI Trigger using this webhook then refuses every delivery until its workflow is deactivated and reactivated.',
				action: 'Rotate the secret of a webhook',
			},
			{
				name: 'Start',
				value: 'start',
				description: 'Resume monitoring after Stop. Starts billing.',
				action: 'Start a webhook',
			},
			{
				name: 'Stop',
				value: 'stop',
				description: 'Pause monitoring, keeping the webhook',
				action: 'Stop a webhook',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change the URL, events or active state (documented only by a third party)',
				action: 'Update a webhook',
			},
		],
		default: 'getAll',
	},
	...create.description,
	...deleteWebhook.description,
	...disableSignature.description,
	...get.description,
	...getAll.description,
	...getEvents.description,
	...rotateSecret.description,
	...start.description,
	...stop.description,
	...update.description,
];
