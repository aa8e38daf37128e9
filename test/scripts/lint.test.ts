// `npm run lint` flags what n8n's community-package scanner flags.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// `npm run lint` must reach the verdict n8n's scanner reaches: plant violations in a copy of this
// checkout, then compare what scripts/lint.js reports with what @n8n/scan-community-package's own
// analyzePackage reports on the same source and on the same packed tarball.
const root = path.resolve(__dirname, '..', '..');
const lintScript = path.join(root, 'scripts', 'lint.js');

let work: string;
let copy: string;

// Tracked and untracked files of this checkout (as a commit of it would hold them), in a new git repository.
function copyCheckout(to: string) {
	const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
		.split('\0')
		.filter((file) => file && fs.existsSync(path.join(root, file)));
	for (const file of files) {
		fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
		fs.copyFileSync(path.join(root, file), path.join(to, file));
	}
	fs.symlinkSync(path.join(root, 'node_modules'), path.join(to, 'node_modules'));
	execFileSync('git', ['init', '-q'], { cwd: to });
}

function plant(file: string, transform: (text: string) => string, into = copy) {
	const full = path.join(into, file);
	const before = fs.readFileSync(full, 'utf8');
	const after = transform(before);
	expect(after).not.toBe(before);
	fs.writeFileSync(full, after);
}

// "<file> <rule>" for each error in ESLint's stylish report.
function findings(report: string): string[] {
	const found: string[] = [];
	let file = '';
	for (const line of report.split('\n')) {
		const problem = /^\s+\d+:\d+\s+error\s+.*\s(\S+)\s*$/.exec(line);
		if (problem) found.push(`${file} ${problem[1]}`);
		else if (/^\S/.test(line) && !line.startsWith('✖')) file = line.trim();
	}
	return found.sort();
}

// scripts/lint.js prints each scan's report, then a line naming the scan.
function lintFindings(output: string, scanLabel: string): string[] {
	const sections = output.split(/^(scanner on [^\n]*)$/m);
	const index = sections.findIndex((section) => section.startsWith(scanLabel));
	expect(index).toBeGreaterThan(0);
	return findings(sections[index - 1]);
}

function scannerFindings(dir: string, which: 'source' | 'tarball'): string[] {
	const script = `
		const { SCANNER_MODULE, scannerTarballPatterns } = require(${JSON.stringify(lintScript)});
		import(SCANNER_MODULE).then(async (scanner) => {
			const patterns = process.argv[2] === 'source' ? scanner.SOURCE_FILE_PATTERNS : scannerTarballPatterns();
			const result = await scanner.analyzePackage(process.argv[1], patterns);
			process.stdout.write(JSON.stringify(result));
		});`;
	// Without jest's NODE_ENV=test, which switches eslint-plugin-n8n-nodes-base into its own test mode.
	const env = { ...process.env, TMPDIR: work, NODE_ENV: '' };
	const child = spawnSync(process.execPath, ['-e', script, dir, which], { cwd: root, encoding: 'utf8', env });
	expect(child.stderr).toBe('');
	const result = JSON.parse(child.stdout) as { passed: boolean; details?: string };
	return findings((result.details ?? '').split(`${dir}${path.sep}`).join(''));
}

function packCopy(): string {
	const output = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: copy, encoding: 'utf8' });
	const unpacked = path.join(work, 'unpacked');
	fs.mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', path.join(work, JSON.parse(output)[0].filename), '-C', unpacked]);
	return path.join(unpacked, 'package');
}

beforeAll(() => {
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'linkup-lint-test-'));
	copy = path.join(work, 'checkout');
	copyCheckout(copy);
});

afterAll(() => {
	fs.rmSync(work, { recursive: true, force: true });
});

describe('npm run lint', () => {
	it('flags exactly what n8n’s scanner flags, in the source and in the tarball, a broken workflow and a publish without provenance', () => {
		expect(scannerFindings(copy, 'source')).toEqual([]);

		// In a credential: both the source and its compiled output in the tarball carry it.
		plant('credentials/LinkupApi.credentials.ts', (text) => `${text}\nconsole.log('planted');\n`);
		// In index.js: shipped in the tarball but outside the scanner's source patterns.
		plant('index.js', (text) => `${text}console.log('planted');\n`);
		// In package.json: n8n forbids the overrides field in a community package; and no provenance.
		plant('package.json', (text) => text.replace(/\n}\s*$/, ',\n  "overrides": { "rimraf": "6.0.1" }\n}\n'));
		plant('package.json', (text) => text.replace('"provenance": true', '"provenance": false'));
		// A workflow key GitHub does not know.
		plant('.github/workflows/ci.yml', (text) => text.replace('runs-on:', 'runs_on:'));

		const lint = spawnSync(process.execPath, [lintScript, '--root', copy], { cwd: root, encoding: 'utf8' });
		expect(lint.status).toBe(1);
		expect(lint.stdout).toMatch(/\.github\/workflows\/ci\.yml: .*runs_on/s);
		expect(lint.stdout).toMatch(/^workflows: \d+ files, [1-9]\d* errors$/m);
		expect(lint.stdout).toMatch(/^release guard: package.json must set publishConfig.provenance to true/m);

		const source = lintFindings(lint.stdout, 'scanner on the source');
		expect(source).toEqual(expect.arrayContaining(['credentials/LinkupApi.credentials.ts no-console']));
		expect(source.some((finding) => finding.startsWith('package.json '))).toBe(true);
		expect(source.some((finding) => finding.startsWith('index.js '))).toBe(false);
		expect(source).toEqual(scannerFindings(copy, 'source'));

		const tarball = lintFindings(lint.stdout, 'scanner on the npm pack tarball');
		expect(tarball).toEqual(
			expect.arrayContaining(['dist/credentials/LinkupApi.credentials.js no-console', 'index.js no-console']),
		);
		expect(tarball).toEqual(scannerFindings(packCopy(), 'tarball'));
	}, 180000);

	it('fails on a type error in the tooling, which runs unbuilt with plain node', () => {
		const typed = path.join(work, 'typed');
		copyCheckout(typed);
		// A misspelt delivery variant in an e2e check (the fake's JSDoc lists the variants), and a
		// number given as a string in a script.
		plant('test/e2e/checks/trigger.js', (text) => text.replace("'wrongSecret', 'modifiedBody'", "'wrongSecrett', 'modifiedBody'"), typed);
		plant('scripts/n8n/harness.js', (text) => text.replace('await sleep(intervalMs);', 'await sleep(String(intervalMs));'), typed);

		const lint = spawnSync(process.execPath, [lintScript, '--root', typed], { cwd: root, encoding: 'utf8' });
		expect(lint.status).toBe(1);
		const reported = lint.stdout.split('\n').filter((line) => / error TS\d+: /.test(line));
		expect(reported).toEqual([
			expect.stringMatching(/^scripts\/n8n\/harness\.js\(\d+,\d+\): error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'\./),
			expect.stringMatching(/^test\/e2e\/checks\/trigger\.js\(\d+,\d+\): error TS2322: Type '[^']*"wrongSecrett"[^']*' is not assignable to type 'DeliveryVariant/),
		]);
		expect(lint.stdout).toMatch(/^tooling types \(tsconfig\.tooling\.json\): \d+ files, 2 errors$/m);
		// Nothing else failed.
		expect(lint.stdout).toMatch(/^workflows: \d+ files, 0 errors$/m);
		expect(lint.stdout.match(/^scanner on .*: passed$/gm)).toHaveLength(2);
		expect(lint.stdout).toMatch(/^lint: FAILED in /m);
	}, 180000);
});
