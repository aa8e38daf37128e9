/**
 * The LinkupAPI Hosted Trigger's webhook: its saved state, and the lifecycle steps its node and
 * session take (create, keep, delete), each in the trigger's queue.
 */
import type { IDataObject } from 'n8n-workflow';
import { inQueue, type LifecycleContext } from '../lifecycle/context';
import { createWebhook } from '../lifecycle/createWebhook';
import { findWebhook } from '../lifecycle/findWebhook';
import { adoptLateWebhook, readLostCreate, type LostCreate } from '../lifecycle/lateCreate';
import { removeWebhook } from '../lifecycle/undo';
import { webhookIdOf, type WebhookTarget } from '../shared/webhooks';
import { listWebhooks, type ReadPositionState } from '../transport';

/**
 * What the hosted trigger keeps between runs: n8n's node static data in production. n8n writes
 * static data to its database only at given moments (ActiveWorkflowManager, n8n 1.x and 2.x): once
 * activation finished (so the webhook id recorded by trigger() is kept) and at every `emit`
 * (so the cursor must be updated before emitting). Nothing saves it after `closeFunction`, and
 * changes that no emit follows are lost on a crash (re-reading those events is harmless). After a
 * failed activation n8n 2.x saves it, and its retries of trigger() get the same object; n8n 1.x
 * saves nothing, but its retries after a failed start at boot reuse the object in memory.
 */
export interface HostedTriggerState extends IDataObject, ReadPositionState {
	/** The hosted webhook this trigger created and polls; the read position is that webhook's. */
	webhookId?: string;
	/** A create whose answer was lost and that LinkupAPI may still carry out: the next create settles it. */
	lostCreate?: LostCreate;
}

/**
 * Creates a hosted webhook (no `url`) that monitors, after any lifecycle step of the trigger under
 * way. With the production `state`, a create whose answer was lost is recorded there and settled by
 * the next one, which adopts the webhook it made (lifecycle/lateCreate.ts).
 */
export async function createHostedWebhook(
	ctx: LifecycleContext,
	target: WebhookTarget,
	state?: HostedTriggerState,
): Promise<string> {
	return await inQueue(ctx, async () => await createOrAdopt(ctx, target, await listWebhooks(ctx.client), state));
}

/**
 * The account's webhooks are listed before the create, so that if its answer is lost the webhook
 * LinkupAPI made can be told apart from those that were there already.
 */
async function createOrAdopt(
	ctx: LifecycleContext,
	target: WebhookTarget,
	list: IDataObject[],
	state: HostedTriggerState | undefined,
): Promise<string> {
	const lost = readLostCreate(state?.lostCreate);
	// Settled now, whatever comes of it (deleting an absent key would still mark static data changed).
	if (state?.lostCreate !== undefined) delete state.lostCreate;
	const adoptedId = await adoptLateWebhook(ctx, target, list, lost);
	if (adoptedId) return adoptedId;
	const listedIds = new Set(list.map(webhookIdOf).filter((id): id is string => id !== undefined));
	const remember = state && ((record: LostCreate) => (state.lostCreate = record));
	return (await createWebhook(ctx, target, listedIds, remember)).id;
}

/**
 * Deletes a webhook when the trigger stops. A failure is logged, not thrown: n8n is deactivating
 * or shutting down and cannot do anything with it, but the user must know billing may go on.
 */
export async function deleteHostedWebhookOrReport(ctx: LifecycleContext, webhookId: string): Promise<void> {
	await inQueue(ctx, async () => {
		try {
			await removeWebhook(ctx, webhookId);
		} catch (error) {
			ctx.logger.error(`${ctx.label}: could not delete hosted webhook ${webhookId}: ${(error as Error).message}`);
		}
	});
}

/** Forgets the recorded webhook and its read position. */
export function resetState(state: HostedTriggerState, webhookId?: string): void {
	delete state.cursor;
	delete state.readUpTo;
	state.seenIds = [];
	if (webhookId === undefined) delete state.webhookId;
	else state.webhookId = webhookId;
}

/**
 * Makes sure exactly one hosted webhook serves this trigger and returns its id: the recorded one
 * when LinkupAPI still has it with the same account and events (restarted with /start if it was
 * stopped), otherwise a new one. A recorded webhook whose settings no longer match is deleted,
 * because every active webhook keeps the account's monitoring billed.
 */
export async function ensureHostedWebhook(
	ctx: LifecycleContext,
	state: HostedTriggerState,
	target: WebhookTarget,
): Promise<string> {
	return await inQueue(ctx, async () => {
		const { kept, list } = await findWebhook(ctx, target, { id: state.webhookId });
		if (kept) {
			ctx.logger.debug(`${ctx.label}: resuming hosted webhook ${kept.id}`);
			return kept.id;
		}
		const id = await createOrAdopt(ctx, target, list, state);
		resetState(state, id);
		return id;
	});
}

/**
 * Logs the account's other hosted webhooks. Nothing says who created them (another workflow,
 * another tool, or this trigger before its state was lost), so they are reported, never touched.
 */
export async function reportOtherHostedWebhooks(
	{ client, logger, label }: LifecycleContext,
	accountId: string,
	ownId: string,
): Promise<void> {
	let list: IDataObject[];
	try {
		list = await listWebhooks(client);
	} catch (error) {
		// Only a hint for the user: it must not fail an activation that already created a webhook.
		logger.debug(`${label}: could not list webhooks (${(error as Error).message})`);
		return;
	}
	const others = list
		.filter((webhook) => String(webhook.account_id) === accountId && !webhook.url)
		.map(webhookIdOf)
		.filter((id) => id !== undefined && id !== ownId);
	if (others.length === 0) return;
	logger.warn(
		`${label}: account ${accountId} has ${others.length} other hosted webhook(s) (${others.join(', ')}). ` +
			`If nothing else uses them, delete them with the LinkupAPI node (Webhook > Delete): they keep the account billed after this workflow stops.`,
	);
}
