// @ts-check
'use strict';
// What the e2e checks (test/e2e/checks/) share: the context each check gets, reading executions,
// activating workflows, and the set-ups that several checks start from. Every set-up creates its
// workflows with `t.workflow`, so the suite deactivates them when the check ends (test/e2e/suite.js).
const crypto = require('crypto');
const { waitFor, sleep, node, rl } = require('../../scripts/n8n/harness');
const { PACKAGE_NAME: PKG } = require('../../scripts/n8n/install');

/** @typedef {import('../../scripts/n8n/harness').N8nProcess} N8nProcess */
/** @typedef {import('../../scripts/n8n/harness').Execution} Execution */
/** @typedef {import('../../scripts/n8n/harness').Workflow} Workflow */
/** @typedef {import('../fake-linkupapi/server').Json} Json */
/** @typedef {import('../fake-linkupapi/server').DeliveryOptions} DeliveryOptions */

/**
 * What a check gets: the n8n it runs in, the fake LinkupAPI and the credential n8n holds for it.
 * @typedef {object} CheckContext
 * @property {number} line the n8n line, 1 or 2
 * @property {N8nProcess} n8n the main process (the only one outside queue mode)
 * @property {N8nProcess[]} webhooks queue mode: the `n8n webhook` processes (else none)
 * @property {N8nProcess[]} workers queue mode: the `n8n worker` processes (else none)
 * @property {import('../../scripts/n8n/harness').N8nClient} client logged in, with a public-API key
 * @property {import('../fake-linkupapi/server').FakeLinkupApi} fake
 * @property {import('../../scripts/n8n/harness').CredentialRef} credential the LinkupAPI credential for the fake
 * @property {{ linkupApi: import('../../scripts/n8n/harness').CredentialRef }} credentials a node's `credentials` with it
 * @property {string} accountId the fake's first account
 * @property {(workflow: Parameters<import('../../scripts/n8n/harness').N8nClient['createWorkflow']>[0]) => Promise<Workflow>} workflow
 *   creates a workflow that is deactivated when the check ends
 * @property {(message: string) => void} note prints a line under the check's result
 */
/**
 * One e2e check. It sets up what it needs and can run alone (E2E_ONLY=<its name>).
 * @typedef {object} Check
 * @property {string | ((line: number) => string)} name what its PASS line says (a function when that depends on the n8n line)
 * @property {(t: CheckContext) => Promise<void>} run throws when the check fails
 */

const TYPES = {
	action: `${PKG}.linkup`,
	trigger: `${PKG}.linkupTrigger`,
	hosted: `${PKG}.linkupHostedTrigger`,
};
// How long n8n may take to (de)activate a workflow; 2.x publishes through an outbox.
const ACTIVATION_TIMEOUT_MS = 60000;
const HOSTED_POLL_SECONDS = 5;

/**
 * @param {unknown} condition
 * @param {string} message
 * @returns {asserts condition}
 */
function assert(condition, message) {
	if (!condition) throw new Error(message);
}

/**
 * The run data of an execution fetched with includeData (n8n sends it as an object or a JSON string).
 * @param {Execution} execution
 * @returns {any}
 */
function executionData(execution) {
	return typeof execution.data === 'string' ? JSON.parse(execution.data) : execution.data;
}

/**
 * Items of the first run of `nodeName` in an execution fetched with includeData.
 * @param {Execution} execution
 * @param {string} nodeName
 * @returns {Json[] | undefined}
 */
function nodeOutput(execution, nodeName) {
	const data = executionData(execution);
	const runs = data && data.resultData && data.resultData.runData && data.resultData.runData[nodeName];
	if (!runs || !runs[0] || !runs[0].data) return undefined;
	return (runs[0].data.main[0] || []).map((/** @type {{ json: Json }} */ item) => item.json);
}

/**
 * @param {Execution} execution
 * @returns {string | undefined}
 */
function executionError(execution) {
	const data = executionData(execution);
	const error = data && data.resultData && data.resultData.error;
	return error ? error.message || JSON.stringify(error).slice(0, 300) : undefined;
}

