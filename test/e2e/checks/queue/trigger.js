// @ts-check
'use strict';
// The LinkupAPI Trigger in queue mode: activation through the main, deliveries to each webhook
// process (verified there, executed on a worker), forged and replayed deliveries, a restart of the
// main and deactivation. Each check activates its own trigger workflow.
const crypto = require('crypto');
const { waitFor, sleep, fetchWithTimeout } = require('../../../../scripts/n8n/harness');
const {
	ACTIVATION_TIMEOUT_MS,
	assert,
	nodeOutput,
	executionError,
	workerOf,
	deliverTo,
	settledExecutions,
	markerOf,
	message,
	activeQueueTrigger,
	assertSecretStored,
	readyQueueTrigger,
} = require('../../helpers');

/** @type {Array<import('../../../fake-linkupapi/server').DeliveryVariant>} */
const FORGED = ['badSignature', 'wrongSecret', 'modifiedBody', 'missingHeaders', 'staleTimestamp', 'futureTimestamp', 'unsigned'];

/** @type {import('../../helpers').Check[]} */
module.exports = [
	{
		name: 'queue 1: activation through the main creates exactly one remote webhook and stores its secret',
		async run(t) {
			const { fake, webhooks } = t;
			const creates = fake.requestsTo('POST', '/v2/webhooks').length;
			const { workflowId, webhookId } = await activeQueueTrigger(t);
			await sleep(2000);
			const hooks = fake.webhookList();
			assert(hooks.length === 1, `expected 1 webhook on the fake, found ${hooks.length}`);
			const created = fake.requestsTo('POST', '/v2/webhooks').length - creates;
			assert(created === 1, `expected 1 create call, saw ${created}`);
			assert(hooks[0].url === `${webhooks[0].base}/webhook/${webhookId}/webhook`, `webhook url is ${hooks[0].url}`);
			const secret = /** @type {import('../../helpers').Json} */ (fake.webhooks.get(hooks[0].webhook_id)).secret;
			assert(secret, 'the fake gave the webhook no secret');
			await assertSecretStored(t, workflowId, secret);
		},
	},
	{
		name: 'queue 2: a signed delivery to each webhook process executes exactly once, on a worker, wrapper intact',
		async run(t) {
			const { webhooks } = t;
			const { workflowId, hook } = await readyQueueTrigger(t);
			const sent = [];
			for (const target of webhooks) {
				const marker = `${target.name}-${crypto.randomUUID()}`;
				const wrapper = message(t, marker);
				const delivery = await deliverTo(t, target, hook, wrapper);
				assert(delivery.status === 200, `${target.name} answered ${delivery.status}: ${delivery.body.slice(0, 300)}`);
				sent.push({ marker, wrapper, to: target.name });
			}
			const executions = await settledExecutions(t, workflowId, sent.length, 'one execution per delivery');
			assert(executions.length === sent.length, `expected ${sent.length} executions, found ${executions.length}`);
			const ranOn = [];
			for (const { marker, wrapper, to } of sent) {
				const matching = executions.filter((e) => markerOf(e) === marker);
				assert(matching.length === 1, `the delivery to ${to} produced ${matching.length} executions`);
				const [execution] = matching;
				assert(execution.status === 'success', `execution ${execution.id} status ${execution.status}: ${executionError(execution)}`);
				const json = /** @type {import('../../helpers').Json[]} */ (nodeOutput(execution, 'LinkupAPI Trigger'))[0];
				assert(json.account_id === wrapper.account_id && json.account_name === wrapper.account_name && json.timestamp === wrapper.timestamp, 'the wrapper was not kept');
				assert(json.event.type === 'message', `event.type is ${json.event.type}`);
				ranOn.push(`${to} -> execution ${execution.id} on ${workerOf(t, execution.id)}`);
			}
			t.note(ranOn.join('; '));
		},
	},
	{
		name: 'queue 3: forged, stale and unsigned deliveries to each webhook process get 401 and no execution',
		async run(t) {
			const { client, webhooks } = t;
			const { workflowId, hook } = await readyQueueTrigger(t);
			const before = (await client.executions(workflowId)).length;
			for (const target of webhooks) {
				for (const variant of FORGED) {
					const delivery = await deliverTo(t, target, hook, message(t, `forged-${variant}`), { variant });
					assert(delivery.status === 401, `${variant} delivery to ${target.name} answered ${delivery.status}, expected 401`);
				}
			}
			await sleep(3000);
			const all = await client.executions(workflowId);
			assert(all.length === before, `expected still ${before} executions, found ${all.length}`);
		},
	},
	{
		name: 'queue 4: the same signed bytes replayed to the same and to the other webhook process (measured)',
		async run(t) {
			const { client, fake, webhooks } = t;
			const { workflowId, hook } = await readyQueueTrigger(t);
			const before = (await client.executions(workflowId)).length;
			const marker = `replay-${crypto.randomUUID()}`;
			const { headers, body } = fake.signedRequest(hook, message(t, marker));
			const path = new URL(/** @type {import('../../helpers').Json} */ (fake.webhooks.get(hook)).url).pathname;
			const carrying = async () => (await client.executions(workflowId)).filter((e) => markerOf(e) === marker).length;
			/**
			 * Sends the bytes to one process; returns its answer and how many executions the send added.
			 * @param {import('../../helpers').N8nProcess} target
			 */
			const replay = async (target) => {
				const sentBefore = await carrying();
				const status = (await fetchWithTimeout(`${target.base}${path}`, { method: 'POST', headers, body })).status;
				// A replay may be answered 200 and still start nothing; wait for a possible execution.
				await waitFor('a possible execution', async () => (await carrying()) > sentBefore, { timeoutMs: 8000, intervalMs: 500 }).catch(() => {});
				const added = (await carrying()) - sentBefore;
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
				const stale = await deliverTo(t, target, hook, message(t, marker), { variant: 'staleTimestamp' });
				assert(stale.status === 401, `a stale replay to ${target.name} answered ${stale.status}`);
			}
			const total = await carrying();
			assert(total === 1 + sameProcess.added + otherProcess.added, `expected ${1 + sameProcess.added + otherProcess.added} executions of the event, found ${total}`);
			/** @param {{ status: number, added: number }} r */
			const said = (r) => `${r.status}, ${r.added ? 'started an execution' : 'started nothing'}`;
			t.note(`replay to the same webhook process: ${said(sameProcess)}; to the other webhook process: ${said(otherProcess)}`);
			await settledExecutions(t, workflowId, before + total, 'the executions so far');
		},
	},
	{
		name: 'queue 5: restarting the main keeps exactly one remote webhook; deliveries work throughout',
		async run(t) {
			const { n8n: main, client, fake, webhooks } = t;
			const { workflowId, hook } = await readyQueueTrigger(t);
			const before = (await client.executions(workflowId)).length;
			/** @type {string[]} */
			const markers = [];
			/** @param {string} when */
			const deliverEverywhere = async (when) => {
				for (const target of webhooks) {
					const marker = `${when}-${target.name}-${crypto.randomUUID()}`;
					const delivery = await deliverTo(t, target, hook, message(t, marker));
					assert(delivery.status === 200, `${when}: ${target.name} answered ${delivery.status}: ${delivery.body.slice(0, 200)}`);
					markers.push(marker);
				}
			};
			const creates = fake.requestsTo('POST', '/v2/webhooks').length;
			await main.stop();
			await deliverEverywhere('main-down');
			const seconds = await main.start();
			t.note(`main restart took ${seconds.toFixed(1)} s`);
			await client.login();
			await deliverEverywhere('main-restarted');
			// Give the main time to (re)activate: on 1.x it re-runs checkExists at start.
			await sleep(5000);
			const hooks = fake.webhookList();
			assert(hooks.length === 1, `expected 1 webhook after the restart, found ${hooks.length}`);
			assert(hooks[0].webhook_id === hook, 'the webhook was replaced');
			assert(fake.requestsTo('POST', '/v2/webhooks').length === creates, 'the restart created a webhook');
			await deliverEverywhere('after-restart');
			const executions = await settledExecutions(t, workflowId, before + markers.length, 'executions of the deliveries around the restart');
			for (const marker of markers) {
				const matching = executions.filter((e) => markerOf(e) === marker);
				assert(matching.length === 1, `delivery ${marker.split('-').slice(0, 3).join('-')} produced ${matching.length} executions`);
				workerOf(t, matching[0].id);
			}
		},
	},
	{
		name: 'queue 6: deactivation deletes the webhook and both webhook processes answer 404',
		async run(t) {
			const { client, fake, webhooks } = t;
			const { workflowId, hook } = await readyQueueTrigger(t);
			const before = (await client.executions(workflowId)).length;
			const url = /** @type {import('../../helpers').Json} */ (fake.webhooks.get(hook)).url;
			const { headers, body } = fake.signedRequest(hook, message(t, 'after-deactivation'));
			const res = await client.deactivate(workflowId);
			assert(res.status < 300, `deactivation refused: ${res.status}`);
			await waitFor('the webhook to be deleted', () => fake.webhookList().length === 0, { timeoutMs: ACTIVATION_TIMEOUT_MS, intervalMs: 200 });
			assert(fake.requestsTo('DELETE', `/v2/webhooks/${hook}`).length === 1, 'expected exactly one DELETE of the webhook');
			const path = new URL(url).pathname;
			for (const target of webhooks) {
				await waitFor(
					`${target.name} to answer 404`,
					async () => (await fetchWithTimeout(`${target.base}${path}`, { method: 'POST', headers, body })).status === 404,
					{ timeoutMs: 30000, intervalMs: 500 },
				);
			}
			await sleep(2000);
			assert((await client.executions(workflowId)).length === before, 'a delivery after deactivation started an execution');
		},
	},
];
