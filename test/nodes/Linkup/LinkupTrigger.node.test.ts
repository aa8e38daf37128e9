import type { IDataObject } from 'n8n-workflow';
import { Linkup } from '../../../nodes/Linkup/Linkup.node';
import { LinkupTrigger } from '../../../nodes/Linkup/LinkupTrigger.node';
import { FakeLinkupApi, type DeliveryVariant, type Json } from '../../fake-linkupapi/server';
import {
	createHookContext,
	linkupCredentials,
	type LoggedMessage,
	type Parameters,
} from '../../helpers/n8nContext';
import { runWebhook, WebhookEndpoint } from '../../helpers/webhookEndpoint';

const NODE_WEBHOOK_ID = 'e0c8b0f4-0000-4000-8000-000000000001';
const PRODUCTION_URL = `https://n8n.example.com/webhook/${NODE_WEBHOOK_ID}/webhook`;
const TEST_URL = `https://n8n.example.com/webhook-test/${NODE_WEBHOOK_ID}/webhook`;

const trigger = new LinkupTrigger();
const lifecycle = trigger.webhookMethods.default;

let fake: FakeLinkupApi;
let accountId: string;

beforeEach(async () => {
	fake = new FakeLinkupApi();
	await fake.start();
	accountId = fake.accountList()[0].account_id as string;
});

afterEach(async () => {
	await fake.stop();
});

function parameters(overrides: { events?: string[]; options?: IDataObject; account?: string } = {}): Parameters {
	return {
		accountId: { __rl: true, mode: 'list', value: overrides.account ?? accountId },
		events: overrides.events ?? ['all'],
		options: overrides.options ?? {},
	};
}

interface HookSetup {
	url?: string;
	parameters?: Parameters;
	activationMode?: string;
}

function hook(staticData: IDataObject, setup: HookSetup = {}) {
	return createHookContext({
		parameters: setup.parameters ?? parameters(),
		credentials: linkupCredentials(fake.baseUrl),
		webhookUrl: setup.url ?? PRODUCTION_URL,
		staticData,
		activationMode: setup.activationMode,
	});
}

type Hook = ReturnType<typeof hook>;

const checkExists = async (h: Hook) => await lifecycle.checkExists.call(h.context as never);
const create = async (h: Hook) => await lifecycle.create.call(h.context as never);
const remove = async (h: Hook) => await lifecycle.delete.call(h.context as never);

/** What n8n does on activation: `create` runs only when `checkExists` answers false. */
async function activate(h: Hook): Promise<'kept' | 'created'> {
	if (await checkExists(h)) return 'kept';
	await create(h);
	return 'created';
}

/** API calls since the last reset, as "METHOD path". */
function calls(): string[] {
	return fake.requests.map((request) => `${request.method} ${request.path}`);
}

function resetCalls() {
	fake.requests.length = 0;
}

function loggedText(logs: LoggedMessage[]): string {
	return JSON.stringify(logs);
}

async function activated(setup: HookSetup = {}) {
	const staticData: IDataObject = {};
	await activate(hook(staticData, setup));
	resetCalls();
	return staticData;
}

