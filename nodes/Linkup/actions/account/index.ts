// The Account resource: its operation list and each operation's fields and code.
import type { INodeProperties } from 'n8n-workflow';
import type { OperationModule } from '../common';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations: Record<string, OperationModule> = { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get the status of a LinkedIn account connected to LinkupAPI',
				action: 'Get an account',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many LinkedIn accounts connected to LinkupAPI',
				action: 'Get many accounts',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
