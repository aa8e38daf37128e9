/**
 * How a webhook object is read: its id, whether it monitors, and its event filters as a set
 * (docs/linkupapi-v2.md, Webhook endpoints). The calls themselves are in transport/webhooks.ts.
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
