/**
 * A create whose answer never came (timed out, connection dropped, server error) may still be
 * carried out by LinkupAPI after the client gave up (docs/linkupapi-v2.md, "Creates carried out
 * late"). Right after the failure createWebhook.ts lists once; when that shows nothing, the looks
 * here list again a few times from a timer and delete what appeared, and a Hosted Trigger's next
 * start can adopt it. The timer outlives the failed hook or trigger(), so it uses the lifecycle's
 * client, which is detached: n8n can no longer evaluate the credential by then.
 */
import { sleep, type IDataObject } from 'n8n-workflow';
import { webhookIdOf, whyNotMatching, type WebhookTarget } from '../shared/webhooks';
import { listWebhooks } from '../transport';
import { inQueue, type LifecycleContext } from './context';
import { resumeIfStopped } from './findWebhook';
import { keepWebhook, keptByAnyTrigger } from './kept';
import { leftoverNotice } from './notices';
import { deleteAll } from './undo';

export const LATE_CREATE_CHECKS = {
	/** Pauses before each look, counted from the failure: the looks run 10 s, 40 s and 100 s after it. */
	delaysMs: [10_000, 30_000, 60_000],
	/** One pause: n8n-workflow's timer (tests replace it with one they release). */
	wait: async (ms: number): Promise<void> => await sleep(ms),
	/** Lets the looks run in the background (tests keep the promise to await them). */
	start: (looks: Promise<void>): void => {
		void looks;
	},
	/** The clock of the record a Hosted Trigger keeps for its next start, epoch ms (tests pin it). */
	now: (): number => Date.now(),
};

/** How long after the failure a webhook is still taken for the create's: until the last look. */
function windowMs(): number {
	return LATE_CREATE_CHECKS.delaysMs.reduce((sum, delay) => sum + delay, 0);
}

/** What the error of a create that may still land says n8n does about it. */
export function lookingAgainNotice(): string {
	let atMs = 0;
	const times = LATE_CREATE_CHECKS.delaysMs.map((delay) => `${(atMs += delay) / 1000} s`);
	return `In case LinkupAPI still creates it, n8n looks again ${times.join(', ')} after this failure and deletes what it finds (see n8n's log).`;
}

/**
 * What a create that lost its answer may have made, in `list`. For a URL: every webhook posting to
 * it (the URL is this trigger's own). For a hosted webhook: those of the target's account and
 * events that `listedIds`, listed just before the create, does not hold. A webhook that a trigger
 * of this process keeps is never among them.
 */
export function findLateWebhooks(
	ctx: LifecycleContext,
	list: IDataObject[],
	target: WebhookTarget,
	listedIds: Set<string>,
): IDataObject[] {
	return list.filter((webhook) => {
		const id = webhookIdOf(webhook);
		if (!id || listedIds.has(id) || keptByAnyTrigger(ctx, id)) return false;
		return target.url ? webhook.url === target.url : whyNotMatching(webhook, target) === undefined;
	});
}

/**
 * Several hosted webhooks found: one create makes one webhook, and another workflow may have made
 * the others meanwhile, with nothing telling them apart, so none is touched. Undefined otherwise.
 */
export function ambiguityNotice(target: WebhookTarget, found: IDataObject[]): string | undefined {
	if (target.url || found.length < 2) return undefined;
	return `${found.length} hosted webhooks of account ${target.accountId} with these events appeared meanwhile (${found.map(webhookIdOf).join(', ')}). n8n cannot tell which one LinkupAPI made for it, so it deleted none: if nothing else uses them, delete the extra ones with the LinkupAPI node (Webhook > Delete).`;
}

/** Starts the looks for the webhook of a create that lost its answer (see LATE_CREATE_CHECKS). */
export function watchForLateCreate(ctx: LifecycleContext, target: WebhookTarget, listedIds: Set<string>): void {
	const looks = lookRepeatedly(ctx, target, listedIds).catch((error: Error) =>
		ctx.logger.error(`${ctx.label}: the look for a late webhook failed: ${error.message}. ${leftoverNotice(target)}`),
	);
	LATE_CREATE_CHECKS.start(looks);
}

