// A hosted webhook deleted behind the trigger's back, in production: the session creates nothing
// itself and reports through emitError; n8n's restart of the trigger (closeFunction, then trigger()
// again, then a save of the static data) creates exactly one. A crash at any point leaves at most
// one webhook billing. n8n saves static data after an activation and at each emit, and nowhere else
// (README, LinkupAPI Hosted Trigger); `saved` below is what its database holds.
import type { IDataObject, ITriggerResponse } from 'n8n-workflow';
import { LinkupHostedTrigger } from '../../../../nodes/Linkup/LinkupHostedTrigger.node';
import { FakeLinkupApi } from '../../../fake-linkupapi/server';
import { linkupCredentials } from '../../../helpers/credentials';
import { createTriggerContext } from '../../../helpers/n8nContext';
import { useShortRetryWaits } from '../../../helpers/shortRetryWaits';

type Harness = ReturnType<typeof createTriggerContext> & { response: ITriggerResponse };

let fake: FakeLinkupApi;
let accountId: string;
let running: Harness[];
/** The node's static data as n8n last wrote it to its database. */
let saved: IDataObject;

useShortRetryWaits();

beforeEach(async () => {
	fake = new FakeLinkupApi();
	await fake.start();
	accountId = fake.accountList()[0].account_id as string;
	running = [];
	saved = {};
});

afterEach(async () => {
	for (const harness of running) await harness.response.closeFunction?.();
	await fake.stop();
});

const copy = (data: IDataObject): IDataObject => JSON.parse(JSON.stringify(data)) as IDataObject;

/** trigger() as n8n runs it on activation, followed by n8n's save of the static data. */
async function activate(staticData: IDataObject, mode: 'trigger' | 'manual' = 'trigger'): Promise<Harness> {
	const harness = createTriggerContext({
		mode,
		staticData,
		parameters: { accountId: { __rl: true, mode: 'list', value: accountId }, events: ['all'], options: { pollInterval: 3600 } },
		credentials: linkupCredentials(fake.baseUrl),
	});
	const response = await new LinkupHostedTrigger().trigger.call(harness.context as never);
	harness.afterTriggerReturned();
	if (mode === 'trigger') saved = copy(staticData);
	const started = Object.assign(harness, { response });
	running.push(started);
	return started;
}

/** What n8n does on emitError: closeFunction, then trigger() again on the same static data, then a save. */
async function restartAfterEmitError(harness: Harness): Promise<Harness> {
	running = running.filter((other) => other !== harness);
	await harness.response.closeFunction?.();
	return await activate(harness.staticData);
}

const creates = () => fake.requestsTo('POST', '/v2/webhooks').length;

/** Starts a production trigger, then deletes its webhook in LinkupAPI and lets the trigger read. */
async function loseWebhook(): Promise<{ harness: Harness; lostId: string }> {
	const harness = await activate({});
	const lostId = harness.staticData.webhookId as string;
	fake.deleteWebhookBehindBack(lostId);
	await harness.response.manualTriggerFunction!();
	return { harness, lostId };
}

describe('LinkupHostedTrigger: a webhook deleted behind its back, in production', () => {
	it('creates nothing in the session and reports through emitError what happened and what n8n does next', async () => {
		const { harness, lostId } = await loseWebhook();
		expect(creates()).toBe(1);
		expect(fake.webhooks.size).toBe(0);
		expect(harness.errors).toHaveLength(1);
		expect(harness.errors[0].message).toBe(
			`The hosted webhook ${lostId} was deleted outside this workflow (LinkupAPI answers 404). n8n restarts this trigger, which creates a new hosted webhook; LinkupAPI recorded no events between the deletion and the restart.`,
		);
		const polls = fake.requestsTo('GET', /\/events$/).length;
		await harness.response.manualTriggerFunction!();
		expect(fake.requestsTo('GET', /\/events$/)).toHaveLength(polls);
	});

	it('n8n\'s restart creates exactly one webhook and stores its id; a crash after that save keeps using it', async () => {
		const { harness, lostId } = await loseWebhook();
		const restarted = await restartAfterEmitError(harness);
		expect(fake.requestsTo('DELETE', `/v2/webhooks/${lostId}`)).toHaveLength(1);
		expect(creates()).toBe(2);
		const newId = restarted.staticData.webhookId as string;
		expect([...fake.webhooks.keys()]).toEqual([newId]);
		expect(saved.webhookId).toBe(newId);

		// n8n is killed (no closeFunction; afterEach closes the runs once the figures are checked).
		await activate(copy(saved));
		expect(creates()).toBe(2);
		expect([...fake.webhooks.keys()]).toEqual([newId]);
		expect(fake.monitoredAccounts()).toEqual([accountId]);
	});

	it('a crash right after the 404, before any save: after the restart exactly one webhook bills', async () => {
		await loseWebhook();
		// n8n is killed: no closeFunction, no save since the activation.
		await activate(copy(saved));
		expect(fake.webhooks.size).toBe(1);
		expect(fake.monitoredAccounts()).toEqual([accountId]);
	});

	it('the close of a run deletes only the webhook that run used, whatever the static data now names', async () => {
		const harness = await activate({});
		const ownId = harness.staticData.webhookId as string;
		// On n8n 1.x the next trigger() gets the same static-data object and may already have written to it.
		harness.staticData.webhookId = 'written-by-the-next-run';
		running = [];
		await harness.response.closeFunction?.();
		expect(fake.requestsTo('DELETE').map((request) => request.path)).toEqual([`/v2/webhooks/${ownId}`]);
	});
});

describe('LinkupHostedTrigger: a webhook deleted behind its back, in a test run', () => {
	it('is recreated in the session (n8n keeps no static data for a test run) and nothing is reported', async () => {
		const harness = await activate({}, 'manual');
		const [lostId] = [...fake.webhooks.keys()];
		fake.deleteWebhookBehindBack(lostId);
		await harness.response.manualTriggerFunction!();
		expect(creates()).toBe(2);
		expect(fake.webhooks.size).toBe(1);
		expect(harness.errors).toEqual([]);
		expect(harness.staticData).toEqual({});
	});
});
