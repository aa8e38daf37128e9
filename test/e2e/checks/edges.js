// @ts-check
'use strict';
// The package at the edges, inside real n8n: a hostile event stream, an events endpoint that reads
// `since` loosely, a create LinkupAPI answers late, and a crash in the middle of an activation.
const crypto = require('crypto');
const { waitFor, sleep, node, rl } = require('../../../scripts/n8n/harness');
const { TYPES, ACTIVATION_TIMEOUT_MS, assert, nodeOutput, activate, describeActivationFailure, webhooksSettle, waitExecutions } = require('../helpers');

const MiB = 1024 * 1024;

/**
 * Activates a new Hosted Trigger workflow and waits for its webhook.
 * @param {import('../helpers').CheckContext} t
 * @param {string} name
 * @param {Record<string, unknown>} parameters beside the account
 * @param {number} typeVersion
 */
async function activeHosted(t, name, parameters, typeVersion) {
	const wf = await t.workflow({
		name,
		nodes: [node('LinkupAPI Hosted Trigger', TYPES.hosted, { accountId: rl(t.accountId), events: ['all'], ...parameters }, { credentials: t.credentials, typeVersion })],
	});
	const before = new Set(t.fake.webhookList().map((w) => w.webhook_id));
	await activate(t, wf.id);
	const hook = await webhooksSettle(t, (list) => list.find((w) => !before.has(w.webhook_id)), 'the hosted trigger to create its webhook').catch(async (error) => {
		throw new Error(`${error.message}${await describeActivationFailure(t, wf.id)}`);
	});
	return { wf, hookId: String(hook.webhook_id) };
}

/**
 * How many executions carry each marker the Hosted Trigger emitted.
 * @param {import('../helpers').CheckContext} t
 * @param {string} workflowId
 */
async function markerCounts(t, workflowId) {
	/** @type {Map<string, number>} */
	const counts = new Map();
	for (const execution of await t.client.executions(workflowId)) {
		for (const json of nodeOutput(execution, 'LinkupAPI Hosted Trigger') || []) {
			const marker = json.event && json.event.marker;
			if (marker) counts.set(marker, (counts.get(marker) ?? 0) + 1);
		}
	}
	return counts;
}

/**
 * Stores one event with a fresh marker for the hosted webhook; returns the marker.
 * @param {import('../helpers').CheckContext} t
 * @param {string} hookId
 */
function enqueueMarked(t, hookId) {
	const wrapper = t.fake.sampleEvent(t.accountId, 'message', { marker: crypto.randomUUID() });
	t.fake.enqueueEvent(hookId, wrapper);
	return String(wrapper.event.marker);
}

/**
 * Saves (does not activate) a workflow with a LinkupAPI Trigger on all events, non-public URL allowed.
 * @param {import('../helpers').CheckContext} t
 * @param {string} name
 */
async function triggerWorkflow(t, name) {
	const triggerWebhookId = crypto.randomUUID();
	const parameters = { accountId: rl(t.accountId), events: ['all'], options: { allowNonPublicUrl: true } };
	const wf = await t.workflow({
		name,
		nodes: [node('LinkupAPI Trigger', TYPES.trigger, parameters, { webhookId: triggerWebhookId, credentials: t.credentials, typeVersion: 1.1 })],
	});
	return { wf, triggerWebhookId };
}

