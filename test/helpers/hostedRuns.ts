// Single runs of the LinkupAPI Hosted Trigger against a given fake LinkupAPI (a start that may fail, a restart with saved state), and a hosted webhook another tool made.
import type { IDataObject, ITriggerResponse } from 'n8n-workflow';
import { LinkupHostedTrigger } from '../../nodes/Linkup/LinkupHostedTrigger.node';
import type { FakeLinkupApi, Json } from '../fake-linkupapi/server';
import { linkupCredentials } from './credentials';
import { createTriggerContext } from './n8nContext';

export type HostedRun = ReturnType<typeof createTriggerContext> & { response?: ITriggerResponse };

/**
 * Runs trigger() in poll mode (it reads once, then waits an hour) with `staticData` (a test run with
 * `mode` 'manual'), then takes the bridge away as n8n does once it returned. A failed start
 * resolves with `error` set.
 */
export async function startHosted(
	fake: FakeLinkupApi,
	staticData: IDataObject = {},
	mode?: 'manual',
): Promise<HostedRun & { error?: Error }> {
	const run: HostedRun = createTriggerContext({
		mode,
		parameters: {
			accountId: { __rl: true, mode: 'list', value: fake.accountList()[0].account_id },
			events: ['all'],
			receiveMode: 'poll',
			options: { pollInterval: 3600 },
		},
		credentials: linkupCredentials(fake.baseUrl),
		staticData,
	});
	try {
		run.response = await new LinkupHostedTrigger().trigger.call(run.context as never);
		return run;
	} catch (error) {
		return Object.assign(run, { error: error as Error });
	} finally {
		run.afterTriggerReturned();
	}
}

/** Creates a hosted webhook for the fake's first account through its HTTP API, as another tool would. */
export async function hostedWebhookOfAnotherTool(fake: FakeLinkupApi): Promise<string> {
	const response = await fetch(`${fake.baseUrl}/v2/webhooks`, {
		method: 'POST',
		headers: { 'x-api-key': fake.apiKey, 'content-type': 'application/json' },
		body: JSON.stringify({ account_id: fake.accountList()[0].account_id, events: ['all'] }),
	});
	const id = ((await response.json()) as Json).data.webhook_id as string;
	fake.requests.length = 0;
	return id;
}
