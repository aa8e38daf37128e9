/**
 * Takes over the webhook of a LinkupAPI Trigger that n8n routes deliveries to but never stored. An
 * n8n 2.x (publication service, the default) killed while LinkupAPI answers `create` restarts with
 * the workflow published and never calls `checkExists` or `create` again, so `webhook()` is the only
 * code of this node it runs (README, Compatibility). A delivery starts the repair, so anyone who can
 * post to the URL can: it never creates a webhook (a stranger's POST must not start billing), runs
 * at most once per `REPAIR_TIMINGS.intervalMs` per trigger and n8n process, not within that time of
 * a lifecycle step of the same trigger (which may be about to store its own secret), and waits in
 * the trigger's lifecycle queue (docs/linkupapi-v2.md, Webhook endpoints and Signatures).
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import type { LifecycleContext } from '../lifecycle/context';
import { resumeIfStopped } from '../lifecycle/findWebhook';
import { keepWebhook } from '../lifecycle/kept';
import { leftoverNotice } from '../lifecycle/notices';
import { deleteAll } from '../lifecycle/undo';
import { isMonitoring, webhookIdOf, whyNotMatching } from '../shared/webhooks';
import { listWebhooks, rotateWebhookSecret } from '../transport';
import type { Refusal } from './delivery';
import { readStoredWebhook, storeWebhook, type StoredWebhook } from './storedWebhook';
import { readTarget, triggerQueueKey, type TriggerTarget } from './target';

export const REPAIR_TIMINGS = {
	/** At most one repair per trigger in this long, and none this long after a lifecycle step. */
	intervalMs: 5 * 60 * 1000,
	/** The clock, epoch ms (tests pin it). */
	now: () => Date.now(),
};

/** When each trigger (by lifecycle queue key) last had a repair or a lifecycle step in this process. */
const lastActivityAt = new Map<string, number>();

/** Each lifecycle step of the trigger calls this: a repair now could rotate the secret it stores. */
export function holdOffRepairs(queueKey: string): void {
	lastActivityAt.set(queueKey, REPAIR_TIMINGS.now());
}

/** True, and counted as a repair, when the trigger had no repair or lifecycle step within the interval. */
function admitRepair(queueKey: string): boolean {
	const now = REPAIR_TIMINGS.now();
	for (const [key, at] of lastActivityAt) {
		if (now - at >= REPAIR_TIMINGS.intervalMs) lastActivityAt.delete(key);
	}
	if (lastActivityAt.has(queueKey)) return false;
	lastActivityAt.set(queueKey, now);
	return true;
}

/** The stored state cannot serve deliveries: no webhook id, or signing on and no secret. */
export function lacksWebhook(stored: StoredWebhook, signed: boolean): boolean {
	return !stored.webhookId || (signed && !stored.webhookSecret);
}

/** Runs `run` in the trigger's lifecycle queue with its static data (the node's `step`). */
export type LifecycleStep = (
	run: (lifecycle: LifecycleContext, staticData: IDataObject) => Promise<string | undefined>,
) => Promise<string | undefined>;

const NO_SECRET = 'No signing secret stored for this trigger';

/** What the sender of a delivery that met no stored webhook is answered (never why a call failed). */
function refusalFor(outcome: 'adopted' | 'none' | 'waiting' | 'failed'): Refusal {
	const minutes = Math.round(REPAIR_TIMINGS.intervalMs / 60_000);
	const reasons = {
		adopted:
			'n8n had not stored the LinkupAPI webhook of this trigger and has now taken it over with a new signing secret. This delivery cannot be verified and starts nothing; later deliveries are verified',
		none: `${NO_SECRET}, and LinkupAPI has no webhook posting to this URL for its account and events: deactivate and reactivate the workflow`,
		waiting: `${NO_SECRET}. n8n looks for its LinkupAPI webhook at most every ${minutes} minutes and not while activating it; this delivery starts nothing`,
		failed: `${NO_SECRET}, and n8n could not take over its LinkupAPI webhook (see the n8n log); this delivery starts nothing`,
	};
	// 503 so that a sender who retries comes back once the trigger can verify; 401 when nothing will change.
	return { status: outcome === 'none' ? 401 : 503, reason: reasons[outcome] };
}

