// Drives the LinkupAPI Trigger's hook methods the way n8n calls them, against the fake LinkupAPI.
import type { IDataObject } from 'n8n-workflow';
import { LinkupTrigger } from '../../nodes/Linkup/LinkupTrigger.node';
import type { FakeLinkupApi } from '../fake-linkupapi/server';
import { createHookContext, linkupCredentials, type Parameters } from './n8nContext';

export const NODE_WEBHOOK_ID = 'e0c8b0f4-0000-4000-8000-000000000001';
export const PRODUCTION_URL = `https://n8n.example.com/webhook/${NODE_WEBHOOK_ID}/webhook`;

const lifecycle = new LinkupTrigger().webhookMethods.default;

export type Hook = ReturnType<typeof createHookContext>;

/** A hook context for the fake's first account; `options` are the node's Options. */
export function triggerHook(fake: FakeLinkupApi, staticData: IDataObject, options: IDataObject = {}): Hook {
	const parameters: Parameters = {
		accountId: { __rl: true, mode: 'list', value: fake.accountList()[0].account_id },
		events: ['all'],
		options,
	};
	return createHookContext({
		parameters,
		credentials: linkupCredentials(fake.baseUrl),
		webhookUrl: PRODUCTION_URL,
		staticData,
	});
}

export const checkExists = async (hook: Hook) => await lifecycle.checkExists.call(hook.context as never);
export const create = async (hook: Hook) => await lifecycle.create.call(hook.context as never);
export const remove = async (hook: Hook) => await lifecycle.delete.call(hook.context as never);

/** What n8n does on activation: `create` runs only when `checkExists` answers false. */
export async function activate(hook: Hook): Promise<'kept' | 'created'> {
	if (await checkExists(hook)) return 'kept';
	await create(hook);
	return 'created';
}

/** The fake's requests as "METHOD path". */
export function callsTo(fake: FakeLinkupApi): string[] {
	return fake.requests.map((request) => `${request.method} ${request.path}`);
}

/** Resolves once `condition` holds; a guard against hanging, not a timing assertion. */
export async function until(condition: () => boolean, limitMs = 5000): Promise<void> {
	const deadline = Date.now() + limitMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}
