// The Hosted Trigger's create that LinkupAPI carries out after the client gave up on its answer.
import type { IDataObject } from 'n8n-workflow';
import { hostedWebhookOfAnotherTool, startHosted, type HostedRun } from '../../../helpers/hostedRuns';
import { useLateCreateChecks, useRequestTimeout } from '../../../helpers/lateCreateChecks';
import { callsTo } from '../../../helpers/triggerHooks';
import { useFakeLinkupApi } from '../../../helpers/useFakeLinkupApi';

let runs: HostedRun[] = [];
afterEach(async () => {
	for (const run of runs) await run.response?.closeFunction?.();
	runs = [];
});
const fakeApi = useFakeLinkupApi();
const checks = useLateCreateChecks();
useRequestTimeout(500);

/** Starts the trigger while LinkupAPI holds its create until the test lets it happen. */
async function startTimingOut(staticData: IDataObject = {}) {
	const late = fakeApi().performLateNext({ route: '/v2/webhooks', method: 'POST', afterMs: 600_000 });
	const run = await startHosted(fakeApi(), staticData);
	return { late, run };
}

/** Lets the held create happen; returns the id of the webhook it made. */
async function performLate(late: { performNow: () => void; performed: Promise<void> }, others: string[] = []): Promise<string> {
	const before = new Set([...fakeApi().webhooks.keys(), ...others]);
	late.performNow();
	await late.performed;
	return [...fakeApi().webhooks.keys()].find((id) => !before.has(id))!;
}

function logged(run: HostedRun, level: string): string {
	return run.logs.filter((log) => log.level === level).map((log) => log.message).join('\n');
}

describe('Hosted Trigger: a create answered after the client gave up', () => {
	it('fails saying LinkupAPI was slow; a look deletes the webhook made late, another tool\'s stays', async () => {
		const fake = fakeApi();
		const stranger = await hostedWebhookOfAnotherTool(fake);
		const { late, run } = await startTimingOut();
		expect(run.error?.message).toMatch(
			/^LinkupAPI at \S+ was too slow to answer \(timed out after 0\.5 s\)\. LinkupAPI had not created the webhook when n8n checked right after\. In case LinkupAPI still creates it, n8n looks again/,
		);
		expect(callsTo(fake)).toEqual(['GET /v2/webhooks', 'POST /v2/webhooks', 'GET /v2/webhooks']);
		const lateId = await performLate(late);
		await checks.runNextLook();
		expect([...fake.webhooks.keys()]).toEqual([stranger]);
		expect(callsTo(fake).slice(3)).toEqual(['GET /v2/webhooks', `DELETE /v2/webhooks/${lateId}`]);
		expect(run.bridgeViolations).toEqual([]);
	});

	it('the next start within the window (n8n 2.x retries with the same static data) adopts it: one webhook, no second create', async () => {
		const fake = fakeApi();
		const staticData: IDataObject = {};
		const { late } = await startTimingOut(staticData);
		expect(staticData.lostCreate).toEqual({ failedAt: checks.now, listedIds: [] });
		const lateId = await performLate(late);
		const retry = await startHosted(fake, staticData);
		runs.push(retry);
		expect(retry.error).toBeUndefined();
		expect(staticData.webhookId).toBe(lateId);
		expect(staticData.lostCreate).toBeUndefined();
		expect(fake.requestsTo('POST', '/v2/webhooks')).toHaveLength(1);
		expect(logged(retry, 'warn')).toContain(`using ${lateId}, which LinkupAPI created for an earlier create whose answer was lost`);
		await checks.runNextLook();
		expect([...fake.webhooks.keys()]).toEqual([lateId]);
		await retry.response!.closeFunction!();
		runs = [];
		expect(fake.webhooks.size).toBe(0);
	});

	it('a webhook appearing after the last look is not taken for it: the next start creates its own and reports the other', async () => {
		const fake = fakeApi();
		const staticData: IDataObject = {};
		const { late } = await startTimingOut(staticData);
		await checks.runAllLooks();
		const lateId = await performLate(late);
		const next = await startHosted(fake, staticData);
		runs.push(next);
		expect(staticData.webhookId).not.toBe(lateId);
		expect(fake.webhooks.size).toBe(2);
		expect(logged(next, 'warn')).toContain(`other hosted webhook(s) (${lateId})`);
	});

	it('two look-alike hosted webhooks appear: n8n cannot tell which is its own, deletes neither and says so', async () => {
		const fake = fakeApi();
		const { late, run } = await startTimingOut();
		const lateId = await performLate(late);
		const other = await hostedWebhookOfAnotherTool(fake);
		await checks.runNextLook();
		expect([...fake.webhooks.keys()].sort()).toEqual([lateId, other].sort());
		expect(fake.requestsTo('DELETE')).toEqual([]);
		expect(logged(run, 'warn')).toMatch(new RegExp(`2 hosted webhooks .*\\((${lateId}, ${other}|${other}, ${lateId})\\)\\. n8n cannot tell which one LinkupAPI made for it, so it deleted none`));
	});
});
