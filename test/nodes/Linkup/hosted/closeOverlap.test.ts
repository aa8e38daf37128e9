// The Hosted Trigger's close while it recreates a webhook deleted behind its back (a test run: in
// production it reports the loss instead, hosted/lostWebhook.test.ts).
import { startHosted } from '../../../helpers/hostedRuns';
import { until } from '../../../helpers/triggerHooks';
import { useFakeLinkupApi } from '../../../helpers/useFakeLinkupApi';

const fakeApi = useFakeLinkupApi();

describe('Hosted Trigger: close overlapping a recreation', () => {
	it('closeFunction resolves only once the webhook being recreated is deleted too: nothing left billing', async () => {
		const fake = fakeApi();
		const run = await startHosted(fake, {}, 'manual');
		const [lostId] = fake.webhooks.keys();
		fake.deleteWebhookBehindBack(lostId);
		fake.failNext({ route: '/v2/webhooks', method: 'POST', delayMs: 300 });
		const reading = run.response!.manualTriggerFunction!();
		await until(() => fake.requestsTo('POST', '/v2/webhooks').length === 2);
		await run.response!.closeFunction!();
		expect(fake.webhooks.size).toBe(0);
		await reading;
		expect(fake.webhooks.size).toBe(0);
		expect(run.logs.filter((log) => log.level === 'error')).toEqual([]);
		expect(run.bridgeViolations).toEqual([]);
	});
});
