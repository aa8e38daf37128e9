/**
 * What the LinkupAPI Trigger's parameters ask LinkupAPI for, read and checked before any API call:
 * a webhook URL LinkupAPI can reach, and a Timestamp Tolerance within its limit.
 */
import { NodeOperationError, type IDataObject, type IHookFunctions, type IWebhookFunctions } from 'n8n-workflow';
import { readTriggerAccountId } from '../shared/descriptions';
import { nonPublicUrlReason } from '../shared/publicUrl';
import { normalizeEvents, type WebhookTarget } from '../shared/webhooks';
import { readToleranceSeconds } from './signature';

export type TriggerTarget = WebhookTarget & { url: string };

/** Activation hooks, and a delivery's repair (trigger/repair.ts). */
type TriggerContext = IHookFunctions | IWebhookFunctions;

/** The lifecycle queue of the trigger node serving `context`'s production (or test) URL. */
export function triggerQueueKey(context: TriggerContext): string {
	return `trigger:${context.getNodeWebhookUrl('default')}`;
}

/** What the node's parameters ask LinkupAPI for; checked before any API call. */
export function readTarget(context: TriggerContext): TriggerTarget & { allowNonPublicUrl: boolean } {
	const url = context.getNodeWebhookUrl('default');
	if (!url) {
		throw new NodeOperationError(context.getNode(), 'n8n did not give this trigger a webhook URL. Save the workflow, then activate it again.');
	}
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const signed = options.verifySignature !== false;
	if (signed) {
		try {
			readToleranceSeconds(options.timestampToleranceSeconds);
		} catch (error) {
			throw new NodeOperationError(context.getNode(), (error as Error).message);
		}
	}
	return {
		url,
		accountId: readTriggerAccountId(context),
		events: normalizeEvents(context.getNodeParameter('events', ['all'])),
		signed,
		allowNonPublicUrl: options.allowNonPublicUrl === true,
	};
}

/** Refuses a webhook URL LinkupAPI could never deliver to, unless "Allow Non-Public URL" is on. */
export function checkReachable(context: IHookFunctions, target: { url: string; allowNonPublicUrl: boolean }): void {
	const reason = nonPublicUrlReason(target.url);
	if (reason && !target.allowNonPublicUrl) refuseNonPublicUrl(context, target.url, reason);
}

function refuseNonPublicUrl(context: IHookFunctions, url: string, reason: string): never {
	throw new NodeOperationError(
		context.getNode(),
		`LinkupAPI can only deliver events to a public HTTPS address, and this webhook URL (${url}) ${reason}. ` +
			'Give n8n a public HTTPS address: set the N8N_WEBHOOK_URL environment variable (WEBHOOK_URL before n8n 2.35) to it, ' +
			'or expose n8n through a tunnel; or use the "LinkupAPI Hosted Trigger" node, which needs no public URL.',
		{
			description:
				'If LinkupAPI can reach this address anyway (a private set-up), turn on "Allow Non-Public URL" in the options.',
		},
	);
}
