// @ts-check
'use strict';
// `npm run dev -- --watch`: when a file under nodes/ or credentials/ changes, rebuild, re-pack and
// reinstall the package into the running n8n's user folder, then restart n8n so it loads the new
// code. The user folder (owner, credentials, workflows) and the demo LinkupAPI stay as they are.
// The restart loads the new build the way a user's n8n loads an updated community package: at start.
const fs = require('fs');
const path = require('path');
const { ROOT, packProject, installPackageInto, run } = require('./install');

const WATCHED_DIRS = ['nodes', 'credentials'];
// Editors save in bursts (temporary file, rename, chmod): wait for the burst to end.
const SETTLE_MS = 300;

/** @param {number} since epoch ms */
function seconds(since) {
	return ((Date.now() - since) / 1000).toFixed(1);
}

/**
 * Watches the package sources and reloads `n8n` (a harness N8nProcess) after each change.
 * `afterRestart` runs once the new n8n answers (dev.js re-arms its crash watch there).
 * Returns { close, reloading }: `reloading` is true while n8n is being restarted on purpose.
 * @param {{ n8n: import('./harness').N8nProcess, userFolder: string, packDir: string, say: (message: string) => void, afterRestart?: () => void }} options
 */
function watchAndReload({ n8n, userFolder, packDir, say, afterRestart = () => {} }) {
	const state = { reloading: false, closed: false };
	/** @type {Set<string>} */
	const changed = new Set();
	/** @type {NodeJS.Timeout | undefined} */
	let timer;
	let busy = false;

	async function reload() {
		busy = true;
		// Editors' temporary files come and go within a save; name what is still there.
		const files = [...changed].filter((file) => fs.existsSync(path.join(ROOT, file)));
		changed.clear();
		const started = Date.now();
		say(`changed: ${files.join(', ') || 'files removed'}; rebuilding...`);
		try {
			// Build and install while the old n8n keeps serving: it has its node classes in memory.
			const buildLog = path.join(packDir, 'build.log');
			fs.writeFileSync(buildLog, '');
			await run('npm', ['run', 'build'], { cwd: ROOT, env: process.env, logFile: buildLog, timeoutMs: 300000 });
			const built = seconds(started);
			const installStarted = Date.now();
			await installPackageInto(userFolder, await packProject(packDir));
			const installed = seconds(installStarted);
			const restartStarted = Date.now();
			state.reloading = true;
			await n8n.stop();
			const stopped = seconds(restartStarted);
			await n8n.start();
			state.reloading = false;
			afterRestart();
			say(`reloaded in ${seconds(started)} s (build ${built} s, pack and install ${installed} s, n8n stop ${stopped} s and start ${n8n.startSeconds.toFixed(1)} s)`);
		} catch (error) {
			state.reloading = false;
			// A compile error leaves the running n8n as it was; the next save tries again.
			const lines = error.message.split('\n');
			say(`reload failed after ${seconds(started)} s: ${[lines[0], ...lines.slice(1).slice(-15)].join('\n')}`);
			if (n8n.exitInfo) afterRestart();
		}
		busy = false;
		if (changed.size > 0 && !state.closed) schedule();
	}

	function schedule() {
		clearTimeout(timer);
		timer = setTimeout(() => {
			if (!busy && !state.closed) reload();
		}, SETTLE_MS);
	}

	// One watch per folder: Node 20's recursive fs.watch on Linux loses a file once an editor or git
	// replaces it, while a folder's watch sees every name in it, replaced or new.
	/** @type {Map<string, fs.FSWatcher>} */
	const watchers = new Map();
	/** @param {string} dir */
	function watchFolder(dir) {
		if (watchers.has(dir) || !fs.existsSync(path.join(ROOT, dir))) return;
		watchers.set(
			dir,
			fs.watch(path.join(ROOT, dir), (event, name) => {
				if (!name) return;
				const file = path.join(dir, name);
				let isFolder = false;
				try {
					isFolder = fs.statSync(path.join(ROOT, file)).isDirectory();
				} catch {}
				if (isFolder) watchFolder(file);
				else changed.add(file);
				if (!busy) schedule();
			}),
		);
		for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
			if (entry.isDirectory()) watchFolder(path.join(dir, entry.name));
		}
	}
	WATCHED_DIRS.forEach(watchFolder);
	fs.mkdirSync(packDir, { recursive: true });
	say(`watching ${WATCHED_DIRS.join('/ and ')}/: a change rebuilds the package and restarts n8n`);

	return {
		get reloading() {
			return state.reloading;
		},
		close() {
			state.closed = true;
			clearTimeout(timer);
			for (const watcher of watchers.values()) watcher.close();
		},
	};
}

module.exports = { watchAndReload };
