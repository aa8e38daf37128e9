// @ts-check
'use strict';
// One start-up for every script that needs a real n8n with this package loaded (e2e, dev, bench,
// screenshots): build and pack the package, install n8n, load the package the way n8n's
// community-package installer does, start the fake LinkupAPI and n8n, either as one process on
// SQLite or in queue mode (PostgreSQL, Redis, a main, webhook processes and workers), then create
// the owner, an API key and a LinkupAPI credential. Each script asks only for what it needs.
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { ROOT, ensureN8n, chooseLine, packProject, installPackageInto, run } = require('./install');
const { N8nProcess, N8nClient, freePort } = require('./harness');
const { ensureServerPackages, startPostgres, startRedis } = require('./services');
const { FakeLinkupApi } = require('../../test/fake-linkupapi/server');

/** Set to 1 by a caller that has just run `npm run build` (.ci/run does), so scripts do not build again. */
const SKIP_BUILD = 'LINKUP_SKIP_BUILD';

/** @typedef {import('./install').Install} Install */
/** @typedef {(message: string) => void} Say */
/** @typedef {{ webhooks?: number, workers?: number, env?: NodeJS.ProcessEnv }} QueueOptions */
/**
 * @typedef {object} MainOptions for the main n8n process
 * @property {string} [userFolder]
 * @property {number} [port]
 * @property {number} [brokerPort]
 * @property {string} [webhookUrl]
 * @property {NodeJS.ProcessEnv} [env] for every process
 * @property {string | null} [sqlitePoolSize]
 */
/** @typedef {{ name: string, command: 'start' | 'webhook' | 'worker', userFolder: string, port?: number, brokerPort?: number }} ProcessSpec */

/**
 * Builds the package (unless LINKUP_SKIP_BUILD=1 and dist/ exists) and packs it into workRoot.
 * @param {string} workRoot
 * @param {Say} [say]
 */
async function buildAndPack(workRoot, say = () => {}) {
	fs.mkdirSync(workRoot, { recursive: true });
	if (process.env[SKIP_BUILD] === '1' && fs.existsSync(path.join(ROOT, 'dist'))) {
		say(`using the dist/ just built (${SKIP_BUILD}=1)`);
	} else {
		say('building the package (npm run build)...');
		await run('npm', ['run', 'build'], { cwd: ROOT, env: process.env, logFile: path.join(workRoot, 'build.log'), timeoutMs: 300000 });
	}
	return packProject(workRoot);
}

/**
 * @param {object} options
 * @param {string} options.line '1' or '2'
 * @param {string} options.workRoot folder for user folders, logs and the tarball
 * @param {Promise<Install> | Install} [options.install] an ensureN8n(line) result or promise (default: ensureN8n(line))
 * @param {string} [options.tarball] a packed package (default: build and pack)
 * @param {FakeLinkupApi | ConstructorParameters<typeof FakeLinkupApi>[0] | false} [options.fake] a fake to start, its constructor options, or false
 * @param {number} [options.fakePort] fixed port for the fake (dev mode's documented URL)
 * @param {MainOptions} [options.n8n] for the main process
 * @param {QueueOptions | false} [options.queue] queue mode (2 webhook processes and 2 workers unless given); n8n.env applies to every process
 * @param {boolean} [options.owner] create the owner (or log in), default true
 * @param {boolean} [options.apiKey] create a public-API key, default true
 * @param {string|false} [options.credential] name of a LinkupAPI credential to create (or reuse) for the fake
 * @param {(name: string, fn: () => Promise<unknown>) => Promise<unknown>} [options.step] runs (and may report) each start-up step
 * @param {Say} [options.say]
 * @returns {Promise<Stack>}
 */
