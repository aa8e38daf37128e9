// Runs the LinkupAPI action node against a real fake LinkupAPI, the way n8n calls execute(), and
// sets the fake up for a test.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { Linkup } from '../../nodes/Linkup/Linkup.node';
import { FakeLinkupApi, type Json } from '../fake-linkupapi/server';
import { linkupCredentials, TEST_API_KEY } from './credentials';
import { createExecuteContext, type Parameters } from './n8nContext';

export { TEST_API_KEY };
export { useFakeLinkupApi } from './useFakeLinkupApi';

/** A resource locator value as n8n stores it. */
export function rl(value: string, mode: 'id' | 'list' = 'id') {
	return { __rl: true, mode, value };
}

export interface RunOptions {
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** The workflow's time zone (n8n's default for the harness is UTC). */
	timezone?: string;
	/** Run the node the way an AI agent runs it: as its tool variant, type `…linkupTool`. */
	asAiTool?: boolean;
}

export async function runNode(fake: FakeLinkupApi, parameters: Parameters, options: RunOptions = {}) {
	const { context } = createExecuteContext({
		parameters,
		credentials: linkupCredentials(fake.baseUrl),
		items: options.items,
		continueOnFail: options.continueOnFail,
		node: options.asAiTool ? { type: 'n8n-nodes-linkupapi-webhooks.linkupTool' } : undefined,
	});
	if (options.timezone) context.getTimezone = () => options.timezone as string;
	const [output] = await new Linkup().execute.call(context as unknown as IExecuteFunctions);
	return { output, json: output.map((item) => item.json) };
}

/** The error `promise` rejects with; fails the test when it resolves. */
export async function errorOf(promise: Promise<unknown>): Promise<Error & { context?: IDataObject }> {
	try {
		await promise;
	} catch (error) {
		return error as Error & { context?: IDataObject };
	}
	throw new Error('expected the node to fail');
}

/**
 * Creates a webhook directly through the fake's HTTP API (not through the node under test), then
 * forgets the requests made so far, so a test sees only what the node sends.
 */
export async function seedWebhook(fake: FakeLinkupApi, body: Json): Promise<Json> {
	const response = await fetch(`${fake.baseUrl}/v2/webhooks`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': fake.apiKey },
		body: JSON.stringify(body),
	});
	const envelope = (await response.json()) as Json;
	if (!envelope.success) throw new Error(`seeding failed: ${JSON.stringify(envelope)}`);
	fake.requests.length = 0;
	return envelope.data;
}

/** A custom-mode webhook on the first account, created with a signing secret. */
export async function seedSignedWebhook(fake: FakeLinkupApi): Promise<Json> {
	return await seedWebhook(fake, {
		account_id: firstAccountId(fake),
		url: 'https://example.com/hook',
		enable_signature: true,
	});
}

export function firstAccountId(fake: FakeLinkupApi): string {
	return fake.accountList()[0].account_id;
}

/** Asserts the fake received exactly one request, authenticated, and returns it. */
export function onlyRequest(fake: FakeLinkupApi, method: string, path: string) {
	expect(fake.requests).toHaveLength(1);
	const [request] = fake.requests;
	expect({ method: request.method, path: request.path }).toEqual({ method, path });
	expect(request.headers['x-api-key']).toBe(TEST_API_KEY);
	return request;
}
