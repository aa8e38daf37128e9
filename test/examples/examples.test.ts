// The example workflows must keep matching the nodes: every parameter an example sets for one of
// this package's nodes has to exist (and be visible) in the node's description with a valid value.
// The e2e suite also imports them into a real n8n.
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { Linkup } from '../../nodes/Linkup/Linkup.node';
import { LinkupHostedTrigger } from '../../nodes/Linkup/LinkupHostedTrigger.node';
import { LinkupTrigger } from '../../nodes/Linkup/LinkupTrigger.node';

const PACKAGE = 'n8n-nodes-linkupapi-webhooks';
const descriptions: Record<string, INodeTypeDescription> = {
	[`${PACKAGE}.linkup`]: new Linkup().description,
	[`${PACKAGE}.linkupTrigger`]: new LinkupTrigger().description,
	[`${PACKAGE}.linkupHostedTrigger`]: new LinkupHostedTrigger().description,
};

interface ExampleNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: unknown;
	webhookId?: string;
}

interface Example {
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

const folder = join(__dirname, '..', '..', 'examples');
const files = readdirSync(folder).filter((file) => file.endsWith('.json'));
const examples = files.map((file) => [file, JSON.parse(readFileSync(join(folder, file), 'utf8')) as Example] as const);

/** Whether `property` is shown for these parameter values (n8n's `displayOptions.show/hide`). */
function isShown(property: INodeProperties, parameters: Record<string, unknown>): boolean {
	const { show, hide } = property.displayOptions ?? {};
	const matches = (rule: Record<string, unknown[] | undefined>) =>
		Object.entries(rule).every(([name, values]) => (values ?? []).includes(parameters[name] as never));
	if (show && !matches(show as never)) return false;
	if (hide && Object.keys(hide).length > 0 && matches(hide as never)) return false;
	return true;
}

function checkValue(property: INodeProperties, value: unknown, where: string): string[] {
	if (typeof value === 'string' && value.startsWith('=')) return [];
	switch (property.type) {
		case 'options':
			return (property.options ?? []).some((option) => 'value' in option && option.value === value)
				? []
				: [`${where}: "${String(value)}" is not an option`];
		case 'multiOptions':
			return (value as unknown[]).flatMap((item) =>
				(property.options ?? []).some((option) => 'value' in option && option.value === item)
					? []
					: [`${where}: "${String(item)}" is not an option`],
			);
		case 'boolean':
			return typeof value === 'boolean' ? [] : [`${where}: must be true or false`];
		case 'number':
			return typeof value === 'number' ? [] : [`${where}: must be a number`];
		case 'resourceLocator': {
			const locator = value as { __rl?: boolean; mode?: string };
			return locator.__rl === true && (property.modes ?? []).some((mode) => mode.name === locator.mode)
				? []
				: [`${where}: not a resource locator with a known mode`];
		}
		case 'collection':
			return Object.entries(value as Record<string, unknown>).flatMap(([name, inner]) => {
				const option = (property.options as INodeProperties[]).find((o) => o.name === name);
				return option ? checkValue(option, inner, `${where}.${name}`) : [`${where}.${name}: unknown option`];
			});
		default:
			return [];
	}
}

function problemsOf(node: ExampleNode): string[] {
	const description = descriptions[node.type];
	if (!description) return [`${node.name}: unknown node type ${node.type}`];
	// Examples use the version a node dragged in today gets.
	const currentVersion = description.defaultVersion ?? Math.max(...[description.version].flat());
	const problems = node.typeVersion === currentVersion ? [] : [`${node.name}: typeVersion ${node.typeVersion}`];
	// Parameters left out take their defaults, which decide what else is shown.
	const effective: Record<string, unknown> = Object.fromEntries(
		description.properties.filter((p) => !(p.name in node.parameters)).map((p) => [p.name, p.default]),
	);
	Object.assign(effective, node.parameters);
	effective['@version'] = node.typeVersion; // what n8n matches `displayOptions` '@version' against
	for (const [name, value] of Object.entries(node.parameters)) {
		const property = description.properties.find((p) => p.name === name && isShown(p, effective));
		if (!property) problems.push(`${node.name}: parameter "${name}" does not exist or is hidden`);
		else problems.push(...checkValue(property, value, `${node.name}.${name}`));
	}
	for (const property of description.properties) {
		if (property.required && isShown(property, effective) && !(property.name in node.parameters) && property.type !== 'notice') {
			const fallback = property.default as { value?: unknown } | string | undefined;
			const empty = fallback === '' || fallback === undefined || (typeof fallback === 'object' && fallback?.value === '');
			if (empty) problems.push(`${node.name}: required "${property.name}" missing`);
		}
	}
	return problems;
}

describe('example workflows', () => {
	it('exist for each documented use case', () => {
		expect(files.sort()).toEqual([
			'alert-on-disconnection.json',
			'clean-up-webhooks.json',
			'log-accepted-invitations.json',
			'reply-to-linkedin-messages.json',
		]);
	});

	it.each(examples)('%s uses only parameters the package nodes have', (_, example) => {
		const ours = example.nodes.filter((node) => node.type.startsWith(`${PACKAGE}.`));
		expect(ours.length).toBeGreaterThan(0);
		expect(ours.flatMap(problemsOf)).toEqual([]);
	});

	it.each(examples)('%s is wired to nodes that exist and carries no secrets', (_, example) => {
		const names = new Set(example.nodes.map((node) => node.name));
		expect(names.size).toBe(example.nodes.length);
		for (const [from, outputs] of Object.entries(example.connections)) {
			expect(names).toContain(from);
			for (const link of outputs.main.flat()) expect(names).toContain(link.node);
		}
		expect(example.nodes.every((node) => node.credentials === undefined)).toBe(true);
		expect(JSON.stringify(example)).not.toMatch(/api[_-]?key|secret/i);
	});

	it('gives every trigger its own webhook path', () => {
		const ids = examples.flatMap(([, example]) =>
			example.nodes.filter((node) => node.type === `${PACKAGE}.linkupTrigger`).map((node) => node.webhookId),
		);
		expect(ids.every(Boolean)).toBe(true);
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('catches a parameter that does not exist', () => {
		expect(
			problemsOf({
				name: 'Broken',
				type: `${PACKAGE}.linkup`,
				typeVersion: 1,
				parameters: { resource: 'webhook', operation: 'delete', webhookID: 'x', events: ['nope'] },
			}),
		).toEqual([
			'Broken: parameter "webhookID" does not exist or is hidden',
			'Broken: parameter "events" does not exist or is hidden',
			'Broken: required "webhookId" missing',
		]);
	});
});