async function startStack(options) {
	const { line, workRoot, queue = false, owner = true, apiKey = true, credential = false } = options;
	const say = options.say || (() => {});
	const step = options.step || ((name, fn) => fn());
	const stack = new Stack(line, workRoot, say);
	try {
		await step('install n8n (cached after the first run)', async () => {
			stack.install = await (options.install || ensureN8n(line));
			stack.timings.push(`install ${stack.install.cached ? 'cached' : `${stack.install.seconds.toFixed(0)} s`}`);
		});
		stack.tarball = options.tarball || (await buildAndPack(workRoot, say));
		if (queue) await step('start PostgreSQL and Redis as an unprivileged user', () => stack.startServices());
		await stack.plan(options.n8n || {}, queue);
		await step(`load the packed package into ${queue ? 'each process\'s' : 'the'} <user folder>/.n8n/nodes`, () =>
			Promise.all(stack.specs.map((spec) => installPackageInto(spec.userFolder, stack.tarball))),
		);
		if (options.fake !== false) {
			stack.fake = options.fake instanceof FakeLinkupApi ? options.fake : new FakeLinkupApi(options.fake || { accounts: 3 });
			await stack.fake.start(options.fakePort);
		}
		await step(queue ? `start n8n in queue mode: main, ${queue.webhooks ?? 2} webhook processes, ${queue.workers ?? 2} workers` : 'start n8n', () =>
			stack.startN8n(),
		);
		stack.client = new N8nClient(stack.n8n.base);
		if (owner) {
			const what = ['owner', apiKey && 'API key', credential && 'LinkupAPI credential'].filter(Boolean);
			await step(`${what.slice(0, -1).join(', ')}${what.length > 1 ? ' and ' : ''}${what[what.length - 1]} through n8n's APIs`, async () => {
				await stack.client.ensureOwner();
				if (apiKey) await stack.client.createApiKey();
				if (credential) {
					const id = await stack.client.ensureLinkupCredential({ name: credential, apiKey: stack.fake.apiKey, baseUrl: stack.fake.baseUrl });
					stack.credential = { id, name: credential };
				}
			});
		}
		return stack;
	} catch (error) {
		// A failed start stops what it started; n8n's own start error carries its log tail.
		await stack.stop();
		throw error;
	}
}

class Stack {
	/**
	 * @param {string} line
	 * @param {string} workRoot
	 * @param {Say} say
	 */
	constructor(line, workRoot, say) {
		this.line = line;
		this.workRoot = workRoot;
		this.say = say;
		/** @type {string[]} */
		this.timings = [];
		/** @type {N8nProcess[]} */
		this.webhooks = [];
		/** @type {N8nProcess[]} */
		this.workers = [];
		/** @type {N8nProcess[]} */
		this.processes = [];
		/** @type {import('./services').Service[]} */
		this.services = [];
		// Set while the stack starts (see startStack).
		/** @type {Install} */
		this.install;
		/** @type {string} */
		this.tarball;
		/** @type {FakeLinkupApi} */
		this.fake;
		/** @type {N8nProcess} the main process */
		this.n8n;
		/** @type {N8nClient} */
		this.client;
		/** @type {import('./harness').CredentialRef} */
		this.credential;
		/** @type {ProcessSpec[]} */
		this.specs;
		/** @type {MainOptions} */
		this.mainOptions;
		/** @type {QueueOptions | false} */
		this.queue;
		/** @type {NodeJS.ProcessEnv} */
		this.queueEnv;
	}

	async startServices() {
		const started = Date.now();
		const packages = await ensureServerPackages(this.workRoot, this.say);
		if (packages.installed.length) this.timings.push(`apt-get ${packages.installed.join(' ')} ${packages.seconds.toFixed(0)} s`);
		const [postgres, redis] = await Promise.all([startPostgres({ logDir: this.workRoot }), startRedis({ logDir: this.workRoot })]);
		this.services.push(postgres, redis);
		this.queueEnv = {
			EXECUTIONS_MODE: 'queue',
			...postgres.env,
			...redis.env,
			// Every process must decrypt the credentials the main stored.
			N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('hex'),
		};
		this.timings.push(`PostgreSQL and Redis ${((Date.now() - started) / 1000).toFixed(1)} s`);
	}

