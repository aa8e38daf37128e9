// @ts-check
'use strict';
// Starts and drives a real n8n (installed by ./install.js) for dev mode, e2e tests and benchmarks.
const fs = require('fs');
const net = require('net');
const path = require('path');
const crypto = require('crypto');
const { spawn } = require('child_process');
const { tail } = require('./install');

const BROWSER_ID = 'linkup-e2e-browser';
const OWNER = { email: 'owner@example.com', firstName: 'Demo', lastName: 'Owner', password: 'Linkup-demo-1' };

/** @typedef {import('./install').Install} Install */
/** @typedef {import('child_process').ChildProcess & { exited: Promise<string> }} TrackedChild resolves `exited` to the signal or "exit <code>" */
/** @typedef {{ id: string, name: string }} CredentialRef */
/**
 * @typedef {object} WorkflowNode a node in workflow JSON
 * @property {string} id
 * @property {string} name
 * @property {string} type
 * @property {number} typeVersion
 * @property {number[]} position
 * @property {Record<string, unknown>} parameters
 * @property {string} [webhookId]
 * @property {Record<string, CredentialRef>} [credentials]
 * @property {boolean} [executeOnce]
 */
/** @typedef {{ id: string, name: string, nodes: WorkflowNode[] }} Workflow a workflow as n8n's public API returns it */
/** @typedef {{ id: string, status?: string, finished?: boolean, stoppedAt?: string | null, data?: unknown }} Execution an execution as n8n's public API lists it */
/** @typedef {{ timeoutMs?: number, allowError?: boolean }} RequestOptions */
/** @typedef {{ status: number, body: any }} ApiAnswer n8n's answer, parsed when it is JSON */

/** @param {number} ms */
function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** @returns {Promise<number>} */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {import('net').AddressInfo} */ (server.address());
			server.close(() => resolve(port));
		});
	});
}

/**
 * Polls `check` (async, returns a truthy value when done) until it succeeds or `timeoutMs` passes.
 * @template T
 * @param {string} what
 * @param {() => T | Promise<T>} check
 * @param {{ timeoutMs?: number, intervalMs?: number }} [options]
 * @returns {Promise<Exclude<T, false | 0 | '' | null | undefined>>} what `check` returned
 */
