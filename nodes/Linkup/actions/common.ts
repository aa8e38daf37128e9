// What every operation shares: field helpers that read and check this item's parameters, and the request helpers.
import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type INodeProperties,
} from 'n8n-workflow';
import { publicHttpsUrlProblem } from '../shared/publicUrl';
import { parseDateInZone } from './time';
import { getLinkupClient, isObject, type LinkupRequest } from '../transport';

/** What the router calls once per input item; the result becomes that item's output items. */
export type LinkupOperation = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<IDataObject | IDataObject[]>;

export interface OperationModule {
	description: INodeProperties[];
	execute: LinkupOperation;
}

export type Resource = 'account' | 'webhook';

/** Shows `properties` only for this resource and operation. */
export function forOperation(
	resource: Resource,
	operation: string,
	properties: INodeProperties[],
): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: [resource], operation: [operation] } }, properties);
}

/** A text shown above an operation's fields. */
export function notice(name: string, text: string): INodeProperties {
	return { displayName: text, name, type: 'notice', default: '' };
}

export const returnAllOrLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		displayOptions: { show: { returnAll: [false] } },
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
	},
];

/** The error for a bad parameter value: plain words naming the field and the fix. */
export function invalidInput(
	context: IExecuteFunctions,
	itemIndex: number,
	message: string,
): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { itemIndex });
}

const ID_LABELS = { accountId: 'Account', webhookId: 'Webhook' } as const;

/**
 * Reads a resource locator's ID for this item, or undefined when the field is empty. IDs with spaces
 * or slashes are refused before anything is sent.
 */
export function readOptionalId(
	this: IExecuteFunctions,
	name: keyof typeof ID_LABELS,
	itemIndex: number,
): string | undefined {
	const label = ID_LABELS[name];
	const raw = this.getNodeParameter(name, itemIndex, '', { extractValue: true });
	const id = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	if (id === '') return undefined;
	if (/[\s/\\]/.test(id) || /^\.+$/.test(id)) {
		throw invalidInput(
			this,
			itemIndex,
			`The ${label} ID "${id}" is not valid: an ID has no spaces or slashes. Pick the ${label.toLowerCase()} from the list or paste its ID alone.`,
		);
	}
	return id;
}

/** Reads an ID the operation cannot do without: an empty field is an error naming it. */
function readRequiredId(
	this: IExecuteFunctions,
	name: keyof typeof ID_LABELS,
	itemIndex: number,
): string {
	const id = readOptionalId.call(this, name, itemIndex);
	if (id !== undefined) return id;
	const label = ID_LABELS[name];
	throw invalidInput(
		this,
		itemIndex,
		`The ${label} field is empty. Pick the ${label.toLowerCase()} from the list or enter its ID.`,
	);
}

export function getWebhookId(this: IExecuteFunctions, itemIndex: number): string {
	return readRequiredId.call(this, 'webhookId', itemIndex);
}

export function getAccountId(this: IExecuteFunctions, itemIndex: number): string {
	return readRequiredId.call(this, 'accountId', itemIndex);
}

/** The `limit` to honour, or undefined when Return All is on. */
export function readLimit(this: IExecuteFunctions, itemIndex: number): number | undefined {
	if (this.getNodeParameter('returnAll', itemIndex, false) === true) return undefined;
	const limit = this.getNodeParameter('limit', itemIndex, 50);
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw invalidInput(
			this,
			itemIndex,
			`The Limit field must be a whole number of 1 or more (got ${JSON.stringify(limit)}). Fix it, or turn on Return All.`,
		);
	}
	return limit;
}

/** Keeps the first `limit` entries; all when `limit` is undefined. */
export function applyLimit<T>(entries: T[], limit: number | undefined): T[] {
	return limit === undefined ? entries : entries.slice(0, limit);
}

/**
 * Reads a webhook URL parameter: '' (allowed only when `allowEmpty`) or a public HTTPS address.
 * `field` names it in errors.
 */
export function readWebhookUrl(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	{ allowEmpty, field }: { allowEmpty: boolean; field: string },
): string {
	const raw = this.getNodeParameter(name, itemIndex, '');
	const url = typeof raw === 'string' ? raw.trim() : '';
	if (url === '') {
		if (allowEmpty) return '';
		throw invalidInput(
			this,
			itemIndex,
			`The ${field} field is empty. Enter the new public HTTPS URL, or remove the field to keep the current one.`,
		);
	}
	const problem = publicHttpsUrlProblem(url);
	if (problem) throw invalidInput(this, itemIndex, `The ${field} field is not usable: ${problem}.`);
	return url;
}

/** Reads an events multi-select; at least one value is needed. */
export function readEvents(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	field: string,
): string[] {
	const raw = this.getNodeParameter(name, itemIndex, []);
	const events = (Array.isArray(raw) ? raw : [raw])
		.filter((value) => typeof value === 'string')
		.map((value: string) => value.trim())
		.filter((value) => value !== '');
	if (events.length === 0) {
		throw invalidInput(
			this,
			itemIndex,
			`The ${field} field is empty. Pick at least one event, or All Events.`,
		);
	}
	return events;
}

/**
 * Reads an optional date parameter as an ISO 8601 UTC string. A value without a zone is in the
 * workflow's time zone, as n8n's date picker means it.
 */
export function readDate(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	field: string,
): string | undefined {
	const raw = this.getNodeParameter(name, itemIndex, '');
	if (raw === '' || raw === null || raw === undefined) return undefined;
	const date = raw instanceof Date ? raw : parseDateInZone(String(raw), this.getTimezone());
	if (!date || Number.isNaN(date.getTime())) {
		throw invalidInput(
			this,
			itemIndex,
			`The ${field} field is not a date (got ${JSON.stringify(String(raw))}). Enter a date and time such as 2025-01-15T10:30:00Z, or leave it empty.`,
		);
	}
	return date.toISOString();
}

/** Sends one request whose answer is a single object (an empty one when `data` is not an object). */
export async function requestObject(
	this: IExecuteFunctions,
	request: LinkupRequest,
): Promise<IDataObject> {
	const client = await getLinkupClient.call(this);
	const data = await client.request<unknown>(request);
	return isObject(data) ? data : {};
}

/** Sends one request about the webhook this item names: `/v2/webhooks/{id}{suffix}`. */
export async function webhookRequest(
	this: IExecuteFunctions,
	itemIndex: number,
	method: IHttpRequestMethods,
	suffix = '',
	body?: IDataObject,
): Promise<IDataObject> {
	const webhookId = getWebhookId.call(this, itemIndex);
	const data = await requestObject.call(this, {
		method,
		path: `/v2/webhooks/${encodeURIComponent(webhookId)}${suffix}`,
		body,
	});
	return { webhook_id: webhookId, ...data };
}
