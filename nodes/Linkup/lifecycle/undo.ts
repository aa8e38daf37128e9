/**
 * Deleting webhooks on the lifecycle's behalf: the trigger's own on deactivation, and those a
 * failed create made, with an error that names any webhook left billing.
 */
import { deleteWebhook } from '../transport';
import type { LifecycleContext } from './context';
import { forgetWebhook } from './kept';
import { explainAfter, leftoverNotice } from './notices';

/** Deletes each webhook (retried by the transport when that can help); returns those that failed. */
export async function deleteAll(
	ctx: LifecycleContext,
	ids: string[],
): Promise<Array<{ id: string; error: Error }>> {
	const failures: Array<{ id: string; error: Error }> = [];
	for (const id of ids) {
		try {
			await deleteWebhook(ctx.client, id);
			forgetWebhook(ctx, id);
		} catch (error) {
			failures.push({ id, error: error as Error });
		}
	}
	return failures;
}

/**
 * Deletes the webhooks a failed create made, then throws `cause` followed by `done`, or, when a
 * deletion failed too, by which webhook may still bill and how to delete it.
 */
export async function undoCreate(
	ctx: LifecycleContext,
	ids: string[],
	cause: unknown,
	done: string,
): Promise<never> {
	const failures = await deleteAll(ctx, ids);
	if (failures.length === 0) throw explainAfter(cause, done);
	for (const { id } of failures) ctx.logger.warn(`${ctx.label}: ${leftoverNotice({ id })}`);
	const notices = failures.map(({ id, error }) => `${leftoverNotice({ id })} (Deleting it failed: ${error.message})`);
	throw explainAfter(cause, `n8n could not undo the create. ${notices.join(' ')}`);
}

/** Deletes the trigger's webhook; true when it existed, false when it was already gone. */
export async function removeWebhook(ctx: LifecycleContext, webhookId: string): Promise<boolean> {
	try {
		const existed = await deleteWebhook(ctx.client, webhookId);
		forgetWebhook(ctx, webhookId);
		return existed;
	} catch (error) {
		throw explainAfter(error, leftoverNotice({ id: webhookId }));
	}
}
