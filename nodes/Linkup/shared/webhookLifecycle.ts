/**
 * The one webhook lifecycle both triggers use: find the webhook to keep, create one, undo on failure,
 * delete. Money safety is its rule: every path ends with exactly one webhook the trigger knows, or
 * none, or an error naming the webhook that may still bill (docs/linkupapi-v2.md, Webhook endpoints).
 */
import { NodeOperationError, type IDataObject } from 'n8n-workflow';
import { asNodeError, deleteAll, explainAfter, leftoverNotice, undoCreate } from './lifecycleErrors';
import {
	whyNotMatching,
	type LifecycleContext,
	type OwnedWebhook,
	type RecordedWebhook,
	type WebhookTarget,
} from './webhookTarget';
import {
	answerMayBeLost,
	deleteWebhook,
	getWebhook,
	listWebhooks,
	postWebhook,
	startWebhook,
} from '../transport';
import { isMonitoring, webhookIdOf } from './webhooks';

/** Webhooks that post to the target's URL. Hosted webhooks have no URL that says whose they are. */
function atTargetUrl(list: IDataObject[], target: WebhookTarget): IDataObject[] {
	return target.url ? list.filter((webhook) => webhook.url === target.url) : [];
}

async function resumeIfStopped(ctx: LifecycleContext, remote: IDataObject, webhookId: string): Promise<void> {
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
	/** Ids of every webhook listed, so a create whose answer is lost can tell which one is new. */
	listedIds: Set<string>;
}

/**
 * One list call finds the recorded webhook and anything else at the target URL. The recorded one
 * is kept when it still matches; with nothing to keep and no signature needed, a matching webhook
 * at the URL is adopted. Everything else at the URL, and a recorded webhook that no longer
 * matches, is deleted: each would bill, and only one may serve this trigger.
 */
export async function findWebhook(
	ctx: LifecycleContext,
	target: WebhookTarget,
	recorded: RecordedWebhook,
): Promise<FoundWebhooks> {
	const { client, logger, label } = ctx;
	const list = await listWebhooks(client);
	const listedIds = new Set(list.map(webhookIdOf).filter((id): id is string => id !== undefined));
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
	return { kept, listedIds };
}

/**
 * Creates the target webhook and makes sure it monitors. A create whose answer is lost is settled
 * by listing: a webhook that appeared for the target is adopted (no secret needed) or deleted. A
 * failed /start deletes the new webhook again. `listedIds` are webhooks known to predate the create.
 */
export async function createWebhook(
	ctx: LifecycleContext,
	target: WebhookTarget,
	listedIds: Set<string> = new Set(),
): Promise<OwnedWebhook> {
	let answer: IDataObject;
	try {
		answer = await postWebhook(ctx.client, {
			account_id: target.accountId,
			events: target.events,
			...(target.url ? { url: target.url, enable_signature: target.signed } : {}),
		});
	} catch (error) {
		if (!answerMayBeLost(error)) throw asNodeError(ctx.node, error);
		return await settleLostCreate(ctx, target, listedIds, error);
	}
	const id = webhookIdOf(answer);
	if (!id) {
		const error = new NodeOperationError(ctx.node, 'LinkupAPI created a webhook but did not return its ID.');
		return await settleLostCreate(ctx, target, listedIds, error);
	}
	const secret = typeof answer.secret === 'string' && answer.secret !== '' ? answer.secret : undefined;
	if (target.signed && !secret) {
		const error = new NodeOperationError(
			ctx.node,
			'LinkupAPI did not return a signing secret for the new webhook, so its deliveries could not be verified. Try again, or turn off "Verify Signature" in the options.',
		);
		return await undoCreate(ctx, [id], error, 'n8n deleted the new webhook again.');
	}
	// Pages of the API disagree on whether create starts monitoring (docs/linkupapi-v2.md, Open
	// questions); /start is free, so it follows whenever the answer does not say monitoring is on.
	if (answer.monitoring !== true) {
		try {
			await startWebhook(ctx.client, id);
		} catch (error) {
			return await undoCreate(
				ctx,
				[id],
				error,
				'LinkupAPI created the webhook but could not start its monitoring, so n8n deleted it again.',
			);
		}
	}
	return { id, secret };
}

/** After a lost create answer: find what LinkupAPI made for the target, then adopt it or delete it. */
async function settleLostCreate(
	ctx: LifecycleContext,
	target: WebhookTarget,
	listedIds: Set<string>,
	cause: unknown,
): Promise<OwnedWebhook> {
	const { client, logger, label } = ctx;
	let list: IDataObject[];
	try {
		list = await listWebhooks(client);
	} catch (listError) {
		throw explainAfter(
			cause,
			`The answer to creating the webhook was lost, and n8n could not check whether LinkupAPI created it (${(listError as Error).message}). ${leftoverNotice(target)}`,
		);
	}
	const fresh = list.filter((webhook) => {
		const id = webhookIdOf(webhook);
		if (!id || listedIds.has(id)) return false;
		return target.url ? webhook.url === target.url : whyNotMatching(webhook, target) === undefined;
	});
	const ids = fresh.map(webhookIdOf) as string[];
	if (fresh.length === 0) {
		throw explainAfter(cause, 'LinkupAPI created no webhook, so nothing is left billing.');
	}
	const adoptable = target.signed ? undefined : fresh.find((webhook) => whyNotMatching(webhook, target) === undefined);
	if (!adoptable) {
		return await undoCreate(
			ctx,
			ids,
			cause,
			`The answer to creating the webhook was lost; LinkupAPI had created ${ids.join(', ')}, whose signing secret only that answer carried, so n8n deleted it again. Activate the workflow again.`,
		);
	}
	const adoptedId = webhookIdOf(adoptable) as string;
	logger.warn(`${label}: the answer to creating the webhook was lost (${(cause as Error).message}); using ${adoptedId}, which LinkupAPI created`);
	const others = ids.filter((id) => id !== adoptedId);
	for (const { id, error } of await deleteAll(ctx, others)) {
		logger.warn(`${label}: could not delete the extra webhook ${id} (${error.message}). ${leftoverNotice({ id })}`);
	}
	try {
		await resumeIfStopped(ctx, adoptable, adoptedId);
	} catch (error) {
		return await undoCreate(ctx, [adoptedId], error, 'n8n deleted the webhook again.');
	}
	return { id: adoptedId };
}

/** Deletes the trigger's webhook; true when it existed, false when it was already gone. */
export async function removeWebhook(ctx: LifecycleContext, webhookId: string): Promise<boolean> {
	try {
		return await deleteWebhook(ctx.client, webhookId);
	} catch (error) {
		throw explainAfter(error, leftoverNotice({ id: webhookId }));
	}
}
