// @ts-check
'use strict';
// The package at the edges, inside real n8n: a hostile event stream, an events endpoint that reads
// `since` loosely, a create LinkupAPI answers late, and a crash in the middle of an activation.
const crypto = require('crypto');
const { waitFor, sleep, node, rl } = require('../../../scripts/n8n/harness');
const { TYPES, ACTIVATION_TIMEOUT_MS, assert, nodeOutput, activate, describeActivationFailure, webhooksSettle } = require('../helpers');

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
];
