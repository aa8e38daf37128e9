// @ts-check
'use strict';
// The LinkupAPI Hosted Trigger in one n8n process: polling (node version 1) and streaming (the
// version 1.1 default), each from activation to deactivation.
const crypto = require('crypto');
const { waitFor, sleep, node, rl } = require('../../../scripts/n8n/harness');
const { TYPES, ACTIVATION_TIMEOUT_MS, HOSTED_POLL_SECONDS, assert, nodeOutput, executionError, activate, describeActivationFailure, webhooksSettle } = require('../helpers');

/** @type {import('../helpers').Check[]} */
module.exports = [
	{
		name: 'hosted trigger: enqueued events are delivered exactly once, and it closes cleanly',
		async run(t) {
			const { n8n, client, fake, accountId, credentials } = t;
			// options.pollInterval: seconds between polls (default 10, minimum 5); the minimum keeps the test short.
			const parameters = { accountId: rl(accountId), events: ['all'], options: { pollInterval: HOSTED_POLL_SECONDS } };
			const wf = await t.workflow({
				name: 'E2E LinkupAPI Hosted Trigger',
				nodes: [node('LinkupAPI Hosted Trigger', TYPES.hosted, parameters, { credentials })],
			});
			const before = fake.webhookList().map((w) => w.webhook_id);
			await activate(t, wf.id);
			const hook = await webhooksSettle(t, (list) => list.find((w) => !before.includes(w.webhook_id)), 'the hosted trigger to create its webhook').catch(
				async (error) => {
					throw new Error(`${error.message}${await describeActivationFailure(t, wf.id)}`);
				},
			);
			assert(hook.url === null, `hosted webhook has a url: ${hook.url}`);
			const intervalMs = HOSTED_POLL_SECONDS * 1000;
			const polls = () => fake.requestsTo('GET', `/v2/webhooks/${hook.webhook_id}/events`).length;
			const received = () =>
				client.executions(wf.id).then((list) =>
					list.flatMap((e) => (nodeOutput(e, 'LinkupAPI Hosted Trigger') || []).map((j) => j.event && j.event.marker)),
				);
			/** @type {string[]} */
			const sent = [];
			/** @param {string} type */
			const enqueue = (type) => {
				const wrapper = fake.sampleEvent(accountId, type, { marker: crypto.randomUUID() });
				fake.enqueueEvent(hook.webhook_id, wrapper);
				sent.push(wrapper.event.marker);
			};
			/** @param {string} what */
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
		},
	},

	{
		name: 'hosted trigger, stream (node version 1.1 default): events reach executions at once; after a drop, the gap arrives once each',
		async run(t) {
			const { n8n, client, fake, accountId, credentials } = t;
			// No receiveMode and no pollInterval: a node at typeVersion 1.1 streams by default.
			const parameters = { accountId: rl(accountId), events: ['all'] };
			const wf = await t.workflow({
				name: 'E2E LinkupAPI Hosted Trigger (stream)',
				nodes: [node('LinkupAPI Hosted Trigger', TYPES.hosted, parameters, { credentials, typeVersion: 1.1 })],
			});
			const before = fake.webhookList().map((w) => w.webhook_id);
			await activate(t, wf.id);
			const hook = await webhooksSettle(t, (list) => list.find((w) => !before.includes(w.webhook_id)), 'the hosted trigger to create its webhook').catch(
				async (error) => {
					throw new Error(`${error.message}${await describeActivationFailure(t, wf.id)}`);
				},
			);
			await waitFor('the hosted trigger to open the event stream', () => fake.openStreams(hook.webhook_id) === 1, { timeoutMs: ACTIVATION_TIMEOUT_MS });
			const opened = fake.streamsOpened;
			const polls = () => fake.requestsTo('GET', `/v2/webhooks/${hook.webhook_id}/events`).length;
			const executionsByMarker = async () => {
				/** @type {Map<string, import('../helpers').Execution[]>} */
				const found = new Map();
				for (const e of await client.executions(wf.id)) {
					for (const json of nodeOutput(e, 'LinkupAPI Hosted Trigger') || []) {
						const marker = json.event && json.event.marker;
						if (marker) found.set(marker, [...(found.get(marker) || []), e]);
					}
				}
				return found;
			};
			/** @type {Array<{ marker: string, at: number }>} */
			const sent = [];
			const enqueue = () => {
				const wrapper = fake.sampleEvent(accountId, 'message', { marker: crypto.randomUUID() });
				fake.enqueueEvent(hook.webhook_id, wrapper);
				sent.push({ marker: wrapper.event.marker, at: Date.now() });
			};
			/** @param {string} what */
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
			t.note(`stream: event to listed execution, ${latencies.length} events: median ${median} ms, p90 ${latencies[8]} ms, max ${latencies[9]} ms`);

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
		},
	},
];
