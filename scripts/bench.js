// @ts-check
'use strict';
// npm run bench — in one real n8n, sends N signed LinkupAPI deliveries to the LinkupAPI Trigger's
// production URL and the same N bodies to a core Webhook-node workflow, and prints throughput,
// their ratio, executions recorded vs sent, n8n's peak RSS and the cost of verifying one 1 KB delivery.
//
// The events go out in rounds whose order alternates (trigger, core, core, trigger, ...), so that
// warm-up and a growing database weigh on both targets alike. On n8n 2.x the comparison is repeated,
// each time in a fresh n8n, under expression-engine settings that decide how many isolates a webhook
// request costs (see SETTINGS): n8n skips the webhook-phase isolate for its own Webhook node only.
//
// `npm run bench -- --queue` (or BENCH_QUEUE=1) measures n8n's queue mode instead: PostgreSQL, Redis,
// a main, two workers and first one, then two webhook processes (the events are spread over them).
// `npm run bench -- --signature` only measures the signature check (no n8n).
// `npm run bench -- --hosted [--events N --interval S --mode both|stream|poll]` measures the Hosted
// Trigger's latency, Stream against Poll, against the fake LinkupAPI (no n8n): see
// scripts/bench-hosted-latency.ts. `npm run bench -- --sse [--seconds S]` measures what a hostile
// event stream costs the Hosted Trigger (no n8n): see scripts/bench-sse.ts.
//
// Env: BENCH_EVENTS (2000), BENCH_CONCURRENCY (20), BENCH_ROUNDS (4), BENCH_N8N (1|2, default by
// Node version), DB_SQLITE_POOL_SIZE (n8n's default unless set), BENCH_SETTINGS (2.x: "default,level,lazy",
// in queue mode "default"; 1.x has only "default"),
// BENCH_CORE_WITH_CREDENTIAL=1 (the core workflow also holds an unconnected node with the LinkupAPI
// credential, so n8n's per-execution credential access check, a database read, weighs on both),
// BENCH_SETTLE_S (max wait for executions to be recorded, 180), BENCH_CPU_PROF (a folder: n8n writes
// V8 CPU profiles there, to find where its time goes). 127.0.0.1 only; every loop is bounded.
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { spawnSync } = require('child_process');
const { ROOT, ensureN8n, chooseLine, PACKAGE_NAME } = require('./n8n/install');
const { waitFor, sleep, node, rl, runMain, fetchWithTimeout, sayer } = require('./n8n/harness');
const { startStack, buildAndPack, workFolder } = require('./n8n/stack');
const { signPayload } = require('../test/fake-linkupapi/server');

const EVENTS = Number(process.env.BENCH_EVENTS || 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 20);
const ROUNDS = Math.max(1, Math.min(Number(process.env.BENCH_ROUNDS || 4), EVENTS));
const SETTLE_S = Number(process.env.BENCH_SETTLE_S || 180);
const BENCH_TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS || 90 * 60 * 1000);
const REQUEST_TIMEOUT_MS = 30000;
const CORE_WITH_CREDENTIAL = process.env.BENCH_CORE_WITH_CREDENTIAL === '1';
const QUEUE = process.env.BENCH_QUEUE === '1' || process.argv.includes('--queue');
const SIGNATURE_ONLY = process.argv.includes('--signature');
const HOSTED = process.argv.includes('--hosted');
const SSE = process.argv.includes('--sse');
/** Queue mode: measured with one, then with two webhook processes; always two workers. */
const QUEUE_WEBHOOK_PROCESSES = [1, 2];
const QUEUE_WORKERS = 2;

/** @typedef {{ url: string, headers: Record<string, string>, body: string }} BenchRequest */
/** @typedef {import('./n8n/install').Install} Install */

/**
 * n8n 2.x expression-engine settings compared; each gets its own n8n run.
 * @type {Record<string, { label: string, env: NodeJS.ProcessEnv }>}
 */
const SETTINGS = {
	default: { label: 'n8n defaults', env: {} },
	// Every webhook request takes an isolate, as it does for every node but n8n's own Webhook node.
	level: { label: 'same isolate rule', env: { N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP: 'false' } },
	// An isolate is created only when an expression is evaluated.
	lazy: { label: 'lazy isolates', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } },
};

const say = sayer();

/**
 * @param {string} line
 * @returns {string[]}
 */
