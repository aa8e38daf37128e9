// Webhook → Get Many: lists webhooks, optionally for one account (docs/linkupapi-v2.md, Webhook endpoints).
import type { INodeProperties } from 'n8n-workflow';
import { accountIdLocator } from '../../shared/descriptions';
import { getLinkupClient, listWebhooks } from '../../transport';
import {
	applyLimit,
	forOperation,
	readOptionalId,
	readLimit,
	returnAllOrLimit,
	type LinkupOperation,
} from '../common';

const properties: INodeProperties[] = [
	{
		...accountIdLocator,
		required: false,
		description:
			'Only return the webhooks of this account. Leave empty for the webhooks of every account.',
	},
	...returnAllOrLimit,
];

export const description = forOperation('webhook', 'getAll', properties);

/**
 * GET /v2/webhooks. The API documents no filter or paging for this list, so the account filter and
 * the limit are applied here.
 */
export const execute: LinkupOperation = async function (this, itemIndex) {
	const accountId = readOptionalId.call(this, 'accountId', itemIndex);
	const limit = readLimit.call(this, itemIndex);
	const webhooks = (await listWebhooks(await getLinkupClient.call(this))).filter(
		(webhook) => accountId === undefined || String(webhook.account_id) === accountId,
	);
	return applyLimit(webhooks, limit);
};
