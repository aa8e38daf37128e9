/**
 * Which webhook each trigger of this n8n process keeps, by lifecycle queue (one trigger node, or
 * one test run). n8n hands each hook call static data read from its database, so a deactivation
 * overlapping an activation may not see the id that activation just stored: it asks here. A look
 * for a create that lost its answer never takes a webhook another trigger keeps for its own.
 * One entry per trigger node at most, removed when its webhook is deleted.
 */
import { triggerKey, type LifecycleContext } from './context';

const keptByQueue = new Map<string, string>();

/** Records the webhook this trigger now keeps (undefined: none). */
export function keepWebhook(ctx: LifecycleContext, webhookId: string | undefined): void {
	if (webhookId === undefined) keptByQueue.delete(triggerKey(ctx));
	else keptByQueue.set(triggerKey(ctx), webhookId);
}

/** The webhook this trigger keeps, as recorded in this process. */
export function keptWebhook(ctx: LifecycleContext): string | undefined {
	return keptByQueue.get(triggerKey(ctx));
}

/** After `webhookId` was deleted: this trigger no longer keeps it. */
export function forgetWebhook(ctx: LifecycleContext, webhookId: string): void {
	if (keptWebhook(ctx) === webhookId) keptByQueue.delete(triggerKey(ctx));
}

/** Whether any trigger of this process, on the same LinkupAPI, keeps `webhookId`. */
export function keptByAnyTrigger(ctx: LifecycleContext, webhookId: string): boolean {
	const prefix = `${ctx.client.baseUrl} `;
	for (const [key, id] of keptByQueue) if (id === webhookId && key.startsWith(prefix)) return true;
	return false;
}
