/**
 * The lifecycle's error wording: the original cause comes first (activation shows only the
 * message), followed by what happened to the webhook and, when one may still bill, how to delete it.
 */

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
