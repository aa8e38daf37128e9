'use strict';
// End-to-end checks of the packed package inside a real n8n, driven through n8n's APIs against the
// fake LinkupAPI. Run by scripts/e2e.js once per n8n line; each check records PASS or FAIL.
const crypto = require('crypto');
const { waitFor, sleep, node, rl, fetchWithTimeout } = require('../../scripts/n8n/harness');
const { PACKAGE_NAME: PKG } = require('../../scripts/n8n/install');
const TYPES = {
	action: `${PKG}.linkup`,
	trigger: `${PKG}.linkupTrigger`,
	hosted: `${PKG}.linkupHostedTrigger`,
};
// How long n8n may take to (de)activate a workflow; 2.x publishes through an outbox.
const ACTIVATION_TIMEOUT_MS = 60000;
const HOSTED_POLL_SECONDS = 5;

function assert(condition, message) {
	if (!condition) throw new Error(message);
}

/** Items of the first run of `nodeName` in an execution fetched with includeData. */
function nodeOutput(execution, nodeName) {
	let data = execution.data;
	if (typeof data === 'string') data = JSON.parse(data);
	const runs = data && data.resultData && data.resultData.runData && data.resultData.runData[nodeName];
	if (!runs || !runs[0] || !runs[0].data) return undefined;
	return (runs[0].data.main[0] || []).map((item) => item.json);
}

function executionError(execution) {
	let data = execution.data;
	if (typeof data === 'string') data = JSON.parse(data);
	const error = data && data.resultData && data.resultData.error;
	return error ? error.message || JSON.stringify(error).slice(0, 300) : undefined;
}

/**
 * @param {object} ctx { line, n8n (N8nProcess), client (N8nClient), fake (FakeLinkupApi), credential {id,name},
 *   check(name, fn), note(message) }
 */
