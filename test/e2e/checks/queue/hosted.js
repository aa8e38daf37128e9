// @ts-check
'use strict';
// The LinkupAPI Hosted Trigger in queue mode: the main holds the poller or the stream, workers run
// the executions, and a crash of the main loses and repeats no event.
const crypto = require('crypto');
const { waitFor, sleep, node, rl } = require('../../../../scripts/n8n/harness');
const { TYPES, ACTIVATION_TIMEOUT_MS, HOSTED_POLL_SECONDS, assert, nodeOutput, workerOf, message } = require('../../helpers');

/**
 * Activates a Hosted Trigger, crashes the main after its first events, stores events while it is
 * down, restarts it, and checks that each event became exactly one execution, run by a worker.
 * `streaming`: a node at version 1.1 with no receiveMode (the stream); otherwise version 1 (polling).
 * @param {import('../../helpers').CheckContext} t
 * @param {boolean} streaming
 */
async function hostedAcrossRestart(t, streaming) {
	const { n8n: main, workers, client, fake, accountId, credentials } = t;
	const parameters = streaming ? {} : { options: { pollInterval: HOSTED_POLL_SECONDS } };
	const wf = await t.workflow({
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
	/** @type {string[]} */
	const sent = [];
	const enqueue = () => {
		const marker = crypto.randomUUID();
		fake.enqueueEvent(hook.webhook_id, message(t, marker));
		sent.push(marker);
	};
	const delivered = async () => (await client.executions(wf.id)).flatMap((e) => (nodeOutput(e, 'LinkupAPI Hosted Trigger') || []).map((j) => ({ marker: j.event.message_text, id: e.id })));
	/** @param {string} what */
	const waitDelivered = (what) => waitFor(what, async () => (await delivered()).length >= sent.length, { timeoutMs: HOSTED_POLL_SECONDS * 3000 + 30000, intervalMs: 500 });
	// In stream mode /events is read once per connection (the catch-up): more reads mean polling.
	/**
	 * @param {number} from
	 * @param {string} when
	 */
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
	const ranOn = new Set(items.map((i) => workerOf(t, i.id)));
	const reads = `${polls().length} reads of /events, the first after the restart ${resumed.query.since ? 'from the saved cursor' : 'from the start (no cursor saved)'}`;
	t.note(`hosted executions ran on ${[...ranOn].join(', ')}; first two events listed after ${firstMs} ms; ${reads}`);
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

/** @type {import('../../helpers').Check[]} */
module.exports = [
	{
		name: 'queue 7: the Hosted Trigger polls on the main, executions run on workers, each event once across a main restart',
		run: (t) => hostedAcrossRestart(t, false),
	},
	{
		name: 'queue 7b: the Hosted Trigger streams on the main (version 1.1 default), executions run on workers, each event once across a main restart',
		run: (t) => hostedAcrossRestart(t, true),
	},
];
