// The LinkupAPI Trigger's create that LinkupAPI carries out after the client gave up on its answer.
import type { IDataObject, NodeApiError } from 'n8n-workflow';
import { useLateCreateChecks, useRequestTimeout } from '../../../helpers/lateCreateChecks';
import { activate, callsTo, remove, triggerHook, type Hook } from '../../../helpers/triggerHooks';
import { useFakeLinkupApi } from '../../../helpers/useFakeLinkupApi';

const fakeApi = useFakeLinkupApi();
const checks = useLateCreateChecks();
useRequestTimeout(500);

/** Activation whose create LinkupAPI holds until the test lets it happen; resolves to the error. */
async function activationTimingOut(hook: Hook) {
	const late = fakeApi().performLateNext({ route: '/v2/webhooks', method: 'POST', afterMs: 600_000 });
	const error = (await activate(hook).catch((e: Error) => e)) as NodeApiError;
	return { late, error };
}

function logged(hook: Hook, level: string): string[] {
	return hook.logs.filter((log) => log.level === level).map((log) => log.message);
}

describe('LinkupAPI Trigger: a create answered after the client gave up', () => {
	it('says LinkupAPI was slow, not unreachable, and that n8n looks again', async () => {
		const { error } = await activationTimingOut(triggerHook(fakeApi(), {}));
		expect(error.message).toBe(
			`LinkupAPI at ${fakeApi().baseUrl} was too slow to answer (timed out after 0.5 s). LinkupAPI had not created the webhook when n8n checked right after. In case LinkupAPI still creates it, n8n looks again 10 s, 40 s, 100 s after this failure and deletes what it finds (see n8n's log).`,
		);
		expect(error.description).toBe('LinkupAPI was too slow to answer (no answer after 0.5 s); it is probably busy for a moment: try again in a few minutes.');
		expect(`${error.message} ${error.description}`).not.toMatch(/Base URL|reach the internet|Could not reach/);
	});

	it('performed after the timeout: the next look deletes it, and nothing is left billing', async () => {
		const fake = fakeApi();
		const staticData: IDataObject = {};
		const hook = triggerHook(fake, staticData);
		const { late } = await activationTimingOut(hook);
		expect(callsTo(fake)).toEqual(['GET /v2/webhooks', 'POST /v2/webhooks', 'GET /v2/webhooks']);
		late.performNow();
		await late.performed;
		const [lateId] = fake.webhooks.keys();
		await checks.runNextLook();
		expect(fake.webhooks.size).toBe(0);
		expect(callsTo(fake).slice(3)).toEqual(['GET /v2/webhooks', `DELETE /v2/webhooks/${lateId}`]);
		expect(checks.waiting).toEqual([]);
		expect(logged(hook, 'info')).toContain(
			`LinkupAPI Trigger: deleted LinkupAPI webhook ${lateId}, which LinkupAPI created after n8n had given up waiting for its answer`,
		);
		expect(staticData).toEqual({});
	});

	it('performed between the first and the second look: the second deletes it, no third look', async () => {
		const fake = fakeApi();
		const { late } = await activationTimingOut(triggerHook(fake, {}));
		await checks.runNextLook();
		late.performNow();
		await late.performed;
		await checks.runNextLook();
		expect(fake.webhooks.size).toBe(0);
		expect(callsTo(fake).slice(3)).toEqual(['GET /v2/webhooks', 'GET /v2/webhooks', expect.stringMatching(/^DELETE /)]);
		expect(checks.waiting).toEqual([]);
	});

	it('never performed: three looks within 100 s, then the log says n8n stopped looking', async () => {
		const fake = fakeApi();
		const hook = triggerHook(fake, {});
		await activationTimingOut(hook);
		expect(checks.waiting).toEqual([10_000]);
		await checks.runAllLooks();
		expect(callsTo(fake).slice(3)).toEqual(['GET /v2/webhooks', 'GET /v2/webhooks', 'GET /v2/webhooks']);
		expect(logged(hook, 'info')).toContain(
			'LinkupAPI Trigger: no webhook appeared within 100 s of the create whose answer was lost; n8n stopped looking',
		);
	});

	it('a later activation meanwhile: the look deletes only the late webhook, the one now in use stays', async () => {
		const fake = fakeApi();
		const staticData: IDataObject = {};
		const { late } = await activationTimingOut(triggerHook(fake, staticData));
		expect(await activate(triggerHook(fake, staticData))).toBe('created');
		const keptId = staticData.webhookId as string;
		late.performNow();
		await late.performed;
		expect(fake.webhooks.size).toBe(2);
		await checks.runNextLook();
		expect([...fake.webhooks.keys()]).toEqual([keptId]);
		await remove(triggerHook(fake, staticData));
		expect(fake.webhooks.size).toBe(0);
	});

	it('unsigned: the late webhook is deleted too, since the activation that asked for it failed', async () => {
		const fake = fakeApi();
		const staticData: IDataObject = {};
		const { late } = await activationTimingOut(triggerHook(fake, staticData, { verifySignature: false }));
		late.performNow();
		await late.performed;
		await checks.runNextLook();
		expect(fake.webhooks.size).toBe(0);
		expect(staticData).toEqual({});
	});
});
