// Drives the LinkupAPI Trigger's webhook methods the way n8n calls them, against a fresh fake
// LinkupAPI per test; the set-up the trigger's test files share.
import type { IDataObject } from 'n8n-workflow';
import { LinkupTrigger } from '../../nodes/Linkup/LinkupTrigger.node';
import type { FakeLinkupApi } from '../fake-linkupapi/server';
import { linkupCredentials } from './credentials';
import { createHookContext, type LoggedMessage, type Parameters } from './n8nContext';
import { useFakeLinkupApi } from './useFakeLinkupApi';

const NODE_WEBHOOK_ID = 'e0c8b0f4-0000-4000-8000-000000000001';
export const PRODUCTION_URL = `https://n8n.example.com/webhook/${NODE_WEBHOOK_ID}/webhook`;
export const TEST_URL = `https://n8n.example.com/webhook-test/${NODE_WEBHOOK_ID}/webhook`;

export const trigger = new LinkupTrigger();
const lifecycle = trigger.webhookMethods.default;

/** The current test's fake LinkupAPI and its first account: set anew before each test. */
export let fake: FakeLinkupApi;
export let accountId: string;

/** Call once at the top of a test file: each test gets a fresh fake LinkupAPI, stopped after it. */
export function useLinkupTriggerTests(): void {
	const fakeApi = useFakeLinkupApi();
	beforeEach(() => {
		fake = fakeApi();
		accountId = fake.accountList()[0].account_id as string;
	});
}

export function parameters(overrides: { events?: string[]; options?: IDataObject; account?: string } = {}): Parameters {
	return {
		accountId: { __rl: true, mode: 'list', value: overrides.account ?? accountId },
		events: overrides.events ?? ['all'],
		options: overrides.options ?? {},
	};
}

export interface HookSetup {
	url?: string;
	parameters?: Parameters;
	activationMode?: string;
}

export function hook(staticData: IDataObject, setup: HookSetup = {}) {
	return createHookContext({
		parameters: setup.parameters ?? parameters(),
		credentials: linkupCredentials(fake.baseUrl),
		webhookUrl: setup.url ?? PRODUCTION_URL,
		staticData,
		activationMode: setup.activationMode,
	});
}

export type Hook = ReturnType<typeof hook>;

export const checkExists = async (h: Hook) => await lifecycle.checkExists.call(h.context as never);
export const create = async (h: Hook) => await lifecycle.create.call(h.context as never);
export const remove = async (h: Hook) => await lifecycle.delete.call(h.context as never);

/** What n8n does on activation: `create` runs only when `checkExists` answers false. */
export async function activate(h: Hook): Promise<'kept' | 'created'> {
	if (await checkExists(h)) return 'kept';
	await create(h);
	return 'created';
}

/** API calls since the last reset, as "METHOD path". */
export function calls(): string[] {
	return fake.requests.map((request) => `${request.method} ${request.path}`);
}

export function resetCalls() {
	fake.requests.length = 0;
}

export function loggedText(logs: LoggedMessage[]): string {
	return JSON.stringify(logs);
}

/** Activates a trigger with its own static data and forgets the calls it made. */
export async function activated(setup: HookSetup = {}) {
	const staticData: IDataObject = {};
	await activate(hook(staticData, setup));
	resetCalls();
	return staticData;
}
