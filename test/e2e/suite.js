// @ts-check
'use strict';
// The e2e suite: which checks run in each mode, and how each one runs alone. scripts/e2e.js starts
// n8n once per line (npm run test:e2e, or test:e2e:queue for queue mode) and runs these in order;
// E2E_ONLY=<regex> picks checks by name, and any one of them passes alone. A new file of checks
// under checks/ (an array of { name, run(t) }, see Check in helpers.js) is added to a list here.
const { waitFor } = require('../../scripts/n8n/harness');
const { ACTIVATION_TIMEOUT_MS } = require('./helpers');

/** @typedef {import('./helpers').Check} Check */
/** @typedef {import('./helpers').CheckContext} CheckContext */
/** @typedef {Awaited<ReturnType<typeof import('../../scripts/n8n/stack').startStack>>} Stack */

/** One n8n process on SQLite. */
const CHECKS = [
	require('./checks/package'),
	require('./checks/trigger'),
	require('./checks/action'),
	require('./checks/hosted'),
	require('./checks/credential'),
	require('./checks/examples'),
	require('./checks/edges'),
].flat();

/** Queue mode: PostgreSQL, Redis, a main, two webhook processes and two workers. */
const QUEUE_CHECKS = [require('./checks/queue/trigger'), require('./checks/queue/hosted'), require('./checks/queue/action')].flat();

/**
 * What the check's PASS line says on this n8n line.
 * @param {Check} check
 * @param {number} line
 */
function checkName(check, line) {
	return typeof check.name === 'function' ? check.name(line) : check.name;
}

/**
 * The main n8n process runs (a failed check may have left it stopped), logged in.
 * @param {Stack} stack
 */
async function mainRunning(stack) {
	if (!stack.n8n.exitInfo) return;
	await stack.n8n.start();
	await stack.client.login();
}

/**
 * Runs `check` from the state every check starts from, and brings n8n and the fake back to it when
 * the check ends, passed or failed: the main runs, every workflow the check created is deactivated
 * and every webhook it left on the fake is gone. Throws the check's error, or one for what the
 * check left behind.
 * @param {Check} check
 * @param {Stack} stack
 * @param {(message: string) => void} note
 */
async function runAlone(check, stack, note) {
	const { fake, client } = stack;
	/** @type {string[]} */
	const created = [];
	/** @type {CheckContext} */
	const t = {
		line: stack.install.line,
		n8n: stack.n8n,
		webhooks: stack.webhooks,
		workers: stack.workers,
		client,
		fake,
		credential: stack.credential,
		credentials: { linkupApi: { id: stack.credential.id, name: stack.credential.name } },
		accountId: fake.accountList()[0].account_id,
		workflow: async (workflow) => {
			const saved = await client.createWorkflow(workflow);
			created.push(saved.id);
			return saved;
		},
		note,
	};
	const webhooksBefore = new Set(fake.webhooks.keys());
	await mainRunning(stack);
	let failure;
	try {
		await check.run(t);
	} catch (error) {
		failure = error;
	}
	try {
		await mainRunning(stack);
		for (const id of created) await client.deactivate(id);
		const leftOver = () => [...fake.webhooks.keys()].filter((id) => !webhooksBefore.has(id));
		await waitFor('the webhooks the check created to be deleted', () => leftOver().length === 0, { timeoutMs: ACTIVATION_TIMEOUT_MS, intervalMs: 200 }).catch((error) => {
			// Gone from the fake all the same, so that the next check starts from an empty account.
			for (const id of leftOver()) fake.deleteWebhookBehindBack(id);
			throw error;
		});
	} catch (error) {
		if (!failure) throw new Error(`after the check: ${error.message}`);
		note(`after the failed check: ${error.message}`);
	}
	if (failure) throw failure;
}

module.exports = { CHECKS, QUEUE_CHECKS, checkName, runAlone };
