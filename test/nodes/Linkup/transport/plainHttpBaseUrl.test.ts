// Every node refuses a plain-http Base URL to another machine before sending the API key anywhere.
import type { IExecuteFunctions } from 'n8n-workflow';
import { Linkup } from '../../../../nodes/Linkup/Linkup.node';
import { LinkupHostedTrigger } from '../../../../nodes/Linkup/LinkupHostedTrigger.node';
import { LinkupTrigger } from '../../../../nodes/Linkup/LinkupTrigger.node';
import { searchAccounts } from '../../../../nodes/Linkup/methods/listSearch';
import { linkupCredentials, TEST_API_KEY } from '../../../helpers/credentials';
import {
	createExecuteContext,
	createHookContext,
	createLoadOptionsContext,
	createTriggerContext,
} from '../../../helpers/n8nContext';

const credentials = linkupCredentials('http://api.linkupapi.com', TEST_API_KEY);
const refused = /^The Base URL "http:\/\/api\.linkupapi\.com" in your LinkupAPI credential does not start with https:\/\/, so the API key would travel unencrypted/;
const account = { __rl: true, mode: 'id', value: 'acc_1' };

describe('a plain-http Base URL is refused before any request', () => {
	it('by the LinkupAPI node', async () => {
		const { context, httpCalls } = createExecuteContext({
			credentials,
			parameters: { resource: 'account', operation: 'getAll', returnAll: true },
		});
		await expect(new Linkup().execute.call(context as unknown as IExecuteFunctions)).rejects.toThrow(refused);
		expect(httpCalls).toEqual([]);
	});

	it('by the account and webhook pickers', async () => {
		const { context, httpCalls } = createLoadOptionsContext({ credentials });
		await expect(searchAccounts.call(context as never)).rejects.toThrow(refused);
		expect(httpCalls).toEqual([]);
	});

	it('by the LinkupAPI Trigger on activation', async () => {
		const { context, httpCalls } = createHookContext({
			credentials,
			parameters: { accountId: account, events: ['all'], options: {} },
			webhookUrl: 'https://n8n.example.com/webhook/abc/webhook',
		});
		const lifecycle = new LinkupTrigger().webhookMethods.default;
		await expect(lifecycle.checkExists.call(context as never)).rejects.toThrow(refused);
		await expect(lifecycle.create.call(context as never)).rejects.toThrow(refused);
		expect(httpCalls).toEqual([]);
	});

	it('by the LinkupAPI Hosted Trigger when it starts', async () => {
		const harness = createTriggerContext({
			credentials,
			parameters: { accountId: account, events: ['all'], options: {} },
		});
		await expect(new LinkupHostedTrigger().trigger.call(harness.context as never)).rejects.toThrow(refused);
		expect(harness.httpCalls).toEqual([]);
	});
});
