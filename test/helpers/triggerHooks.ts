// Drives the LinkupAPI Trigger's hook methods the way n8n calls them, against a fake LinkupAPI the
// test holds itself (linkupTrigger.ts gives each test a fresh one).
import type { IDataObject } from 'n8n-workflow';
import type { FakeLinkupApi } from '../fake-linkupapi/server';
import { linkupCredentials } from './credentials';
import { PRODUCTION_URL, type Hook } from './linkupTrigger';
import { createHookContext, type Parameters } from './n8nContext';

export { activate, checkExists, create, remove, type Hook } from './linkupTrigger';

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