function settingsFor(line) {
	if (line !== '2') {
		if (process.env.BENCH_SETTINGS) say('BENCH_SETTINGS ignored: n8n 1.x has none of these expression-engine settings; measuring its defaults.');
		return ['default'];
	}
	const names = (process.env.BENCH_SETTINGS || (QUEUE ? 'default' : 'default,level,lazy')).split(',').map((s) => s.trim()).filter(Boolean);
	const unknown = names.filter((name) => !SETTINGS[name]);
	if (unknown.length) throw new Error(`BENCH_SETTINGS: unknown ${unknown.join(', ')}; use ${Object.keys(SETTINGS).join(', ')}`);
	return names;
}

/**
 * Sends POSTs built by makeRequest(i) for i in [from, to) with `concurrency` in flight.
 * @param {number} from
 * @param {number} to
 * @param {number} concurrency
 * @param {(i: number) => BenchRequest} makeRequest
 * @param {Record<string, number>} statuses counts of the answers' statuses, added to
 * @returns {Promise<number>} seconds
 */
async function blast(from, to, concurrency, makeRequest, statuses) {
	let next = from;
	const started = process.hrtime.bigint();
	const worker = async () => {
		while (next < to) {
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
	await Promise.all(Array.from({ length: Math.min(concurrency, to - from) }, worker));
	return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * Sends EVENTS to each target in ROUNDS alternating rounds; returns per-target seconds and statuses.
 * @param {Array<(i: number) => BenchRequest>} targets
 */
async function alternate(targets) {
	const totals = targets.map(() => ({ seconds: 0, statuses: /** @type {Record<string, number>} */ ({}) }));
	for (let round = 0; round < ROUNDS; round++) {
		const from = Math.floor((EVENTS * round) / ROUNDS);
		const to = Math.floor((EVENTS * (round + 1)) / ROUNDS);
		// ABBA: 0,1 then 1,0 then 0,1 ...
		const order = round % 2 === 0 ? [0, 1] : [1, 0];
		for (const index of order) {
			totals[index].seconds += await blast(from, to, CONCURRENCY, targets[index], totals[index].statuses);
		}
	}
	return totals.map((t) => ({ ...t, perSecond: EVENTS / t.seconds }));
}

/**
 * @param {import('./n8n/harness').N8nClient} client
 * @param {string} workflowId
 * @param {number} expected
 */
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

/** µs to verify one signed 1 KB delivery with the trigger's own helper (dist/nodes/Linkup/trigger/signature.js). */
function verificationMicros(runs = 20000) {
	const file = path.join(ROOT, 'dist', 'nodes', 'Linkup', 'trigger', 'signature.js');
	if (!fs.existsSync(file)) return 'not measured: dist/nodes/Linkup/trigger/signature.js is missing (npm run build)';
	const { verifyLinkupSignature } = require(file);
	if (typeof verifyLinkupSignature !== 'function') return 'not measured: signature.js exports no verifyLinkupSignature';
	const secret = crypto.randomBytes(24).toString('base64url');
	const rawBody = Buffer.from(JSON.stringify({ pad: 'x'.repeat(1014) }));
	const timestamp = String(Math.floor(Date.now() / 1000));
	// Signed by the fake's own signer, independently of the helper under test.
	const signature = `v1=${signPayload(secret, timestamp, rawBody)}`;
	for (let i = 0; i < 2000; i++) verifyLinkupSignature(secret, { rawBody, timestamp, signature });
	/** @type {number[]} */
	const samples = [];
	for (let i = 0; i < runs; i++) {
		const t = process.hrtime.bigint();
		const result = verifyLinkupSignature(secret, { rawBody, timestamp, signature });
		samples.push(Number(process.hrtime.bigint() - t) / 1000);
		if (!result.valid) throw new Error(`verifyLinkupSignature rejected a valid delivery: ${result.reason}`);
	}
	return `${percentiles(samples)} (${rawBody.length} bytes, ${runs} runs, Node ${process.version})`;
}

/**
 * @param {number[]} samples microseconds, sorted here
 * @returns {string}
 */
function percentiles(samples) {
	samples.sort((a, b) => a - b);
	/** @param {number} q */
	const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))].toFixed(1);
	return `median ${at(0.5)} µs, p90 ${at(0.9)} µs, p99 ${at(0.99)} µs`;
}

/**
 * µs for the trigger's whole check of one new signed 1 KB delivery (signature, then the replay memory)
 * while the memory is full, so every delivery makes it forget the earliest second
 * (dist/nodes/Linkup/trigger/delivery.js). The clock is a counter: 10 deliveries a second.
 */
