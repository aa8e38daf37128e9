#!/usr/bin/env node
// @ts-check
// npm run lint: the checks n8n's verification runs, done here before a release can fail them, and
// the tooling's type check.
// 1. The GitHub Actions workflows are validated against GitHub's schema (@action-validator/core),
//    so a typo fails here, not on GitHub.
// 2. n8n's own scanner (@n8n/scan-community-package, pinned in devDependencies) lints the package
//    with its own exported function, configuration and file patterns (nothing copied here):
//    - the source as GitHub serves it for a commit: `git archive` of the working tree as it would be
//      committed now (tracked and untracked files, .gitignore and export-ignore applied; in CI this
//      is HEAD), with the scanner's source patterns;
//    - the `npm pack` tarball of a fresh build, with the scanner's tarball patterns.
// 3. package.json keeps publishConfig.provenance, npm's own refusal of an unattested publish.
// 4. The tooling (scripts/, test/e2e/, test/fake-linkupapi/) is JavaScript that plain `node` runs on a
//    fresh clone before anything is built; TypeScript checks it from its JSDoc types with
//    tsconfig.tooling.json (strict), so a type error there fails lint.
// Options (used by test/scripts/lint.test.ts): --root <dir> lints another checkout.
'use strict';
const { execFile, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const SCANNER_MODULE = '@n8n/scan-community-package/scanner/scanner.mjs';
const TOOLING_TSCONFIG = 'tsconfig.tooling.json';

/**
 * What @action-validator/core reports for a workflow (its own type omits `path` on some errors).
 * @typedef {{ path?: string, title: string, detail?: string, states?: Array<{ errors?: WorkflowProblem[] }> }} WorkflowProblem
 */
/** @typedef {{ passed: boolean, message: string, details?: string }} ScanResult */
/** @typedef {{ analyzePackage(dir: string, patterns: string[]): Promise<ScanResult>, SOURCE_FILE_PATTERNS: string[] }} Scanner */

// The scanner exports its source patterns but passes the tarball's inline, in analyzePackageByName:
// `analyzePackage(packageDir, [...])`. Read them from there so a scanner update cannot drift from this.
/** @returns {string[]} */
function scannerTarballPatterns() {
	const source = fs.readFileSync(require.resolve(SCANNER_MODULE), 'utf8');
	const match = /analyzePackage\(\s*packageDir\s*,\s*(\[[^\]]*\])\s*\)/.exec(source);
	if (!match) throw new Error(`Cannot find the tarball file patterns in ${SCANNER_MODULE}: update scripts/lint.js for this scanner version.`);
	return JSON.parse(match[1].replace(/'/g, '"'));
}

/**
 * @param {string} name
 * @param {string} fallback
 */
function argValue(name, fallback) {
	const index = process.argv.indexOf(name);
	return index === -1 ? fallback : path.resolve(process.argv[index + 1]);
}

/** @param {string} root */
function validateWorkflows(root) {
	const { validateWorkflow } = require('@action-validator/core');
	const dir = path.join(root, '.github', 'workflows');
	const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)) : [];
	let errors = 0;
	for (const file of files) {
		const result = validateWorkflow(fs.readFileSync(path.join(dir, file), 'utf8'));
		for (const error of /** @type {WorkflowProblem[]} */ (result.errors)) {
			errors += 1;
			console.log(`.github/workflows/${file}: ${error.path || '/'} ${error.title}${error.detail ? `: ${error.detail}` : ''}`);
			for (const state of error.states || []) {
				for (const inner of state.errors || []) console.log(`    ${inner.path} ${inner.detail || inner.title}`);
			}
		}
	}
	console.log(`workflows: ${files.length} files, ${errors} errors`);
	return errors;
}

/**
 * Type-checks the tooling with tsconfig.tooling.json, as `npx tsc -p tsconfig.tooling.json` does.
 * @param {string} root
 * @returns {number} the number of errors
 */
function checkToolingTypes(root) {
	const ts = require('typescript');
	const configFile = path.join(root, TOOLING_TSCONFIG);
	const read = ts.readConfigFile(configFile, ts.sys.readFile);
	const parsed = read.error ? undefined : ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, configFile);
	const program = parsed && ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
	const diagnostics = read.error ? [read.error] : [...(parsed?.errors ?? []), ...(program ? ts.getPreEmitDiagnostics(program) : [])];
	if (diagnostics.length) {
		process.stdout.write(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (file) => file, getCurrentDirectory: () => root, getNewLine: () => '\n' }));
	}
	console.log(`tooling types (${TOOLING_TSCONFIG}): ${parsed ? parsed.fileNames.length : 0} files, ${diagnostics.length} errors`);
	return diagnostics.length;
}

