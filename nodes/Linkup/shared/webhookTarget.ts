/** What a trigger asks LinkupAPI for, and the one way to say why a webhook does not serve it. */
import type { IDataObject, INode, Logger } from 'n8n-workflow';
import type { LinkupClient } from '../transport';
import { sameEvents } from './webhooks';

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

export interface LifecycleContext {
	client: LinkupClient;
	node: INode;
	logger: Logger;
	/** The trigger's name at the start of log lines. */
	label: string;
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