async function fullMemoryMicros(runs = 20000) {
	const file = path.join(ROOT, 'dist', 'nodes', 'Linkup', 'trigger', 'delivery.js');
	if (!fs.existsSync(file)) return 'not measured: dist/nodes/Linkup/trigger/delivery.js is missing (npm run build)';
	const { verifyDelivery } = require(file);
	const { MAX_REMEMBERED_DELIVERIES } = require(path.join(path.dirname(file), 'replays.js'));
	const secret = crypto.randomBytes(24).toString('base64url');
	const rules = { verifySignature: true, secret, toleranceSeconds: 300 };
	const start = 1_800_000_000;
	const deliver = async (/** @type {number} */ i) => {
		const timestamp = String(start + Math.floor(i / 10));
		const rawBody = Buffer.from(JSON.stringify({ n: i, pad: 'x'.repeat(1000) }));
		const headers = { 'x-linkup-timestamp': timestamp, 'x-linkup-signature': `v1=${signPayload(secret, timestamp, rawBody)}` };
		const t = process.hrtime.bigint();
		const { refusal } = await verifyDelivery({ headers, rawBody }, rules, Number(timestamp));
		const micros = Number(process.hrtime.bigint() - t) / 1000;
		if (refusal) throw new Error(`verifyDelivery refused a new delivery: ${refusal.reason}`);
		return micros;
	};
	let i = 0;
	while (i < MAX_REMEMBERED_DELIVERIES) await deliver(i++);
	/** @type {number[]} */
	const samples = [];
	while (samples.length < runs) samples.push(await deliver(i++));
	return `${percentiles(samples)} (${MAX_REMEMBERED_DELIVERIES} remembered, ${runs} runs)`;
}

/**
 * @param {string} setting
 * @returns {NodeJS.ProcessEnv}
 */
