/**
 * The lifecycle's one error policy: the original cause comes first (activation shows only the
 * message), followed by what happened to the webhook and, when one may still bill, how to delete it.
 */
import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';
import type { LifecycleContext } from './webhookTarget';
import { deleteWebhook } from '../transport';

/** The error as n8n shows node errors: API and node errors unchanged, anything else wrapped. */
export function asNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error);
}

/** Appends `sentence` to the error's message and returns the same error. */
export function explainAfter(error: unknown, sentence: string): Error {
	const explained = error instanceof Error ? error : new Error(String(error));
	if (sentence) explained.message = `${explained.message} ${sentence}`;
	return explained;
}

/** Says that a webhook may still be active and how to find and delete it. */
export function leftoverNotice(where: { id?: string; url?: string; accountId?: string }): string {
	if (where.id) {
		return `LinkupAPI webhook ${where.id} may still be active and billing. Delete it with the LinkupAPI node (Webhook > Delete, ID ${where.id}) or in LinkupAPI.`;
	}
	const which = where.url ? `posting to ${where.url}` : `without a URL (hosted) for account ${where.accountId}`;
	return `A LinkupAPI webhook ${which} may still be active and billing: find it with the LinkupAPI node (Webhook > Get Many) and delete it.`;
}

/** Deletes each webhook (retried by the transport when that can help); returns those that failed. */
export async function deleteAll(
	ctx: LifecycleContext,
	ids: string[],
): Promise<Array<{ id: string; error: Error }>> {
	const failures: Array<{ id: string; error: Error }> = [];
	for (const id of ids) {
		try {
			await deleteWebhook(ctx.client, id);
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
