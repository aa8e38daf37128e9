// The LinkupAPI action node: its description and the hand-off to the router.
import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import * as account from './actions/account';
import { router } from './actions/router';
import * as webhook from './actions/webhook';
import * as listSearch from './methods/listSearch';

export class Linkup implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LinkupAPI',
		name: 'linkup',
		icon: { light: 'file:../../icons/linkup.svg', dark: 'file:../../icons/linkup.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Manage LinkupAPI webhooks (LinkedIn messages, accepted invitations) and connected accounts',
		defaults: { name: 'LinkupAPI' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'linkupApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Account', value: 'account' },
					{ name: 'Webhook', value: 'webhook' },
				],
				default: 'webhook',
			},
			...account.description,
			...webhook.description,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
