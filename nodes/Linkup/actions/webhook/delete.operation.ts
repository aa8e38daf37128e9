// Webhook → Delete: removes a webhook (docs/linkupapi-v2.md, Webhook endpoints).
import { webhookIdLocator } from '../../shared/descriptions';
import { forOperation, notice, webhookRequest, type LinkupOperation } from '../common';

export const description = forOperation('webhook', 'delete', [
	notice(
		'deleteNotice',
		'Deleting the last active webhook of an account stops its monitoring, which ends the billing of about 10 credits a day. A hosted webhook loses its stored events.',
	),
	webhookIdLocator,
]);

/** DELETE /v2/webhooks/{id}. */
export const execute: LinkupOperation = async function (this, itemIndex) {
	return { deleted: true, ...(await webhookRequest.call(this, itemIndex, 'DELETE')) };
};
