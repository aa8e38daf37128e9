'use strict';
// End-to-end checks of the packed package in n8n's queue mode: a main process (activation, triggers
// such as the hosted poller), two `n8n webhook` processes (production webhook calls, verification)
// and two `n8n worker` processes (executions, from Redis), on PostgreSQL. Run by scripts/e2e.js with
// E2E_QUEUE=1 (npm run test:e2e:queue); every check asserts what the fake LinkupAPI saw.
const crypto = require('crypto');
const { waitFor, sleep, node, rl, fetchWithTimeout } = require('../../scripts/n8n/harness');
const { TYPES, nodeOutput, executionError } = require('./scenarios');

const ACTIVATION_TIMEOUT_MS = 60000;
const HOSTED_POLL_SECONDS = 5;
const FORGED = ['badSignature', 'wrongSecret', 'modifiedBody', 'missingHeaders', 'staleTimestamp', 'futureTimestamp', 'unsigned'];

function assert(condition, message) {
	if (!condition) throw new Error(message);
}

/**
 * @param {object} ctx as for runScenarios, plus `stack` (scripts/n8n/stack.js) with `n8n` (main),
 *   `webhooks` and `workers` (N8nProcess each)
 */
async function runQueueScenarios(ctx) {
	const { client, fake, check, stack } = ctx;
	const main = stack.n8n;
	const { webhooks, workers } = stack;
	const accountId = fake.accountList()[0].account_id;
	const credentials = { linkupApi: { id: ctx.credential.id, name: ctx.credential.name } };
	const state = {};

	/** The worker whose log says it ran `executionId`; throws when none or another process did. */
	function workerOf(executionId) {
		const pattern = new RegExp(`Worker started execution ${executionId} \\(`);
		const ran = workers.filter((w) => pattern.test(w.logText()));
		assert(ran.length === 1, `execution ${executionId} ran on ${ran.length} workers (expected exactly one)`);
		for (const other of [main, ...webhooks]) assert(!pattern.test(other.logText()), `${other.name} logged that it ran execution ${executionId}`);
		return ran[0].name;
	}

	/** POSTs a delivery for `hookId` to one webhook process (same path as the registered URL). */
	function deliverTo(target, hookId, wrapper, options = {}) {
		const registered = new URL(fake.webhooks.get(hookId).url);
		return fake.deliver(hookId, wrapper, { ...options, url: `${target.base}${registered.pathname}` });
	}

	async function settledExecutions(workflowId, count, what) {
		const list = await waitFor(
			what,
			async () => {
				const all = await client.executions(workflowId);
				const done = all.filter((e) => e.status === 'success' || e.status === 'error' || (e.finished && e.stoppedAt));
				return done.length >= count ? done : false;
			},
			{ timeoutMs: 60000, intervalMs: 500 },
		);
		// Anything late would show up now: the count must not grow past what was sent.
		await sleep(2000);
		const again = await client.executions(workflowId);
		assert(again.length === list.length, `expected ${list.length} executions, found ${again.length} a moment later`);
		return again;
	}

	// A failed check may leave the main stopped; the next one starts it again.
	const checkMain = (name, fn) =>
		check(name, async () => {
			if (main.exitInfo) {
				await main.start();
				await client.login();
			}
			await fn();
		});
	const markerOf = (execution, nodeName = 'LinkupAPI Trigger') => nodeOutput(execution, nodeName)?.[0]?.event?.message_text;
	const message = (marker) => fake.sampleEvent(accountId, 'message', { message_text: marker });

	// ---- 1. activation ------------------------------------------------------------------------
	await checkMain('queue 1: activation through the main creates exactly one remote webhook and stores its secret', async () => {
		const webhookId = crypto.randomUUID();
		const wf = await client.createWorkflow({
			name: 'E2E queue LinkupAPI Trigger',
			nodes: [
				node('LinkupAPI Trigger', TYPES.trigger, { accountId: rl(accountId), events: ['all'], options: { allowNonPublicUrl: true } }, { webhookId, credentials, typeVersion: 1.1 }),
			],
		});
		state.workflow = wf.id;
		const res = await client.activate(wf.id);
		assert(res.status < 300, `activation refused: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
		await waitFor('the trigger to create its webhook', () => fake.webhookList().length > 0, { timeoutMs: ACTIVATION_TIMEOUT_MS, intervalMs: 200 });
		await sleep(2000);
		const hooks = fake.webhookList();
		assert(hooks.length === 1, `expected 1 webhook on the fake, found ${hooks.length}`);
		assert(fake.requestsTo('POST', '/v2/webhooks').length === 1, `expected 1 create call, saw ${fake.requestsTo('POST', '/v2/webhooks').length}`);
		assert(hooks[0].url === `${webhooks[0].base}/webhook/${webhookId}/webhook`, `webhook url is ${hooks[0].url}`);
		state.hook = hooks[0].webhook_id;
		const secret = fake.webhooks.get(state.hook).secret;
		assert(secret, 'the fake gave the webhook no secret');
		// The webhook processes read the secret from the database, where n8n keeps the node's static data.
		const stored = await waitFor(
			'the secret in the workflow\'s static data',
			async () => JSON.stringify((await client.api('GET', `/workflows/${wf.id}`)).body.staticData ?? null).includes(secret),
			{ timeoutMs: 15000, intervalMs: 500 },
		).catch(() => false);
		assert(stored, 'the webhook secret is not in the workflow\'s stored static data');
	});

	// ---- 2. deliveries to each webhook process ---------------------------------------------------
	await checkMain('queue 2: a signed delivery to each webhook process executes exactly once, on a worker, wrapper intact', async () => {
		assert(state.hook, 'no webhook registered (previous check failed)');
		const sent = [];
		for (const target of webhooks) {
			const marker = `${target.name}-${crypto.randomUUID()}`;
			const wrapper = message(marker);
			const delivery = await deliverTo(target, state.hook, wrapper);
			assert(delivery.status === 200, `${target.name} answered ${delivery.status}: ${delivery.body.slice(0, 300)}`);
			sent.push({ marker, wrapper, to: target.name });
		}
		const executions = await settledExecutions(state.workflow, sent.length, 'one execution per delivery');
		assert(executions.length === sent.length, `expected ${sent.length} executions, found ${executions.length}`);
		const ranOn = [];
		for (const { marker, wrapper, to } of sent) {
			const matching = executions.filter((e) => markerOf(e) === marker);
			assert(matching.length === 1, `the delivery to ${to} produced ${matching.length} executions`);
			const [execution] = matching;
			assert(execution.status === 'success', `execution ${execution.id} status ${execution.status}: ${executionError(execution)}`);
			const json = nodeOutput(execution, 'LinkupAPI Trigger')[0];
			assert(json.account_id === wrapper.account_id && json.account_name === wrapper.account_name && json.timestamp === wrapper.timestamp, 'the wrapper was not kept');
			assert(json.event.type === 'message', `event.type is ${json.event.type}`);
			ranOn.push(`${to} -> execution ${execution.id} on ${workerOf(execution.id)}`);
		}
		ctx.note(ranOn.join('; '));
		state.executions = executions.length;
	});

	// ---- 3. forged deliveries --------------------------------------------------------------------
	await checkMain('queue 3: forged, stale and unsigned deliveries to each webhook process get 401 and no execution', async () => {
		assert(state.hook, 'no webhook registered (previous check failed)');
		for (const target of webhooks) {
			for (const variant of FORGED) {
				const delivery = await deliverTo(target, state.hook, message(`forged-${variant}`), { variant });
				assert(delivery.status === 401, `${variant} delivery to ${target.name} answered ${delivery.status}, expected 401`);
			}
		}
		await sleep(3000);
		const all = await client.executions(state.workflow);
		assert(all.length === state.executions, `expected still ${state.executions} executions, found ${all.length}`);
	});

	// ---- 4. replay across processes --------------------------------------------------------------
	await checkMain('queue 4: the same signed bytes replayed to the same and to the other webhook process (measured)', async () => {
		assert(state.hook, 'no webhook registered (previous check failed)');
		const marker = `replay-${crypto.randomUUID()}`;
		const { headers, body } = fake.signedRequest(state.hook, message(marker));
		const path = new URL(fake.webhooks.get(state.hook).url).pathname;
		const carrying = async () => (await client.executions(state.workflow)).filter((e) => markerOf(e) === marker).length;
		// Sends the bytes to one process; returns its answer and how many executions the send added.
		const replay = async (target) => {
			const before = await carrying();
			const status = (await fetchWithTimeout(`${target.base}${path}`, { method: 'POST', headers, body })).status;
			// A replay may be answered 200 and still start nothing; wait for a possible execution.
			await waitFor('a possible execution', async () => (await carrying()) > before, { timeoutMs: 8000, intervalMs: 500 }).catch(() => {});
			const added = (await carrying()) - before;
			assert(added <= 1, `one send to ${target.name} started ${added} executions`);
			assert(status === 200 || added === 0, `${target.name} answered ${status} yet started an execution`);
			return { status, added };
		};
		const first = await replay(webhooks[0]);
		assert(first.status === 200 && first.added === 1, `the first delivery answered ${first.status} and started ${first.added} executions`);
		const sameProcess = await replay(webhooks[0]);
		const otherProcess = await replay(webhooks[1]);
		// The bound: the same event signed with a timestamp outside the window is refused everywhere.
		for (const target of webhooks) {
			const stale = await deliverTo(target, state.hook, message(marker), { variant: 'staleTimestamp' });
			assert(stale.status === 401, `a stale replay to ${target.name} answered ${stale.status}`);
		}
		const total = await carrying();
		assert(total === 1 + sameProcess.added + otherProcess.added, `expected ${1 + sameProcess.added + otherProcess.added} executions of the event, found ${total}`);
		const said = (r) => `${r.status}, ${r.added ? 'started an execution' : 'started nothing'}`;
		ctx.note(`replay to the same webhook process: ${said(sameProcess)}; to the other webhook process: ${said(otherProcess)}`);
		state.executions = (await settledExecutions(state.workflow, state.executions + total, 'the executions so far')).length;
	});

	// ---- 5. restart of the main ------------------------------------------------------------------
	await checkMain('queue 5: restarting the main keeps exactly one remote webhook; deliveries work throughout', async () => {
		assert(state.hook, 'no webhook registered (previous check failed)');
		const markers = [];
		const deliverEverywhere = async (when) => {
			for (const target of webhooks) {
				const marker = `${when}-${target.name}-${crypto.randomUUID()}`;
				const delivery = await deliverTo(target, state.hook, message(marker));
				assert(delivery.status === 200, `${when}: ${target.name} answered ${delivery.status}: ${delivery.body.slice(0, 200)}`);
				markers.push(marker);
			}
		};
		const creates = fake.requestsTo('POST', '/v2/webhooks').length;
		await main.stop();
		await deliverEverywhere('main-down');
		const seconds = await main.start();
		ctx.note(`main restart took ${seconds.toFixed(1)} s`);
		await client.login();
		await deliverEverywhere('main-restarted');
		// Give the main time to (re)activate: on 1.x it re-runs checkExists at start.
		await sleep(5000);
		const hooks = fake.webhookList();
		assert(hooks.length === 1, `expected 1 webhook after the restart, found ${hooks.length}`);
		assert(hooks[0].webhook_id === state.hook, 'the webhook was replaced');
		assert(fake.requestsTo('POST', '/v2/webhooks').length === creates, 'the restart created a webhook');
		await deliverEverywhere('after-restart');
		const executions = await settledExecutions(state.workflow, state.executions + markers.length, 'executions of the deliveries around the restart');
		for (const marker of markers) {
			const matching = executions.filter((e) => markerOf(e) === marker);
			assert(matching.length === 1, `delivery ${marker.split('-').slice(0, 3).join('-')} produced ${matching.length} executions`);
			workerOf(matching[0].id);
		}
		state.executions = executions.length;
	});

	// ---- 6. deactivation -------------------------------------------------------------------------
	await checkMain('queue 6: deactivation deletes the webhook and both webhook processes answer 404', async () => {
		assert(state.hook, 'no webhook registered (previous check failed)');
		const url = fake.webhooks.get(state.hook).url;
		const { headers, body } = fake.signedRequest(state.hook, message('after-deactivation'));
		const res = await client.deactivate(state.workflow);
		assert(res.status < 300, `deactivation refused: ${res.status}`);
		await waitFor('the webhook to be deleted', () => fake.webhookList().length === 0, { timeoutMs: ACTIVATION_TIMEOUT_MS, intervalMs: 200 });
		assert(fake.requestsTo('DELETE', `/v2/webhooks/${state.hook}`).length === 1, 'expected exactly one DELETE of the webhook');
		const path = new URL(url).pathname;
		for (const target of webhooks) {
			await waitFor(
				`${target.name} to answer 404`,
				async () => (await fetchWithTimeout(`${target.base}${path}`, { method: 'POST', headers, body })).status === 404,
				{ timeoutMs: 30000, intervalMs: 500 },
			);
		}
		await sleep(2000);
		assert((await client.executions(state.workflow)).length === state.executions, 'a delivery after deactivation started an execution');
	});

	// ---- 7. hosted trigger, in each receive mode ----------------------------------------------------
	/**
	 * Activates a Hosted Trigger, crashes the main after its first events, stores events while it is
	 * down, restarts it, and checks that each event became exactly one execution, run by a worker.
	 * `streaming`: a node at version 1.1 with no receiveMode (the stream); otherwise version 1 (polling).
	 */
	async function hostedAcrossRestart(streaming) {
		const parameters = streaming ? {} : { options: { pollInterval: HOSTED_POLL_SECONDS } };
		const wf = await client.createWorkflow({
			name: `E2E queue Hosted Trigger (${streaming ? 'stream' : 'poll'})`,
			nodes: [node('LinkupAPI Hosted Trigger', TYPES.hosted, { accountId: rl(accountId), events: ['all'], ...parameters }, { credentials, typeVersion: streaming ? 1.1 : 1 })],
		});
		const before = new Set(fake.webhookList().map((w) => w.webhook_id));
		const res = await client.activate(wf.id);
		assert(res.status < 300, `activation refused: ${res.status}`);
		const hook = await waitFor('the hosted webhook', () => fake.webhookList().find((w) => !before.has(w.webhook_id)), { timeoutMs: ACTIVATION_TIMEOUT_MS });
		const polls = () => fake.requestsTo('GET', `/v2/webhooks/${hook.webhook_id}/events`);
		const streamOpen = () => fake.openStreams(hook.webhook_id) === 1;
		if (streaming) await waitFor('the event stream to open', streamOpen, { timeoutMs: ACTIVATION_TIMEOUT_MS });
		else await waitFor('the first poll', () => polls().length >= 1, { timeoutMs: ACTIVATION_TIMEOUT_MS });
		const sent = [];
		const enqueue = () => {
			const marker = crypto.randomUUID();
			fake.enqueueEvent(hook.webhook_id, message(marker));
			sent.push(marker);
		};
		const delivered = async () => (await client.executions(wf.id)).flatMap((e) => (nodeOutput(e, 'LinkupAPI Hosted Trigger') || []).map((j) => ({ marker: j.event.message_text, id: e.id })));
		const waitDelivered = (what) => waitFor(what, async () => (await delivered()).length >= sent.length, { timeoutMs: HOSTED_POLL_SECONDS * 3000 + 30000, intervalMs: 500 });
		// In stream mode /events is read once per connection (the catch-up): more reads mean polling.
		const onlyCatchUp = (from, when) => assert(!streaming || polls().length - from <= 1, `${when}, stream mode read /events ${polls().length - from} times (expected only the catch-up)`);
		const firstSent = Date.now();
		enqueue();
		enqueue();
		await waitDelivered('the first hosted events');
		const firstMs = Date.now() - firstSent;
		onlyCatchUp(0, 'before the restart');
		// Stream frames carry no event id and do not move the /events cursor: what makes the catch-up
		// after a crash skip the streamed events is their fingerprints, saved with the emit.
		const savedState = async () => (await client.api('GET', `/workflows/${wf.id}`)).body.staticData?.['node:LinkupAPI Hosted Trigger'] ?? {};
		if (streaming) {
			const streamed = await waitFor('the streamed events\' fingerprints in the saved state', async () => (await savedState()).streamed?.length >= sent.length, { timeoutMs: 15000, intervalMs: 500 }).catch(() => false);
			assert(streamed, `the saved state does not hold the fingerprints of the ${sent.length} streamed events: ${JSON.stringify(await savedState()).slice(0, 300)}`);
		}
		// A crash of the main (a graceful stop deletes the hosted webhook by design, so LinkupAPI
		// keeps nothing for a stopped n8n): the events stored meanwhile come out once after the restart.
		await main.kill();
		// Only the main holds the stream: with it gone, the workers and webhook processes keep none open.
		if (streaming) await waitFor('the killed main\'s stream to close', () => fake.openStreams(hook.webhook_id) === 0, { timeoutMs: 10000 });
		const streamsBeforeRestart = fake.streamsOpened;
		const pollsBeforeRestart = polls().length;
		enqueue();
		enqueue();
		await main.start();
		await client.login();
		if (streaming) await waitFor('the restarted main to open the stream again', () => fake.streamsOpened > streamsBeforeRestart && streamOpen(), { timeoutMs: ACTIVATION_TIMEOUT_MS });
		await waitDelivered('the events stored while the main was down');
		const resumed = polls()[pollsBeforeRestart];
		assert(resumed, 'the restarted trigger did not read /events');
		assert(streaming || resumed.query.since, `the first poll after the restart did not resume from a saved cursor (query ${JSON.stringify(resumed.query)})`);
		assert(fake.webhookList().some((w) => w.webhook_id === hook.webhook_id), 'the restarted trigger did not reuse its hosted webhook');
		enqueue();
		await waitDelivered('an event sent after the restart');
		onlyCatchUp(pollsBeforeRestart, 'after the restart');
		await sleep(HOSTED_POLL_SECONDS * 2000 + 1000);
		const items = await delivered();
		const markers = items.map((i) => i.marker);
		assert(markers.length === sent.length, `expected ${sent.length} items, got ${markers.length} (duplicates or losses)`);
		assert(sent.every((m) => markers.filter((x) => x === m).length === 1), 'an event was not delivered exactly once');
		const ranOn = new Set(items.map((i) => workerOf(i.id)));
		const reads = `${polls().length} reads of /events, the first after the restart ${resumed.query.since ? 'from the saved cursor' : 'from the start (no cursor saved)'}`;
		ctx.note(`hosted executions ran on ${[...ranOn].join(', ')}; first two events listed after ${firstMs} ms; ${reads}`);
		const off = await client.deactivate(wf.id);
		assert(off.status < 300, `deactivation refused: ${off.status}`);
		await waitFor(
			'the hosted webhook to be deleted or stopped, and its stream closed',
			() => !fake.webhookList().some((w) => w.webhook_id === hook.webhook_id && w.monitoring) && fake.openStreams(hook.webhook_id) === 0,
			{ timeoutMs: ACTIVATION_TIMEOUT_MS },
		);
		const log = [main, ...workers].map((p) => p.logText()).join('\n');
		assert(!/No bridge acquired/i.test(log), 'n8n logged "No bridge acquired" (a call after trigger() returned)');
		assert(!log.includes(fake.apiKey), 'the API key appears in an n8n log');
	}

	await checkMain('queue 7: the Hosted Trigger polls on the main, executions run on workers, each event once across a main restart', () => hostedAcrossRestart(false));
	await checkMain('queue 7b: the Hosted Trigger streams on the main (version 1.1 default), executions run on workers, each event once across a main restart', () =>
		hostedAcrossRestart(true),
	);

	// ---- 8. action node on a worker --------------------------------------------------------------
	await checkMain('queue 8: the action node creates, gets, stops, starts and deletes a webhook on a worker', async () => {
		const from = fake.requests.length;
		const path = `e2e-queue-action-${crypto.randomBytes(4).toString('hex')}`;
		const id = "={{ $('Create').first().json.webhook_id }}";
		const step = (name, operation, extra = {}) => node(name, TYPES.action, { resource: 'webhook', operation, webhookId: rl(id), ...extra }, { credentials, executeOnce: true });
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
		const wf = await client.createWorkflow({ name: 'E2E queue LinkupAPI action', nodes, connections });
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
		const [execution] = await settledExecutions(wf.id, 1, 'the action execution');
		assert(execution.status === 'success', `execution status ${execution.status}: ${executionError(execution)}`);
		ctx.note(`action execution ${execution.id} ran on ${workerOf(execution.id)}`);
		await client.deactivate(wf.id);
	});
}

module.exports = { runQueueScenarios };
