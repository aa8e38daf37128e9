// Webhook → Start: turns a webhook's monitoring on, which starts billing (docs/linkupapi-v2.md, Billing).
import { billingNotice, webhookIdLocator } from '../../shared/descriptions';
import { forOperation, webhookRequest, type LinkupOperation } from '../common';

export const description = forOperation('webhook', 'start', [billingNotice, webhookIdLocator]);

/**
 * POST /v2/webhooks/{id}/start: resumes monitoring after Stop. Needs at least 1 credit and a
 * connected account.
 */
export const execute: LinkupOperation = async function (this, itemIndex) {
	return await webhookRequest.call(this, itemIndex, 'POST', '/start');
};