	/**
	 * Decides the processes, their user folders and ports.
	 * @param {MainOptions} mainOptions
	 * @param {QueueOptions | false} queue
	 */
	async plan(mainOptions, queue) {
		this.mainOptions = mainOptions;
		this.queue = queue;
		/** @param {string} name */
		const folder = (name) => path.join(this.workRoot, `${name}-${this.line}`);
		this.specs = [{ name: 'main', command: 'start', userFolder: mainOptions.userFolder || folder('main'), port: mainOptions.port, brokerPort: mainOptions.brokerPort }];
		for (let i = 1; queue && i <= (queue.webhooks ?? 2); i++) this.specs.push({ name: `webhook-${i}`, command: 'webhook', userFolder: folder(`webhook-${i}`) });
		for (let i = 1; queue && i <= (queue.workers ?? 2); i++) this.specs.push({ name: `worker-${i}`, command: 'worker', userFolder: folder(`worker-${i}`) });
		for (const spec of this.specs) {
			spec.port = spec.port || (await freePort());
			spec.brokerPort = spec.brokerPort || (await freePort());
		}
	}

	async startN8n() {
		const { env = {}, webhookUrl, sqlitePoolSize } = this.mainOptions;
		const firstWebhook = this.specs.find((s) => s.command === 'webhook');
		// In queue mode the URL n8n gives to triggers is the first webhook process (a load balancer's place).
		const publicUrl = webhookUrl || (firstWebhook ? `http://127.0.0.1:${firstWebhook.port}/` : undefined);
		this.processes = this.specs.map((spec) => {
			const queueEnv = this.queue ? { ...this.queueEnv, ...(this.queue.env || {}), ...(spec.command === 'start' ? { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' } : {}) } : {};
			return new N8nProcess(this.install, {
				name: spec.name,
				command: spec.command,
				userFolder: spec.userFolder,
				port: /** @type {number} */ (spec.port),
				brokerPort: /** @type {number} */ (spec.brokerPort),
				webhookUrl: publicUrl,
				env: { ...queueEnv, ...env },
				sqlitePoolSize: this.queue ? null : sqlitePoolSize,
			});
		});
		[this.n8n] = this.processes;
		this.webhooks = this.processes.filter((p) => p.command === 'webhook');
		this.workers = this.processes.filter((p) => p.command === 'worker');
		// The main migrates the database first; the others start together once it serves.
		const seconds = await this.n8n.start();
		this.timings.push(`start ${seconds.toFixed(1)} s`);
		if (this.processes.length > 1) {
			const started = Date.now();
			await Promise.all(this.processes.slice(1).map((p) => p.start()));
			this.timings.push(`webhook processes and workers ${((Date.now() - started) / 1000).toFixed(1)} s`);
		}
	}

	/** Peak resident memory of each n8n process, in MB (without n8n's task-runner child). */
	peakMemory() {
		return this.processes.map((p) => {
			const kb = p.peakRssKb();
			return { name: p.name, mb: kb ? Math.round(kb / 1024) : undefined };
		});
	}

	/** The last log lines of every n8n process, for a failure report. */
	logTails(lines = 40) {
		return this.processes
			.filter((p) => p.child)
			.map((p) => `--- ${p.name} log tail (${p.logFile}) ---\n${p.logTail(lines)}`)
			.join('\n');
	}

	async stop() {
		// Webhook processes and workers first, so the main's shutdown is the last word in the database.
		for (const p of [...this.processes].reverse()) await p.stop().catch(() => {});
		for (const service of this.services.reverse()) await service.stop().catch(() => {});
		if (this.fake) await this.fake.stop().catch(() => {});
	}
}

/**
 * A fresh work folder under the system's temporary folder.
 * @param {string} prefix
 */
function workFolder(prefix) {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

module.exports = { startStack, chooseLine, buildAndPack, workFolder, SKIP_BUILD };
