/**
 * Creates the webhook a trigger asks for. Money safety is its rule: every path ends with exactly
 * one webhook the trigger knows, or none, or an error naming the webhook that may still bill, or
 * one saying that n8n looks again for a create that may still land (docs/linkupapi-v2.md, Webhook
 * endpoints; "Creates carried out late").
 */
import { NodeOperationError, type IDataObject } from 'n8n-workflow';
import { answerMayBeLost, asNodeError, listWebhooks, postWebhook, startWebhook } from '../transport';
import { webhookIdOf, whyNotMatching, type OwnedWebhook, type WebhookTarget } from '../shared/webhooks';
import type { LifecycleContext } from './context';
import { resumeIfStopped } from './findWebhook';
import { keepWebhook } from './kept';
import {
	ambiguityNotice,
	findLateWebhooks,
	lookingAgainNotice,
	lostCreateRecord,
	watchForLateCreate,
	type LostCreate,
} from './lateCreate';
import { explainAfter, leftoverNotice } from './notices';
import { deleteAll, undoCreate } from './undo';

/**
 * Creates the target webhook and makes sure it monitors. A create whose answer is lost is settled
 * by listing: a webhook that appeared for the target is adopted (no secret needed) or deleted;
 * when none has appeared yet, n8n looks again later, and `remember` gets a record of the create for
 * the trigger's next start. A failed /start deletes the new webhook again. `listedIds` are
 * webhooks known to predate the create.
 */
export async function createWebhook(
	ctx: LifecycleContext,
	target: WebhookTarget,
	listedIds: Set<string> = new Set(),
	remember?: (lost: LostCreate) => void,
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
		return await settleLostCreate(ctx, target, listedIds, error, remember);
	}
	const id = webhookIdOf(answer);
	if (!id) {
		const error = new NodeOperationError(ctx.node, 'LinkupAPI created a webhook but did not return its ID.');
		return await settleLostCreate(ctx, target, listedIds, error, remember);
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
	keepWebhook(ctx, id);
	return { id, secret };
}

/**
 * After a lost create answer: find what LinkupAPI made for the target, then adopt it or delete it.
 * When nothing has appeared yet, the create may still land: n8n looks again later.
 */
async function settleLostCreate(
	ctx: LifecycleContext,
	target: WebhookTarget,
	listedIds: Set<string>,
	cause: unknown,
	remember?: (lost: LostCreate) => void,
): Promise<OwnedWebhook> {
	const { client, logger, label } = ctx;
	let list: IDataObject[];
	try {
		list = await listWebhooks(client);
	} catch (listError) {
		watchForLateCreate(ctx, target, listedIds);
		throw explainAfter(
			cause,
			`The answer to creating the webhook was lost, and n8n could not check whether LinkupAPI created it (${(listError as Error).message}). ${leftoverNotice(target)} ${lookingAgainNotice()}`,
		);
	}
	const fresh = findLateWebhooks(ctx, list, target, listedIds);
	const ids = fresh.map(webhookIdOf) as string[];
	if (fresh.length === 0) {
		watchForLateCreate(ctx, target, listedIds);
		const record = remember && lostCreateRecord(list, target, listedIds);
		if (record) remember(record);
		throw explainAfter(cause, `LinkupAPI had not created the webhook when n8n checked right after. ${lookingAgainNotice()}`);
	}
	const ambiguity = ambiguityNotice(target, fresh);
	if (ambiguity) throw explainAfter(cause, `The answer to creating the webhook was lost, and ${ambiguity}`);
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
	keepWebhook(ctx, adoptedId);
	return { id: adoptedId };
}
