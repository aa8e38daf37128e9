/** What the LinkupAPI Trigger keeps in its node static data about the webhook it registered. */
import type { IDataObject } from 'n8n-workflow';
import type { OwnedWebhook, RecordedWebhook, WebhookTarget } from '../shared/webhooks';

/** The static-data keys; they are saved in users' workflows, so they never change. */
export interface StoredWebhook {
	webhookId?: string;
	/** Signing secret: LinkupAPI returns it once, on create, and never again. */
	webhookSecret?: string;
	webhookUrl?: string;
	webhookEvents?: string[];
	accountId?: string;
}

const STORED_KEYS: Array<keyof StoredWebhook> = [
	'webhookId',
	'webhookSecret',
	'webhookUrl',
	'webhookEvents',
	'accountId',
];

export function clearStoredWebhook(staticData: IDataObject): void {
	for (const key of STORED_KEYS) delete staticData[key];
}

export function readStoredWebhook(staticData: IDataObject): RecordedWebhook {
	const stored = staticData as StoredWebhook;
	return {
		id: stored.webhookId,
		secret: stored.webhookSecret,
		url: stored.webhookUrl,
		events: stored.webhookEvents,
		accountId: stored.accountId,
	};
}

/** Replaces what is stored with the webhook now serving `target`. */
export function storeWebhook(staticData: IDataObject, webhook: OwnedWebhook, target: WebhookTarget): void {
	clearStoredWebhook(staticData);
	const stored: StoredWebhook = {
		webhookId: webhook.id,
		webhookUrl: target.url,
		webhookEvents: target.events,
		accountId: target.accountId,
	};
	if (webhook.secret) stored.webhookSecret = webhook.secret;
	Object.assign(staticData, stored);
}
