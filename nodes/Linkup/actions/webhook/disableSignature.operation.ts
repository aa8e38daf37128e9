// Webhook → Disable Signature: stops signing deliveries (docs/linkupapi-v2.md, Signatures).
import { webhookIdLocator } from '../../shared/descriptions';
import { forOperation, notice, webhookRequest, type LinkupOperation } from '../common';

export const description = forOperation('webhook', 'disableSignature', [
	notice(
		'disableSignatureNotice',
		'Deletes the signing secret: later deliveries arrive unsigned, so a receiver that checks signatures will reject them. To sign again, create a webhook with Enable Signature on.',
	),
	webhookIdLocator,
]);

/** DELETE /v2/webhooks/{id}/secret. */
export const execute: LinkupOperation = async function (this, itemIndex) {
	return await webhookRequest.call(this, itemIndex, 'DELETE', '/secret');
};
