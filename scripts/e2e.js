// @ts-check
'use strict';
// npm run test:e2e — packs this package, loads it into a real n8n (each line: 1.123.81 on Node 20,
// 2.41.0 on Node 24) the way n8n loads community packages, and runs the checks of test/e2e/suite.js
// against the fake LinkupAPI. E2E_N8N=1|2|both (default both); E2E_ONLY=<regex> runs only the checks
// whose name matches (each check can run alone).
// npm run test:e2e:queue (or E2E_QUEUE=1) runs n8n in queue mode instead: PostgreSQL, Redis, a main,
// two webhook processes and two workers, and the suite's queue checks.
// Ends with "E2E: N passed, M failed".
const fs = require('fs');
const path = require('path');
const { ensureN8n, lineFor } = require('./n8n/install');
const { runMain, sayer } = require('./n8n/harness');
const { startStack, buildAndPack, workFolder } = require('./n8n/stack');
const { CHECKS, QUEUE_CHECKS, checkName, runAlone } = require('../test/e2e/suite');

const OVERALL_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS || 75 * 60 * 1000);
const KEEP = process.env.E2E_KEEP === '1';
const QUEUE = process.env.E2E_QUEUE === '1' || process.argv.includes('--queue');
const ONLY = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : undefined;

const say = sayer();
/** @type {Array<{ label: string, name: string, ok: boolean, seconds?: number, error?: string }>} */
const results = [];
/** @type {string[]} */
const timings = [];

/**
 * Starts n8n of one line (with the package loaded) and runs the selected checks in it.
 * @param {string} spec '1' or '2'
 * @param {string} tarball
 * @param {string} workRoot
 * @param {Promise<import('./n8n/install').Install>} installing
 */
async function runLine(spec, tarball, workRoot, installing) {
	const label = `n8n ${lineFor(spec).version}${QUEUE ? ' queue' : ''}`;
	/**
	 * Runs and reports one start-up step or check.
	 * @param {string} name
	 * @param {() => Promise<unknown>} fn
	 */
	const check = async (name, fn) => {
		const started = Date.now();
		try {
			await fn();
			results.push({ label, name, ok: true, seconds: (Date.now() - started) / 1000 });
			say(`  PASS  [${label}] ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
			return true;
		} catch (error) {
			results.push({ label, name, ok: false, seconds: (Date.now() - started) / 1000, error: error.message });
			say(`  FAIL  [${label}] ${name}\n        ${String(error.message).split('\n').join('\n        ')}`);
			return false;
		}
	};
	// A failed start-up step is reported once, then ends this line.
	/**
	 * @param {string} name
	 * @param {() => Promise<unknown>} fn
	 */
	const step = async (name, fn) => {
		if (!(await check(name, fn))) throw Object.assign(new Error(name), { reported: true });
	};
	say(`\n=== ${label} ===`);
	const lineStarted = Date.now();
	let stack;
	try {
		stack = await startStack({
			line: spec,
			workRoot,
			install: installing,
			tarball,
			queue: QUEUE ? { webhooks: 2, workers: 2 } : false,
			credential: 'LinkupAPI (e2e)',
			step,
			say,
		});
		const running = stack;
		for (const selected of QUEUE ? QUEUE_CHECKS : CHECKS) {
			const name = checkName(selected, running.install.line);
			// E2E_ONLY=<regex>: the others are listed, not run.
			if (ONLY && !ONLY.test(name)) say(`  ----  [${label}] ${name} (not selected by E2E_ONLY)`);
			else await check(name, () => runAlone(selected, running, (message) => say(`        ${message}`)));
		}
	} catch (error) {
		if (!error.reported) await check('start-up', () => Promise.reject(error));
	} finally {
		const failedHere = results.some((r) => r.label === label && !r.ok);
		if (stack) {
			if (failedHere) say(`${stack.logTails(80)}\n---`);
			await stack.stop();
			timings.push(...stack.timings.map((t) => `${label}: ${t}`));
		}
		timings.push(`${label}: whole line ${((Date.now() - lineStarted) / 1000).toFixed(0)} s`);
	}
}

async function main() {
	const which = (process.env.E2E_N8N || 'both').trim();
	if (!['1', '2', 'both'].includes(which)) throw new Error(`E2E_N8N must be 1, 2 or both (got "${which}")`);
	const specs = which === 'both' ? ['1', '2'] : [which];
	const workRoot = workFolder(QUEUE ? 'linkup-e2e-queue-' : 'linkup-e2e-');
	say(`E2E${QUEUE ? ' (queue mode)' : ''} work folder: ${workRoot}`);
	const started = Date.now();
	let tarball;
	// Install (or find cached) every requested n8n line while the package builds.
	/** @type {Record<string, Promise<import('./n8n/install').Install>>} */
	const installs = {};
	for (const spec of specs) {
		installs[spec] = ensureN8n(spec);
		installs[spec].catch(() => {});
	}
	try {
		tarball = process.env.E2E_TARBALL ? path.resolve(process.env.E2E_TARBALL) : await buildAndPack(workRoot, say);
		say(`package tarball ${tarball}`);
	} catch (error) {
		results.push({ label: 'package', name: 'build and pack', ok: false, error: error.message });
		say(`  FAIL  build and pack: ${error.message}`);
	}
	if (tarball) for (const spec of specs) await runLine(spec, tarball, workRoot, installs[spec]);
	const passed = results.filter((r) => r.ok).length;
	const failed = results.length - passed;
	say('\n=== E2E summary ===');
	for (const r of results) say(`${r.ok ? 'PASS' : 'FAIL'}  [${r.label}] ${r.name}${r.ok ? '' : ` — ${String(r.error).split('\n')[0]}`}`);
	say(`timings: ${timings.join('; ')}; total ${((Date.now() - started) / 1000).toFixed(0)} s`);
	if (!KEEP && failed === 0) fs.rmSync(workRoot, { recursive: true, force: true });
	else say(`logs kept in ${workRoot}`);
	say(`E2E: ${passed} passed, ${failed} failed`);
	return failed === 0 && passed > 0 ? 0 : 1;
}

runMain(main, {
	timeoutMs: OVERALL_TIMEOUT_MS,
	onFailure: (reason) => {
		say(`E2E ${reason}`);
		say(`E2E: ${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
	},
});
