// Webhook → Stop: turns a webhook's monitoring off, which ends its billing (docs/linkupapi-v2.md, Billing).
import { webhookIdLocator } from '../../shared/descriptions';
import { forOperation, notice, webhookRequest, type LinkupOperation } from '../common';

export const description = forOperation('webhook', 'stop', [
	notice(
		'stopNotice',
		'Stopping keeps the webhook and its settings; use Start to resume. Billing (about 10 credits a day) ends when no webhook of the account is monitoring any more.',
	),
	webhookIdLocator,
]);

/** POST /v2/webhooks/{id}/stop. */
export const execute: LinkupOperation = async function (this, itemIndex) {
	return await webhookRequest.call(this, itemIndex, 'POST', '/stop');
};