async function lookRepeatedly(ctx: LifecycleContext, target: WebhookTarget, listedIds: Set<string>): Promise<void> {
	let listError: Error | undefined;
	for (const delay of LATE_CREATE_CHECKS.delaysMs) {
		await LATE_CREATE_CHECKS.wait(delay);
		// In the trigger's queue: a later activation's create has finished, and what it keeps is known.
		const looked = await inQueue(ctx, async () => await lookOnce(ctx, target, listedIds));
		if (looked === 'settled') return;
		listError = looked === 'none' ? undefined : looked;
	}
	const seconds = windowMs() / 1000;
	if (listError) {
		ctx.logger.warn(`${ctx.label}: could not look for a webhook made by the create whose answer was lost (${listError.message}). ${leftoverNotice(target)}`);
	} else {
		ctx.logger.info(`${ctx.label}: no webhook appeared within ${seconds} s of the create whose answer was lost; n8n stopped looking`);
	}
}

/** One look: 'settled' when it found what the create made, 'none', or the error of the list call. */
async function lookOnce(
	ctx: LifecycleContext,
	target: WebhookTarget,
	listedIds: Set<string>,
): Promise<'settled' | 'none' | Error> {
	let list: IDataObject[];
	try {
		list = await listWebhooks(ctx.client);
	} catch (error) {
		return error as Error;
	}
	const found = findLateWebhooks(ctx, list, target, listedIds);
	if (found.length === 0) return 'none';
	const ambiguity = ambiguityNotice(target, found);
	if (ambiguity) {
		ctx.logger.warn(`${ctx.label}: after a create whose answer was lost, ${ambiguity}`);
		return 'settled';
	}
	const ids = found.map(webhookIdOf) as string[];
	const failures = await deleteAll(ctx, ids);
	for (const id of ids.filter((id) => !failures.some((failure) => failure.id === id))) {
		ctx.logger.info(`${ctx.label}: deleted LinkupAPI webhook ${id}, which LinkupAPI created after n8n had given up waiting for its answer`);
	}
	for (const { id, error } of failures) {
		ctx.logger.warn(`${ctx.label}: LinkupAPI created webhook ${id} after n8n had given up waiting, and deleting it failed (${error.message}). ${leftoverNotice({ id })}`);
	}
	return 'settled';
}

/** What a Hosted Trigger keeps in its static data about a create that may still land. */
export interface LostCreate {
	/** When the client gave up on the answer (epoch ms). */
	failedAt: number;
	/** The webhooks listed just before the create that findLateWebhooks could take for its own. */
	listedIds: string[];
}

/** With more look-alike webhooks than this, no record is kept: static data stays small. */
const MAX_RECORDED_IDS = 50;

/** The record of a create that may still land, from the list taken right after it failed. */
export function lostCreateRecord(
	list: IDataObject[],
	target: WebhookTarget,
	listedIds: Set<string>,
): LostCreate | undefined {
	const lookAlikes = list
		.filter((webhook) => whyNotMatching(webhook, target) === undefined)
		.map(webhookIdOf)
		.filter((id): id is string => id !== undefined && listedIds.has(id));
	if (lookAlikes.length > MAX_RECORDED_IDS) return undefined;
	return { failedAt: LATE_CREATE_CHECKS.now(), listedIds: lookAlikes };
}

/** A record read back from static data, which users can edit: undefined unless well formed. */
export function readLostCreate(value: unknown): LostCreate | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const { failedAt, listedIds } = value as IDataObject;
	if (typeof failedAt !== 'number' || !Number.isFinite(failedAt) || !Array.isArray(listedIds)) return undefined;
	if (listedIds.length > MAX_RECORDED_IDS || !listedIds.every((id) => typeof id === 'string')) return undefined;
	return { failedAt, listedIds: listedIds as string[] };
}

/**
 * At a trigger's next start within the window of the looks: the one webhook that the recorded
 * create made meanwhile, adopted (restarted if stopped), or undefined. Later, nothing tells it
 * apart from a webhook another workflow made since.
 */
export async function adoptLateWebhook(
	ctx: LifecycleContext,
	target: WebhookTarget,
	list: IDataObject[],
	lost: LostCreate | undefined,
): Promise<string | undefined> {
	if (!lost || LATE_CREATE_CHECKS.now() - lost.failedAt >= windowMs()) return undefined;
	const found = findLateWebhooks(ctx, list, target, new Set(lost.listedIds));
	const ambiguity = ambiguityNotice(target, found);
	if (ambiguity) ctx.logger.warn(`${ctx.label}: after an earlier create whose answer was lost, ${ambiguity}`);
	if (found.length !== 1) return undefined;
	const adoptedId = webhookIdOf(found[0]) as string;
	await resumeIfStopped(ctx, found[0], adoptedId);
	keepWebhook(ctx, adoptedId);
	ctx.logger.warn(`${ctx.label}: using ${adoptedId}, which LinkupAPI created for an earlier create whose answer was lost`);
	return adoptedId;
}