describe('LinkupTrigger description', () => {
	it('is a trigger with one POST webhook at path "webhook" and the fixed parameter names', () => {
		const description = trigger.description;
		expect(description.name).toBe('linkupTrigger');
		expect(description.displayName).toBe('LinkupAPI Trigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.usableAsTool).toBeUndefined();
		// New nodes get 1.1, which spares n8n a per-request expression; saved 1.0 nodes keep working.
		expect(description.version).toEqual([1, 1.1]);
		expect(description.defaultVersion).toBe(1.1);
		expect(description.webhooks).toEqual([
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		]);
		const names = description.properties.map((property) => property.name);
		expect(names).toEqual(expect.arrayContaining(['accountId', 'events', 'options']));
		const options = description.properties.find((property) => property.name === 'options')!;
		const optionDefaults = Object.fromEntries(
			(options.options as Array<{ name: string; default: unknown }>).map((o) => [o.name, o.default]),
		);
		expect(optionDefaults).toMatchObject({ allowNonPublicUrl: false, verifySignature: true, timestampToleranceSeconds: 300 });
		const displayNames = (options.options as Array<{ displayName: string }>).map((o) => o.displayName);
		expect(displayNames).toEqual([...displayNames].sort((a, b) => a.localeCompare(b)));
	});
});

describe('activation, restart and deactivation', () => {
	it('activation with nothing stored: one list, one create, and the secret is kept only in static data', async () => {
		const staticData: IDataObject = {};
		const h = hook(staticData);
		expect(await activate(h)).toBe('created');

		expect(calls()).toEqual(['GET /v2/webhooks', 'POST /v2/webhooks']);
		expect(fake.requests[1].body).toEqual({
			account_id: accountId,
			url: PRODUCTION_URL,
			events: ['all'],
			enable_signature: true,
		});
		expect(fake.webhooks.size).toBe(1);
		const [remote] = [...fake.webhooks.values()];
		expect(staticData).toEqual({
			webhookId: remote.webhook_id,
			webhookSecret: remote.secret,
			webhookUrl: PRODUCTION_URL,
			webhookEvents: ['all'],
			accountId,
		});
		expect(remote.secret).toEqual(expect.any(String));
		expect(loggedText(h.logs)).not.toContain(remote.secret);
	});

	it('restart with a live webhook: one list call and no create', async () => {
		const staticData = await activated();
		const before = { ...staticData };
		expect(await activate(hook(staticData))).toBe('kept');
		expect(calls()).toEqual(['GET /v2/webhooks']);
		expect(staticData).toEqual(before);
		expect(fake.webhooks.size).toBe(1);
	});

	it('deactivation: one DELETE, and static data is cleared', async () => {
		const staticData = await activated();
		const webhookId = staticData.webhookId as string;
		expect(await remove(hook(staticData))).toBe(true);
		expect(calls()).toEqual([`DELETE /v2/webhooks/${webhookId}`]);
		expect(fake.webhooks.size).toBe(0);
		expect(staticData).toEqual({});
	});

	it('deactivation when the webhook is already gone (404) succeeds and clears static data', async () => {
		const staticData = await activated();
		const webhookId = staticData.webhookId as string;
		fake.deleteWebhookBehindBack(webhookId);
		const h = hook(staticData);
		expect(await remove(h)).toBe(true);
		expect(calls()).toEqual([`DELETE /v2/webhooks/${webhookId}`]);
		expect(staticData).toEqual({});
		expect(h.logs.some((log) => log.level === 'info' && log.message.includes('already deleted'))).toBe(true);
	});

	it('deactivation failure other than 404 is logged and thrown, and the id is kept for a retry', async () => {
		const staticData = await activated();
		const webhookId = staticData.webhookId as string;
		// Four 500s: the first try and the transport's 3 retries.
		fake.failNext({ route: `/v2/webhooks/${webhookId}`, method: 'DELETE', status: 500, times: 4, headers: { 'retry-after': '0' } });
		const h = hook(staticData);
		await expect(remove(h)).rejects.toThrow(/INTERNAL_ERROR/);
		expect(h.logs.some((log) => log.level === 'warn' && log.message.includes(webhookId))).toBe(true);
		expect(staticData.webhookId).toBe(webhookId);
		expect(fake.webhooks.has(webhookId)).toBe(true);
		expect(loggedText(h.logs)).not.toContain(staticData.webhookSecret as string);
	});

	it('deactivation with nothing stored makes no API call', async () => {
		expect(await remove(hook({}))).toBe(true);
		expect(fake.requests).toHaveLength(0);
	});
});

describe('checkExists repairs instead of duplicating', () => {
	it('stored webhook deleted behind our back: answers false, then create makes a new one', async () => {
		const staticData = await activated();
		const oldId = staticData.webhookId as string;
		fake.deleteWebhookBehindBack(oldId);
		const h = hook(staticData);
		expect(await checkExists(h)).toBe(false);
		expect(staticData).toEqual({});
		await create(h);
		// Not in the list: its own GET confirms it is gone before a new one is made.
		expect(calls()).toEqual(['GET /v2/webhooks', `GET /v2/webhooks/${oldId}`, 'POST /v2/webhooks']);
		expect(fake.webhooks.size).toBe(1);
		expect(staticData.webhookId).not.toBe(oldId);
		expect(fake.webhooks.has(staticData.webhookId as string)).toBe(true);
	});

	it.each<[string, () => HookSetup]>([
		['the webhook URL changed', () => ({ url: 'https://other.example.com/webhook/x/webhook' })],
		['the events changed', () => ({ parameters: parameters({ events: ['message_received'] }) })],
		['the account changed', () => ({ parameters: parameters({ account: fake.accountList()[1].account_id }) })],
	])('%s: the old webhook is deleted and exactly one new one exists', async (_name, makeSetup) => {
		const setup = makeSetup();
		const staticData = await activated();
		const oldId = staticData.webhookId as string;
		expect(await activate(hook(staticData, setup))).toBe('created');
		expect(fake.webhooks.has(oldId)).toBe(false);
		expect(fake.webhooks.size).toBe(1);
		expect(calls()).toEqual(['GET /v2/webhooks', `DELETE /v2/webhooks/${oldId}`, 'POST /v2/webhooks']);
		const [remote] = fake.webhookList();
		expect(remote.webhook_id).toBe(staticData.webhookId);
		expect(remote.url).toBe(setup.url ?? PRODUCTION_URL);
	});

	it('events in another order are the same subscription', async () => {
		const staticData = await activated({ parameters: parameters({ events: ['message_received', 'accepted_invitation'] }) });
		const h = hook(staticData, { parameters: parameters({ events: ['accepted_invitation', 'message_received'] }) });
		expect(await checkExists(h)).toBe(true);
	});

	it('signing turned off remotely while verification is on: replaced, so deliveries stay verifiable', async () => {
		const staticData = await activated();
		const oldId = staticData.webhookId as string;
		fake.webhooks.get(oldId)!.secret = null;
		expect(await activate(hook(staticData))).toBe('created');
		expect(fake.webhooks.size).toBe(1);
		expect(fake.webhookList()[0].signature_enabled).toBe(true);
	});

	it('stored id without a secret while verification is on: replaced', async () => {
		const staticData = await activated();
		delete staticData.webhookSecret;
		expect(await activate(hook(staticData))).toBe('created');
		expect(fake.webhooks.size).toBe(1);
		expect(staticData.webhookSecret).toBe([...fake.webhooks.values()][0].secret);
	});

	it('stopped webhook: restarted with /start instead of a duplicate', async () => {
		const staticData = await activated();
		const webhookId = staticData.webhookId as string;
		const remote = fake.webhooks.get(webhookId)!;
		remote.monitoring = false;
		remote.is_active = false;
		const h = hook(staticData);
		expect(await activate(h)).toBe('kept');
		expect(calls()).toEqual(['GET /v2/webhooks', `POST /v2/webhooks/${webhookId}/start`]);
		expect(fake.webhooks.get(webhookId)!.monitoring).toBe(true);
		expect(fake.webhooks.size).toBe(1);
	});

	it('stopped webhook that cannot restart: the API error reaches the user', async () => {
		const staticData = await activated();
		const remote = fake.webhooks.get(staticData.webhookId as string)!;
		remote.monitoring = false;
		fake.credits = 0;
		await expect(checkExists(hook(staticData))).rejects.toThrow(
			/^INSUFFICIENT_CREDITS: Not enough credits to start monitoring.* n8n was restarting the stopped LinkupAPI webhook \w+\.$/,
		);
	});

	it('nothing stored but a webhook already posts to this URL: it is deleted and exactly one new one survives', async () => {
		await activated(); // e.g. the workflow was copied, or its static data lost
		const elsewhere = await activated({ url: 'https://n8n.example.com/webhook/another-node/webhook' });
		const orphanId = fake.webhookList().find((w) => w.url === PRODUCTION_URL)!.webhook_id;
		const staticData: IDataObject = {};
		expect(await activate(hook(staticData))).toBe('created');
		expect(calls()).toEqual(['GET /v2/webhooks', `DELETE /v2/webhooks/${orphanId}`, 'POST /v2/webhooks']);
		const atThisUrl = fake.webhookList().filter((w) => w.url === PRODUCTION_URL);
		expect(atThisUrl).toHaveLength(1);
		expect(atThisUrl[0].webhook_id).toBe(staticData.webhookId);
		expect(fake.webhooks.has(elsewhere.webhookId as string)).toBe(true);
		expect(fake.webhooks.size).toBe(2);
	});

	it('nothing stored, verification off, and a matching webhook exists: it is adopted, not duplicated', async () => {
		const unsigned = parameters({ options: { verifySignature: false } });
		const first = await activated({ parameters: unsigned });
		const staticData: IDataObject = {};
		expect(await activate(hook(staticData, { parameters: unsigned }))).toBe('kept');
		expect(calls()).toEqual(['GET /v2/webhooks']);
		expect(staticData.webhookId).toBe(first.webhookId);
		expect(staticData.webhookSecret).toBeUndefined();
		expect(fake.webhooks.size).toBe(1);
	});

	it('nothing stored, verification off, but the webhook at this URL has other events: replaced', async () => {
		await activated({ parameters: parameters({ events: ['accepted_invitation'], options: { verifySignature: false } }) });
		const staticData: IDataObject = {};
		const h = hook(staticData, { parameters: parameters({ options: { verifySignature: false } }) });
		expect(await activate(h)).toBe('created');
		expect(fake.webhooks.size).toBe(1);
		expect(fake.webhookList()[0].events).toEqual(['all']);
	});
});

describe('create', () => {
	it('an API error surfaces the API code and message in error.message, and nothing is stored', async () => {
		fake.failNext({
			route: '/v2/webhooks',
			method: 'POST',
			status: 402,
			body: {
				success: false,
				error: { code: 'INSUFFICIENT_CREDITS', message: 'Not enough credits to start monitoring' },
			},
		});
		const staticData: IDataObject = {};
		const error = await create(hook(staticData)).catch((e: Error) => e);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toMatch(
			/^INSUFFICIENT_CREDITS: Not enough credits to start monitoring\. Top up/,
		);
		expect(staticData).toEqual({});
		expect(fake.webhooks.size).toBe(0);
	});

	it('asks for an account before calling the API when none is chosen', async () => {
		const staticData: IDataObject = {};
		const h = hook(staticData, { parameters: parameters({ account: '  ' }) });
		await expect(activate(h)).rejects.toThrow('Choose the LinkedIn account to watch in "Account".');
		expect(calls()).toEqual([]);
	});

	it('the real out-of-credits refusal reads the same way', async () => {
		fake.credits = 0;
		await expect(create(hook({}))).rejects.toThrow(/INSUFFICIENT_CREDITS: Not enough credits to start monitoring/);
	});

	it.each([
		['plain http', 'http://n8n.example.com/webhook/x/webhook', 'is not an https:// address'],
		['localhost', 'http://localhost:5678/webhook/x/webhook', 'points at this machine (localhost)'],
		['https localhost', 'https://localhost/webhook/x/webhook', 'points at this machine (localhost)'],
		['127.0.0.1', 'https://127.0.0.1:5678/webhook/x/webhook', 'points at this machine (127.0.0.1)'],
		['::1', 'https://[::1]:5678/webhook/x/webhook', 'points at this machine ([::1])'],
		['0.0.0.0', 'https://0.0.0.0/webhook/x/webhook', 'points at this machine (0.0.0.0)'],
	])('refuses a non-public URL (%s) without calling the API', async (_name, url, reason) => {
		const error = (await create(hook({}, { url })).catch((e: Error) => e)) as Error;
		expect(error.message).toContain(`LinkupAPI can only deliver events to a public HTTPS address, and this webhook URL (${url}) ${reason}`);
		expect(error.message).toContain('N8N_WEBHOOK_URL');
		expect(error.message).toContain('tunnel');
		expect(error.message).toContain('"LinkupAPI Hosted Trigger"');
		expect(fake.requests).toHaveLength(0);
	});

	it('"Allow Non-Public URL" skips the check', async () => {
		const url = 'http://127.0.0.1:5678/webhook/x/webhook';
		const staticData: IDataObject = {};
		await create(hook(staticData, { url, parameters: parameters({ options: { allowNonPublicUrl: true } }) }));
		expect(calls()).toEqual(['POST /v2/webhooks']);
		expect(fake.webhookList()[0].url).toBe(url);
	});

	it('verification off: no signing requested and no secret stored', async () => {
		const staticData: IDataObject = {};
		await create(hook(staticData, { parameters: parameters({ options: { verifySignature: false } }) }));
		expect(fake.requests[0].body.enable_signature).toBe(false);
		expect(staticData.webhookSecret).toBeUndefined();
		expect(fake.webhookList()[0].signature_enabled).toBe(false);
	});

	it('no secret returned although verification is on: the new webhook is deleted and the error says why', async () => {
		fake.failNext({
			route: '/v2/webhooks',
			method: 'POST',
			status: 201,
			body: { success: true, data: { webhook_id: 'abc123', monitoring: true } },
		});
		const staticData: IDataObject = {};
		await expect(create(hook(staticData))).rejects.toThrow(/did not return a signing secret.*n8n deleted the new webhook again\.$/);
		expect(calls()).toEqual(['POST /v2/webhooks', 'DELETE /v2/webhooks/abc123']);
		expect(staticData).toEqual({});
	});

	it('create response without "monitoring": /start is called; the id is read from "id" when "webhook_id" is absent', async () => {
		const existing = await fetch(`${fake.baseUrl}/v2/webhooks`, {
			method: 'POST',
			headers: { 'x-api-key': fake.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify({ account_id: accountId, url: PRODUCTION_URL, enable_signature: true }),
		}).then(async (response) => ((await response.json()) as Json).data as Json);
		fake.webhooks.get(existing.webhook_id)!.monitoring = false;
		resetCalls();
		fake.failNext({
			route: '/v2/webhooks',
			method: 'POST',
			status: 201,
			body: { success: true, data: { id: existing.webhook_id, secret: existing.secret } },
		});
		const staticData: IDataObject = {};
		await create(hook(staticData));
		expect(calls()).toEqual(['POST /v2/webhooks', `POST /v2/webhooks/${existing.webhook_id}/start`]);
		expect(staticData.webhookId).toBe(existing.webhook_id);
		expect(fake.webhooks.get(existing.webhook_id)!.monitoring).toBe(true);
	});

	it('create response says monitoring is on: no /start', async () => {
		await create(hook({}));
		expect(fake.requestsTo('POST', /\/start$/)).toHaveLength(0);
	});

	it('/start fails after create: the new webhook is deleted again and the API error is shown', async () => {
		fake.failNext({
			route: '/v2/webhooks',
			method: 'POST',
			status: 201,
			body: { success: true, data: { webhook_id: 'w1', secret: 's3cr3t-value', monitoring: false } },
		});
		fake.failNext({
			route: '/v2/webhooks/w1/start',
			method: 'POST',
			status: 403,
			body: { success: false, error: { code: 'ACCOUNT_INACTIVE', message: 'Account is inactive or suspended' } },
		});
		const staticData: IDataObject = {};
		const h = hook(staticData);
		await expect(create(h)).rejects.toThrow(
			/^ACCOUNT_INACTIVE: Account is inactive or suspended\..* LinkupAPI created the webhook but could not start its monitoring, so n8n deleted it again\.$/,
		);
		expect(calls()).toEqual(['POST /v2/webhooks', 'POST /v2/webhooks/w1/start', 'DELETE /v2/webhooks/w1']);
		expect(staticData).toEqual({});
		expect(loggedText(h.logs)).not.toContain('s3cr3t-value');
	});
});

describe('test mode ("Listen for test event")', () => {
	it('registers a separate webhook on the /webhook-test/ URL and removes only that one', async () => {
		const production = await activated();
		const testStaticData: IDataObject = {};
		const h = hook(testStaticData, { url: TEST_URL, activationMode: 'manual' });
		expect(await activate(h)).toBe('created');
		expect(fake.webhooks.size).toBe(2);
		expect(testStaticData.webhookUrl).toBe(TEST_URL);

		resetCalls();
		const testWebhookId = testStaticData.webhookId as string;
		await remove(hook(testStaticData, { url: TEST_URL, activationMode: 'manual' }));
		expect(calls()).toEqual([`DELETE /v2/webhooks/${testWebhookId}`]);
		expect([...fake.webhooks.keys()]).toEqual([production.webhookId]);
	});
});

describe('webhook(): deliveries over real HTTP', () => {
	let endpoint: WebhookEndpoint;
	let staticData: IDataObject;
	let current: Parameters;
	let webhookId: string;

	async function listen(params: Parameters = parameters()) {
		current = { ...params, options: { ...(params.options as IDataObject), allowNonPublicUrl: true } };
		staticData = {};
		endpoint = new WebhookEndpoint(async (request) =>
			runWebhook(trigger, { parameters: current, credentials: linkupCredentials(fake.baseUrl), staticData }, request),
		);
		const url = await endpoint.start();
		await activate(hook(staticData, { url, parameters: current }));
		webhookId = staticData.webhookId as string;
	}

	afterEach(async () => {
		await endpoint?.stop();
	});

	const wrapper = (type = 'message', extra: Json = {}) => fake.sampleEvent(accountId, type, extra);

	it('a validly signed delivery starts one execution whose item is the wrapper, intact', async () => {
		await listen();
		const sent = wrapper();
		const delivery = await fake.deliver(webhookId, sent);
		expect(delivery.status).toBe(200);
		expect(endpoint.executions).toHaveLength(1);
		expect(endpoint.executions[0]).toEqual([[{ json: sent }]]);
		expect(JSON.stringify(endpoint.executions)).not.toContain(staticData.webhookSecret as string);
	});

	it('an event LinkupAPI emits for the account arrives as one execution', async () => {
		await listen();
		const [result] = await fake.emit(accountId, 'message');
		expect(result).toMatchObject({ status: 200 });
		expect(endpoint.executions).toHaveLength(1);
		expect(endpoint.executions[0][0][0].json).toMatchObject({ account_id: accountId, event: { type: 'message' } });
	});

	it.each<[DeliveryVariant, string]>([
		['wrongSecret', 'Invalid signature'],
		['badSignature', 'Invalid signature'],
		['modifiedBody', 'Invalid signature'],
		['reserialized', 'Invalid signature'],
		['staleTimestamp', 'Timestamp too old'],
		['futureTimestamp', 'Timestamp in the future'],
		['missingHeaders', 'Missing X-Linkup-Signature header'],
		['missingSignature', 'Missing X-Linkup-Signature header'],
		['missingTimestamp', 'Missing X-Linkup-Timestamp header'],
		['badPrefix', 'Unsupported signature scheme (expected v1=)'],
		['unsigned', 'Missing X-Linkup-Signature header'],
	])('%s is refused with 401 and starts nothing', async (variant, reason) => {
		await listen();
		const delivery = await fake.deliver(webhookId, wrapper(), { variant });
		expect(delivery).toMatchObject({ status: 401, body: reason });
		expect(endpoint.executions).toHaveLength(0);
	});

	it('a wider timestamp tolerance accepts a half-hour-old delivery', async () => {
		await listen(parameters({ options: { timestampToleranceSeconds: 3600 } }));
		fake.now = () => Date.now() - 1800_000;
		expect((await fake.deliver(webhookId, wrapper())).status).toBe(200);
		expect(endpoint.executions).toHaveLength(1);
	});

	it('a body n8n left unread (content type it does not parse) is read on demand and verified', async () => {
		await listen();
		const signed = fake.signedRequest(webhookId, wrapper(), { contentType: 'application/octet-stream' });
		const outcome = await runWebhook(
			trigger,
			{ parameters: current, credentials: linkupCredentials(fake.baseUrl), staticData },
			{ headers: signed.headers, rawBody: signed.body, readOnDemand: true },
		);
		expect(outcome.statusCode).toBe(200);
		expect(outcome.workflowData).toEqual([[{ json: JSON.parse(signed.body) }]]);

		const forged = fake.signedRequest(webhookId, wrapper(), { variant: 'modifiedBody' });
		const refused = await runWebhook(
			trigger,
			{ parameters: current, credentials: linkupCredentials(fake.baseUrl), staticData },
			{ headers: forged.headers, rawBody: forged.body, readOnDemand: true },
		);
		expect(refused).toMatchObject({ statusCode: 401, body: 'Invalid signature' });
	});

	it.each([
		['malformed JSON', '{"account_id": "x", ', 'Body is not valid JSON'],
		['an empty body', '', 'Empty body'],
		['a JSON array', '[1, 2]', 'Body is not a JSON object'],
	])('%s (correctly signed) is refused with 400 and starts nothing', async (_name, rawBody, reason) => {
		await listen();
		const delivery = await fake.deliver(webhookId, {}, { rawBody });
		expect(delivery).toMatchObject({ status: 400, body: reason });
		expect(endpoint.executions).toHaveLength(0);
	});

	it('verification off: an unsigned delivery is accepted, malformed JSON still gets 400', async () => {
		await listen(parameters({ options: { verifySignature: false } }));
		expect((await fake.deliver(webhookId, wrapper())).status).toBe(200);
		expect((await fake.deliver(webhookId, {}, { rawBody: 'nope' })).status).toBe(400);
		expect(endpoint.executions).toHaveLength(1);
	});

	it('an event type outside the selected events is acknowledged with 200 but starts nothing', async () => {
		await listen(parameters({ events: ['message_received'] }));
		const delivery = await fake.deliver(webhookId, wrapper('accepted_invitation'));
		expect(delivery).toMatchObject({ status: 200, body: 'OK' });
		expect(endpoint.executions).toHaveLength(0);
		expect((await fake.deliver(webhookId, wrapper('message'))).status).toBe(200);
		expect(endpoint.executions).toHaveLength(1);
	});

	it('disconnection events start an execution by default, with advice added at the top level', async () => {
		await listen(parameters({ events: ['message_received'] }));
		const sent = wrapper('disconnection');
		await fake.deliver(webhookId, sent);
		expect(endpoint.executions).toHaveLength(1);
		const [item] = endpoint.executions[0][0];
		expect(item.json).toMatchObject(sent);
		expect(item.json.action_required).toEqual(expect.stringContaining('Reconnect the account'));
	});

	it('disconnection events are dropped when "Include Disconnection Events" is off', async () => {
		await listen(parameters({ options: { includeDisconnection: false } }));
		expect((await fake.deliver(webhookId, wrapper('disconnection'))).status).toBe(200);
		expect(endpoint.executions).toHaveLength(0);
	});

	it('accepted_invitation: one item by default, one per connection with "One Item per New Connection"', async () => {
		await listen();
		const sent = wrapper('accepted_invitation');
		await fake.deliver(webhookId, sent);
		expect(endpoint.executions[0][0]).toEqual([{ json: sent }]);
		await endpoint.stop();

		await listen(parameters({ options: { splitInvitations: true } }));
		await fake.deliver(webhookId, sent);
		const items = endpoint.executions[0][0];
		const connections = (sent.event as Json).new_connections as Json[];
		expect(items).toHaveLength(2);
		expect(items.map((item) => item.json.connection)).toEqual(connections);
		expect(items.every((item) => (item.json.event as Json).type === 'accepted_invitation')).toBe(true);
	});

	it('an unknown event type passes through with "all" and is filtered otherwise', async () => {
		await listen();
		const sent = wrapper('invitation_received', { from: 'Grace Hopper' });
		await fake.deliver(webhookId, sent);
		expect(endpoint.executions[0][0]).toEqual([{ json: sent }]);
		await endpoint.stop();

		await listen(parameters({ events: ['message_received'] }));
		expect((await fake.deliver(webhookId, sent)).status).toBe(200);
		expect(endpoint.executions).toHaveLength(0);
	});

	it('a test-mode delivery verifies with the test registration\'s own secret', async () => {
		await listen();
		const production = { ...staticData };
		const testStaticData: IDataObject = {};
		await activate(hook(testStaticData, { url: TEST_URL, activationMode: 'manual' }));
		expect(testStaticData.webhookSecret).not.toBe(production.webhookSecret);
		const signed = fake.signedRequest(testStaticData.webhookId as string, wrapper());
		const request = { headers: signed.headers, rawBody: signed.body };
		const context = { parameters: current, credentials: linkupCredentials(fake.baseUrl) };
		expect((await runWebhook(trigger, { ...context, staticData: testStaticData }, request)).statusCode).toBe(200);
		expect((await runWebhook(trigger, { ...context, staticData: production }, request)).statusCode).toBe(401);
	});

	/** POSTs exactly these headers and bytes to the trigger over HTTP, as a replaying attacker would. */
	async function post(signed: { headers: Record<string, string>; body: string }) {
		const response = await fetch(endpoint.url, { method: 'POST', headers: signed.headers, body: signed.body });
		return { status: response.status, body: await response.text() };
	}

	const warnings = () => endpoint.logs.filter((log) => log.level === 'warn').map((log) => log.message);

	it('the same signed delivery posted twice starts one execution; the copy is answered 200 and starts nothing', async () => {
		await listen();
		const signed = fake.signedRequest(webhookId, wrapper());
		expect((await post(signed)).status).toBe(200);
		expect(await post(signed)).toEqual({ status: 200, body: 'Already received: this delivery was accepted before and starts nothing again' });
		expect(endpoint.executions).toHaveLength(1);
		const other = fake.signedRequest(webhookId, wrapper('accepted_invitation'));
		expect((await post(other)).status).toBe(200);
		expect(endpoint.executions).toHaveLength(2);
	});

	it('a Timestamp Tolerance above one hour reaching a delivery (an expression, an edited value) refuses it with what to change', async () => {
		await listen();
		current.options = { ...(current.options as IDataObject), timestampToleranceSeconds: 7200 };
		const delivery = await fake.deliver(webhookId, wrapper());
		expect(delivery.status).toBe(500);
		expect(delivery.body).toContain('at most 3600 (one hour) is allowed');
		expect(endpoint.executions).toHaveLength(0);
	});

	it('refused deliveries are logged at warn with the reason, at most 5 lines a minute per trigger', async () => {
		await listen();
		for (let i = 0; i < 12; i++) await fake.deliver(webhookId, wrapper(), { variant: 'missingHeaders' });
		const refused = warnings().filter((message) => message.startsWith('LinkupAPI Trigger refused a delivery (401): Missing X-Linkup-Signature header'));
		expect(refused).toHaveLength(5);
		expect(warnings().join('\n')).not.toMatch(/rotated/);
		expect(JSON.stringify(endpoint.logs)).not.toContain(staticData.webhookSecret as string);
	});

	it('well-formed, timely deliveries that keep failing the signature: the warning says the secret was probably rotated and how to fix it', async () => {
		await listen();
		// The LinkupAPI node's Rotate Secret on the trigger's webhook: LinkupAPI now signs with a new secret.
		await fetch(`${fake.baseUrl}/v2/webhooks/${webhookId}/rotate-secret`, { method: 'POST', headers: { 'x-api-key': fake.apiKey } });
		for (let i = 0; i < 3; i++) expect((await fake.deliver(webhookId, wrapper())).status).toBe(401);
		const rotation = warnings().filter((message) => message.includes('probably rotated'));
		expect(rotation).toHaveLength(1);
		expect(rotation[0]).toContain('Rotate Secret');
		expect(rotation[0]).toContain('Deactivate and reactivate the workflow');
		expect(endpoint.executions).toHaveLength(0);
	});

	it.each([
		['nested 40 levels deep', () => JSON.stringify({ account_id: 'x', event: { type: 'message', deep: JSON.parse('['.repeat(40) + ']'.repeat(40)) } }), 'Body is nested more than 32 levels deep'],
		['a "__proto__" key', () => '{"account_id":"x","event":{"type":"message","__proto__":{"polluted":true}}}', 'Body has a "__proto__" key, which is refused'],
		['a "constructor" key', () => '{"account_id":"x","constructor":{"prototype":{"polluted":true}}}', 'Body has a "constructor" key, which is refused'],
		['a "prototype" key', () => '{"account_id":"x","event":{"type":"message","prototype":1}}', 'Body has a "prototype" key, which is refused'],
	])('a correctly signed body with %s is refused with 400 and starts nothing', async (_name, body, reason) => {
		await listen();
		const delivery = await fake.deliver(webhookId, {}, { rawBody: body() });
		expect(delivery).toMatchObject({ status: 400, body: reason });
		expect(endpoint.executions).toHaveLength(0);
		expect(({} as IDataObject).polluted).toBeUndefined();
	});
});

describe('money safety: lost answers, failed undo, leftovers and overlapping calls', () => {
	const unsigned = () => parameters({ options: { verifySignature: false } });

	it.each([
		['the connection drops', {}, /connection reset|socket hang up|other side closed|fetch failed/i],
		['a 502 comes back', { status: 502 }, /INTERNAL_ERROR/],
	])('signed, create performed but %s: the new webhook is found and deleted, none is left billing', async (_name, fault, cause) => {
		fake.loseAnswerNext({ route: '/v2/webhooks', method: 'POST', ...fault });
		const staticData: IDataObject = {};
		const error = (await activate(hook(staticData)).catch((e: Error) => e)) as Error;
		expect(error.message).toMatch(cause);
		expect(error.message).toMatch(/The answer to creating the webhook was lost; LinkupAPI had created \w+, .*n8n deleted it again/);
		const createdId = fake.requestsTo('DELETE')[0]?.path.split('/').pop();
		expect(calls()).toEqual(['GET /v2/webhooks', 'POST /v2/webhooks', 'GET /v2/webhooks', `DELETE /v2/webhooks/${createdId}`]);
		expect(fake.webhooks.size).toBe(0);
		expect(staticData).toEqual({});
	});

	it('unsigned, create performed but the answer lost: the webhook LinkupAPI made is adopted, exactly one exists', async () => {
		fake.loseAnswerNext({ route: '/v2/webhooks', method: 'POST' });
		const staticData: IDataObject = {};
		const h = hook(staticData, { parameters: unsigned() });
		expect(await activate(h)).toBe('created');
		expect(fake.webhooks.size).toBe(1);
		expect(staticData.webhookId).toBe(fake.webhookList()[0].webhook_id);
		expect(calls()).toEqual(['GET /v2/webhooks', 'POST /v2/webhooks', 'GET /v2/webhooks']);
		expect(h.logs.some((log) => log.level === 'warn' && log.message.includes('answer to creating the webhook was lost'))).toBe(true);
	});

	it('create answer lost and the check fails too: the error says a webhook may still bill and how to find it', async () => {
		fake.loseAnswerNext({ route: '/v2/webhooks', method: 'POST', status: 504 });
		fake.failNext({ route: '/v2/webhooks', method: 'GET', status: 403, times: 2 });
		const error = (await create(hook({})).catch((e: Error) => e)) as Error;
		expect(error.message).toMatch(/^INTERNAL_ERROR/);
		expect(error.message).toContain(`A LinkupAPI webhook posting to ${PRODUCTION_URL} may still be active and billing`);
		expect(error.message).toContain('Webhook > Get Many');
		expect(fake.webhooks.size).toBe(1); // what the user is told to delete
	});

	it('/start refused and the undoing DELETE fails: the original cause, then the webhook id and how to delete it', async () => {
		fake.failNext({
			route: '/v2/webhooks',
			method: 'POST',
			status: 201,
			body: { success: true, data: { webhook_id: 'w9', secret: 's3cr3t-value', monitoring: false } },
		});
		fake.failNext({ route: '/v2/webhooks/w9/start', method: 'POST', status: 402 });
		fake.failNext({ route: '/v2/webhooks/w9', method: 'DELETE', status: 403, times: 10 });
		const h = hook({});
		const error = (await create(h).catch((e: Error) => e)) as Error;
		expect(error.message).toMatch(/^INSUFFICIENT_CREDITS: /);
		expect(error.message).toContain('LinkupAPI webhook w9 may still be active and billing. Delete it with the LinkupAPI node (Webhook > Delete, ID w9)');
		expect(error.message).toContain('Deleting it failed: INVALID_API_KEY');
		expect(h.logs.some((log) => log.level === 'warn' && log.message.includes('w9 may still be active'))).toBe(true);
		expect(loggedText(h.logs) + error.message).not.toContain('s3cr3t-value');
	});

	it('restart with a stored id also removes other webhooks at the same URL, in one list call', async () => {
		const staticData = await activated();
		const keptId = staticData.webhookId as string;
		// An overlapping activation left a second one at this URL.
		const strayId = (
			(await fetch(`${fake.baseUrl}/v2/webhooks`, {
				method: 'POST',
				headers: { 'x-api-key': fake.apiKey, 'content-type': 'application/json' },
				body: JSON.stringify({ account_id: accountId, url: PRODUCTION_URL, enable_signature: true }),
			}).then(async (response) => await response.json())) as Json
		).data.webhook_id as string;
		resetCalls();
		const elsewhere = await activated({ url: 'https://n8n.example.com/webhook/another-node/webhook' });
		expect(await activate(hook(staticData))).toBe('kept');
		expect(calls()).toEqual(['GET /v2/webhooks', `DELETE /v2/webhooks/${strayId}`]);
		expect([...fake.webhooks.keys()].sort()).toEqual([keptId, elsewhere.webhookId].sort());
	});

	it('overlapping activations of one node: one after the other, so exactly one webhook is created', async () => {
		const staticData: IDataObject = {};
		await Promise.all([activate(hook(staticData)), activate(hook(staticData))]);
		expect(fake.webhooks.size).toBe(1);
		expect(staticData.webhookId).toBe(fake.webhookList()[0].webhook_id);
		expect(fake.requestsTo('POST', '/v2/webhooks')).toHaveLength(1);
	});

	it('deactivation overlapping a new activation: the delete finishes first, and the new activation ends with one webhook', async () => {
		const staticData = await activated();
		const oldId = staticData.webhookId as string;
		fake.failNext({ route: `/v2/webhooks/${oldId}`, method: 'DELETE', delayMs: 300 });
		await Promise.all([remove(hook(staticData)), activate(hook(staticData))]);
		expect(fake.webhooks.has(oldId)).toBe(false);
		expect(fake.webhooks.size).toBe(1);
		expect(staticData.webhookId).toBe(fake.webhookList()[0].webhook_id);
	});
});

describe('Timestamp Tolerance is capped at one hour', () => {
	it('activation with more than 3600 s is refused before any API call, saying what to change', async () => {
		const h = hook({}, { parameters: parameters({ options: { timestampToleranceSeconds: 86400 } }) });
		await expect(activate(h)).rejects.toThrow(
			'Timestamp Tolerance is 86400 seconds, but at most 3600 (one hour) is allowed',
		);
		expect(calls()).toEqual([]);
	});

	it('the option says so in the editor', () => {
		const options = trigger.description.properties.find((property) => property.name === 'options')!;
		const tolerance = (options.options as Array<{ name: string; typeOptions?: IDataObject }>).find(
			(option) => option.name === 'timestampToleranceSeconds',
		)!;
		expect(tolerance.typeOptions).toMatchObject({ maxValue: 3600 });
	});
});

describe('the action node warns what its secret operations do to this trigger', () => {
	it.each(['rotateSecret', 'disableSignature'])('%s says a LinkupAPI Trigger then refuses deliveries until reactivated', (value) => {
		const operations = new Linkup().description.properties.filter(
			(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes('webhook'),
		);
		const option = operations.flatMap((property) => (property.options ?? []) as Array<{ value: string; description?: string }>).find(
			(candidate) => candidate.value === value,
		)!;
		expect(option.description).toContain('A LinkupAPI Trigger using this webhook then refuses every delivery until its workflow is deactivated and reactivated');
	});
});

describe('deletes ride out rate limits and server errors (the transport retries DELETE)', () => {
	it('deactivation answered 429 with Retry-After: waits, deletes, clears static data', async () => {
		const staticData = await activated();
		const webhookId = staticData.webhookId as string;
		fake.failNext({ route: `/v2/webhooks/${webhookId}`, method: 'DELETE', status: 429, headers: { 'retry-after': '1' } });
		expect(await remove(hook(staticData))).toBe(true);
		const [first, second] = fake.requestsTo('DELETE');
		expect(calls()).toEqual([`DELETE /v2/webhooks/${webhookId}`, `DELETE /v2/webhooks/${webhookId}`]);
		expect(second.time - first.time).toBeGreaterThanOrEqual(900);
		expect(fake.webhooks.size).toBe(0);
		expect(staticData).toEqual({});
	});

	it('deactivation answered 503 and then a dropped connection: still deleted', async () => {
		const staticData = await activated();
		const webhookId = staticData.webhookId as string;
		fake.failNext({ route: `/v2/webhooks/${webhookId}`, method: 'DELETE', status: 503, headers: { 'retry-after': '0' } });
		fake.failNext({ route: `/v2/webhooks/${webhookId}`, method: 'DELETE', destroy: true });
		expect(await remove(hook(staticData))).toBe(true);
		expect(fake.requestsTo('DELETE')).toHaveLength(3);
		expect(fake.webhooks.size).toBe(0);
	});

	it('/start refused and the undoing DELETE rate-limited once: the webhook is still removed, the cause shown', async () => {
		fake.failNext({
			route: '/v2/webhooks',
			method: 'POST',
			status: 201,
			body: { success: true, data: { webhook_id: 'w5', secret: 's3cr3t-value', monitoring: false } },
		});
		fake.failNext({ route: '/v2/webhooks/w5/start', method: 'POST', status: 402 });
		fake.failNext({ route: '/v2/webhooks/w5', method: 'DELETE', status: 429, headers: { 'retry-after': '0' } });
		await expect(create(hook({}))).rejects.toThrow(/^INSUFFICIENT_CREDITS: .*so n8n deleted it again\.$/);
		expect(calls()).toEqual(['POST /v2/webhooks', 'POST /v2/webhooks/w5/start', 'DELETE /v2/webhooks/w5', 'DELETE /v2/webhooks/w5']);
	});

	it('a lost create answer settled while the list and the delete hit a 500 once each: none left billing', async () => {
		fake.loseAnswerNext({ route: '/v2/webhooks', method: 'POST' });
		fake.failNext({ route: '/v2/webhooks', method: 'GET', status: 500, headers: { 'retry-after': '0' } });
		fake.failNext({ route: /^\/v2\/webhooks\/[^/]+$/, method: 'DELETE', status: 500, headers: { 'retry-after': '0' } });
		await expect(create(hook({}))).rejects.toThrow(/n8n deleted it again/);
		expect(fake.webhooks.size).toBe(0);
	});
});
