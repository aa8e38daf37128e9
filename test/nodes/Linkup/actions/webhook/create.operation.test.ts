// The LinkupAPI node's Webhook > Create operation: hosted and custom webhooks, secrets, checks.
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import {
	errorOf,
	firstAccountId,
	rl,
	runNode,
	TEST_API_KEY,
	useFakeLinkupApi,
	type RunOptions,
} from '../../../../helpers/linkupNode';

const fake = useFakeLinkupApi();

function create(overrides: Record<string, unknown> = {}, options: RunOptions = {}) {
	return runNode(
		fake(),
		{
			resource: 'webhook',
			operation: 'create',
			accountId: rl(firstAccountId(fake())),
			url: '',
			events: ['message_received'],
			...overrides,
		},
		options,
	);
}

describe('webhook create', () => {
	it('creates a hosted webhook when URL is empty: no url and no signature flag in the body', async () => {
		const { json } = await create();

		const [request] = fake().requests;
		expect(fake().requests).toHaveLength(1);
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v2/webhooks');
		expect(request.query).toEqual({});
		expect(request.headers['x-api-key']).toBe(TEST_API_KEY);
		expect(request.body).toEqual({ account_id: firstAccountId(fake()), events: ['message_received'] });

		expect(json).toHaveLength(1);
		const webhook = fake().webhookList()[0];
		expect(json[0]).toMatchObject({
			webhook_id: webhook.webhook_id,
			url: null,
			events: ['message_received'],
			monitoring: true,
			events_url: webhook.events_url,
		});
		expect(json[0]).not.toHaveProperty('secret');
		expect(json[0]).not.toHaveProperty('secret_notice');
	});

	it('creates a signed custom webhook and labels the one-time secret', async () => {
		const { json } = await create({
			url: ' https://example.com/linkup-events ',
			events: ['all'],
			enableSignature: true,
			options: { retry: true },
		});

		expect(fake().requests[0].body).toEqual({
			account_id: firstAccountId(fake()),
			events: ['all'],
			url: 'https://example.com/linkup-events',
			enable_signature: true,
			retry: true,
		});
		const stored = [...fake().webhooks.values()][0];
		expect(stored.secret).toEqual(expect.any(String));
		expect(json[0].secret).toBe(stored.secret);
		expect(json[0].secret_notice).toMatch(/store this signing secret now.*only once/i);
		expect(Object.keys(json[0]).slice(0, 2)).toEqual(['secret', 'secret_notice']);
		expect(JSON.stringify(json)).not.toContain(TEST_API_KEY);
	});

	it('never shows the signing secret to an AI agent, only that one was issued', async () => {
		const { json } = await create(
			{ url: 'https://example.com/linkup-events', enableSignature: true },
			{ asAiTool: true },
		);

		const stored = [...fake().webhooks.values()][0];
		expect(stored.secret).toEqual(expect.any(String));
		expect(json[0]).toMatchObject({ secret_issued: true, webhook_id: stored.webhook_id });
		expect(json[0].secret_notice).toMatch(/not shown when this node runs as an AI agent tool/);
		expect(json[0]).not.toHaveProperty('secret');
		expect(JSON.stringify(json)).not.toContain(stored.secret as string);
	});

	it('sends enable_signature false for an unsigned custom webhook', async () => {
		const { json } = await create({ url: 'https://example.com/hook', enableSignature: false });

		expect(fake().requests[0].body).toEqual({
			account_id: firstAccountId(fake()),
			events: ['message_received'],
			url: 'https://example.com/hook',
			enable_signature: false,
		});
		expect(json[0]).not.toHaveProperty('secret');
	});

	it('leaves retry out for a hosted webhook', async () => {
		await create({ options: { retry: true } });
		expect(fake().requests[0].body).not.toHaveProperty('retry');
	});

	it('refuses a signature for a hosted webhook before calling the API', async () => {
		const error = await errorOf(create({ enableSignature: true }));

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/Enable Signature works only with a URL.*Turn off Enable Signature/);
		expect(error.context?.itemIndex).toBe(0);
		expect(fake().requests).toHaveLength(0);
	});

	it.each([
		['http://example.com/hook', /is not an https:\/\/ address.*public HTTPS URL/],
		['https://localhost:5678/webhook/abc', /points at this machine \(localhost\), which LinkupAPI could never reach/],
		['https://10.0.0.5/hook', /points at a private network address \(10\.0\.0\.5\)/],
		['https://169.254.169.254/hook', /points at a link-local address/],
		['https://100.64.1.1/hook', /points at a carrier-grade NAT address/],
		['https://[::ffff:127.0.0.1]/hook', /points at an IPv4-mapped address/],
		['https://[fd00::1]/hook', /points at a unique-local address/],
		['https://[fe80::1]/hook', /points at a link-local address/],
		['https://n8n.internal/hook', /points at a name reserved for local networks/],
		['https://user:pass@example.com/hook', /"https:\/\/\*\*\*@example\.com\/hook" contains a user name or password/],
		['https://127.0.0.1/hook', /points at this machine \(127\.0\.0\.1\)/],
		['https://[::1]:8443/hook', /points at this machine \(\[::1\]\)/],
		['https://n8n.localhost/hook', /points at this machine/],
		['not a url', /is not a valid URL/],
	])('refuses the URL %s before calling the API', async (url, expected) => {
		const error = await errorOf(create({ url }));

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^The URL field is not usable: /);
		expect(error.message).toMatch(expected);
		expect(fake().requests).toHaveLength(0);
	});

	it.each([
		['empty', '', /The Account field is empty\. Pick the account from the list or enter its ID/],
		['whitespace', '   ', /The Account field is empty/],
		['with a space', 'acc 123', /The Account ID "acc 123" is not valid: an ID has no spaces or slashes/],
		['with a slash', 'acc/123', /The Account ID "acc\/123" is not valid/],
		['dots only', '..', /The Account ID "\.\." is not valid/],
	])('refuses an account ID that is %s before calling the API', async (_, id, expected) => {
		const error = await errorOf(create({ accountId: rl(id) }));

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(expected);
		expect(fake().requests).toHaveLength(0);
	});

	it('refuses an empty event selection before calling the API', async () => {
		const error = await errorOf(create({ events: [] }));

		expect(error.message).toMatch(/The Events field is empty\. Pick at least one event, or All Events/);
		expect(fake().requests).toHaveLength(0);
	});

	it('reports an unknown account with the API 404 in plain words', async () => {
		const error = await errorOf(create({ accountId: rl('acc_missing') }));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/^INVALID_ACCOUNT: Account acc_missing not found\. This account ID does not exist/);
		expect(fake().requests).toHaveLength(1);
		expect(fake().webhooks.size).toBe(0);
	});
});