async function waitFor(what, check, { timeoutMs = 30000, intervalMs = 250 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let lastError;
	while (Date.now() < deadline) {
		try {
			const value = await check();
			if (value) return /** @type {Exclude<T, false | 0 | '' | null | undefined>} */ (value);
		} catch (error) {
			if (error.fatal) throw error;
			lastError = error;
		}
		await sleep(intervalMs);
	}
	throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}`);
}

/**
 * @param {string} url
 * @param {RequestInit} [options]
 * @param {number} [timeoutMs]
 */
async function fetchWithTimeout(url, options = {}, timeoutMs = 30000) {
	return fetch(url, { ...options, signal: AbortSignal.timeout(timeoutMs) });
}

/** @type {Set<TrackedChild>} */
const running = new Set();
function killAll() {
	for (const child of running) {
		try {
			process.kill(-Number(child.pid), 'SIGKILL');
		} catch {}
	}
}
process.on('exit', killAll);

/**
 * Spawns a long-running child in its own process group with its output appended to `logFile`; it is
 * killed (with its own children) when this process exits, and by runMain on a crash, Ctrl-C or timeout.
 * @param {string} file
 * @param {string[]} args
 * @param {{ logFile: string, cwd: string, env?: NodeJS.ProcessEnv, uid?: number, gid?: number }} options
 * @returns {TrackedChild}
 */
function spawnTracked(file, args, { logFile, cwd, env = process.env, uid, gid }) {
	const out = fs.openSync(logFile, 'a');
	const child = /** @type {TrackedChild} */ (spawn(file, args, { cwd, env, uid, gid, stdio: ['ignore', out, out], detached: true }));
	fs.closeSync(out);
	running.add(child);
	child.exited = new Promise((resolve) =>
		child.on('exit', (code, signal) => {
			running.delete(child);
			resolve(signal || `exit ${code}`);
		}),
	);
	return child;
}

/**
 * Sends `signal` to a tracked child's group, then SIGKILL after `timeoutMs`; resolves once it exited.
 * @param {TrackedChild} child
 * @param {NodeJS.Signals} [signal]
 * @param {number} [timeoutMs]
 */
async function stopTracked(child, signal = 'SIGTERM', timeoutMs = 30000) {
	if (!running.has(child)) return child.exited;
	try {
		process.kill(-Number(child.pid), signal);
	} catch {}
	const result = await Promise.race([child.exited, sleep(timeoutMs).then(() => 'timeout')]);
	if (result !== 'timeout') return result;
	try {
		process.kill(-Number(child.pid), 'SIGKILL');
	} catch {}
	return Promise.race([child.exited, sleep(5000)]);
}

/**
 * A line printer with an optional prefix, e.g. say('[dev]').
 * @returns {(message: string) => void}
 */
function sayer(prefix = '') {
	return (message) => process.stdout.write(`${prefix && message ? `${prefix} ` : ''}${message}\n`);
}


/**
 * Starts n8n from an install (see install.ensureN8n) with its own user folder on 127.0.0.1.
 * `command` is n8n's: start (the main process), webhook or worker (queue mode). Its log goes to
 * `<userFolder>/n8n.log`.
 */
class N8nProcess {
	/**
	 * `sqlitePoolSize: null` leaves n8n's own default (1.x: no pool, 2.x: 3 readers); `env` is added
	 * last, so it can override anything (e.g. a feature flag a check needs).
	 * @param {Install} install
	 * @param {{ userFolder: string, port: number, brokerPort: number, webhookUrl?: string, env?: NodeJS.ProcessEnv,
	 *   sqlitePoolSize?: string | null, command?: 'start' | 'webhook' | 'worker', name?: string }} options
	 */
	constructor(install, { userFolder, port, brokerPort, webhookUrl, env = {}, sqlitePoolSize = '2', command = 'start', name = command }) {
		this.install = install;
		this.command = command;
		this.name = name;
		this.userFolder = userFolder;
		this.port = port;
		this.brokerPort = brokerPort;
		this.base = `http://127.0.0.1:${port}`;
		this.webhookBase = webhookUrl || `${this.base}/`;
		this.extraEnv = env;
		this.sqlitePoolSize = sqlitePoolSize;
		this.logFile = path.join(userFolder, 'n8n.log');
		/** @type {TrackedChild | undefined} */
		this.child;
		/** @type {Promise<string> | undefined} resolves when the current run ends */
		this.exited;
		/** @type {string | undefined} how the last run ended, while it is not running */
		this.exitInfo;
		/** @type {number} how long the last start took, in seconds */
		this.startSeconds;
	}

	env() {
		return {
			...process.env,
			PATH: `${path.dirname(this.install.nodeBin)}${path.delimiter}${process.env.PATH}`,
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: this.webhookBase,
			N8N_WEBHOOK_URL: this.webhookBase,
			N8N_EDITOR_BASE_URL: `${this.base}/`,
			N8N_SECURE_COOKIE: 'false',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '500',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			...(this.sqlitePoolSize === null ? {} : { DB_SQLITE_POOL_SIZE: process.env.DB_SQLITE_POOL_SIZE || this.sqlitePoolSize }),
			N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
			// No calls to n8n's own services: this machine only talks to 127.0.0.1.
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			...(this.install.nodeMajor >= 24 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
			// A worker serves /healthz/readiness on N8N_PORT's place only when asked to.
			...(this.command === 'worker' ? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(this.port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' } : {}),
			...this.extraEnv,
		};
	}

	/** Spawns n8n and waits until it serves: REST API and node types (main), or its readiness check (database and Redis up). */
	async start({ timeoutMs = 180000 } = {}) {
		fs.mkdirSync(this.userFolder, { recursive: true });
		fs.appendFileSync(this.logFile, `\n===== ${this.command} ${new Date().toISOString()} n8n ${this.install.version} on port ${this.port}\n`);
		const started = Date.now();
		this.exitInfo = undefined;
		const child = spawnTracked(this.install.nodeBin, [this.install.n8nBin, this.command], { cwd: this.userFolder, env: this.env(), logFile: this.logFile });
		this.child = child;
		this.exited = child.exited.then((info) => (this.exitInfo = info));
		await waitFor(
			`n8n ${this.install.version} ${this.name} to serve on ${this.base}`,
			async () => {
				if (this.exitInfo) throw Object.assign(new Error(`n8n exited (${this.exitInfo})`), { fatal: true });
				if (this.command !== 'start') return (await fetchWithTimeout(`${this.base}/healthz/readiness`, {}, 2000)).ok;
				const res = await fetchWithTimeout(`${this.base}/healthz`, {}, 2000);
				if (!res.ok) return false;
				// Until it is ready, n8n answers 200 "n8n is starting up. Please wait" on every path.
				const settings = await fetchWithTimeout(`${this.base}/rest/settings`, {}, 5000);
				if (!settings.ok) return false;
				const body = /** @type {{ data?: { userManagement?: unknown } } | undefined} */ (await settings.json().catch(() => undefined));
				return Boolean(body && body.data && body.data.userManagement);
			},
			{ timeoutMs, intervalMs: 500 },
		).catch((error) => {
			throw new Error(`${error.message}\n--- n8n log tail (${this.logFile}) ---\n${this.logTail()}`);
		});
		this.startSeconds = (Date.now() - started) / 1000;
		return this.startSeconds;
	}

	logTail(lines = 60) {
		return tail(this.logFile, lines);
	}

	/** The whole log of this process (every start). */
	logText() {
		return fs.readFileSync(this.logFile, 'utf8');
	}

	/** Peak resident memory (VmHWM, kB) of the n8n process. */
	peakRssKb() {
		return this.statusKb('VmHWM');
	}

	/** Resident memory now (VmRSS, kB) of the n8n process. */
	rssKb() {
		return this.statusKb('VmRSS');
	}

	/**
	 * A memory figure in kB from /proc/<pid>/status, or undefined when the process is gone.
	 * @param {string} field
	 */
	statusKb(field) {
		try {
			const status = fs.readFileSync(`/proc/${this.child?.pid}/status`, 'utf8');
			const match = status.match(new RegExp(`${field}:\\s+(\\d+)\\s+kB`));
			return match ? Number(match[1]) : undefined;
		} catch {
			return undefined;
		}
	}

	/** Ends the process at once, like a crash or an out-of-memory kill. */
	async kill() {
		if (!this.child || this.exitInfo) return;
		await stopTracked(this.child, 'SIGKILL');
		await this.exited;
	}

	async stop({ timeoutMs = 30000 } = {}) {
		if (!this.child || this.exitInfo) return;
		await stopTracked(this.child, 'SIGTERM', timeoutMs);
		await this.exited;
	}
}

/**
 * Sends `body` as JSON and reads the answer as JSON when it is JSON. An error status throws with
 * the start of the answer, unless `allowError`.
 * @param {string} url
 * @param {string} method
 * @param {Record<string, string>} headers
 * @param {unknown} body
 * @param {RequestOptions} options
 * @returns {Promise<{ res: Response, json: any }>}
 */
async function requestJson(url, method, headers, body, { timeoutMs, allowError }) {
	const sent = body === undefined ? headers : { ...headers, 'content-type': 'application/json' };
	const res = await fetchWithTimeout(url, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body) }, timeoutMs);
	const text = await res.text();
	let json;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = text;
	}
	if (!res.ok && !allowError) throw new Error(`${method} ${url} -> ${res.status}: ${String(text).slice(0, 500)}`);
	return { res, json };
}

