// Webhook → Get: reads one webhook (docs/linkupapi-v2.md, Webhook endpoints).
import { webhookIdLocator } from '../../shared/descriptions';
import { forOperation, webhookRequest, type LinkupOperation } from '../common';

export const description = forOperation('webhook', 'get', [webhookIdLocator]);

/** GET /v2/webhooks/{id}. LinkupAPI never returns the signing secret here. */
export const execute: LinkupOperation = async function (this, itemIndex) {
	return await webhookRequest.call(this, itemIndex, 'GET');
};
