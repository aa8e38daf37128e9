// @ts-check
'use strict';
// PostgreSQL and Redis for n8n's queue mode: installs Debian's `postgresql` and `redis-server`
// packages when they are missing (apt-get, as root), then runs each server as an unprivileged user
// in a temporary folder on a free port of 127.0.0.1. The servers are children of this process:
// harness.runMain stops them on exit, crash, Ctrl-C and timeout like every other process it started.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { run } = require('./install');
const { freePort, waitFor, spawnTracked, stopTracked } = require('./harness');

const PG_MAJOR = 15;
const DATABASE = 'n8n';
const DB_USER = 'n8n';
// Who runs the servers when this script runs as root (PostgreSQL refuses to run as root).
const SERVICE_USER = 'nobody';

/** @typedef {{ uid?: number, gid?: number }} Identity who runs a server: empty for the current user */
/** @typedef {{ port: number, env: Record<string, string>, stop: () => Promise<void> }} Service a running server and the n8n settings that reach it */

/**
 * @param {string} name
 * @returns {string | undefined} where the binary is, if PostgreSQL is installed
 */
function postgresBin(name) {
	const preferred = `/usr/lib/postgresql/${PG_MAJOR}/bin/${name}`;
	if (fs.existsSync(preferred)) return preferred;
	const root = '/usr/lib/postgresql';
	const majors = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
	for (const major of majors) if (fs.existsSync(path.join(root, major, 'bin', name))) return path.join(root, major, 'bin', name);
	return undefined;
}

function redisBin() {
	return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((file) => fs.existsSync(file));
}

/**
 * Installs the Debian packages that are missing; one apt-get run for both.
 * @param {string} logDir
 * @param {(message: string) => void} [say]
 */
async function ensureServerPackages(logDir, say = () => {}) {
	const missing = [];
	if (!postgresBin('postgres')) missing.push('postgresql');
	if (!redisBin()) missing.push('redis-server');
	if (!missing.length) return { installed: [], seconds: 0 };
	if (process.getuid && process.getuid() !== 0) {
		throw new Error(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed: run "sudo apt-get install -y ${missing.join(' ')}" and start again.`);
	}
	const started = Date.now();
	say(`installing Debian packages ${missing.join(', ')} (apt-get)...`);
	// policy-rc.d-style guard: the packages must not start system-wide servers on fixed ports.
	const options = { cwd: logDir, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', RUNLEVEL: '1' }, logFile: path.join(logDir, 'apt.log'), timeoutMs: 900000 };
	await run('apt-get', ['update', '-qq'], options);
	await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], options);
	if (!postgresBin('postgres') || !redisBin()) throw new Error(`apt-get install ${missing.join(' ')} did not provide the servers; see ${options.logFile}`);
	return { installed: missing, seconds: (Date.now() - started) / 1000 };
}

/**
 * uid/gid to run a server as: the current user, or `nobody` when that is root.
 * @returns {Identity}
 */
function serviceIdentity() {
	if (!process.getuid || process.getuid() !== 0) return {};
	const uid = Number(execFileSync('id', ['-u', SERVICE_USER], { encoding: 'utf8' }).trim());
	const gid = Number(execFileSync('id', ['-g', SERVICE_USER], { encoding: 'utf8' }).trim());
	return { uid, gid };
}

/**
 * A folder the service user owns, under `parent` (which must be reachable by it, e.g. /tmp).
 * @param {string} parent
 * @param {string} prefix
 * @param {Identity} identity
 */
function serviceFolder(parent, prefix, identity) {
	const dir = fs.mkdtempSync(path.join(parent, prefix));
	if (identity.uid !== undefined) fs.chownSync(dir, identity.uid, /** @type {number} */ (identity.gid));
	// Also after a crash: runMain has killed the server by then (its 'exit' handler runs first).
	process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
	return dir;
}

/**
 * @param {Identity} identity
 * @param {string} file
 * @param {string[]} args
 * @param {string} logFile
 */
function runAs(identity, file, args, logFile) {
	const out = fs.openSync(logFile, 'a');
	try {
		execFileSync(file, args, { ...identity, cwd: '/', stdio: ['ignore', out, out], timeout: 120000 });
	} finally {
		fs.closeSync(out);
	}
}

/**
 * Starts a fresh PostgreSQL cluster with a database `n8n` owned by user `n8n` (trust authentication,
 * 127.0.0.1 only). Call ensureServerPackages first.
 * @param {{ parent?: string, logDir?: string }} [options]
 * @returns {Promise<Service & { dir: string, logFile: string }>}
 */
async function startPostgres({ parent = os.tmpdir(), logDir } = {}) {
	const identity = serviceIdentity();
	const dir = serviceFolder(parent, 'linkup-pg-', identity);
	const dataDir = path.join(dir, 'data');
	const logFile = path.join(logDir || dir, 'postgres.log');
	/** @param {string} name */
	const bin = (name) => /** @type {string} */ (postgresBin(name));
	runAs(identity, bin('initdb'), ['-D', dataDir, '-U', DB_USER, '--auth=trust', '--encoding=UTF8', '--no-sync'], logFile);
	const port = await freePort();
	const child = spawnTracked(bin('postgres'), ['-D', dataDir, '-h', '127.0.0.1', '-p', String(port), '-k', dir, '-c', 'max_connections=200'], {
		...identity,
		cwd: dir,
		logFile,
	});
	await waitFor(
		`PostgreSQL on 127.0.0.1:${port}`,
		() => {
			if (child.exitCode !== null) throw Object.assign(new Error(`postgres exited; log ${logFile}`), { fatal: true });
			try {
				execFileSync(bin('pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', DB_USER], { stdio: 'ignore' });
				return true;
			} catch {
				return false;
			}
		},
		{ timeoutMs: 60000, intervalMs: 300 },
	);
	runAs(identity, bin('createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', DB_USER, DATABASE], logFile);
	const env = {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(port),
		DB_POSTGRESDB_DATABASE: DATABASE,
		DB_POSTGRESDB_USER: DB_USER,
		DB_POSTGRESDB_PASSWORD: '',
	};
	return {
		port,
		dir,
		logFile,
		env,
		// SIGINT is PostgreSQL's "fast shutdown".
		stop: async () => {
			await stopTracked(child, 'SIGINT');
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/**
 * Starts a Redis server without persistence. Call ensureServerPackages first.
 * @param {{ parent?: string, logDir?: string }} [options]
 * @returns {Promise<Service>}
 */
async function startRedis({ parent = os.tmpdir(), logDir } = {}) {
	const identity = serviceIdentity();
	const dir = serviceFolder(parent, 'linkup-redis-', identity);
	const logFile = path.join(logDir || dir, 'redis.log');
	const port = await freePort();
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--protected-mode', 'yes'];
	const child = spawnTracked(/** @type {string} */ (redisBin()), args, { ...identity, cwd: dir, logFile });
	await waitFor(
		`Redis on 127.0.0.1:${port}`,
		() => {
			if (child.exitCode !== null) throw Object.assign(new Error(`redis-server exited; log ${logFile}`), { fatal: true });
			return /Ready to accept connections/.test(fs.readFileSync(logFile, 'utf8'));
		},
		{ timeoutMs: 30000, intervalMs: 200 },
	);
	return {
		port,
		env: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
		stop: async () => {
			await stopTracked(child, 'SIGTERM');
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

module.exports = { ensureServerPackages, startPostgres, startRedis };