/** A small client for n8n's REST (cookie) and public (API key) APIs. */
class N8nClient {
	/** @param {string} base */
	constructor(base) {
		this.base = base.replace(/\/$/, '');
		/** @type {string | undefined} */
		this.cookie = undefined;
		/** @type {string | undefined} */
		this.apiKey = undefined;
	}

	/**
	 * @param {string} method
	 * @param {string} urlPath
	 * @param {unknown} [body]
	 * @param {RequestOptions} [options]
	 * @returns {Promise<ApiAnswer & { raw: any }>} `body` is the `data` of a /rest answer
	 */
	async rest(method, urlPath, body, { timeoutMs = 30000, allowError = false } = {}) {
		/** @type {Record<string, string>} */
		const headers = { 'browser-id': BROWSER_ID, accept: 'application/json' };
		if (this.cookie) headers.cookie = this.cookie;
		const { res, json } = await requestJson(`${this.base}${urlPath}`, method, headers, body, { timeoutMs, allowError });
		const setCookie = res.headers.getSetCookie ? res.headers.getSetCookie() : [];
		for (const c of setCookie) if (c.startsWith('n8n-auth=')) this.cookie = c.split(';')[0];
		return { status: res.status, body: json && json.data !== undefined && urlPath.startsWith('/rest') ? json.data : json, raw: json };
	}

