#!/usr/bin/env node
// Lints the package the way n8n's community-package scanner does (@n8n/scan-community-package):
// the source (package.json, nodes/, credentials/) and the JavaScript inside the `npm pack` tarball,
// with n8n's community rules plus eslint-plugin-n8n-nodes-base, `no-console`, and inline
// `eslint-disable` comments ignored (allowInlineConfig: false).
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');

async function buildScanConfig() {
	const { defineConfig } = await import('eslint/config');
	const { n8nCommunityNodesPlugin } = await import('@n8n/eslint-plugin-community-nodes');
	const tsParser = (await import('@typescript-eslint/parser')).default;
	const n8nNodesPlugin = (await import('eslint-plugin-n8n-nodes-base')).default;
	return defineConfig(
		n8nCommunityNodesPlugin.configs.recommended,
		{ rules: { 'no-console': 'error' } },
		{ plugins: { 'n8n-nodes-base': n8nNodesPlugin } },
		{ files: ['package.json'], rules: { ...n8nNodesPlugin.configs.community.rules } },
		{
			files: ['**/credentials/**/*.ts'],
			rules: {
				...n8nNodesPlugin.configs.credentials.rules,
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
				'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
			},
		},
		{
			files: ['**/nodes/**/*.ts'],
			rules: {
				...n8nNodesPlugin.configs.nodes.rules,
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
				'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			},
		},
		{ files: ['**/*.json'], languageOptions: { parser: tsParser } },
		{ files: ['**/*.ts'], languageOptions: { parser: tsParser } },
	);
}

function listFiles(dir, predicate, base = dir) {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : listFiles(full, predicate, base);
		return predicate(full) ? [full] : [];
	});
}

async function lint(cwd, files, label, config, ESLint) {
	const eslint = new ESLint({ cwd, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: config });
	const results = await eslint.lintFiles(files);
	const errors = results.reduce((sum, r) => sum + r.errorCount, 0);
	const warnings = results.reduce((sum, r) => sum + r.warningCount, 0);
	const formatter = await eslint.loadFormatter('stylish');
	const text = await formatter.format(results);
	if (text.trim()) process.stdout.write(text);
	console.log(`${label}: ${files.length} files, ${errors} errors, ${warnings} warnings`);
	return errors;
}

async function main() {
	const { ESLint } = await import('eslint');
	const config = await buildScanConfig();
	const sourceFiles = [
		path.join(root, 'package.json'),
		...listFiles(path.join(root, 'nodes'), (f) => /\.(js|ts|json)$/.test(f)),
		...listFiles(path.join(root, 'credentials'), (f) => /\.(js|ts|json)$/.test(f)),
	];
	let errors = await lint(root, sourceFiles, 'source', config, ESLint);

	// Lint what would be published now, never a stale dist/.
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linkup-lint-'));
	try {
		const output = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], {
			cwd: root,
			encoding: 'utf8',
		});
		const tarball = path.join(packDir, JSON.parse(output)[0].filename);
		const unpacked = path.join(packDir, 'package');
		execFileSync('tar', ['-xzf', tarball, '-C', packDir]);
		const tarballFiles = listFiles(unpacked, (f) => /\.js$/.test(f) || f === path.join(unpacked, 'package.json'));
		errors += await lint(unpacked, tarballFiles, 'npm pack tarball', config, ESLint);
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}
	process.exitCode = errors > 0 ? 1 : 0;
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