/** @type {import('../helpers').Check[]} */
module.exports = [
	{
		name: 'hosted trigger, stream: 20 s of endless stream lines at 10 MiB/s leave n8n\'s memory bounded, and events flow again after them',
		async run(t) {
			const { n8n, fake } = t;
			const { wf, hookId } = await activeHosted(t, 'E2E LinkupAPI Hosted Trigger (endless line)', {}, 1.1);
			await waitFor('the hosted trigger to open the event stream', () => fake.openStreams(hookId) === 1, { timeoutMs: ACTIVATION_TIMEOUT_MS });
			const baselineKb = n8n.rssKb();
			assert(baselineKb !== undefined, 'cannot read the n8n process memory');
			let peakKb = baselineKb;
			const sampler = setInterval(() => (peakKb = Math.max(peakKb, n8n.rssKb() ?? 0)), 100);
			const during = enqueueMarked(t, hookId);
			// Every stream the trigger opens in these 20 s turns into one endless line at once.
			const hostileUntil = Date.now() + 20_000;
			let lines = 0;
			let largestTakenBytes = 0;
			try {
				while (Date.now() < hostileUntil) {
					if (fake.openStreams(hookId) > 0) {
						const { finished } = fake.sendEndlessLine({ webhookId: hookId, bytesPerSecond: 10 * MiB, maxBytes: 256 * MiB, maxMs: hostileUntil - Date.now() });
						lines++;
						largestTakenBytes = Math.max(largestTakenBytes, await finished);
					}
					await sleep(50);
				}
			} finally {
				clearInterval(sampler);
			}
			const growthMiB = (peakKb - baselineKb) / 1024;
			t.note(
				`endless lines: ${lines} streams sent one, each cut by the trigger after at most ${(largestTakenBytes / MiB).toFixed(1)} MiB; n8n RSS ${(baselineKb / 1024).toFixed(0)} MiB, peak growth +${growthMiB.toFixed(0)} MiB`,
			);
			assert(lines >= 2, `the trigger did not reconnect during the endless lines (${lines} line(s) sent)`);
			assert(largestTakenBytes < 4 * MiB, `a stream took ${(largestTakenBytes / MiB).toFixed(1)} MiB before the trigger cut it`);
			assert(growthMiB < 200, `n8n grew by ${growthMiB.toFixed(0)} MiB under endless stream lines`);
			// Sane again: the event stored during the attack and a new one each arrive once.
			const after = enqueueMarked(t, hookId);
			const sanedAt = Date.now();
			await waitFor('both events to arrive after the endless lines', async () => {
				const counts = await markerCounts(t, wf.id);
				return counts.has(during) && counts.has(after);
			}, { timeoutMs: 60_000, intervalMs: 250 });
			t.note(`events flowed again ${((Date.now() - sanedAt) / 1000).toFixed(1)} s after the stream was sane`);
			await sleep(1000);
			const counts = await markerCounts(t, wf.id);
			assert(counts.get(during) === 1 && counts.get(after) === 1, `events came out ${counts.get(during)} and ${counts.get(after)} times`);
			assert(/sent a line longer than 1,048,576 characters/.test(n8n.logTail(2000)), 'n8n logged nothing about the oversized line');
		},
	},
	{
		// n8n 2.x registers the webhook route before it calls create and saves static data after it, and
		// never calls create again for a published workflow after a restart; 1.x re-runs checkExists and
		// create at every start.
		name: (line) =>
			line === 2
				? 'trigger: n8n 2.x killed while LinkupAPI answers the create: the first delivery repairs the trigger, the next ones run, one webhook bills'
				: 'trigger: n8n 1.x killed while LinkupAPI answers the create: the restart leaves one webhook, and deliveries run',
		async run(t) {
			const { n8n, client, fake, accountId } = t;
			const { wf, triggerWebhookId } = await triggerWorkflow(t, 'E2E LinkupAPI Trigger (crash during create)');
			const creates = () => fake.requestsTo('POST', '/v2/webhooks').length;
			const createsBefore = creates();
			// LinkupAPI creates the webhook 8 s after the request; n8n is killed before it answers.
			fake.failNext({ route: '/v2/webhooks', method: 'POST', delayMs: 8000 });
			const activation = client.activate(wf.id).catch(() => undefined); // 1.x answers only after create
			await waitFor('n8n to ask LinkupAPI for the webhook', () => creates() > createsBefore, { timeoutMs: ACTIVATION_TIMEOUT_MS, intervalMs: 100 });
			await n8n.kill();
			await activation;
			const lost = await webhooksSettle(t, (list) => (list.length === 1 ? list[0] : false), 'LinkupAPI to finish the create n8n did not see answered');
			const atRestart = fake.requests.length;
			await n8n.start();
			await client.login();
			const hookId = () => String(fake.webhookList()[0]?.webhook_id);
			/** @type {number[]} */
			const answers = [];
			await waitFor('a delivery to start an execution', async () => {
				const delivery = await fake.deliver(hookId(), fake.sampleEvent(accountId, 'message', { message_text: 'after the crash' }));
				if (delivery.status !== 404) answers.push(delivery.status);
				return delivery.status === 200;
			}, { timeoutMs: ACTIVATION_TIMEOUT_MS, intervalMs: 1000 });
			const calls = fake.requests.slice(atRestart).map((r) => `${r.method} ${r.path}`);
			t.note(`after the restart: delivery answers ${answers.join(', ')}; calls ${calls.join(', ')}`);
			const list = fake.webhookList();
			assert(list.length === 1, `${list.length} webhooks after the restart (expected 1)`);
			assert(list[0].url === `${n8n.webhookBase}webhook/${triggerWebhookId}/webhook`, `the webhook posts to ${list[0].url}`);
			if (t.line === 2) {
				assert(answers[0] === 503 && answers.length === 2, `expected one refused delivery (503) before the first execution, got ${answers.join(', ')}`);
				assert(list[0].webhook_id === lost.webhook_id, 'n8n 2.x created a webhook instead of repairing from the one LinkupAPI made');
				assert(creates() === createsBefore + 1, `${creates() - createsBefore} creates (expected the one n8n was killed in)`);
				assert(calls.filter((call) => /rotate-secret$/.test(call)).length === 1, 'the repair did not rotate the secret exactly once');
			}
			await waitExecutions(t, wf.id, 1, 'the execution of the delivery after the crash');
			const again = await fake.deliver(hookId(), fake.sampleEvent(accountId, 'message', { message_text: 'later' }));
			assert(again.status === 200, `a later delivery got ${again.status}`);
			await waitExecutions(t, wf.id, 2, 'the execution of a later delivery');
			// Unpublishing waits for n8n 2.x's claim on the interrupted publication to expire (120 s),
			// then deletes the webhook the repair adopted.
			const deactivatedAt = Date.now();
			const res = await client.deactivate(wf.id);
			assert(res.status < 300, `deactivation refused: ${res.status}`);
			await waitFor('deactivation to delete the adopted webhook', () => fake.webhookList().length === 0, { timeoutMs: 240_000, intervalMs: 500 });
			t.note(`deactivation deleted the webhook after ${((Date.now() - deactivatedAt) / 1000).toFixed(0)} s`);
		},
	},
	{
		name: 'hosted trigger, poll: each event comes out once whether /events ignores `since` or reads it at whole seconds, with a handful of /events reads a minute',
		async run(t) {
			const { fake } = t;
			/** @type {Array<import('../../fake-linkupapi/server').SinceBehaviour>} */
			const behaviours = ['ignored', 'wholeSecondsInclusive'];
			try {
				for (const behaviour of behaviours) {
					fake.sinceBehaviour = behaviour;
					const { wf, hookId } = await activeHosted(t, `E2E LinkupAPI Hosted Trigger (since ${behaviour})`, { options: { pollInterval: 5 } }, 1);
					const reads = () => fake.requestsTo('GET', `/v2/webhooks/${hookId}/events`).length;
					await waitFor('the first poll of the hosted events', () => reads() >= 1, { timeoutMs: ACTIVATION_TIMEOUT_MS });
					// Five events stored over the last 3 s, four of them in one second: a server that ignores
					// `since` returns the older ones again, one that reads it at whole seconds those sharing
					// the newest one's second.
					await sleep(3200);
					const now = fake.now();
					const second = Math.floor((now - 1000) / 1000) * 1000;
					const markers = [now - 3000, second + 100, second + 400, second + 700, second + 900].map((at) => {
						const wrapper = fake.sampleEvent(t.accountId, 'message', { marker: crypto.randomUUID() });
						fake.enqueueEvent(hookId, wrapper, new Date(at));
						return String(wrapper.event.marker);
					});
					const windowStart = Date.now();
					const readsBefore = reads();
					await waitFor('the five events to become executions', async () => (await markerCounts(t, wf.id)).size === markers.length, { timeoutMs: 60_000, intervalMs: 500 });
					await sleep(Math.max(0, 30_000 - (Date.now() - windowStart))); // six more polls that must add nothing
					const counts = await markerCounts(t, wf.id);
					const perMinute = ((reads() - readsBefore) * 60_000) / (Date.now() - windowStart);
					t.note(`since ${behaviour}: ${[...counts.values()].reduce((a, b) => a + b, 0)} items for ${markers.length} events, ${perMinute.toFixed(1)} /events reads a minute at a 5 s interval`);
					assert(markers.every((marker) => counts.get(marker) === 1), `since ${behaviour}: events came out ${JSON.stringify([...counts.values()])} times`);
					assert(counts.size === markers.length, `since ${behaviour}: ${counts.size} distinct events for ${markers.length}`);
					assert(perMinute <= 16, `since ${behaviour}: ${perMinute.toFixed(1)} /events reads a minute`);
					const res = await t.client.deactivate(wf.id);
					assert(res.status < 300, `deactivation refused: ${res.status}`);
					await waitFor('the hosted webhook to be deleted', () => !fake.webhooks.has(hookId), { timeoutMs: ACTIVATION_TIMEOUT_MS });
				}
			} finally {
				fake.sinceBehaviour = 'exclusive';
			}
		},
	},
	{
		// n8n gives up on the create after 30 s; LinkupAPI carries it out at 35 s.
		name: 'trigger: a create LinkupAPI carries out after n8n gave up leaves no extra webhook billing a minute later',
		async run(t) {
			const { n8n, client, fake, accountId } = t;
			const { wf } = await triggerWorkflow(t, 'E2E LinkupAPI Trigger (late create)');
			const callsBefore = fake.requests.length;
			const { performed } = fake.performLateNext({ route: '/v2/webhooks', method: 'POST', afterMs: 35_000 });
			const res = await client.activate(wf.id);
			let mostWebhooks = 0;
			const watch = setInterval(() => (mostWebhooks = Math.max(mostWebhooks, fake.webhookList().length)), 200);
			try {
				if (t.line === 1) {
					// 1.x activates synchronously: the answer carries the error.
					const message = JSON.stringify(res.body);
					assert(res.status >= 400, `activation succeeded although the create timed out (${res.status})`);
					assert(/too slow to answer/.test(message), `the activation error does not say LinkupAPI was slow: ${message.slice(0, 300)}`);
					assert(!/reach the internet/.test(message), 'the activation error blames the network');
				}
				await performed;
				const landedAt = Date.now();
				await sleep(60_000);
				const list = fake.webhookList();
				const calls = fake.requests.slice(callsBefore).map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{24}/, '{id}')}`);
				t.note(`a minute after the late create: ${list.length} webhook(s) (at most ${mostWebhooks} at once); calls: ${calls.join(', ')}`);
				assert(mostWebhooks >= 1, 'the late create never showed on the fake');
				if (t.line === 1) {
					assert(list.length === 0, `${list.length} webhook(s) billing a minute after the late create`);
				} else {
					// 2.x retries the activation, which registers its own webhook; the late one must be gone.
					assert(list.length === 1, `${list.length} webhooks a minute after the late create (expected the one the retry made)`);
					const delivery = await fake.deliver(String(list[0].webhook_id), fake.sampleEvent(accountId, 'message'));
					assert(delivery.status === 200, `a delivery to the remaining webhook got ${delivery.status}`);
					await waitExecutions(t, wf.id, 1, 'the execution of a delivery to the remaining webhook');
				}
				assert(Date.now() - landedAt >= 60_000, 'waited less than a minute');
				assert(!n8n.logTail(400).includes(fake.apiKey), 'the API key appears in the n8n log');
			} finally {
				clearInterval(watch);
			}
		},
	},
];
