// The LinkupAPI Trigger's webhook(): deliveries over real HTTP, verified, parsed and filtered.
import type { IDataObject } from 'n8n-workflow';
import type { DeliveryVariant, Json } from '../../../fake-linkupapi/server';
import { linkupCredentials } from '../../../helpers/credentials';
import {
	accountId,
	activate,
	fake,
	hook,
	parameters,
	TEST_URL,
	trigger,
	useLinkupTriggerTests,
} from '../../../helpers/linkupTrigger';
import type { Parameters } from '../../../helpers/n8nContext';
import { runWebhook, WebhookEndpoint } from '../../../helpers/webhookEndpoint';

useLinkupTriggerTests();

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
