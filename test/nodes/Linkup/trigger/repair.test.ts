// A delivery that meets no stored webhook, as after n8n 2.x was killed while LinkupAPI answered the
// trigger's create: n8n routes deliveries to the node but never calls create again. The node takes
// over the webhook at its URL (never creating one), at most once per interval, in its lifecycle queue.
import type { IDataObject, INodeType, IWebhookFunctions } from 'n8n-workflow';
import { LinkupTrigger } from '../../../../nodes/Linkup/LinkupTrigger.node';
import { REPAIR_TIMINGS } from '../../../../nodes/Linkup/trigger/repair';
import { FakeLinkupApi, type Json } from '../../../fake-linkupapi/server';
import { linkupCredentials, TEST_API_KEY } from '../../../helpers/credentials';
import { createHookContext, type Parameters } from '../../../helpers/n8nContext';
import { runWebhook, WebhookEndpoint } from '../../../helpers/webhookEndpoint';

const trigger = new LinkupTrigger();
const defaults = { ...REPAIR_TIMINGS };

let fake: FakeLinkupApi;
let accountId: string;
let endpoint: WebhookEndpoint;
/** The node's static data: one object, as if each call read what the one before saved. */
let staticData: IDataObject;
let parameters: Parameters;
let clock: number;
let mode: 'trigger' | 'manual';

/** The trigger as n8n runs it for a delivery: getNodeWebhookUrl gives the node's production URL. */
const asN8nRunsIt: INodeType = {
	description: trigger.description,
	async webhook(this: IWebhookFunctions) {
		Object.assign(this, { getNodeWebhookUrl: () => endpoint.url, getMode: () => mode });
		return await trigger.webhook.call(this);
	},
};

beforeEach(async () => {
	fake = new FakeLinkupApi();
	await fake.start();
	accountId = fake.accountList()[0].account_id as string;
	clock = Date.UTC(2030, 0, 1);
	REPAIR_TIMINGS.now = () => clock;
	staticData = {};
	mode = 'trigger';
	parameters = { accountId: { __rl: true, mode: 'list', value: accountId }, events: ['all'], options: { allowNonPublicUrl: true } };
	endpoint = new WebhookEndpoint(async (request) =>
		runWebhook(asN8nRunsIt, { parameters, credentials: linkupCredentials(fake.baseUrl), staticData }, request),
	);
	await endpoint.start();
});

afterEach(async () => {
	Object.assign(REPAIR_TIMINGS, defaults);
	await endpoint.stop();
	await fake.stop();
});

/** A webhook made through the fake's HTTP API, as by the create whose answer n8n never stored. */
async function webhookAt(url: string | undefined, overrides: Json = {}): Promise<string> {
	const response = await fetch(`${fake.baseUrl}/v2/webhooks`, {
		method: 'POST',
		headers: { 'x-api-key': fake.apiKey, 'content-type': 'application/json' },
		body: JSON.stringify({ account_id: accountId, events: ['all'], ...(url ? { url, enable_signature: true } : {}), ...overrides }),
	});
	const id = ((await response.json()) as Json).data.webhook_id as string;
	fake.requests.length = 0; // the tests count the trigger's calls only
	return id;
}

const calls = () => fake.requests.map((request) => `${request.method} ${request.path}`);
const wrapper = (n = 1) => fake.sampleEvent(accountId, 'message', { message_text: `message ${n}` });

/** What anyone who knows the URL can post: well-formed headers, no valid signature. */
async function forgedPost(): Promise<{ status: number; body: string }> {
	const response = await fetch(endpoint.url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-linkup-timestamp': String(Math.floor(clock / 1000)), 'x-linkup-signature': `v1=${'0'.repeat(64)}` },
		body: JSON.stringify(wrapper()),
	});
	return { status: response.status, body: await response.text() };
}

