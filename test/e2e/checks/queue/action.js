// @ts-check
'use strict';
// The LinkupAPI action node in queue mode: a workflow behind a webhook process runs its webhook
// operations on a worker.
const crypto = require('crypto');
const { waitFor, node, rl, fetchWithTimeout } = require('../../../../scripts/n8n/harness');
const { TYPES, ACTIVATION_TIMEOUT_MS, assert, executionError, workerOf, settledExecutions } = require('../../helpers');

/** @type {import('../../helpers').Check[]} */
module.exports = [
	{
		name: 'queue 8: the action node creates, gets, stops, starts and deletes a webhook on a worker',
		async run(t) {
			const { client, fake, webhooks, accountId, credentials } = t;
			const from = fake.requests.length;
			const path = `e2e-queue-action-${crypto.randomBytes(4).toString('hex')}`;
			const id = "={{ $('Create').first().json.webhook_id }}";
			/**
			 * @param {string} name
			 * @param {string} operation
			 */
			const step = (name, operation) => node(name, TYPES.action, { resource: 'webhook', operation, webhookId: rl(id) }, { credentials, executeOnce: true });
			const nodes = [
				node('Start', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} }, { typeVersion: 2, webhookId: crypto.randomUUID() }),
				node('Create', TYPES.action, { resource: 'webhook', operation: 'create', accountId: rl(accountId), url: 'https://example.com/queue-hook', events: ['all'], enableSignature: true }, { credentials }),
				step('Get', 'get'),
				step('Stop', 'stop'),
				step('Restart', 'start'),
				step('Delete', 'delete'),
			];
			const order = nodes.map((n) => n.name);
			const connections = Object.fromEntries(order.slice(0, -1).map((name, i) => [name, { main: [[{ node: order[i + 1], type: 'main', index: 0 }]] }]));
			const wf = await t.workflow({ name: 'E2E queue LinkupAPI action', nodes, connections });
			const res = await client.activate(wf.id);
			assert(res.status < 300, `activation refused: ${res.status}`);
			const response = await waitFor(
				'the action workflow to answer on a webhook process',
				async () => {
					const answer = await fetchWithTimeout(`${webhooks[1].base}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, 60000);
					return answer.status === 404 ? false : { status: answer.status, text: await answer.text() };
				},
				{ timeoutMs: ACTIVATION_TIMEOUT_MS, intervalMs: 500 },
			);
			assert(response.status === 200, `the action workflow answered ${response.status}: ${response.text.slice(0, 300)}`);
			const calls = fake.requests.slice(from).filter((r) => r.path.startsWith('/v2/webhooks'));
			const created = calls.find((r) => r.method === 'POST' && r.path === '/v2/webhooks');
			assert(created && created.headers['x-api-key'] === fake.apiKey, 'no create call with the credential\'s key');
			const hookId = calls[calls.indexOf(created) + 1]?.path.split('/')[3];
			const expected = ['POST /v2/webhooks', `GET /v2/webhooks/${hookId}`, `POST /v2/webhooks/${hookId}/stop`, `POST /v2/webhooks/${hookId}/start`, `DELETE /v2/webhooks/${hookId}`];
			const seen = calls.map((r) => `${r.method} ${r.path}`);
			assert(JSON.stringify(seen) === JSON.stringify(expected), `the fake saw ${seen.join(', ')}; expected ${expected.join(', ')}`);
			assert(!fake.webhooks.has(hookId), 'the webhook still exists');
			const [execution] = await settledExecutions(t, wf.id, 1, 'the action execution');
			assert(execution.status === 'success', `execution status ${execution.status}: ${executionError(execution)}`);
			t.note(`action execution ${execution.id} ran on ${workerOf(t, execution.id)}`);
		},
	},
];
