// The folder rule of nodes/Linkup/: shared/ holds only what two or more of the three nodes use, so a
// file's folder keeps telling who uses it (lifecycle/ both triggers, trigger/ and hosted/ one each).
import { readdirSync, readFileSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';

const NODE_DIR = resolve(__dirname, '../../../../nodes/Linkup');
const NODE_FILES = ['Linkup.node.ts', 'LinkupTrigger.node.ts', 'LinkupHostedTrigger.node.ts'];

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return entry.name.endsWith('.ts') ? [path] : [];
	});
}

const ALL_FILES = new Set(sourceFiles(NODE_DIR));

/** The files of nodes/Linkup/ that `file` imports (relative imports only). */
function importsOf(file: string): string[] {
	const source = readFileSync(file, 'utf8');
	const specifiers = [...source.matchAll(/\bfrom\s+'(\.[^']+)'/g)].map((match) => match[1]);
	return specifiers
		.map((specifier) => resolve(dirname(file), specifier))
		.flatMap((base) => [`${base}.ts`, join(base, 'index.ts')])
		.filter((candidate) => ALL_FILES.has(candidate));
}

/** Every file `entry` reaches through its imports, itself included. */
function reachableFrom(entry: string): Set<string> {
	const reached = new Set<string>();
	const pending = [entry];
	while (pending.length > 0) {
		const file = pending.pop()!;
		if (reached.has(file)) continue;
		reached.add(file);
		pending.push(...importsOf(file));
	}
	return reached;
}

describe('nodes/Linkup/shared/', () => {
	const closures = NODE_FILES.map((name) => ({ name, files: reachableFrom(join(NODE_DIR, name)) }));
	const shared = sourceFiles(join(NODE_DIR, 'shared'));

	it('holds only files that two or more of the three nodes use', () => {
		const consumersOf = (file: string) => closures.filter(({ files }) => files.has(file)).map(({ name }) => name);
		const lonely = shared
			.map((file) => ({ file: relative(NODE_DIR, file), consumers: consumersOf(file) }))
			.filter(({ consumers }) => consumers.length < 2);
		expect(lonely).toEqual([]);
	});

	it('is checked against real imports: the LinkupAPI Trigger reaches its own folder and shared/', () => {
		const trigger = closures.find(({ name }) => name === 'LinkupTrigger.node.ts')!.files;
		expect(trigger.has(join(NODE_DIR, 'trigger', 'delivery.ts'))).toBe(true);
		expect(trigger.has(join(NODE_DIR, 'shared', 'webhooks.ts'))).toBe(true);
		expect(trigger.has(join(NODE_DIR, 'hosted', 'session.ts'))).toBe(false);
	});
});