	/**
	 * @param {string} method
	 * @param {string} urlPath
	 * @param {unknown} [body]
	 * @param {RequestOptions} [options]
	 * @returns {Promise<ApiAnswer>}
	 */
	async api(method, urlPath, body, { timeoutMs = 30000, allowError = false } = {}) {
		const headers = { 'X-N8N-API-KEY': String(this.apiKey), accept: 'application/json' };
		const { res, json } = await requestJson(`${this.base}/api/v1${urlPath}`, method, headers, body, { timeoutMs, allowError });
		return { status: res.status, body: json };
	}

	/** Creates the owner account on a fresh instance, or logs in when it already exists. */
	async ensureOwner(owner = OWNER) {
		const settings = await this.rest('GET', '/rest/settings');
		const needsSetup = settings.body && settings.body.userManagement && settings.body.userManagement.showSetupOnFirstLoad;
		if (needsSetup) {
			await this.rest('POST', '/rest/owner/setup', owner);
		} else {
			await this.login(owner);
		}
		if (!this.cookie) throw new Error('n8n did not return an auth cookie');
		return owner;
	}

	async login(owner = OWNER) {
		await this.rest('POST', '/rest/login', { emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password });
	}

	/** Creates a public-API key with every scope the instance offers; the key is kept in memory only. */
	async createApiKey(label = `e2e-${Date.now()}`) {
		let scopes;
		const scopesRes = await this.rest('GET', '/rest/api-keys/scopes', undefined, { allowError: true });
		if (scopesRes.status === 200 && Array.isArray(scopesRes.body)) scopes = scopesRes.body;
		/** @type {{ label: string, expiresAt: null, scopes?: string[] }} */
		const body = { label, expiresAt: null };
		if (scopes) body.scopes = scopes;
		const res = await this.rest('POST', '/rest/api-keys', body);
		const key = res.body.rawApiKey || res.body.apiKey;
		if (!key) throw new Error('n8n did not return an API key');
		this.apiKey = key;
		return true;
	}

	/** @returns {Promise<Set<string>>} */
	async nodeTypeNames() {
		const res = await fetchWithTimeout(`${this.base}/types/nodes.json`, { headers: { cookie: this.cookie || '', 'browser-id': BROWSER_ID } });
		if (!res.ok) throw new Error(`GET /types/nodes.json -> ${res.status}`);
		const types = /** @type {Array<{ name: string }>} */ (await res.json());
		return new Set(types.map((t) => t.name));
	}

	/** @returns {Promise<Set<string>>} */
	async credentialTypeNames() {
		const res = await fetchWithTimeout(`${this.base}/types/credentials.json`, { headers: { cookie: this.cookie || '', 'browser-id': BROWSER_ID } });
		if (!res.ok) throw new Error(`GET /types/credentials.json -> ${res.status}`);
		const types = /** @type {Array<{ name: string }>} */ (await res.json());
		return new Set(types.map((t) => t.name));
	}

	/**
	 * Creates a LinkupAPI credential through the public API; returns its id.
	 * @param {{ name: string, apiKey: string, baseUrl: string }} credential
	 * @returns {Promise<string>}
	 */
	async createLinkupCredential({ name, apiKey, baseUrl }) {
		// n8n 1.123's schema check wants allowedHttpRequestDomains for types with an authenticate block.
		const attempts = [
			{ apiKey, baseUrl, allowedHttpRequestDomains: 'all' },
			{ apiKey, baseUrl },
		];
		let lastError;
		for (const data of attempts) {
			const res = await this.api('POST', '/credentials', { name, type: 'linkupApi', data }, { allowError: true });
			if (res.status < 300) return res.body.id;
			lastError = `${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`;
		}
		throw new Error(`could not create the LinkupAPI credential: ${lastError}`);
	}

	/**
	 * Returns the id of the LinkupAPI credential called `name`, creating it when missing (through the
	 * public API when an API key exists, else through the REST API the editor uses).
	 * @param {{ name: string, apiKey: string, baseUrl: string }} credential
	 * @returns {Promise<string>}
	 */
	async ensureLinkupCredential({ name, apiKey, baseUrl }) {
		const existing = await this.rest('GET', '/rest/credentials', undefined, { allowError: true });
		const found = existing.status === 200 && Array.isArray(existing.body) && existing.body.find((/** @type {{ name: string, type: string }} */ c) => c.name === name && c.type === 'linkupApi');
		if (found) return found.id;
		if (this.apiKey) return this.createLinkupCredential({ name, apiKey, baseUrl });
		const res = await this.rest('POST', '/rest/credentials', { name, type: 'linkupApi', data: { apiKey, baseUrl } }, { allowError: true });
		if (res.status < 300) return res.body.id;
		await this.createApiKey(`credential-${Date.now()}`);
		return this.createLinkupCredential({ name, apiKey, baseUrl });
	}

