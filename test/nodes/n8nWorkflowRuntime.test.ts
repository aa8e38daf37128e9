// The nodes import from n8n-workflow only what every supported n8n's own copy has.
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';

// At run time the nodes get n8n's own copy of n8n-workflow, not the devDependency the unit tests use.
// These values were checked to exist in the copies inside n8n 1.123.81 and 2.41.0 (the e2e suite runs
// both); n8n 2.41's copy lacks, for example, `sleepWithAbort`. Check a new import there before adding it.
const AVAILABLE_IN_ALL_SUPPORTED_N8N = new Set([
	'NodeApiError',
	'NodeConnectionTypes',
	'NodeOperationError',
	'sleep',
	'updateDisplayOptions',
]);

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return path.endsWith('.ts') ? [path] : [];
	});
}

/** The value (not type-only) names a file imports from n8n-workflow. */
function runtimeImports(source: string): string[] {
	const names: string[] = [];
	for (const match of source.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'n8n-workflow'/g)) {
		if (match[1]) continue;
		for (const part of match[2].split(',')) {
			const name = part.trim();
			if (name && !name.startsWith('type ')) names.push(name.split(/\s+as\s+/)[0]);
		}
	}
	return names;
}

describe('n8n-workflow at run time', () => {
	const root = join(__dirname, '..', '..');
	const files = [...sourceFiles(join(root, 'nodes')), ...sourceFiles(join(root, 'credentials'))];

	it('reads the imports of every node file', () => {
		expect(runtimeImports("import { sleep, type INode, NodeApiError as E } from 'n8n-workflow';")).toEqual([
			'sleep',
			'NodeApiError',
		]);
		expect(files.length).toBeGreaterThan(10);
	});

	it.each(files.map((file) => [file.slice(root.length + 1), file]))(
		'%s imports only values every supported n8n provides',
		(_, file) => {
			const unavailable = runtimeImports(readFileSync(file, 'utf8')).filter(
				(name) => !AVAILABLE_IN_ALL_SUPPORTED_N8N.has(name),
			);
			expect(unavailable).toEqual([]);
		},
	);
});
