'use strict';
// npm run bench — in one real n8n, sends N signed LinkupAPI deliveries to the LinkupAPI Trigger's
// production URL and the same N bodies to a core Webhook-node workflow, and prints throughput,
// executions recorded vs sent, n8n's peak RSS and the cost of verifying one 1 KB delivery.
// Env: BENCH_EVENTS (2000), BENCH_CONCURRENCY (20), BENCH_N8N (1|2, default by Node version),
// BENCH_SETTLE_S (max wait for executions to be recorded, 180). 127.0.0.1 only; every loop is bounded.
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { ROOT, ensureN8n, packProject, installPackageInto, run } = require('./n8n/install');
const { N8nProcess, N8nClient, freePort, waitFor, sleep, node, runMain, fetchWithTimeout } = require('./n8n/harness');
const { FakeLinkupApi, signPayload } = require('../test/fake-linkupapi/server');

const EVENTS = Number(process.env.BENCH_EVENTS || 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 20);
const SETTLE_S = Number(process.env.BENCH_SETTLE_S || 180);
const BENCH_TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS || 60 * 60 * 1000);
const REQUEST_TIMEOUT_MS = 30000;

function say(message) {
	process.stdout.write(`${message}\n`);
}

/** Sends `count` POSTs built by makeRequest(i) with `concurrency` in flight; returns status counts and seconds. */
async function blast(count, concurrency, makeRequest) {
	const statuses = {};
	let next = 0;
	const started = process.hrtime.bigint();
	const worker = async () => {
		while (next < count) {
			const i = next++;
			const { url, headers, body } = makeRequest(i);
			let status;
			try {
				const res = await fetchWithTimeout(url, { method: 'POST', headers, body }, REQUEST_TIMEOUT_MS);
				await res.arrayBuffer();
				status = res.status;
			} catch (error) {
				status = error.name === 'TimeoutError' ? 'timeout' : 'error';
			}
			statuses[status] = (statuses[status] || 0) + 1;
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	return { statuses, seconds, perSecond: count / seconds };
}

async function settledExecutionCount(client, workflowId, expected) {
	let last = -1;
	let stableSince = Date.now();
	const deadline = Date.now() + SETTLE_S * 1000;
	while (Date.now() < deadline) {
		const count = (await client.executions(workflowId, { includeData: false })).length;
		if (count >= expected) return count;
		if (count !== last) {
			last = count;
			stableSince = Date.now();
		} else if (Date.now() - stableSince > 15000) {
			return count;
		}
		await sleep(2000);
	}
	return last;
}

/** Median µs to verify one signed 1 KB delivery with the trigger's own helper (dist/nodes/Linkup/shared/signature.js). */
function verificationMicros() {
	const file = path.join(ROOT, 'dist', 'nodes', 'Linkup', 'shared', 'signature.js');
	if (!fs.existsSync(file)) return 'not measured: dist/nodes/Linkup/shared/signature.js is missing';
	const { verifyLinkupSignature } = require(file);
	if (typeof verifyLinkupSignature !== 'function') return 'not measured: signature.js exports no verifyLinkupSignature';
	const secret = crypto.randomBytes(24).toString('base64url');
	const rawBody = Buffer.from(JSON.stringify({ pad: 'x'.repeat(1014) }));
	const timestamp = String(Math.floor(Date.now() / 1000));
	const signature = `v1=${signPayload(secret, timestamp, rawBody)}`;
	const samples = [];
	for (let i = 0; i < 5000; i++) {
		const t = process.hrtime.bigint();
		const result = verifyLinkupSignature(secret, { rawBody, timestamp, signature });
		samples.push(Number(process.hrtime.bigint() - t) / 1000);
		if (!result.valid) throw new Error(`verifyLinkupSignature rejected a valid delivery: ${result.reason}`);
	}
	samples.sort((a, b) => a - b);
	return `${samples[samples.length >> 1].toFixed(1)} µs (${rawBody.length} bytes, 5000 runs, verifyLinkupSignature)`;
}

async function main() {
	const major = Number(process.versions.node.split('.')[0]);
	const line = process.env.BENCH_N8N || (major >= 24 ? '2' : '1');
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'linkup-bench-'));
	say(`bench: ${EVENTS} events per target, concurrency ${CONCURRENCY}; work folder ${work}`);
	await run('npm', ['run', 'build'], { cwd: ROOT, env: process.env, logFile: path.join(work, 'build.log'), timeoutMs: 300000 });
	const install = await ensureN8n(line);
	const tarball = await packProject(work);
	const userFolder = path.join(work, 'user');
	await installPackageInto(userFolder, tarball);
	const fake = new FakeLinkupApi({ accounts: 1 });
	await fake.start();
	const n8n = new N8nProcess(install, { userFolder, port: await freePort(), brokerPort: await freePort(), env: { N8N_LOG_LEVEL: 'warn' } });
	try {
		await n8n.start();
		const client = new N8nClient(n8n.base);
		await client.ensureOwner();
		await client.createApiKey();
		const credId = await client.createLinkupCredential({ name: 'LinkupAPI (bench)', apiKey: fake.apiKey, baseUrl: fake.baseUrl });
		const credentials = { linkupApi: { id: credId, name: 'LinkupAPI (bench)' } };
		const accountId = fake.accountList()[0].account_id;

		const triggerWf = await client.createWorkflow({
			name: 'Bench LinkupAPI Trigger',
			nodes: [
				node(
					'LinkupAPI Trigger',
					'n8n-nodes-linkupapi-webhooks.linkupTrigger',
					{ accountId: { __rl: true, mode: 'id', value: accountId }, events: ['all'], options: { allowNonPublicUrl: true } },
					{ webhookId: crypto.randomUUID(), credentials },
				),
			],
		});
		const corePath = `bench-core-${crypto.randomBytes(4).toString('hex')}`;
		const coreWf = await client.createWorkflow({
			name: 'Bench core Webhook',
			nodes: [node('Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path: corePath, responseMode: 'onReceived', options: {} }, { typeVersion: 2, webhookId: crypto.randomUUID() })],
		});
		for (const wf of [triggerWf, coreWf]) {
			const res = await client.activate(wf.id);
			if (res.status >= 300) throw new Error(`activating ${wf.name} failed: ${JSON.stringify(res.body).slice(0, 300)}`);
		}
		const hook = await waitFor('the trigger webhook on the fake', () => fake.webhookList()[0], { timeoutMs: 60000 });
		const coreUrl = `${n8n.webhookBase}webhook/${corePath}`;
		await waitFor('the core webhook to answer', async () => (await fetchWithTimeout(coreUrl, { method: 'POST', body: '{}' })).status === 200, { timeoutMs: 60000 });
		await sleep(2000);
		const coreBaseline = (await client.executions(coreWf.id, { includeData: false })).length;
		const secret = fake.webhooks.get(hook.webhook_id).secret;
		const bodies = Array.from({ length: EVENTS }, (_, i) => JSON.stringify(fake.sampleEvent(accountId, 'message', { seq: i })));
		const signedRequest = (i) => {
			const timestamp = String(Math.floor(Date.now() / 1000));
			const headers = { 'content-type': 'application/json' };
			if (secret) {
				headers['x-linkup-timestamp'] = timestamp;
				headers['x-linkup-signature'] = `v1=${signPayload(secret, timestamp, bodies[i])}`;
			}
			return { url: hook.url, headers, body: bodies[i] };
		};

		say('sending to the LinkupAPI Trigger...');
		const trigger = await blast(EVENTS, CONCURRENCY, signedRequest);
		say('sending to the core Webhook node...');
		const core = await blast(EVENTS, CONCURRENCY, (i) => ({ ...signedRequest(i), url: coreUrl }));
		say('waiting for executions to be recorded...');
		const triggerRecorded = await settledExecutionCount(client, triggerWf.id, EVENTS);
		const coreRecorded = (await settledExecutionCount(client, coreWf.id, EVENTS + coreBaseline)) - coreBaseline;
		const rss = n8n.peakRssKb();

		say('');
		say(`=== bench: n8n ${install.version} (Node ${install.nodeMajor >= 24 ? '24' : process.versions.node}), SQLite, ${EVENTS} events, concurrency ${CONCURRENCY} ===`);
		say(`LinkupAPI Trigger : ${trigger.perSecond.toFixed(1)} events/s (${trigger.seconds.toFixed(1)} s), HTTP ${JSON.stringify(trigger.statuses)}, executions recorded ${triggerRecorded}/${EVENTS}`);
		say(`core Webhook node : ${core.perSecond.toFixed(1)} events/s (${core.seconds.toFixed(1)} s), HTTP ${JSON.stringify(core.statuses)}, executions recorded ${coreRecorded}/${EVENTS}`);
		say(`ratio trigger/core: ${(trigger.perSecond / core.perSecond).toFixed(2)}`);
		say(`n8n peak RSS (VmHWM): ${rss ? `${(rss / 1024).toFixed(0)} MB` : 'unknown'}`);
		say(`verify one 1 KB delivery (median): ${verificationMicros()}`);
		if (triggerRecorded < EVENTS || coreRecorded < EVENTS) {
			say('note: executions missing on both targets point at n8n\'s SQLite write lock (see n8n.log: "SqliteWriteConnectionMutex"), not at the node; use PostgreSQL to claim "nothing lost".');
		}
		const lockErrors = (fs.readFileSync(n8n.logFile, 'utf8').match(/SqliteWriteConnectionMutex/g) || []).length;
		say(`SQLite lock timeouts in n8n log: ${lockErrors}`);
	} finally {
		await n8n.stop();
		await fake.stop().catch(() => {});
		say(`n8n log: ${n8n.logFile}`);
	}
}

runMain(main, {
	timeoutMs: BENCH_TIMEOUT_MS,
	onFailure: (reason) => process.stderr.write(`bench FAILED: ${reason}\n`),
});
