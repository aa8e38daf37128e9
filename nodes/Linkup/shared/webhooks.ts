/**
 * How a webhook object is read (its id, whether it monitors, its event filters as a set) and the
 * one way to say why it does not serve what a trigger asks for (docs/linkupapi-v2.md, Webhook
 * endpoints). The calls themselves are in transport/webhooks.ts.
 */
import type { IDataObject } from 'n8n-workflow';

/** The API documents `webhook_id`; some responses may only carry `id`. */
export function webhookIdOf(webhook: IDataObject): string | undefined {
	const id = webhook.webhook_id ?? webhook.id;
	return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/** A webhook counts as stopped when either flag says so; absent flags mean running. */
export function isMonitoring(webhook: IDataObject): boolean {
	return webhook.monitoring !== false && webhook.is_active !== false;
}

/** Event filters as a set: order and duplicates do not matter, and no filter means "all". */
export function normalizeEvents(events: unknown): string[] {
	const list = Array.isArray(events) ? events.map(String) : [];
	const unique = [...new Set(list)].sort();
	return unique.length > 0 ? unique : ['all'];
}

export function sameEvents(a: unknown, b: unknown): boolean {
	return normalizeEvents(a).join(',') === normalizeEvents(b).join(',');
}

/** The webhook a trigger's parameters ask for. */
export interface WebhookTarget {
	accountId: string;
	events: string[];
	/** Where LinkupAPI posts (LinkupAPI Trigger); none for a hosted webhook (Hosted Trigger). */
	url?: string;
	/** Deliveries are signed, so the trigger must know the webhook's secret. */
	signed: boolean;
}

/** What a trigger recorded about its webhook; it fills in fields an API answer leaves out. */
export interface RecordedWebhook {
	id?: string;
	secret?: string;
	url?: string;
	events?: string[];
	accountId?: string;
}

/** A webhook the trigger serves from, with its signing secret when it knows it. */
export interface OwnedWebhook {
	id: string;
	secret?: string;
}

/** Why `remote` cannot serve `target`, in words that follow "it", or undefined when it can. */
export function whyNotMatching(
	remote: IDataObject,
	target: WebhookTarget,
	recorded: RecordedWebhook = {},
): string | undefined {
	const read = (key: string, fallback: unknown) => (key in remote ? remote[key] : fallback);
	const url = read('url', recorded.url);
	if ((url || undefined) !== target.url) return target.url ? 'points at another URL' : 'is not a hosted webhook';
	if (!sameEvents(read('events', recorded.events), target.events)) return 'has other events';
	if (String(read('account_id', recorded.accountId)) !== target.accountId) return 'belongs to another account';
	if (target.signed && (!recorded.secret || remote.signature_enabled === false)) {
		return 'has no signing secret this trigger knows';
	}
	return undefined;
}
