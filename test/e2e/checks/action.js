// @ts-check
'use strict';
// The LinkupAPI action node in one n8n process: webhook operations behind a Webhook-node workflow,
// and a manual run that cannot reach LinkupAPI.
const crypto = require('crypto');
const { waitFor, node, rl, fetchWithTimeout, freePort } = require('../../../scripts/n8n/harness');
const { TYPES, ACTIVATION_TIMEOUT_MS, assert, nodeOutput, executionError, activate, waitExecutions } = require('../helpers');

/** @type {import('../helpers').Check[]} */
module.exports = [
	{
		name: 'action: create, list and delete webhooks from inside n8n',
		async run(t) {
			const { n8n, fake, accountId, credentials } = t;
			const before = fake.requests.length;
			const path = `e2e-action-${crypto.randomBytes(4).toString('hex')}`;
			const nodes = [
				node('Start', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} }, { typeVersion: 2, webhookId: crypto.randomUUID() }),
				node(
					'Create webhook',
					TYPES.action,
					{ resource: 'webhook', operation: 'create', accountId: rl(accountId), url: 'https://example.com/e2e-hook', events: ['all'], enableSignature: true },
					{ credentials },
				),
				node('List webhooks', TYPES.action, { resource: 'webhook', operation: 'getAll', returnAll: true }, { credentials }),
				node(
					'Delete webhook',
					TYPES.action,
					{ resource: 'webhook', operation: 'delete', webhookId: rl("={{ $('Create webhook').first().json.webhook_id }}") },
					{ credentials, executeOnce: true },
				),
			];
			const connections = {
				Start: { main: [[{ node: 'Create webhook', type: 'main', index: 0 }]] },
				'Create webhook': { main: [[{ node: 'List webhooks', type: 'main', index: 0 }]] },
				'List webhooks': { main: [[{ node: 'Delete webhook', type: 'main', index: 0 }]] },
			};
			const wf = await t.workflow({ name: 'E2E LinkupAPI action', nodes, connections });
			await activate(t, wf.id);
			const url = `${n8n.webhookBase}webhook/${path}`;
			const response = await waitFor(
				'the action workflow to answer',
				async () => {
					const res = await fetchWithTimeout(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, 30000);
					if (res.status === 404) return false;
					return { status: res.status, text: await res.text() };
				},
				{ timeoutMs: ACTIVATION_TIMEOUT_MS, intervalMs: 500 },
			);
			assert(response.status === 200, `action workflow answered ${response.status}: ${response.text.slice(0, 400)}`);
			const calls = fake.requests.slice(before).map((r) => `${r.method} ${r.path}`);
			const created = fake.requests.slice(before).find((r) => r.method === 'POST' && r.path === '/v2/webhooks');
			assert(created, `no POST /v2/webhooks reached the fake (calls: ${calls.join(', ')})`);
			assert(created.headers['x-api-key'] === fake.apiKey, 'the credential API key was not sent');
			assert(created.body && created.body.url === 'https://example.com/e2e-hook', `create body: ${JSON.stringify(created.body)}`);
			assert(calls.includes('GET /v2/webhooks'), `no GET /v2/webhooks (calls: ${calls.join(', ')})`);
			const deletes = calls.filter((c) => /^DELETE \/v2\/webhooks\/[^/]+$/.test(c));
			assert(deletes.length === 1, `expected 1 DELETE, saw: ${calls.join(', ')}`);
			assert(fake.webhookList().length === 0, `fake still has ${fake.webhookList().length} webhooks`);
			const executions = await waitExecutions(t, wf.id, 1, 'the action execution');
			const listed = nodeOutput(executions[0], 'List webhooks');
			assert(listed && listed.some((w) => w.url === 'https://example.com/e2e-hook'), `List webhooks output: ${JSON.stringify(listed).slice(0, 300)}`);
		},
	},
	{
		name: 'network failure: a manual run against a closed port fails with "Could not reach LinkupAPI at …"',
		async run(t) {
			const { client, fake } = t;
			const closedBaseUrl = `http://127.0.0.1:${await freePort()}`;
			const closedId = await client.createLinkupCredential({ name: 'LinkupAPI (closed port)', apiKey: fake.apiKey, baseUrl: closedBaseUrl });
			const wf = await t.workflow({
				name: 'E2E LinkupAPI network failure',
				nodes: [
					node('Start', 'n8n-nodes-base.manualTrigger', {}),
					node('List accounts', TYPES.action, { resource: 'account', operation: 'getAll', returnAll: true }, {
						credentials: { linkupApi: { id: closedId, name: 'LinkupAPI (closed port)' } },
					}),
				],
				connections: { Start: { main: [[{ node: 'List accounts', type: 'main', index: 0 }]] } },
			});
			// The editor's "Execute workflow" button.
			const run = await client.rest('POST', `/rest/workflows/${wf.id}/run`, { workflowData: wf, triggerToStartFrom: { name: 'Start' } });
			const executionId = run.body && run.body.executionId;
			assert(executionId, `the manual run answered ${JSON.stringify(run.body).slice(0, 300)}`);
			/** @type {import('../helpers').Execution} */
			const execution = await waitFor(
				'the manual execution to finish',
				async () => {
					const res = await client.api('GET', `/executions/${executionId}?includeData=true`, undefined, { allowError: true });
					return res.status === 200 && (res.body.finished || res.body.stoppedAt) ? res.body : false;
				},
				{ timeoutMs: 60000, intervalMs: 500 },
			);
			const expected = `Could not reach LinkupAPI at ${closedBaseUrl} (connection refused).`;
			const message = executionError(execution);
			assert(execution.status === 'error', `execution status ${execution.status}, expected error`);
			assert(message === expected, `execution error "${message}", expected "${expected}"`);
		},
	},
];
