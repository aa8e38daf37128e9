/** What a LinkupAPI event becomes in n8n: the output options, the event filter and the items (docs/linkupapi-v2.md, Event shapes). */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

/** Options both triggers offer for what becomes an execution. */
export interface EventOutputOptions {
	includeDisconnection: boolean;
	splitInvitations: boolean;
}

/** Entries for a trigger's `options` collection, read back by `readEventOutputOptions`. */
export const eventOutputOptionProperties: INodeProperties[] = [
	{
		displayName: 'Include Disconnection Events',
		name: 'includeDisconnection',
		type: 'boolean',
		default: true,
		description:
			'Whether a "disconnection" event (the LinkedIn session expired) starts an execution. LinkupAPI always sends it; use it to alert yourself to reconnect the account.',
	},
	{
		displayName: 'One Item per New Connection',
		name: 'splitInvitations',
		type: 'boolean',
		default: false,
		description:
			'Whether an "accepted_invitation" event listing several new connections becomes one item per connection (each with a "connection" field) instead of one item',
	},
];

export function readEventOutputOptions(options: IDataObject): EventOutputOptions {
	return {
		includeDisconnection: options.includeDisconnection !== false,
		splitInvitations: options.splitInvitations === true,
	};
}

/** The emitted type: `event.type` first, then the top-level fallbacks some senders use. */
export function eventTypeOf(wrapper: IDataObject): string | undefined {
	const event = wrapper.event as IDataObject | undefined;
	const type = event?.type ?? wrapper.type ?? wrapper.event_type;
	return typeof type === 'string' ? type : undefined;
}

/** Filter values are not the emitted types: `message_received` arrives as "message". */
const FILTER_FOR_TYPE: Record<string, string> = { message: 'message_received' };

export function filterAccepts(filters: string[], type: string | undefined): boolean {
	if (filters.length === 0 || filters.includes('all')) return true;
	if (!type) return false;
	return filters.includes(FILTER_FOR_TYPE[type] ?? type);
}

const RECONNECT_ADVICE =
	'The LinkedIn session of this account expired, so LinkupAPI stopped receiving its events. Reconnect the account in LinkupAPI (log in again, then confirm any checkpoint code). If events do not resume, deactivate and reactivate this workflow.';

/**
 * Turns one LinkupAPI event wrapper into output items, or none when the filters exclude it.
 * The wrapper stays intact: additions are extra top-level fields only.
 */
export function toOutputItems(
	wrapper: IDataObject,
	filters: string[],
	options: EventOutputOptions,
): IDataObject[] {
	const type = eventTypeOf(wrapper);
	if (type === 'disconnection') {
		return options.includeDisconnection ? [{ ...wrapper, action_required: RECONNECT_ADVICE }] : [];
	}
	if (!filterAccepts(filters, type)) return [];
	const connections = (wrapper.event as IDataObject | undefined)?.new_connections;
	if (
		type === 'accepted_invitation' &&
		options.splitInvitations &&
		Array.isArray(connections) &&
		connections.length > 0
	) {
		return connections.map((connection) => ({ ...wrapper, connection }));
	}
	return [wrapper];
}
