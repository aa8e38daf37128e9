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

	// n8n 2.x's workflow publication service does not call checkExists at start; with it turned off
	// n8n 2.x does, like 1.x. Either way, a webhook deleted while n8n is down must come back.
	const republishAtStart = ctx.line === 2 ? { N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false' } : {};
	const envNote = ctx.line === 2 ? ' (N8N_USE_WORKFLOW_PUBLICATION_SERVICE=false)' : '';
	await check(`trigger: a webhook deleted in LinkupAPI while n8n is down is recreated at restart${envNote}`, async () => {
		assert(state.triggerHook, 'no webhook registered (previous check failed)');
		await n8n.stop();
		fake.deleteWebhookBehindBack(state.triggerHook);
		if (ctx.line === 2) {
			// For the record: with its publication service n8n 2.x does not ask the node at start.
			const atStart = fake.requests.length;
			await n8n.start();
			await sleep(8000);
			ctx.note(`publication service on: calls in the 8 s after restart: ${fake.requests.length - atStart}, webhooks: ${fake.webhookList().length}`);
			await n8n.stop();
		}
		const before = fake.requests.length;
		const env = n8n.extraEnv;
		n8n.extraEnv = { ...env, ...republishAtStart };
		try {
			await n8n.start();
		} finally {
			n8n.extraEnv = env;
		}
		await client.login();
		const hook = await webhooksSettle((list) => (list.length === 1 ? list[0] : false), 'the trigger to recreate its webhook at restart');
		ctx.note(`calls at restart: ${fake.requests.slice(before).map((r) => `${r.method} ${r.path}`).join(', ')}`);
		assert(hook.webhook_id !== state.triggerHook, 'the deleted webhook came back unchanged');
		assert(hook.url === expectedUrl, `recreated webhook url is ${hook.url}`);
		state.triggerHook = hook.webhook_id;
		const wrapper = fake.sampleEvent(accountId, 'message');
		await waitFor(
			'a delivery to the recreated webhook to be accepted',
			async () => (await fake.deliver(hook.webhook_id, wrapper)).status === 200,
			{ timeoutMs: ACTIVATION_TIMEOUT_MS, intervalMs: 1000 },
		);
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

	await check('hosted trigger, stream (node version 1.1 default): events reach executions at once; after a drop, the gap arrives once each', async () => {
		// No receiveMode and no pollInterval: a node at typeVersion 1.1 streams by default.
		const parameters = { accountId: rl(accountId), events: ['all'] };
		const wf = await client.createWorkflow({
			name: 'E2E LinkupAPI Hosted Trigger (stream)',
			nodes: [node('LinkupAPI Hosted Trigger', TYPES.hosted, parameters, { credentials, typeVersion: 1.1 })],
		});
		const before = fake.webhookList().map((w) => w.webhook_id);
		await activate(wf.id);
		const hook = await webhooksSettle((list) => list.find((w) => !before.includes(w.webhook_id)), 'the hosted trigger to create its webhook').catch(
			async (error) => {
				throw new Error(`${error.message}${await describeActivationFailure(wf.id)}`);
			},
		);
		await waitFor('the hosted trigger to open the event stream', () => fake.openStreams(hook.webhook_id) === 1, { timeoutMs: ACTIVATION_TIMEOUT_MS });
		const opened = fake.streamsOpened;
		const polls = () => fake.requestsTo('GET', `/v2/webhooks/${hook.webhook_id}/events`).length;
		const executionsByMarker = async () => {
			const found = new Map();
			for (const e of await client.executions(wf.id)) {
				for (const json of nodeOutput(e, 'LinkupAPI Hosted Trigger') || []) {
					const marker = json.event && json.event.marker;
					if (marker) found.set(marker, [...(found.get(marker) || []), e]);
				}
			}
			return found;
		};
		const sent = [];
		const enqueue = () => {
			const wrapper = fake.sampleEvent(accountId, 'message', { marker: crypto.randomUUID() });
			fake.enqueueEvent(hook.webhook_id, wrapper);
			sent.push({ marker: wrapper.event.marker, at: Date.now() });
		};
		const waitAll = (what) =>
			waitFor(what, async () => (await executionsByMarker()).size >= sent.length, { timeoutMs: 30000, intervalMs: 50 });

		// Latency: one event at a time, from enqueue to a finished execution n8n lists.
		const latencies = [];
		for (let i = 0; i < 10; i++) {
			enqueue();
			await waitAll('a streamed event to become an execution');
			latencies.push(Date.now() - sent[sent.length - 1].at);
		}
		const pollsBeforeDrop = polls();
		assert(pollsBeforeDrop <= 1, `stream mode polled ${pollsBeforeDrop} times while the stream was up (expected only the catch-up)`);
		latencies.sort((a, b) => a - b);
		const median = (latencies[4] + latencies[5]) / 2;
		ctx.note(`stream: event to listed execution, ${latencies.length} events: median ${median} ms, p90 ${latencies[8]} ms, max ${latencies[9]} ms`);

		// Drop the stream: events sent before it reconnects come through the catch-up, once each.
		assert(fake.dropStreams(hook.webhook_id) === 1, 'no open stream to drop');
		enqueue();
		enqueue();
		await waitFor('the stream to reconnect', () => fake.streamsOpened > opened && fake.openStreams(hook.webhook_id) === 1, { timeoutMs: 30000 });
		await waitAll('the events of the gap to be delivered');
		enqueue();
		await waitAll('an event after the reconnect to be delivered');
		await sleep(1500);
		const found = await executionsByMarker();
		const twice = [...found].filter(([, list]) => list.length > 1).map(([marker]) => marker);
		assert(twice.length === 0, `events delivered more than once: ${twice.join(', ')}`);
		assert(sent.every(({ marker }) => found.has(marker)), 'some events were not delivered');
		assert(polls() > pollsBeforeDrop, 'the reconnect did not catch up from /events');

		const res = await client.deactivate(wf.id);
		assert(res.status < 300, `deactivation refused: ${res.status}`);
		await waitFor('the hosted trigger to delete its webhook and close the stream', () => !fake.webhooks.has(hook.webhook_id) && fake.openStreams() === 0, {
			timeoutMs: ACTIVATION_TIMEOUT_MS,
		});
		const log = n8n.logTail(400);
		assert(!/No bridge acquired/i.test(log), 'n8n logged "No bridge acquired" (a call after trigger() returned)');
		assert(!log.includes(fake.apiKey), 'the API key appears in the n8n log');
	});

	// ---- What the editor does: credential test, a failing manual run, importing the examples ----
	// These go through the REST endpoints n8n's editor calls, so n8n itself (not a stand-in) runs
	// the credential's test request and wraps the node's errors.
	const fs = require('fs');
	const path = require('path');
	const { freePort } = require('../../scripts/n8n/harness');

	/** The editor's "Test" button: the stored credential (secrets redacted) with the form's changes. */
	async function testCredential(changes) {
		const stored = await client.rest('GET', `/rest/credentials/${ctx.credential.id}?includeData=true`);
		const data = { ...stored.body.data, ...changes };
		assert(data.apiKey !== fake.apiKey, 'n8n returned the stored API key unredacted');
		const credential = { id: ctx.credential.id, name: ctx.credential.name, type: 'linkupApi', data };
		const res = await client.rest('POST', '/rest/credentials/test', { credentials: credential });
		return res.body;
	}

	await check('credential test: n8n passes the stored key with a free GET /v2/accounts?limit=1', async () => {
		const before = fake.requests.length;
		const result = await testCredential({});
		assert(result && result.status === 'OK', `credential test answered ${JSON.stringify(result)}`);
		const calls = fake.requests.slice(before).filter((r) => r.path === '/v2/accounts');
		assert(calls.length === 1, `expected 1 GET /v2/accounts, saw ${calls.length}`);
		assert(calls[0].headers['x-api-key'] === fake.apiKey, 'the stored key was not sent as x-api-key');
		assert(calls[0].query.limit === '1', `limit was ${calls[0].query.limit}, expected 1`);
	});

	await check('credential test: n8n refuses a wrong key with the package\'s message', async () => {
		const before = fake.requests.length;
		const result = await testCredential({ apiKey: 'not-the-right-key' });
		const expected = 'LinkupAPI rejected this API key (INVALID_API_KEY). Copy the key again from your LinkupAPI dashboard.';
		assert(result && result.status === 'Error', `credential test answered ${JSON.stringify(result)}`);
		assert(result.message === expected, `message was "${result.message}", expected "${expected}"`);
		const sent = fake.requests.slice(before).filter((r) => r.path === '/v2/accounts');
		assert(sent.length === 1 && sent[0].headers['x-api-key'] === 'not-the-right-key', 'the wrong key did not reach the fake');
	});

	await check('network failure: a manual run against a closed port fails with "Could not reach LinkupAPI at …"', async () => {
		const closedBaseUrl = `http://127.0.0.1:${await freePort()}`;
		const closedId = await client.createLinkupCredential({ name: 'LinkupAPI (closed port)', apiKey: fake.apiKey, baseUrl: closedBaseUrl });
		const wf = await client.createWorkflow({
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
	});

	await check('examples: every examples/*.json imports, with known node types and no parameter n8n would drop', async () => {
		// n8n's own n8n-workflow decides, as the editor does on opening a node, which parameters a node
		// type keeps: one an example sets that does not come back is unknown or hidden there.
		const { NodeHelpers } = require(path.join(n8n.install.dir, 'node_modules', 'n8n-workflow'));
		const res = await fetchWithTimeout(`${n8n.base}/types/nodes.json`, { headers: { cookie: client.cookie || '' } });
		assert(res.ok, `GET /types/nodes.json -> ${res.status}`);
		const nodeTypes = await res.json();
		const typeOf = (example) =>
			nodeTypes.find((t) => t.name === example.type && [t.version].flat().includes(example.typeVersion));
		const dropped = (given, kept, where) =>
			Object.entries(given).flatMap(([name, value]) => {
				if (!kept || !(name in kept)) return [`${where}.${name}`];
				const nested = value && typeof value === 'object' && !Array.isArray(value) && !value.__rl;
				return nested ? dropped(value, kept[name], `${where}.${name}`) : [];
			});
		const folder = path.join(__dirname, '..', '..', 'examples');
		const files = fs.readdirSync(folder).filter((file) => file.endsWith('.json'));
		assert(files.length > 0, 'no examples found');
		const problems = [];
		for (const file of files) {
			const example = JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8'));
			// The editor's import ends in a save: POST /rest/workflows with the file's workflow, inactive.
			const saved = await client.rest('POST', '/rest/workflows', { ...example, active: false }, { allowError: true });
			if (saved.status >= 300) {
				problems.push(`${file}: import refused (${saved.status} ${JSON.stringify(saved.raw).slice(0, 200)})`);
				continue;
			}
			const stored = await client.rest('GET', `/rest/workflows/${saved.body.id}`);
			if (stored.body.nodes.length !== example.nodes.length) problems.push(`${file}: ${stored.body.nodes.length} of ${example.nodes.length} nodes stored`);
			for (const item of stored.body.nodes) {
				const description = typeOf(item);
				if (!description) {
					problems.push(`${file}: ${item.name}: unknown node type ${item.type} v${item.typeVersion}`);
					continue;
				}
				let kept;
				try {
					kept = NodeHelpers.getNodeParameters(description.properties, item.parameters, true, false, item, description);
				} catch (error) {
					problems.push(`${file}: ${item.name}: ${error.message}`);
					continue;
				}
				problems.push(...dropped(item.parameters, kept, `${file}: ${item.name}`).map((where) => `${where} is unknown or hidden`));
			}
		}
		assert(problems.length === 0, problems.join('; '));
	});

	await check('credential test: a plain-http Base URL fails without sending the key, with the package\'s message', async () => {
		// A listener on another loopback address stands for a plain-http server elsewhere: it records
		// whatever reaches it, so the check sees that the key never left.
		const http = require('http');
		const seen = [];
		const recorder = http.createServer((req, res) => {
			seen.push(req.headers);
			res.end('{"success":true,"data":{"items":[]}}');
		});
		await new Promise((resolve) => recorder.listen(0, '127.0.0.2', resolve));
		try {
			const result = await testCredential({ baseUrl: `http://127.0.0.2:${recorder.address().port}` });
			ctx.note(`plain http: ${result && result.message}`);
			const expected = /^The Base URL does not start with https:\/\/, so the API key would travel unencrypted; nothing was sent/;
			assert(result && result.status === 'Error', `a plain-http Base URL passed the test: ${JSON.stringify(result)}`);
			assert(expected.test(result.message), `message was "${result.message}"`);
			assert(seen.length === 0, `the plain-http server received ${seen.length} request(s)`);
		} finally {
			await new Promise((resolve) => recorder.close(resolve));
		}
	});

	await check('credential test: a Base URL where no LinkupAPI answers fails with the package\'s message', async () => {
		// A path LinkupAPI does not know (its 404 envelope) and a server that is not LinkupAPI at all.
		const http = require('http');
		const other = http.createServer((req, res) => {
			res.writeHead(404, { 'content-type': 'text/html' });
			res.end('<html><body>Not Found</body></html>');
		});
		await new Promise((resolve) => other.listen(0, '127.0.0.1', resolve));
		try {
			for (const baseUrl of [`${fake.baseUrl}/nothing-here`, `http://127.0.0.1:${other.address().port}`]) {
				const result = await testCredential({ baseUrl });
				const expected = /^No LinkupAPI v2 API answered at this Base URL/;
				assert(result && result.status === 'Error', `${baseUrl} passed the test: ${JSON.stringify(result)}`);
				assert(expected.test(result.message), `${baseUrl}: message was "${result.message}"`);
			}
		} finally {
			await new Promise((resolve) => other.close(resolve));
		}
	});
}

module.exports = { runScenarios };
// Shared with queue-scenarios.js.
Object.assign(module.exports, { TYPES, nodeOutput, executionError });