	/**
	 * @param {{ name: string, nodes: WorkflowNode[], connections?: object, settings?: object }} workflow
	 * @returns {Promise<Workflow>}
	 */
	async createWorkflow(workflow) {
		const res = await this.api('POST', '/workflows', { settings: { executionOrder: 'v1' }, connections: {}, ...workflow });
		return res.body;
	}

	/** @param {string} id */
	async activate(id) {
		return this.api('POST', `/workflows/${id}/activate`, undefined, { allowError: true, timeoutMs: 60000 });
	}

	/** @param {string} id */
	async deactivate(id) {
		return this.api('POST', `/workflows/${id}/deactivate`, undefined, { allowError: true, timeoutMs: 60000 });
	}

	/** @param {string} id */
	async publicationStatus(id) {
		const res = await this.rest('GET', `/rest/workflows/${id}/publication-status`, undefined, { allowError: true });
		return res.status === 200 ? res.body : undefined;
	}

	/**
	 * @param {string} workflowId
	 * @returns {Promise<Execution[]>}
	 */
	async executions(workflowId, { includeData = true } = {}) {
		/** @type {Execution[]} */
		const list = [];
		let cursor;
		for (let page = 0; page < 50; page++) {
			const qs = new URLSearchParams({ workflowId: String(workflowId), includeData: String(includeData), limit: '250' });
			if (cursor) qs.set('cursor', cursor);
			const res = await this.api('GET', `/executions?${qs}`);
			list.push(...res.body.data);
			cursor = res.body.nextCursor;
			if (!cursor) break;
		}
		return list;
	}
}

/**
 * Builds node JSON for a workflow.
 * @param {string} name
 * @param {string} type
 * @param {Record<string, unknown>} parameters
 * @param {Partial<WorkflowNode>} [extra]
 * @returns {WorkflowNode}
 */
function node(name, type, parameters, extra = {}) {
	return { id: crypto.randomUUID(), name, type, typeVersion: 1, position: [0, 0], parameters, ...extra };
}

/**
 * A resource-locator parameter value: by id, or picked from the list when a display name is given.
 * @param {string} value
 * @param {string} [cachedResultName]
 */
function rl(value, cachedResultName) {
	return cachedResultName ? { __rl: true, mode: 'list', value, cachedResultName } : { __rl: true, mode: 'id', value };
}

/**
 * Runs a script's `main()` and exits with the code it resolves to. Every child process the script
 * started is killed on success, on a crash, on Ctrl-C and after `timeoutMs`; `onFailure(reason)`
 * prints the script's own last words for a crash or the timeout.
 * @param {() => Promise<number | undefined>} main resolves to the exit code
 * @param {{ timeoutMs?: number, onFailure?: (reason: string) => void, onSignal?: () => Promise<void> }} options
 */
function runMain(main, { timeoutMs, onFailure = (reason) => process.stderr.write(`${reason}\n`), onSignal }) {
	/** @param {number} code */
	const exit = (code) => {
		killAll();
		process.exit(code);
	};
	if (timeoutMs) {
		const watchdog = setTimeout(() => {
			onFailure(`overall timeout of ${timeoutMs / 1000} s reached`);
			exit(1);
		}, timeoutMs);
		watchdog.unref();
	}
	// `onSignal` (optional) stops things gently first, e.g. n8n with its persistent database; a second
	// Ctrl-C, or 30 s, ends it at once.
	let stopping = false;
	/** @param {number} code */
	const onStop = async (code) => {
		if (stopping || !onSignal) return exit(code);
		stopping = true;
		await Promise.race([Promise.resolve(onSignal()).catch(() => {}), sleep(30000)]);
		exit(code);
	};
	for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => onStop(130));
	main().then(
		(code) => exit(code ?? 0),
		(error) => {
			onFailure(`crashed: ${error.stack}`);
			exit(1);
		},
	);
}

module.exports = { N8nProcess, N8nClient, OWNER, freePort, waitFor, sleep, node, rl, fetchWithTimeout, killAll, runMain, spawnTracked, stopTracked, sayer };