function n8nEnv(setting) {
	/** @type {NodeJS.ProcessEnv} */
	const env = { N8N_LOG_LEVEL: 'warn', ...SETTINGS[setting].env };
	const profileDir = process.env.BENCH_CPU_PROF;
	if (profileDir) env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${path.resolve(profileDir, setting)}`;
	return env;
}

/**
 * One fresh n8n (or queue-mode cluster with `webhookProcesses`) with both workflows; returns the
 * measured figures.
 * @param {string} line
 * @param {Install} install
 * @param {string} tarball
 * @param {string} work
 * @param {string} setting
 * @param {number} webhookProcesses 0 for one n8n process
 */
async function measure(line, install, tarball, work, setting, webhookProcesses) {
	const name = webhookProcesses ? `${setting}-queue-${webhookProcesses}` : setting;
	const stack = await startStack({
		line,
		workRoot: fs.mkdtempSync(path.join(work, `${name}-`)),
		install,
		tarball,
		fake: { accounts: 1 },
		// What users run: on 1.x n8n's default single SQLite connection records every execution under
		// this load, where a pool of readers loses some to its write-lock timeout.
		n8n: { env: n8nEnv(setting), sqlitePoolSize: null },
		queue: webhookProcesses ? { webhooks: webhookProcesses, workers: QUEUE_WORKERS } : false,
		credential: 'LinkupAPI (bench)',
		say: (m) => say(`[${name}] ${m}`),
	});
	const { fake, client } = stack;
	try {
		const credentials = { linkupApi: stack.credential };
		const accountId = fake.accountList()[0].account_id;

		const triggerWf = await client.createWorkflow({
			name: 'Bench LinkupAPI Trigger',
			nodes: [
				node(
					'LinkupAPI Trigger',
					`${PACKAGE_NAME}.linkupTrigger`,
					{ accountId: rl(accountId), events: ['all'], options: { allowNonPublicUrl: true } },
					{ webhookId: crypto.randomUUID(), credentials, typeVersion: 1.1 },
				),
			],
		});
		const corePath = `bench-core-${crypto.randomBytes(4).toString('hex')}`;
		const coreWf = await client.createWorkflow({
			name: 'Bench core Webhook',
			nodes: [
				node('Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path: corePath, responseMode: 'onReceived', options: {} }, { typeVersion: 2, webhookId: crypto.randomUUID() }),
				// Never runs (not connected), but makes n8n check credential access before each execution.
				...(CORE_WITH_CREDENTIAL ? [node('Unused LinkupAPI', `${PACKAGE_NAME}.linkup`, { resource: 'account', operation: 'getAll' }, { credentials })] : []),
			],
		});
		for (const wf of [triggerWf, coreWf]) {
			const res = await client.activate(wf.id);
			if (res.status >= 300) throw new Error(`activating ${wf.name} failed: ${JSON.stringify(res.body).slice(0, 300)}`);
		}
		const hook = await waitFor('the trigger webhook on the fake', () => fake.webhookList()[0], { timeoutMs: 60000 });
		// Queue mode: the events are spread over the webhook processes, as a load balancer would.
		const bases = (stack.webhooks.length ? stack.webhooks : [stack.n8n]).map((p) => p.base);
		/**
		 * @param {number} i
		 * @param {string} pathname
		 */
		const urlFor = (i, pathname) => `${bases[i % bases.length]}${pathname}`;
		const triggerPath = new URL(hook.url).pathname;
		const corePathname = `/webhook/${corePath}`;
		for (const base of bases) {
			await waitFor('the core webhook to answer', async () => (await fetchWithTimeout(`${base}${corePathname}`, { method: 'POST', body: '{}' })).status === 200, { timeoutMs: 60000 });
		}
		await sleep(2000);
		const coreBaseline = (await settledExecutionCount(client, coreWf.id, bases.length)) ?? 0;
		const secret = /** @type {import('../test/fake-linkupapi/server').Json} */ (fake.webhooks.get(hook.webhook_id)).secret;
		const bodies = Array.from({ length: EVENTS }, (_, i) => JSON.stringify(fake.sampleEvent(accountId, 'message', { seq: i })));
		/**
		 * @param {number} i
		 * @returns {BenchRequest}
		 */
		const signedRequest = (i) => {
			const timestamp = String(Math.floor(Date.now() / 1000));
			/** @type {Record<string, string>} */
			const headers = { 'content-type': 'application/json' };
			if (secret) {
				headers['x-linkup-timestamp'] = timestamp;
				headers['x-linkup-signature'] = `v1=${signPayload(secret, timestamp, bodies[i])}`;
			}
			return { url: urlFor(i, triggerPath), headers, body: bodies[i] };
		};

		say(`[${name}] sending ${EVENTS} events to each target in ${ROUNDS} alternating rounds...`);
		const [trigger, core] = await alternate([signedRequest, (i) => ({ ...signedRequest(i), url: urlFor(i, corePathname) })]);
		say(`[${name}] waiting for executions to be recorded...`);
		const triggerRecorded = await settledExecutionCount(client, triggerWf.id, EVENTS);
		const coreRecorded = (await settledExecutionCount(client, coreWf.id, EVENTS + coreBaseline)) - coreBaseline;
		const lockErrors = (fs.readFileSync(stack.n8n.logFile, 'utf8').match(/SqliteWriteConnectionMutex/g) || []).length;
		return { name, setting, webhookProcesses, trigger, core, triggerRecorded, coreRecorded, memory: stack.peakMemory(), lockErrors, log: path.dirname(stack.n8n.userFolder) };
	} finally {
		await stack.stop();
	}
}

/**
 * @param {Install} install
 * @param {Array<Awaited<ReturnType<typeof measure>>>} results
 */
function report(install, results) {
	/**
	 * @param {unknown} value
	 * @param {number} width
	 */
	const pad = (value, width) => String(value).padStart(width);
	/** @param {Awaited<ReturnType<typeof measure>>} r */
	const label = (r) => (r.webhookProcesses ? `${r.webhookProcesses} webhook proc.` : SETTINGS[r.setting].label);
	say('');
	if (CORE_WITH_CREDENTIAL) say('(core workflow holds an unconnected node with the LinkupAPI credential: BENCH_CORE_WITH_CREDENTIAL=1)');
	const database = QUEUE
		? `queue mode: PostgreSQL, Redis, a main, ${QUEUE_WORKERS} workers and the webhook processes shown (events spread over them)`
		: `SQLite (DB_SQLITE_POOL_SIZE ${process.env.DB_SQLITE_POOL_SIZE ?? 'n8n default'})`;
	say(`=== bench: n8n ${install.version} (Node ${install.nodeMajor >= 24 ? '24' : process.versions.node}), ${database}, ${EVENTS} events per target, concurrency ${CONCURRENCY}, ${ROUNDS} alternating rounds, ${os.cpus().length} CPU cores ===`);
	say(`${(QUEUE ? 'processes' : 'settings').padEnd(18)}${pad('trigger ev/s', 13)}${pad('core ev/s', 11)}${pad('ratio', 7)}${pad('recorded trigger', 18)}${pad('recorded core', 15)}${pad('lost', 6)}  peak RSS`);
	for (const r of results) {
		const lost = EVENTS - r.triggerRecorded + (EVENTS - r.coreRecorded);
		const memory = r.memory.map((m) => (r.memory.length > 1 ? `${m.name} ${m.mb ?? '?'}` : `${m.mb ?? '?'}`)).join(', ');
		say(
			`${label(r).padEnd(18)}${pad(r.trigger.perSecond.toFixed(1), 13)}${pad(r.core.perSecond.toFixed(1), 11)}` +
				`${pad((r.trigger.perSecond / r.core.perSecond).toFixed(2), 7)}${pad(`${r.triggerRecorded}/${EVENTS}`, 18)}${pad(`${r.coreRecorded}/${EVENTS}`, 15)}` +
				`${pad(lost, 6)}  ${memory} MB`,
		);
	}
	for (const r of results) {
		say(`[${r.name}] HTTP trigger ${JSON.stringify(r.trigger.statuses)}, core ${JSON.stringify(r.core.statuses)}${QUEUE ? '' : `; SQLite lock timeouts ${r.lockErrors}`}; logs ${r.log}`);
	}
	say(`verify one 1 KB delivery: ${verificationMicros()}`);
	if (results.some((r) => r.setting === 'default') && install.nodeMajor >= 24) {
		say('note: with n8n 2.x defaults, n8n skips the per-request expression isolate for its own Webhook node only');
		say('      (webhookPhaseNeedsIsolate in n8n/dist/webhooks/live-webhooks.js); every other webhook node, this trigger');
		say('      included, pays one isolate per request before its code runs. "same isolate rule" compares like for like.');
	}
	if (!QUEUE && results.some((r) => r.triggerRecorded < EVENTS || r.coreRecorded < EVENTS)) {
		say('note: executions missing on both targets point at n8n\'s SQLite write lock (see "SqliteWriteConnectionMutex" in the log), not at the node.');
	}
}

/**
 * `--hosted` and `--sse`: compiles the TypeScript bench (with the node and test helpers it imports)
 * into .cache/bench/ (scripts/tsconfig.bench.json), then runs it with the other arguments.
 * @param {string} name the bench's file name in scripts/, without .ts
 * @param {string} flag the flag that chose it
 * @param {string[]} nodeOptions options for node itself
 * @returns {number} its exit code
 */
function compiledBench(name, flag, nodeOptions = []) {
	const outDir = path.join(ROOT, '.cache', 'bench');
	fs.rmSync(outDir, { recursive: true, force: true });
	say(`compiling scripts/${name}.ts into .cache/bench/ (tsc -p scripts/tsconfig.bench.json)...`);
	const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'scripts', 'tsconfig.bench.json')], { stdio: 'inherit' });
	if (tsc.status !== 0) return 1;
	const args = process.argv.slice(2).filter((arg) => arg !== flag);
	return spawnSync(process.execPath, [...nodeOptions, path.join(outDir, 'scripts', `${name}.js`), ...args], { stdio: 'inherit' }).status ?? 1;
}

async function main() {
	if (HOSTED) return compiledBench('bench-hosted-latency', '--hosted');
	if (SSE) return compiledBench('bench-sse', '--sse', ['--expose-gc']);
	if (SIGNATURE_ONLY) {
		say(`verify one 1 KB delivery: ${verificationMicros()}`);
		say(`check one new 1 KB delivery with a full replay memory: ${await fullMemoryMicros()}`);
		return 0;
	}
	const line = chooseLine('BENCH_N8N');
	const settings = settingsFor(line);
	const work = workFolder('linkup-bench-');
	say(`bench: ${EVENTS} events per target, concurrency ${CONCURRENCY}, settings ${settings.join(', ')}${QUEUE ? ', queue mode' : ''}; work folder ${work}`);
	const installing = ensureN8n(line);
	installing.catch(() => {});
	const tarball = await buildAndPack(work, say);
	const install = await installing;
	const results = [];
	for (const setting of settings) {
		for (const webhookProcesses of QUEUE ? QUEUE_WEBHOOK_PROCESSES : [0]) results.push(await measure(line, install, tarball, work, setting, webhookProcesses));
	}
	report(install, results);
	return 0;
}

runMain(main, {
	timeoutMs: BENCH_TIMEOUT_MS,
	onFailure: (reason) => process.stderr.write(`bench FAILED: ${reason}\n`),
});
