// Webhook → Rotate Secret: issues a new signing secret (docs/linkupapi-v2.md, Signatures).
import { webhookIdLocator } from '../../shared/descriptions';
import { forOperation, notice, webhookRequest, type LinkupOperation } from '../common';
import { labelSecret } from '../secret';

export const description = forOperation('webhook', 'rotateSecret', [
	notice(
		'rotateSecretNotice',
		'The old signing secret stops working at once, with no overlap. Put the new secret (in the output, shown only once) into your receiver right away. Custom-mode webhooks only.',
	),
	webhookIdLocator,
]);

/** POST /v2/webhooks/{id}/rotate-secret. */
export const execute: LinkupOperation = async function (this, itemIndex) {
	return labelSecret.call(this, await webhookRequest.call(this, itemIndex, 'POST', '/rotate-secret'));
};
