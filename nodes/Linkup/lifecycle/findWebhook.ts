/**
 * Finds the webhook a trigger keeps, with one list call: the recorded one when it still matches
 * (restarted when stopped), and deletes everything else at the trigger's URL, since each would bill
 * (docs/linkupapi-v2.md, Webhook endpoints).
 */
import type { IDataObject } from 'n8n-workflow';
import { deleteWebhook, getWebhook, listWebhooks, startWebhook } from '../transport';
import {
	isMonitoring,
	webhookIdOf,
	whyNotMatching,
	type OwnedWebhook,
	type RecordedWebhook,
	type WebhookTarget,
} from '../shared/webhooks';
import type { LifecycleContext } from './context';
import { keepWebhook } from './kept';
import { explainAfter } from './notices';

/** Webhooks that post to the target's URL. Hosted webhooks have no URL that says whose they are. */
function atTargetUrl(list: IDataObject[], target: WebhookTarget): IDataObject[] {
	return target.url ? list.filter((webhook) => webhook.url === target.url) : [];
}

/** Restarts monitoring of a webhook found stopped (/start is free). */
export async function resumeIfStopped(ctx: LifecycleContext, remote: IDataObject, webhookId: string): Promise<void> {
	if (isMonitoring(remote)) return;
	try {
		await startWebhook(ctx.client, webhookId);
	} catch (error) {
		throw explainAfter(error, `n8n was restarting the stopped LinkupAPI webhook ${webhookId}.`);
	}
	ctx.logger.info(`${ctx.label}: LinkupAPI webhook ${webhookId} was stopped; monitoring restarted`);
}

export interface FoundWebhooks {
	/** The webhook to keep (restarted when it was stopped), or undefined: create one. */
	kept?: OwnedWebhook;
	/** The webhooks listed, so a create whose answer is lost can tell which one is new. */
	list: IDataObject[];
}

/**
 * One list call finds the recorded webhook and anything else at the target URL. The recorded one
 * is kept when it still matches; with nothing to keep and no signature needed, a matching webhook
 * at the URL is adopted. Everything else at the URL, and a recorded webhook that no longer
 * matches, is deleted: each would bill, and only one may serve this trigger. What it keeps is
 * noted for this process (kept.ts).
 */
export async function findWebhook(
	ctx: LifecycleContext,
	target: WebhookTarget,
	recorded: RecordedWebhook,
): Promise<FoundWebhooks> {
	const { client, logger, label } = ctx;
	const list = await listWebhooks(client);
	let own = recorded.id ? list.find((webhook) => webhookIdOf(webhook) === recorded.id) : undefined;
	// The list's paging is not documented: ask for the recorded id itself before giving it up.
	if (recorded.id && !own) own = await getWebhook(client, recorded.id);
	if (recorded.id && !own) logger.info(`${label}: LinkupAPI webhook ${recorded.id} no longer exists; creating a new one`);

	let kept: OwnedWebhook | undefined;
	let keptRemote: IDataObject | undefined;
	if (own && recorded.id) {
		const why = whyNotMatching(own, target, recorded);
		if (why === undefined) {
			kept = { id: recorded.id, secret: recorded.secret };
			keptRemote = own;
		} else {
			logger.info(`${label}: replacing LinkupAPI webhook ${recorded.id}: it ${why}`);
			await deleteWebhook(client, recorded.id);
		}
	}
	const leftovers = atTargetUrl(list, target).filter((webhook) => webhookIdOf(webhook) !== recorded.id);
	if (!kept && !target.signed) {
		// Its secret cannot be read back, so a webhook found at the URL is adopted only when unsigned.
		keptRemote = leftovers.find((webhook) => whyNotMatching(webhook, target) === undefined);
		const adoptedId = keptRemote && webhookIdOf(keptRemote);
		if (adoptedId) kept = { id: adoptedId };
	}
	for (const leftover of leftovers) {
		const leftoverId = webhookIdOf(leftover);
		if (leftover === keptRemote || !leftoverId) continue;
		logger.info(`${label}: deleting leftover LinkupAPI webhook ${leftoverId} registered for this URL`);
		await deleteWebhook(client, leftoverId);
	}
	if (kept && keptRemote) await resumeIfStopped(ctx, keptRemote, kept.id);
	keepWebhook(ctx, kept?.id);
	return { kept, list };
}