async function runScenarios(ctx) {
	const { n8n, client, fake, check } = ctx;
	const accountId = fake.accountList()[0].account_id;
	const credentials = { linkupApi: { id: ctx.credential.id, name: ctx.credential.name } };
	const state = {};

	async function webhooksSettle(predicate, what) {
		return waitFor(what, () => predicate(fake.webhookList()), { timeoutMs: ACTIVATION_TIMEOUT_MS, intervalMs: 200 });
	}

	async function activate(id) {
		const res = await client.activate(id);
		if (res.status >= 300) throw new Error(`activation refused: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
	}

	async function describeActivationFailure(id) {
		const status = await client.publicationStatus(id).catch(() => undefined);
		return status ? ` (publication status: ${JSON.stringify(status).slice(0, 400)})` : '';
	}

	async function waitExecutions(workflowId, count, what) {
		return waitFor(
			what,
			async () => {
				const list = await client.executions(workflowId);
				const finished = list.filter((e) => e.finished || e.status === 'success' || e.status === 'error' || e.stoppedAt);
				return finished.length >= count ? finished : false;
			},
			{ timeoutMs: 30000, intervalMs: 300 },
		);
	}

	// ---- package loading -------------------------------------------------------------------
	await check('package loads: the three node types and the credential are registered', async () => {
		const names = await client.nodeTypeNames();
		const missing = Object.values(TYPES).filter((t) => !names.has(t));
		const custom = [...names].filter((n) => n.startsWith('CUSTOM.') && n.toLowerCase().includes('linkup'));
		assert(custom.length === 0, `loaded as custom nodes instead of a community package: ${custom.join(', ')}`);
		assert(missing.length === 0, `node types not loaded: ${missing.join(', ')}`);
		const creds = await client.credentialTypeNames();
		assert(creds.has('linkupApi'), 'credential type linkupApi not loaded');
	});

	// ---- LinkupAPI Trigger (custom mode) ----------------------------------------------------
	const triggerWebhookId = crypto.randomUUID();
	const expectedUrl = `${n8n.webhookBase}webhook/${triggerWebhookId}/webhook`;
	await check('trigger: activation registers exactly one webhook at n8n\'s production URL', async () => {
		const wf = await client.createWorkflow({
			name: 'E2E LinkupAPI Trigger',
			nodes: [
				node(
					'LinkupAPI Trigger',
					TYPES.trigger,
					{ accountId: rl(accountId), events: ['all'], options: { allowNonPublicUrl: true } },
					{ webhookId: triggerWebhookId, credentials, typeVersion: 1.1 },
				),
			],
		});
		state.triggerWorkflow = wf.id;
		await activate(wf.id);
		const hooks = await webhooksSettle((list) => (list.length > 0 ? list : false), 'the trigger to create its webhook').catch(
			async (error) => {
				throw new Error(`${error.message}${await describeActivationFailure(wf.id)}`);
			},
		);
		await sleep(1000);
		const now = fake.webhookList();
		assert(now.length === 1, `expected 1 webhook on the fake, found ${now.length}: ${JSON.stringify(now)}`);
		assert(now[0].url === expectedUrl, `webhook url is ${now[0].url}, expected ${expectedUrl}`);
		assert(now[0].account_id === accountId, `webhook account is ${now[0].account_id}, expected ${accountId}`);
		state.triggerHook = hooks[0].webhook_id;
	});

	await check('trigger: a signed delivery produces one successful execution with the wrapper intact', async () => {
		assert(state.triggerHook, 'no webhook registered (previous check failed)');
		const wrapper = fake.sampleEvent(accountId, 'message');
		const delivery = await fake.deliver(state.triggerHook, wrapper);
		assert(delivery.status === 200, `delivery answered ${delivery.status}: ${delivery.body.slice(0, 300)}`);
		const executions = await waitExecutions(state.triggerWorkflow, 1, 'one execution');
		await sleep(1500);
		const all = await client.executions(state.triggerWorkflow);
		assert(all.length === 1, `expected 1 execution, found ${all.length}`);
		assert(all[0].status === 'success' || (all[0].finished && !executionError(all[0])), `execution status ${all[0].status}: ${executionError(all[0])}`);
		const items = nodeOutput(executions[0], 'LinkupAPI Trigger');
		assert(items && items.length === 1, `expected 1 output item, got ${items && items.length}`);
		const json = items[0];
		assert(json.account_id === wrapper.account_id, `account_id ${json.account_id} != ${wrapper.account_id}`);
		assert(json.account_name === wrapper.account_name, 'account_name not kept');
		assert(json.timestamp === wrapper.timestamp, 'timestamp not kept');
		assert(json.event && json.event.type === 'message', `event.type is ${json.event && json.event.type}`);
		assert(json.event.message_text === wrapper.event.message_text, 'event.message_text not kept');
	});

	await check('trigger: forged deliveries get 401 and start no execution', async () => {
		assert(state.triggerHook, 'no webhook registered (previous check failed)');
		const wrapper = fake.sampleEvent(accountId, 'message');
		for (const variant of ['badSignature', 'wrongSecret', 'modifiedBody', 'missingHeaders']) {
			const delivery = await fake.deliver(state.triggerHook, wrapper, { variant });
			assert(delivery.status === 401, `${variant} delivery answered ${delivery.status}, expected 401`);
		}
		await sleep(2000);
		const all = await client.executions(state.triggerWorkflow);
		assert(all.length === 1, `expected still 1 execution after forged deliveries, found ${all.length}`);
	});

	await check('trigger: a signed delivery in a content type n8n does not parse is read, verified and executed', async () => {
		assert(state.triggerHook, 'no webhook registered (previous check failed)');
		const marker = crypto.randomUUID();
		const wrapper = fake.sampleEvent(accountId, 'message', { message_text: marker });
		const delivery = await fake.deliver(state.triggerHook, wrapper, { contentType: 'application/octet-stream' });
		assert(delivery.status === 200, `delivery answered ${delivery.status}: ${delivery.body.slice(0, 300)}`);
		const forged = await fake.deliver(state.triggerHook, wrapper, { variant: 'modifiedBody', contentType: 'application/octet-stream' });
		assert(forged.status === 401, `forged delivery answered ${forged.status}, expected 401`);
		const executions = await waitExecutions(state.triggerWorkflow, 2, 'the second execution');
		const carried = executions.some((e) => nodeOutput(e, 'LinkupAPI Trigger')?.[0]?.event?.message_text === marker);
		assert(carried, 'no execution carries the octet-stream delivery');
	});

	await check('trigger: restarting n8n leaves exactly one webhook, and deliveries still work', async () => {
		assert(state.triggerHook, 'no webhook registered (previous check failed)');
		await n8n.stop();
		const seconds = await n8n.start();
		ctx.note(`restart took ${seconds.toFixed(1)} s`);
		await client.login();
		// n8n re-activates workflows after its API answers; wait until a signed delivery is accepted.
		const wrapper = fake.sampleEvent(accountId, 'accepted_invitation');
		const hook = await waitFor(
			'the trigger webhook to answer after restart',
			async () => {
				const list = fake.webhookList();
				if (list.length !== 1) return false;
				const delivery = await fake.deliver(list[0].webhook_id, wrapper);
				return delivery.status === 200 ? list[0] : false;
			},
			{ timeoutMs: ACTIVATION_TIMEOUT_MS, intervalMs: 1000 },
		);
		await sleep(3000);
		const list = fake.webhookList();
		assert(list.length === 1, `expected 1 webhook after restart, found ${list.length}`);
		assert(list[0].url === expectedUrl, `webhook url after restart is ${list[0].url}`);
		state.triggerHook = hook.webhook_id;
		const executions = await waitExecutions(state.triggerWorkflow, 3, 'the post-restart execution');
		const latest = executions.find((e) => {
			const items = nodeOutput(e, 'LinkupAPI Trigger');
			return items && items[0] && items[0].event && items[0].event.type === 'accepted_invitation';
		});
		assert(latest, 'no execution carries the post-restart event');
	});

	await check('trigger: deactivation deletes the webhook', async () => {
		assert(state.triggerWorkflow, 'no trigger workflow (previous check failed)');
		const res = await client.deactivate(state.triggerWorkflow);
		assert(res.status < 300, `deactivation refused: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
		await webhooksSettle((list) => list.length === 0, 'the webhook to be deleted');
		assert(fake.requestsTo('DELETE', /^\/v2\/webhooks\/[^/]+$/).length >= 1, 'no DELETE reached the fake');
	});

	// ---- LinkupAPI action node ---------------------------------------------------------------
	await check('action: create, list and delete webhooks from inside n8n', async () => {
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
		const wf = await client.createWorkflow({ name: 'E2E LinkupAPI action', nodes, connections });
		state.actionWorkflow = wf.id;
		await activate(wf.id);
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
		const executions = await waitExecutions(wf.id, 1, 'the action execution');
		const listed = nodeOutput(executions[0], 'List webhooks');
		assert(listed && listed.some((w) => w.url === 'https://example.com/e2e-hook'), `List webhooks output: ${JSON.stringify(listed).slice(0, 300)}`);
		await client.deactivate(wf.id);
	});

	// ---- LinkupAPI Hosted Trigger -------------------------------------------------------------
	await check('hosted trigger: enqueued events are delivered exactly once, and it closes cleanly', async () => {
		// options.pollInterval: seconds between polls (default 10, minimum 5); the minimum keeps the test short.
		const parameters = { accountId: rl(accountId), events: ['all'], options: { pollInterval: HOSTED_POLL_SECONDS } };
		const wf = await client.createWorkflow({
			name: 'E2E LinkupAPI Hosted Trigger',
			nodes: [node('LinkupAPI Hosted Trigger', TYPES.hosted, parameters, { credentials })],
		});
		const before = fake.webhookList().map((w) => w.webhook_id);
		await activate(wf.id);
		const hook = await webhooksSettle((list) => list.find((w) => !before.includes(w.webhook_id)), 'the hosted trigger to create its webhook').catch(
			async (error) => {
				throw new Error(`${error.message}${await describeActivationFailure(wf.id)}`);
			},
		);
		assert(hook.url === null, `hosted webhook has a url: ${hook.url}`);
		const intervalMs = HOSTED_POLL_SECONDS * 1000;
		const polls = () => fake.requestsTo('GET', `/v2/webhooks/${hook.webhook_id}/events`).length;
		const received = () =>
			client.executions(wf.id).then((list) =>
				list.flatMap((e) => (nodeOutput(e, 'LinkupAPI Hosted Trigger') || []).map((j) => j.event && j.event.marker)),
			);
		const sent = [];
		const enqueue = (type) => {
			const wrapper = fake.sampleEvent(accountId, type, { marker: crypto.randomUUID() });
			fake.enqueueEvent(hook.webhook_id, wrapper);
			sent.push(wrapper.event.marker);
		};
		const waitDelivered = (what) =>
			waitFor(what, async () => (await received()).length >= sent.length, { timeoutMs: intervalMs * 3 + 30000, intervalMs: 500 }).catch(
				async (error) => {
					const executions = await client.executions(wf.id).catch(() => []);
					const errors = executions.map(executionError).filter(Boolean);
					throw new Error(
						`${error.message}; the fake saw ${polls()} polls of the events endpoint; ${executions.length} executions${errors.length ? `, errors: ${errors.join(' | ')}` : ''}`,
					);
				},
			);
		// Enqueue only after the poll made at activation, so that delivery needs the timer-driven polls.
		await waitFor('the first poll of the hosted events', () => polls() >= 1, { timeoutMs: ACTIVATION_TIMEOUT_MS });
		const firstPolls = polls();
		enqueue('message');
		enqueue('accepted_invitation');
		await waitDelivered('the first hosted events to be delivered');
		enqueue('message');
		await waitDelivered('a later hosted event to be delivered');
		assert(polls() >= firstPolls + 2, `expected at least 2 polls after activation, saw ${polls() - firstPolls}`);
		// Two more polling periods: nothing may be delivered twice.
		await sleep(intervalMs * 2 + 1000);
		const markers = await received();
		assert(markers.length === sent.length, `expected ${sent.length} items, got ${markers.length}: ${JSON.stringify(markers)}`);
		assert(sent.every((m) => markers.includes(m)), 'some enqueued events were not delivered');
		const res = await client.deactivate(wf.id);
		assert(res.status < 300, `deactivation refused: ${res.status}`);
		await waitFor('the hosted trigger to stop', () => !fake.webhookList().some((w) => w.webhook_id === hook.webhook_id && w.monitoring), {
			timeoutMs: ACTIVATION_TIMEOUT_MS,
		}).catch(() => {
			throw new Error('the hosted webhook was neither deleted nor stopped on deactivation');
		});
		const pollsAfterClose = polls();
		await sleep(intervalMs + 2000);
		assert(polls() === pollsAfterClose, `the hosted trigger kept polling after deactivation (${polls() - pollsAfterClose} more polls)`);
		const log = n8n.logTail(400);
		assert(!/No bridge acquired/i.test(log), 'n8n logged "No bridge acquired" (a call after trigger() returned)');
	});
}

module.exports = { runScenarios };
// Shared with queue-scenarios.js.
Object.assign(module.exports, { TYPES, nodeOutput, executionError });