async function untilCalled(call: string): Promise<void> {
	for (let tries = 0; !calls().includes(call); tries++) {
		if (tries > 500) throw new Error(`${call} was never called`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

describe('LinkupTrigger: a delivery that meets no stored webhook', () => {
	it('takes over the one webhook at its URL (restarting it, rotating its secret); the next signed delivery runs', async () => {
		const lostId = await webhookAt(endpoint.url);
		fake.webhooks.get(lostId)!.monitoring = false;
		const oldSecret = fake.webhooks.get(lostId)!.secret as string;

		const first = await fake.deliver(lostId, wrapper(1));
		expect(first).toMatchObject({ status: 503, body: expect.stringMatching(/has now taken it over with a new signing secret/) });
		expect(calls()).toEqual(['GET /v2/webhooks', `POST /v2/webhooks/${lostId}/start`, `POST /v2/webhooks/${lostId}/rotate-secret`]);
		const newSecret = fake.webhooks.get(lostId)!.secret as string;
		expect(newSecret).not.toBe(oldSecret);
		expect(staticData).toEqual({ webhookId: lostId, webhookSecret: newSecret, webhookUrl: endpoint.url, webhookEvents: ['all'], accountId });
		expect(endpoint.executions).toEqual([]);

		const second = await fake.deliver(lostId, wrapper(2));
		expect(second.status).toBe(200);
		expect(endpoint.executions).toEqual([[[{ json: wrapper(2) }]]]);
		expect(calls()).toHaveLength(3);
		expect(fake.requestsTo('POST', '/v2/webhooks')).toEqual([]);
		expect(fake.monitoredAccounts()).toEqual([accountId]);
		const shown = JSON.stringify([endpoint.logs, fake.deliveries]);
		for (const secret of [TEST_API_KEY, oldSecret, newSecret]) expect(shown).not.toContain(secret);
	});

	it('a deactivation handed static data read before the repair saved still deletes the webhook it took over', async () => {
		const lostId = await webhookAt(endpoint.url);
		expect((await fake.deliver(lostId, wrapper(1))).status).toBe(503);
		const deactivation = createHookContext({ parameters, credentials: linkupCredentials(fake.baseUrl), webhookUrl: endpoint.url, staticData: {} });
		expect(await trigger.webhookMethods.default.delete.call(deactivation.context as never)).toBe(true);
		expect(fake.webhooks.has(lostId)).toBe(false);
	});

	it('no webhook at its URL: creates none, touches no other webhook, says why once, and refuses with 401', async () => {
		const otherWorkflows = [await webhookAt(undefined), await webhookAt('https://elsewhere.example.com/webhook/x/webhook')];
		const refused = await forgedPost();
		expect(refused).toEqual({
			status: 401,
			body: 'No signing secret stored for this trigger, and LinkupAPI has no webhook posting to this URL for its account and events: deactivate and reactivate the workflow',
		});
		expect(calls()).toEqual(['GET /v2/webhooks']);
		expect([...fake.webhooks.keys()]).toEqual(otherWorkflows);
		expect(staticData).toEqual({});
		const why = endpoint.logs.filter((log) => log.message.includes(`no LinkupAPI webhook posts to ${endpoint.url}`));
		expect(why).toHaveLength(1);
		expect(why[0].level).toBe('warn');
	});

	it('a second forged POST within the interval makes no API call; the first after it lists once more', async () => {
		await forgedPost();
		expect(calls()).toEqual(['GET /v2/webhooks']);
		clock += REPAIR_TIMINGS.intervalMs - 1;
		const second = await forgedPost();
		expect(second.status).toBe(503);
		expect(second.body).toMatch(/^No signing secret stored for this trigger\. n8n looks for its LinkupAPI webhook at most every 5 minutes/);
		expect(calls()).toEqual(['GET /v2/webhooks']);
		clock += 1;
		await forgedPost();
		expect(calls()).toEqual(['GET /v2/webhooks', 'GET /v2/webhooks']);
		expect(fake.webhooks.size).toBe(0);
	});

	it('several webhooks at its URL: keeps one with its account and events (a monitoring one), deletes the others', async () => {
		const stopped = await webhookAt(endpoint.url);
		fake.webhooks.get(stopped)!.monitoring = false;
		const running = await webhookAt(endpoint.url);
		const otherEvents = await webhookAt(endpoint.url, { events: ['accepted_invitation'] });
		expect((await fake.deliver(running, wrapper())).status).toBe(503);
		expect([...fake.webhooks.keys()]).toEqual([running]);
		expect(staticData.webhookId).toBe(running);
		expect(calls()).toEqual([
			'GET /v2/webhooks',
			`DELETE /v2/webhooks/${stopped}`,
			`DELETE /v2/webhooks/${otherEvents}`,
			`POST /v2/webhooks/${running}/rotate-secret`,
		]);
		expect((await fake.deliver(running, wrapper(2))).status).toBe(200);
	});

	it('an id stored without its secret: that webhook is the one kept, even stopped, and gets a new secret', async () => {
		const stored = await webhookAt(endpoint.url);
		fake.webhooks.get(stored)!.monitoring = false;
		const other = await webhookAt(endpoint.url);
		staticData.webhookId = stored;
		expect((await fake.deliver(other, wrapper())).status).toBe(503);
		expect([...fake.webhooks.keys()]).toEqual([stored]);
		expect(staticData.webhookSecret).toBe(fake.webhooks.get(stored)!.secret);
		expect(calls()).toEqual([
			'GET /v2/webhooks',
			`DELETE /v2/webhooks/${other}`,
			`POST /v2/webhooks/${stored}/start`,
			`POST /v2/webhooks/${stored}/rotate-secret`,
		]);
	});

	it('verification off and no id stored: takes over the webhook, so deactivating deletes it, and the delivery runs', async () => {
		parameters = { ...parameters, options: { verifySignature: false } };
		const lostId = await webhookAt(endpoint.url, { enable_signature: false });
		expect((await fake.deliver(lostId, wrapper())).status).toBe(200);
		expect(endpoint.executions).toHaveLength(1);
		expect(staticData).toMatchObject({ webhookId: lostId });
		expect(calls()).toEqual(['GET /v2/webhooks']);
		await trigger.webhookMethods.default.delete.call(
			createHookContext({ parameters, credentials: linkupCredentials(fake.baseUrl), webhookUrl: endpoint.url, staticData }).context as never,
		);
		expect(fake.webhooks.size).toBe(0);
	});

	it('a test-mode delivery never repairs: the test URL is not the production one', async () => {
		mode = 'manual';
		await webhookAt(endpoint.url);
		expect((await forgedPost()).status).toBe(401);
		expect(calls()).toEqual([]);
	});
});

describe('LinkupTrigger: a repair and the lifecycle steps of the same node never overlap', () => {
	const hook = (data: IDataObject) =>
		createHookContext({ parameters, credentials: linkupCredentials(fake.baseUrl), webhookUrl: endpoint.url, staticData: data }).context as never;

	it('a check queued while a repair runs starts after it, and finds the webhook the repair stored', async () => {
		const lostId = await webhookAt(endpoint.url);
		fake.failNext({ route: '/v2/webhooks', method: 'GET', delayMs: 200 });
		const delivery = fake.deliver(lostId, wrapper());
		await untilCalled('GET /v2/webhooks');
		const exists = await trigger.webhookMethods.default.checkExists.call(hook(staticData));
		expect((await delivery).status).toBe(503);
		expect(exists).toBe(true);
		expect(calls()).toEqual(['GET /v2/webhooks', `POST /v2/webhooks/${lostId}/rotate-secret`, 'GET /v2/webhooks']);
		expect([...fake.webhooks.keys()]).toEqual([lostId]);
	});

	it('a delivery during a create, or before n8n saved what the create stored, starts no repair: the new secret stays valid', async () => {
		const activationData: IDataObject = {};
		fake.failNext({ route: '/v2/webhooks', method: 'POST', delayMs: 200 });
		const creating = trigger.webhookMethods.default.create.call(hook(activationData));
		await untilCalled('POST /v2/webhooks');
		expect((await forgedPost()).status).toBe(503);
		await creating;
		const [created] = fake.webhooks.keys();
		clock += REPAIR_TIMINGS.intervalMs - 1; // a lifecycle step holds repairs off for a whole interval after it
		expect((await fake.deliver(created, wrapper())).status).toBe(503);
		expect(calls()).toEqual(['POST /v2/webhooks']);
		Object.assign(staticData, activationData); // n8n saves the activation's static data
		expect((await fake.deliver(created, wrapper(2))).status).toBe(200);
	});
});