/**
 * @param {CheckContext} t
 * @param {string} id
 */
async function activate(t, id) {
	const res = await t.client.activate(id);
	if (res.status >= 300) throw new Error(`activation refused: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
}

/**
 * @param {CheckContext} t
 * @param {string} id
 */
async function describeActivationFailure(t, id) {
	const status = await t.client.publicationStatus(id).catch(() => undefined);
	return status ? ` (publication status: ${JSON.stringify(status).slice(0, 400)})` : '';
}

/**
 * Waits until `predicate` returns something truthy for the fake's webhooks.
 * @template T
 * @param {CheckContext} t
 * @param {(webhooks: Json[]) => T} predicate
 * @param {string} what
 */
async function webhooksSettle(t, predicate, what) {
	return waitFor(what, () => predicate(t.fake.webhookList()), { timeoutMs: ACTIVATION_TIMEOUT_MS, intervalMs: 200 });
}

/**
 * Waits until the workflow has at least `count` finished executions; returns them.
 * @param {CheckContext} t
 * @param {string} workflowId
 * @param {number} count
 * @param {string} what
 */
async function waitExecutions(t, workflowId, count, what) {
	return waitFor(
		what,
		async () => {
			const list = await t.client.executions(workflowId);
			const finished = list.filter((e) => e.finished || e.status === 'success' || e.status === 'error' || e.stoppedAt);
			return finished.length >= count ? finished : false;
		},
		{ timeoutMs: 30000, intervalMs: 300 },
	);
}

/**
 * Set-up: an active workflow whose LinkupAPI Trigger (all events, non-public URL allowed) has
 * created its webhook on the fake.
 * @param {CheckContext} t
 * @returns {Promise<{ workflowId: string, hookId: string, expectedUrl: string }>} the webhook and the URL it must post to
 */
async function activeTrigger(t) {
	const triggerWebhookId = crypto.randomUUID();
	const wf = await t.workflow({
		name: 'E2E LinkupAPI Trigger',
		nodes: [
			node(
				'LinkupAPI Trigger',
				TYPES.trigger,
				{ accountId: rl(t.accountId), events: ['all'], options: { allowNonPublicUrl: true } },
				{ webhookId: triggerWebhookId, credentials: t.credentials, typeVersion: 1.1 },
			),
		],
	});
	await activate(t, wf.id);
	const hooks = await webhooksSettle(t, (list) => (list.length > 0 ? list : false), 'the trigger to create its webhook').catch(async (error) => {
		throw new Error(`${error.message}${await describeActivationFailure(t, wf.id)}`);
	});
	return { workflowId: wf.id, hookId: hooks[0].webhook_id, expectedUrl: `${t.n8n.webhookBase}webhook/${triggerWebhookId}/webhook` };
}

// ---- queue mode ----------------------------------------------------------------------------------

/**
 * The worker whose log says it ran `executionId`; throws when none or another process did.
 * @param {CheckContext} t
 * @param {string} executionId
 */
function workerOf(t, executionId) {
	const pattern = new RegExp(`Worker started execution ${executionId} \\(`);
	const ran = t.workers.filter((w) => pattern.test(w.logText()));
	assert(ran.length === 1, `execution ${executionId} ran on ${ran.length} workers (expected exactly one)`);
	for (const other of [t.n8n, ...t.webhooks]) assert(!pattern.test(other.logText()), `${other.name} logged that it ran execution ${executionId}`);
	return ran[0].name;
}

/**
 * POSTs a delivery for `hookId` to one webhook process (same path as the registered URL).
 * @param {CheckContext} t
 * @param {N8nProcess} target
 * @param {string} hookId
 * @param {Json} wrapper
 * @param {DeliveryOptions} [options]
 */
function deliverTo(t, target, hookId, wrapper, options = {}) {
	const registered = new URL(/** @type {Json} */ (t.fake.webhooks.get(hookId)).url);
	return t.fake.deliver(hookId, wrapper, { ...options, url: `${target.base}${registered.pathname}` });
}

/**
 * Waits for `count` finished executions, then checks that no more come; returns them all.
 * @param {CheckContext} t
 * @param {string} workflowId
 * @param {number} count
 * @param {string} what
 */
async function settledExecutions(t, workflowId, count, what) {
	const list = await waitFor(
		what,
		async () => {
			const all = await t.client.executions(workflowId);
			const done = all.filter((e) => e.status === 'success' || e.status === 'error' || (e.finished && e.stoppedAt));
			return done.length >= count ? done : false;
		},
		{ timeoutMs: 60000, intervalMs: 500 },
	);
	// Anything late would show up now: the count must not grow past what was sent.
	await sleep(2000);
	const again = await t.client.executions(workflowId);
	assert(again.length === list.length, `expected ${list.length} executions, found ${again.length} a moment later`);
	return again;
}

/**
 * The marker a `message(marker)` event carries in an execution's output.
 * @param {Execution} execution
 * @param {string} [nodeName]
 * @returns {string | undefined}
 */
const markerOf = (execution, nodeName = 'LinkupAPI Trigger') => nodeOutput(execution, nodeName)?.[0]?.event?.message_text;

/**
 * A message event for the first account, carrying `marker` as its text.
 * @param {CheckContext} t
 * @param {string} marker
 */
const message = (t, marker) => t.fake.sampleEvent(t.accountId, 'message', { message_text: marker });

/**
 * Set-up: a LinkupAPI Trigger workflow activated through the main, once its webhook is on the fake.
 * @param {CheckContext} t
 * @returns {Promise<{ workflowId: string, webhookId: string }>} the workflow and the trigger node's webhookId
 */
async function activeQueueTrigger(t) {
	const webhookId = crypto.randomUUID();
	const wf = await t.workflow({
		name: 'E2E queue LinkupAPI Trigger',
		nodes: [
			node('LinkupAPI Trigger', TYPES.trigger, { accountId: rl(t.accountId), events: ['all'], options: { allowNonPublicUrl: true } }, { webhookId, credentials: t.credentials, typeVersion: 1.1 }),
		],
	});
	const res = await t.client.activate(wf.id);
	assert(res.status < 300, `activation refused: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
	await waitFor('the trigger to create its webhook', () => t.fake.webhookList().length > 0, { timeoutMs: ACTIVATION_TIMEOUT_MS, intervalMs: 200 });
	return { workflowId: wf.id, webhookId };
}

/**
 * Asserts that the workflow's stored static data holds `secret`: the webhook processes read the
 * secret from the database, where n8n keeps the node's static data.
 * @param {CheckContext} t
 * @param {string} workflowId
 * @param {string} secret
 */
async function assertSecretStored(t, workflowId, secret) {
	const stored = await waitFor(
		'the secret in the workflow\'s static data',
		async () => JSON.stringify((await t.client.api('GET', `/workflows/${workflowId}`)).body.staticData ?? null).includes(secret),
		{ timeoutMs: 15000, intervalMs: 500 },
	).catch(() => false);
	assert(stored, 'the webhook secret is not in the workflow\'s stored static data');
}

/**
 * Set-up: an active LinkupAPI Trigger whose webhook processes can verify deliveries (its secret is stored).
 * @param {CheckContext} t
 * @returns {Promise<{ workflowId: string, hook: string }>} the workflow and its webhook on the fake
 */
async function readyQueueTrigger(t) {
	const { workflowId } = await activeQueueTrigger(t);
	const hook = t.fake.webhookList()[0].webhook_id;
	await assertSecretStored(t, workflowId, /** @type {Json} */ (t.fake.webhooks.get(hook)).secret);
	return { workflowId, hook };
}

module.exports = {
	TYPES,
	ACTIVATION_TIMEOUT_MS,
	HOSTED_POLL_SECONDS,
	assert,
	nodeOutput,
	executionError,
	activate,
	describeActivationFailure,
	webhooksSettle,
	waitExecutions,
	activeTrigger,
	workerOf,
	deliverTo,
	settledExecutions,
	markerOf,
	message,
	activeQueueTrigger,
	assertSecretStored,
	readyQueueTrigger,
};