// n8n verifies only versions published with npm provenance; this setting makes npm refuse a publish
// it cannot attest, such as one from a laptop (docs/verification.md).
/** @param {string} root */
function checkProvenanceSetting(root) {
	const { publishConfig } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	const ok = Boolean(publishConfig && publishConfig.provenance === true);
	console.log(`release guard: ${ok ? 'publishConfig.provenance is true' : 'package.json must set publishConfig.provenance to true, or a version could be published without the provenance n8n requires (see docs/verification.md)'}`);
	return ok ? 0 : 1;
}

// The scanner module creates a temporary folder when it loads; give it one we remove afterwards.
/**
 * @param {string} tempDir
 * @returns {Promise<Scanner>}
 */
async function importScanner(tempDir) {
	const saved = process.env.TMPDIR;
	process.env.TMPDIR = tempDir;
	try {
		return await import(SCANNER_MODULE);
	} finally {
		if (saved === undefined) delete process.env.TMPDIR;
		else process.env.TMPDIR = saved;
	}
}

// The tree a commit of the working tree would have, exported the way GitHub serves a commit.
/**
 * @param {string} root
 * @param {string} work
 */
function exportSource(root, work) {
	/**
	 * @param {string[]} args
	 * @param {{ env?: NodeJS.ProcessEnv, stdio?: import('child_process').StdioOptions }} [options]
	 */
	const git = (args, options = {}) => execFileSync('git', args, { cwd: root, encoding: 'utf8', ...options }).trim();
	try {
		git(['rev-parse', '--is-inside-work-tree'], { stdio: ['ignore', 'pipe', 'ignore'] });
	} catch {
		throw new Error(`${root} is not a git checkout. The scanner lints the source GitHub serves for a commit, so run npm run lint in a clone.`);
	}
	const index = path.join(work, 'index');
	const realIndex = path.resolve(root, git(['rev-parse', '--git-path', 'index']));
	if (fs.existsSync(realIndex)) fs.copyFileSync(realIndex, index);
	const env = { ...process.env, GIT_INDEX_FILE: index };
	git(['add', '--all'], { env });
	const tree = git(['write-tree'], { env });
	const sourceDir = path.join(work, 'source');
	fs.mkdirSync(sourceDir);
	execFileSync('git', ['archive', '--output', path.join(work, 'source.tar'), tree], { cwd: root });
	execFileSync('tar', ['-xf', path.join(work, 'source.tar'), '-C', sourceDir]);
	return sourceDir;
}

// A fresh build, never a stale dist/. It runs while the source is scanned.
/** @param {string} root */
function build(root) {
	return new Promise((resolve, reject) =>
		execFile('npm', ['run', 'build', '--silent'], { cwd: root }, (error, stdout, stderr) =>
			error ? reject(new Error(`npm run build failed:\n${stdout}${stderr}`)) : resolve(undefined),
		),
	);
}

// The built package as npm packs it, extracted.
/**
 * @param {string} root
 * @param {string} work
 */
function packTarball(root, work) {
	const output = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' });
	execFileSync('tar', ['-xzf', path.join(work, JSON.parse(output)[0].filename), '-C', work]);
	return path.join(work, 'package');
}

/**
 * @param {Scanner} scanner
 * @param {string} dir
 * @param {string[]} patterns
 * @param {string} label
 */
async function scan(scanner, dir, patterns, label) {
	const result = await scanner.analyzePackage(dir, patterns);
	// Paths relative to the exported folder, as the scanner's report would show inside its checkout.
	if (result.details) process.stdout.write(result.details.split(`${dir}${path.sep}`).join(''));
	// The scanner passes a folder where its patterns match nothing; here that means a broken export.
	const failed = !result.passed || result.message === 'No files found to analyze';
	console.log(`${label} (${patterns.join(', ')}): ${failed ? `FAILED: ${result.message}` : 'passed'}`);
	return failed ? 1 : 0;
}

async function main() {
	// eslint-plugin-n8n-nodes-base treats every file as "Test.node.ts" when NODE_ENV is test (as under
	// jest), which changes its verdict; the scanner never runs that way.
	if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;
	const root = argValue('--root', path.resolve(__dirname, '..'));
	const started = Date.now();
	const built = build(root);
	built.catch(() => {});
	let errors = validateWorkflows(root) + checkToolingTypes(root) + checkProvenanceSetting(root);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'linkup-lint-'));
	try {
		const scanner = await importScanner(work);
		errors += await scan(scanner, exportSource(root, work), scanner.SOURCE_FILE_PATTERNS, 'scanner on the source (git archive)');
		await built;
		errors += await scan(scanner, packTarball(root, work), scannerTarballPatterns(), 'scanner on the npm pack tarball');
	} finally {
		await built.catch(() => {});
		fs.rmSync(work, { recursive: true, force: true });
	}
	console.log(`lint: ${errors ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	process.exitCode = errors > 0 ? 1 : 0;
}

module.exports = { SCANNER_MODULE, scannerTarballPatterns };

if (require.main === module) {
	main().catch((error) => {
		console.error(`lint failed: ${error.message}`);
		process.exitCode = 1;
	});
}
