// The LinkupAPI Trigger's static data about its webhook.
import { clearStoredWebhook } from '../../../../nodes/Linkup/trigger/storedWebhook';

describe('stored webhook', () => {
	it('clears only the keys the trigger stores', () => {
		const staticData = { webhookId: 'w', webhookSecret: 's', webhookUrl: 'u', webhookEvents: ['all'], accountId: 'a', other: 1 };
		clearStoredWebhook(staticData);
		expect(staticData).toEqual({ other: 1 });
	});
});
