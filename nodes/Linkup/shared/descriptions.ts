// Parameter descriptions the three nodes share: the account and webhook pickers, the event filter,
// the billing notice, and reading the trigger's account.
import {
	NodeOperationError,
	type IHookFunctions,
	type INodeProperties,
	type ITriggerFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

/** Subscription filter values the API documents; `message_received` arrives as `event.type` "message". */
export const EVENT_FILTER_OPTIONS = [
	{
		name: 'Accepted Invitation',
		value: 'accepted_invitation',
		description: 'A connection request you sent was accepted (event.type "accepted_invitation")',
	},
	{
		name: 'All Events',
		value: 'all',
		description: 'Every event type LinkupAPI sends, including types added later',
	},
	{
		name: 'Message Received',
		value: 'message_received',
		description: 'A new LinkedIn message arrived (it arrives as event.type "message")',
	},
];

/**
 * A resource locator with a searchable list and an ID field. No `regex` validation: n8n 2.41 runs it
 * in a sandbox on every execution, which halved the trigger's throughput in the benchmark; the
 * action node checks IDs itself and LinkupAPI answers a wrong one with "not found".
 */
function idLocator(
	name: string,
	displayName: string,
	description: string,
	searchListMethod: string,
	placeholder: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder },
		],
	};
}

export const accountIdLocator = idLocator(
	'accountId',
	'Account',
	'The LinkedIn account connected to LinkupAPI',
	'searchAccounts',
	'e.g. 69c127c37cae0494dd827286',
);

export const webhookIdLocator = idLocator(
	'webhookId',
	'Webhook',
	'The LinkupAPI webhook',
	'searchWebhooks',
	'e.g. 6789abcdef0123456789abcd',
);

export const eventsProperty: INodeProperties = {
	displayName: 'Events',
	name: 'events',
	type: 'multiOptions',
	options: EVENT_FILTER_OPTIONS,
	default: ['all'],
	required: true,
	description:
		'Which events to receive. Disconnection events (the LinkedIn session expired) are always sent by LinkupAPI.',
};

export const billingNotice: INodeProperties = {
	displayName:
		'While a webhook is active, LinkupAPI bills about 10 credits a day for each monitored LinkedIn account. Stop or delete the webhook to end billing.',
	name: 'billingNotice',
	type: 'notice',
	default: '',
};

/** The account a trigger watches; an empty choice stops activation with what to do. */
export function readTriggerAccountId(context: IHookFunctions | ITriggerFunctions | IWebhookFunctions): string {
	const value = context.getNodeParameter('accountId', '', { extractValue: true });
	const accountId = typeof value === 'string' ? value.trim() : String(value ?? '');
	if (accountId === '') {
		throw new NodeOperationError(context.getNode(), 'Choose the LinkedIn account to watch in "Account".');
	}
	return accountId;
}
