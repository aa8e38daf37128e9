// Runs the chosen operation once per input item and turns failures into error items when asked to.
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { asNodeError } from '../transport';
import * as account from './account';
import type { OperationModule, Resource } from './common';
import * as webhook from './webhook';

const resources: Record<Resource, Record<string, OperationModule>> = {
	account: account.operations,
	webhook: webhook.operations,
};

/**
 * Runs the chosen operation once per input item. Each result is paired with its item; with
 * "Continue On Fail" an error becomes that item's output `{ error }` instead of stopping the run.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as Resource;
	const operation = this.getNodeParameter('operation', 0) as string;
	const operations = resources[resource] ?? {};
	const operationModule = Object.prototype.hasOwnProperty.call(operations, operation)
		? operations[operation]
		: undefined;
	if (!operationModule) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported`,
		);
	}

	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let output: IDataObject | IDataObject[];
		try {
			output = await operationModule.execute.call(this, itemIndex);
		} catch (error) {
			const nodeError = asNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			output = { error: nodeError.message };
		}
		returnData.push(
			...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(output), {
				itemData: { item: itemIndex },
			}),
		);
	}
	return [returnData];
}