/**
 * Repairs the trigger for a delivery that met no stored webhook. Returns how to refuse the
 * delivery, or undefined when it may go on (signing off: there is nothing to verify). A signed
 * delivery is always refused: it was signed with the secret the lost answer carried.
 */
export async function repairOnDelivery(
	context: IWebhookFunctions,
	signed: boolean,
	step: LifecycleStep,
): Promise<Refusal | undefined> {
	const refuse = (outcome: Parameters<typeof refusalFor>[0]) => (signed ? refusalFor(outcome) : undefined);
	if (!admitRepair(triggerQueueKey(context))) return refuse('waiting');
	try {
		const adoptedId = await step(async (lifecycle, staticData) => await adoptWebhook(lifecycle, readTarget(context), staticData));
		return refuse(adoptedId ? 'adopted' : 'none');
	} catch (error) {
		const minutes = Math.round(REPAIR_TIMINGS.intervalMs / 60_000);
		context.logger.warn(
			`LinkupAPI Trigger: could not take over the LinkupAPI webhook of this trigger (${(error as Error).message}); a delivery in ${minutes} minutes or later tries again`,
		);
		return refuse('failed');
	}
}

/**
 * Lists the webhooks at the trigger's URL: keeps one with its account and events (the stored id
 * first, then one that monitors), deletes the others (each would bill), stores the kept one, makes
 * it monitor and, when signing is on, rotates its secret (LinkupAPI never shows a secret again).
 */
async function adoptWebhook(ctx: LifecycleContext, target: TriggerTarget, staticData: IDataObject): Promise<string | undefined> {
	const { client, logger, label } = ctx;
	const recordedId = readStoredWebhook(staticData).id;
	const atUrl = (await listWebhooks(client)).filter((webhook) => webhook.url === target.url && webhookIdOf(webhook));
	const serving = atUrl.filter((webhook) => whyNotMatching(webhook, { ...target, signed: false }) === undefined);
	const kept =
		serving.find((webhook) => webhookIdOf(webhook) === recordedId) ?? serving.find(isMonitoring) ?? serving[0];
	const extraIds = atUrl.filter((webhook) => webhook !== kept).map((webhook) => webhookIdOf(webhook) as string);
	if (kept) {
		// The id first: once it is stored (and kept, for a deactivation handed older static data),
		// deactivating the workflow deletes the webhook, whatever fails next.
		storeWebhook(staticData, { id: webhookIdOf(kept) as string }, target);
		keepWebhook(ctx, webhookIdOf(kept));
	}
	for (const id of extraIds) logger.info(`${label}: deleting LinkupAPI webhook ${id}: it also posts to this trigger's URL`);
	for (const { id, error } of await deleteAll(ctx, extraIds)) {
		logger.warn(`${label}: could not delete ${id} (${error.message}). ${leftoverNotice({ id })}`);
	}
	if (!kept) {
		logger.warn(
			`${label}: no LinkupAPI webhook posts to ${target.url} for account ${target.accountId} and events ${target.events.join(', ')}, and a delivery never makes n8n create one (anyone can post to this URL). Deactivate and reactivate the workflow to register it.`,
		);
		return undefined;
	}
	const id = webhookIdOf(kept) as string;
	await resumeIfStopped(ctx, kept, id);
	if (target.signed) {
		const secret = await rotateWebhookSecret(client, id);
		if (!secret) throw new Error(`LinkupAPI returned no signing secret when rotating the secret of ${id}`);
		storeWebhook(staticData, { id, secret }, target);
	}
	logger.warn(
		`${label}: n8n had not stored the LinkupAPI webhook of this trigger (n8n probably stopped while activating it); took over ${id}${target.signed ? ' with a new signing secret' : ''}`,
	);
	return id;
}
