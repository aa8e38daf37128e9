// Runs the LinkupAPI Hosted Trigger's trigger() the way n8n does, against a fresh fake LinkupAPI per
// test, and closes whatever a test left running; the set-up the Hosted Trigger's test files share.
import type { IDataObject, ITriggerResponse } from 'n8n-workflow';
import { LinkupHostedTrigger } from '../../nodes/Linkup/LinkupHostedTrigger.node';
import { FakeLinkupApi, type Json } from '../fake-linkupapi/server';
import { linkupCredentials } from './credentials';
import { createTriggerContext, type TriggerContextOptions } from './n8nContext';
import { useShortRetryWaits } from './shortRetryWaits';

export type Harness = ReturnType<typeof createTriggerContext> & { response: ITriggerResponse };

/** The current test's fake LinkupAPI and its first account: set anew before each test. */
export let fake: FakeLinkupApi;
export let accountId: string;
let running: Harness[];

/**
 * Call once at the top of a test file: each test gets a fresh fake LinkupAPI and short retry waits;
 * after it, every trigger it started is closed and must not have needed n8n's expression bridge
 * once trigger() returned.
 */
export function useHostedTriggerTests(): void {
	useShortRetryWaits();
	beforeEach(async () => {
		fake = new FakeLinkupApi();
		await fake.start();
		accountId = fake.accountList()[0].account_id;
		running = [];
	});
	afterEach(async () => {
		for (const harness of running) await harness.response.closeFunction?.();
		await fake.stop();
		for (const harness of running) expect(harness.bridgeViolations).toEqual([]);
	});
}

export interface StartOptions extends Omit<TriggerContextOptions, 'parameters' | 'credentials'> {
	/** The account to watch; the fake's first account by default. */
	account?: string;
	events?: string[];
	options?: IDataObject;
	receiveMode?: 'stream' | 'poll';
}

/** Runs trigger() like n8n does, then takes the bridge away as n8n does once it returned. */
export async function startTrigger(start: StartOptions = {}): Promise<Harness> {
	const harness = createTriggerContext({
		...start,
		parameters: {
			accountId: { __rl: true, mode: 'list', value: start.account ?? accountId },
			events: start.events ?? ['all'],
			options: start.options ?? { pollInterval: 5 },
			...(start.receiveMode ? { receiveMode: start.receiveMode } : {}),
		},
		credentials: linkupCredentials(fake.baseUrl),
	});
	const response = await new LinkupHostedTrigger().trigger.call(harness.context as never);
	harness.afterTriggerReturned();
	const started = Object.assign(harness, { response });
	running.push(started);
	return started;
}

export async function close(harness: Harness): Promise<void> {
	running = running.filter((other) => other !== harness);
	await harness.response.closeFunction?.();
	expect(harness.bridgeViolations).toEqual([]);
}

export async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

export function eventPolls(): number {
	return fake.requestsTo('GET', /\/events$/).length;
}

export function emittedJson(harness: Harness): IDataObject[] {
	return harness.emitted.flatMap((data) => data[0].map((item) => item.json));
}

function numberedMessage(n: number): Json {
	return fake.sampleEvent(accountId, 'message', { message_text: `message ${n}` });
}

/** Enqueues `count` numbered messages, `perMillisecond` of them sharing each created_at. */
export function enqueueMessages(webhookId: string, from: number, count: number, startMs: number, perMillisecond = 3) {
	const wrappers: Json[] = [];
	for (let i = 0; i < count; i++) {
		const wrapper = numberedMessage(from + i);
		fake.enqueueEvent(webhookId, wrapper, new Date(startMs + Math.floor(i / perMillisecond)));
		wrappers.push(wrapper);
	}
	return wrappers;
}

export function hostedWebhooks(): Json[] {
	return fake.webhookList().filter((webhook) => webhook.url === null);
}

/** Creates a hosted webhook through the fake's HTTP API, as another tool would. */
export async function createWebhookDirectly(events: string[]): Promise<string> {
	const response = await fetch(`${fake.baseUrl}/v2/webhooks`, {
		method: 'POST',
		headers: { 'x-api-key': fake.apiKey, 'content-type': 'application/json' },
		body: JSON.stringify({ account_id: accountId, events }),
	});
	const answer = (await response.json()) as Json;
	fake.requests.length = 0; // the tests count the trigger's calls only
	return answer.data.webhook_id as string;
}

/** Makes the fake answer create like the pages that say /start is still needed (docs/linkupapi-v2.md, Open questions). */
export function createdWebhooksDoNotMonitor(): void {
	fake.failNext({
		route: '/v2/webhooks',
		method: 'POST',
		times: Infinity,
		edit: (answer) => {
			answer.data.monitoring = false;
			fake.webhooks.get(answer.data.webhook_id)!.monitoring = false;
		},
	});
}
