'use strict';
// npm run test:e2e — packs this package, loads it into a real n8n (each line: 1.123.81 on Node 20,
// 2.41.0 on Node 24) the way n8n loads community packages, and runs test/e2e/scenarios.js against
// the fake LinkupAPI. E2E_N8N=1|2|both (default both). Ends with "E2E: N passed, M failed".
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ROOT, ensureN8n, packProject, installPackageInto, run, lineFor } = require('./n8n/install');
const { N8nProcess, N8nClient, freePort, runMain } = require('./n8n/harness');
const { FakeLinkupApi } = require('../test/fake-linkupapi/server');
const { runScenarios } = require('../test/e2e/scenarios');

const OVERALL_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS || 75 * 60 * 1000);
const KEEP = process.env.E2E_KEEP === '1';

const results = [];
const timings = [];

function say(message) {
	process.stdout.write(`${message}\n`);
}

async function runLine(spec, tarball, workRoot, installing) {
	const def = lineFor(spec);
	const label = `n8n ${def.version}`;
	const check = async (name, fn) => {
		// E2E_ONLY=<regex> runs only the matching scenario checks (for debugging; unselected ones are reported).
		if (process.env.E2E_ONLY && ctxReady && !new RegExp(process.env.E2E_ONLY).test(name)) {
			say(`  ----  [${label}] ${name} (not selected by E2E_ONLY)`);
			return;
		}
		const started = Date.now();
		try {
			await fn();
			results.push({ label, name, ok: true, seconds: (Date.now() - started) / 1000 });
			say(`  PASS  [${label}] ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
		} catch (error) {
			results.push({ label, name, ok: false, seconds: (Date.now() - started) / 1000, error: error.message });
			say(`  FAIL  [${label}] ${name}\n        ${String(error.message).split('\n').join('\n        ')}`);
		}
	};
	say(`\n=== ${label} ===`);
	const lineStarted = Date.now();
	let ctxReady = false;
	let install;
	let n8n;
	const fake = new FakeLinkupApi({ accounts: 3 });
	try {
		await check('install n8n (cached after the first run)', async () => {
			install = await installing;
			timings.push(`${label}: install ${install.cached ? 'cached' : `${install.seconds.toFixed(0)} s`}`);
		});
		if (!install) return;
		const userFolder = fs.mkdtempSync(path.join(workRoot, `n8n-${def.version}-`));
		await check('load the packed package into <user folder>/.n8n/nodes', async () => {
			await installPackageInto(userFolder, tarball);
		});
		await fake.start();
		const port = await freePort();
		n8n = new N8nProcess(install, { userFolder, port, brokerPort: await freePort() });
		const client = new N8nClient(n8n.base);
		let started = false;
		await check('start n8n', async () => {
			const seconds = await n8n.start();
			timings.push(`${label}: start ${seconds.toFixed(1)} s`);
			started = true;
		});
		if (!started) return;
		let ready = false;
		const ctx = { line: def.line, n8n, client, fake, check, note: (m) => say(`        ${m}`) };
		await check('owner, API key and LinkupAPI credential through n8n\'s APIs', async () => {
			await client.ensureOwner();
			await client.createApiKey();
			const name = 'LinkupAPI (e2e)';
			const id = await client.createLinkupCredential({ name, apiKey: fake.apiKey, baseUrl: fake.baseUrl });
			ctx.credential = { id, name };
			ready = true;
		});
		if (!ready) return;
		ctxReady = true;
		await runScenarios(ctx);
	} finally {
		const failedHere = results.some((r) => r.label === label && !r.ok);
		if (n8n) {
			if (failedHere) say(`--- n8n log tail (${n8n.logFile}) ---\n${n8n.logTail(80)}\n---`);
			await n8n.stop();
		}
		await fake.stop().catch(() => {});
		timings.push(`${label}: whole line ${((Date.now() - lineStarted) / 1000).toFixed(0)} s`);
	}
}

async function main() {
	const which = (process.env.E2E_N8N || 'both').trim();
	if (!['1', '2', 'both'].includes(which)) throw new Error(`E2E_N8N must be 1, 2 or both (got "${which}")`);
	const specs = which === 'both' ? ['1', '2'] : [which];
	const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'linkup-e2e-'));
	say(`E2E work folder: ${workRoot}`);
	const started = Date.now();
	let tarball;
	// Install (or find cached) every requested n8n line while the package builds.
	const installs = {};
	for (const spec of specs) {
		installs[spec] = ensureN8n(spec);
		installs[spec].catch(() => {});
	}
	try {
		if (process.env.E2E_TARBALL) {
			tarball = path.resolve(process.env.E2E_TARBALL);
		} else {
			say('building the package (npm run build)...');
			await run('npm', ['run', 'build'], { cwd: ROOT, env: process.env, logFile: path.join(workRoot, 'build.log'), timeoutMs: 300000 });
			tarball = await packProject(workRoot);
		}
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
