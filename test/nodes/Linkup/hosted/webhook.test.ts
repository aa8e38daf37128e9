// The hosted trigger's lifecycle calls against the fake LinkupAPI over real HTTP, with its faults.
import type { IDataObject } from 'n8n-workflow';
import {
	createHostedWebhook,
	deleteHostedWebhookOrReport,
	ensureHostedWebhook,
	type HostedTriggerState,
} from '../../../../nodes/Linkup/hosted/webhook';
import type { LifecycleContext } from '../../../../nodes/Linkup/lifecycle/context';
import { createDetachedLinkupClient } from '../../../../nodes/Linkup/transport';
import { FakeLinkupApi, type Json } from '../../../fake-linkupapi/server';
import { TEST_API_KEY } from '../../../helpers/credentials';
import { httpRequest } from '../../../helpers/httpStandIn';
import type { LoggedMessage } from '../../../helpers/n8nContext';
import { makeNode } from '../../../helpers/node';

let fake: FakeLinkupApi;
let accountId: string;
let logs: LoggedMessage[];
let context: LifecycleContext;

beforeEach(async () => {
	fake = new FakeLinkupApi();
	await fake.start();
	accountId = fake.accountList()[0].account_id as string;
	logs = [];
	const log = (level: LoggedMessage['level']) => (message: string) => logs.push({ level, message });
	const node = makeNode({ id: `hosted-${Math.random()}`, name: 'LinkupAPI Hosted Trigger' });
	// The client the Hosted Trigger uses once trigger() returned, over real HTTP to the fake.
	const client = createDetachedLinkupClient.call({ getNode: () => node, helpers: { httpRequest } } as never, {
		apiKey: TEST_API_KEY,
		baseUrl: fake.baseUrl,
	});
	context = {
		client,
		node,
		logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } as never,
		label: 'LinkupAPI Hosted Trigger',
		queueKey: `hosted:${node.id}`,
	};
});

afterEach(async () => {
	await fake.stop();
});

const target = () => ({ accountId, events: ['all'], signed: false });
const calls = () => fake.requests.map((request) => `${request.method} ${request.path}`);

async function hostedWebhookOfAnotherWorkflow(): Promise<string> {
	const response = await fetch(`${fake.baseUrl}/v2/webhooks`, {
		method: 'POST',
		headers: { 'x-api-key': fake.apiKey, 'content-type': 'application/json' },
		body: JSON.stringify({ account_id: accountId, events: ['all'] }),
	});
	const id = ((await response.json()) as Json).data.webhook_id as string;
	fake.requests.length = 0;
	return id;
}

describe('hosted webhook lifecycle under faults', () => {
	it('create performed but its answer lost: the webhook LinkupAPI made is adopted, another workflow\'s is left alone', async () => {
		const stranger = await hostedWebhookOfAnotherWorkflow();
		fake.loseAnswerNext({ route: '/v2/webhooks', method: 'POST' });
		const state: HostedTriggerState = {};
		const webhookId = await ensureHostedWebhook(context, state, target());
		expect(fake.webhooks.size).toBe(2);
		expect(fake.webhooks.has(stranger)).toBe(true);
		expect(webhookId).not.toBe(stranger);
		expect(fake.webhooks.has(webhookId)).toBe(true);
		expect(state.webhookId).toBe(webhookId);
		expect(calls()).toEqual(['GET /v2/webhooks', 'POST /v2/webhooks', 'GET /v2/webhooks']);
		expect(logs.some((log) => log.level === 'warn' && log.message.includes(`using ${webhookId}`))).toBe(true);
	});

	it('a test run\'s or a recreation\'s create with a lost 502 answer: adopted too, so exactly one new webhook exists', async () => {
		const stranger = await hostedWebhookOfAnotherWorkflow();
		fake.loseAnswerNext({ route: '/v2/webhooks', method: 'POST', status: 502 });
		const webhookId = await createHostedWebhook(context, target());
		expect([...fake.webhooks.keys()].sort()).toEqual([stranger, webhookId].sort());
	});

	it('the connection drops before LinkupAPI creates anything: the error says none was there yet and that n8n looks again', async () => {
		fake.failNext({ route: '/v2/webhooks', method: 'POST', destroy: true });
		await expect(ensureHostedWebhook(context, {}, target())).rejects.toThrow(
			/Could not reach LinkupAPI .* LinkupAPI had not created the webhook when n8n checked right after\. In case LinkupAPI still creates it, n8n looks again 10 s, 40 s, 100 s after this failure/,
		);
		expect(fake.webhooks.size).toBe(0);
	});

	it('/start refused and the undoing DELETE fails: the original cause first, then the webhook id and how to delete it', async () => {
		fake.failNext({
			route: '/v2/webhooks',
			method: 'POST',
			status: 201,
			body: { success: true, data: { webhook_id: 'h7', monitoring: false } },
		});
		fake.failNext({ route: '/v2/webhooks/h7/start', method: 'POST', status: 402 });
		fake.failNext({ route: '/v2/webhooks/h7', method: 'DELETE', status: 403, times: 10 });
		const error = (await ensureHostedWebhook(context, {}, target()).catch((e: Error) => e)) as Error;
		expect(error.message).toMatch(/^INSUFFICIENT_CREDITS: /);
		expect(error.message).toContain('LinkupAPI webhook h7 may still be active and billing. Delete it with the LinkupAPI node (Webhook > Delete, ID h7)');
	});

	it('activation and close of one node run one after the other: the close never deletes what a later activation keeps', async () => {
		const state: HostedTriggerState = {};
		const first = await ensureHostedWebhook(context, state, target());
		fake.failNext({ route: `/v2/webhooks/${first}`, method: 'DELETE', delayMs: 300 });
		const [, second] = await Promise.all([deleteHostedWebhookOrReport(context, first), ensureHostedWebhook(context, state, target())]);
		expect(second).not.toBe(first);
		expect([...fake.webhooks.keys()]).toEqual([second]);
		expect((state as IDataObject).webhookId).toBe(second);
	});

	it('close answered 429 with Retry-After: waits and deletes, nothing logged as an error', async () => {
		const webhookId = await ensureHostedWebhook(context, {}, target());
		fake.failNext({ route: `/v2/webhooks/${webhookId}`, method: 'DELETE', status: 429, headers: { 'retry-after': '1' } });
		await deleteHostedWebhookOrReport(context, webhookId);
		expect(fake.requestsTo('DELETE')).toHaveLength(2);
		expect(fake.webhooks.size).toBe(0);
		expect(logs.filter((log) => log.level === 'error')).toEqual([]);
	});

	it('close failing past the retries: the error log names the webhook and how to delete it', async () => {
		const webhookId = await ensureHostedWebhook(context, {}, target());
		fake.failNext({ route: `/v2/webhooks/${webhookId}`, method: 'DELETE', status: 500, times: 4, headers: { 'retry-after': '0' } });
		await deleteHostedWebhookOrReport(context, webhookId);
		expect(fake.requestsTo('DELETE')).toHaveLength(4);
		const [error] = logs.filter((log) => log.level === 'error');
		expect(error.message).toContain(`LinkupAPI webhook ${webhookId} may still be active and billing. Delete it with the LinkupAPI node (Webhook > Delete, ID ${webhookId})`);
	});
});
