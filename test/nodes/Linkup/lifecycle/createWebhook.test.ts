// The LinkupAPI Trigger's create, and money safety when its answers are lost or undoing fails.
import type { IDataObject } from 'n8n-workflow';
import type { Json } from '../../../fake-linkupapi/server';
import {
	accountId,
	activate,
	activated,
	calls,
	create,
	fake,
	hook,
	loggedText,
	parameters,
	PRODUCTION_URL,
	remove,
	resetCalls,
	useLinkupTriggerTests,
} from '../../../helpers/linkupTrigger';

useLinkupTriggerTests();

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
