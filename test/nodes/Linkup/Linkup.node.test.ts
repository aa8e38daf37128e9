// The LinkupAPI node's description: identity, operations, parameters, and what its secret operations warn.
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { Linkup } from '../../../nodes/Linkup/Linkup.node';
import codex from '../../../nodes/Linkup/Linkup.node.json';

const { description } = new Linkup();

function propertiesFor(resource: string, operation: string): INodeProperties[] {
	return description.properties.filter((property) => {
		const show = property.displayOptions?.show;
		return show?.resource?.includes(resource) && show?.operation?.includes(operation);
	});
}

function operationOptions(resource: string): INodePropertyOptions[] {
	const property = description.properties.find(
		(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
	);
	return property!.options as INodePropertyOptions[];
}

function names(options: Array<{ name: string }>): string[] {
	return options.map((option) => option.name);
}

describe('LinkupAPI node description', () => {
	it('has the fixed identity, credential, icon and connections', () => {
		expect(description).toMatchObject({
			name: 'linkup',
			displayName: 'LinkupAPI',
			version: 1,
			usableAsTool: true,
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'linkupApi', required: true }],
			icon: { light: 'file:../../icons/linkup.svg', dark: 'file:../../icons/linkup.dark.svg' },
			subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		});
		expect(codex.node).toBe('n8n-nodes-linkupapi-webhooks.linkup');
		expect(codex.categories.length).toBeGreaterThan(0);
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\/docs\.linkupapi\.com\//);
	});

	it('offers exactly the operation values of the public interface, sorted by name', () => {
		expect(operationOptions('webhook').map((o) => o.value).sort()).toEqual(
			['create', 'delete', 'disableSignature', 'get', 'getAll', 'getEvents', 'rotateSecret', 'start', 'stop', 'update'],
		);
		expect(operationOptions('account').map((o) => o.value).sort()).toEqual(['get', 'getAll']);
		for (const options of [operationOptions('webhook'), operationOptions('account')]) {
			expect(names(options)).toEqual([...names(options)].sort());
		}
		const resource = description.properties.find((p) => p.name === 'resource')!;
		expect((resource.options as INodePropertyOptions[]).map((o) => o.value)).toEqual(['account', 'webhook']);
	});

	it('uses the fixed parameter names and types on create', () => {
		const create = Object.fromEntries(propertiesFor('webhook', 'create').map((p) => [p.name, p]));

		expect(create.accountId).toMatchObject({ type: 'resourceLocator', required: true });
		expect(create.accountId.modes!.map((mode) => mode.name)).toEqual(['list', 'id']);
		expect(create.url).toMatchObject({ type: 'string', default: '' });
		expect(create.events).toMatchObject({ type: 'multiOptions', default: ['all'] });
		expect((create.events.options as INodePropertyOptions[]).map((o) => o.value).sort()).toEqual(
			['accepted_invitation', 'all', 'message_received'],
		);
		expect(create.enableSignature).toMatchObject({ type: 'boolean', displayOptions: { hide: { url: [''] } } });
		expect(create.billingNotice.displayName).toMatch(/about 10 credits a day/);
	});

	it('explains that message_received arrives as event.type "message"', () => {
		const texts = JSON.stringify([...propertiesFor('webhook', 'create'), ...propertiesFor('webhook', 'getEvents')]);
		expect(texts).toContain('event.type \\"message\\"');
	});

	it.each([
		['webhook', 'getAll'],
		['webhook', 'getEvents'],
		['account', 'getAll'],
	])('gives %s %s the standard Return All and Limit', (resource, operation) => {
		const props = Object.fromEntries(propertiesFor(resource, operation).map((p) => [p.name, p]));

		expect(props.returnAll).toMatchObject({
			displayName: 'Return All',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		});
		expect(props.limit).toMatchObject({
			displayName: 'Limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1 },
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false], resource: [resource], operation: [operation] } },
		});
	});

	it('uses a dateTime Since on getEvents and the webhook locator on every single-webhook operation', () => {
		expect(propertiesFor('webhook', 'getEvents').find((p) => p.name === 'since')?.type).toBe('dateTime');
		for (const operation of ['delete', 'disableSignature', 'get', 'getEvents', 'rotateSecret', 'start', 'stop', 'update']) {
			const locator = propertiesFor('webhook', operation).find((p) => p.name === 'webhookId');
			expect(locator).toMatchObject({ type: 'resourceLocator' });
			expect(locator!.modes!.map((mode) => mode.name)).toEqual(['list', 'id']);
		}
	});

	it('registers the list searches the locators name', () => {
		expect(Object.keys(new Linkup().methods.listSearch).sort()).toEqual(['searchAccounts', 'searchWebhooks']);
	});
});

describe('the action node warns what its secret operations do to this trigger', () => {
	it.each(['rotateSecret', 'disableSignature'])('%s says a LinkupAPI Trigger then refuses deliveries until reactivated', (value) => {
		const operations = new Linkup().description.properties.filter(
			(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes('webhook'),
		);
		const option = operations.flatMap((property) => (property.options ?? []) as Array<{ value: string; description?: string }>).find(
			(candidate) => candidate.value === value,
		)!;
		expect(option.description).toContain('A LinkupAPI Trigger using this webhook then refuses every delivery until its workflow is deactivated and reactivated');
	});
});
