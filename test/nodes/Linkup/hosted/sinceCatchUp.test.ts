// The stream's catch-up reads /events through the session: whatever /events does with `since`, an
// event streamed or caught up before is not emitted again at the next reconnect.
import type { Json, SinceBehaviour } from '../../../fake-linkupapi/server';
import { STREAM_TIMINGS } from '../../../../nodes/Linkup/hosted/stream';
import { accountId, emittedJson, eventPolls, fake, startTrigger, useHostedTriggerTests, waitFor } from '../../../helpers/hostedTrigger';

useHostedTriggerTests();

const START = Date.parse('2026-11-28T12:00:00.000Z');
const defaults = { ...STREAM_TIMINGS };
beforeEach(() => {
	fake.now = () => START + 3600_000;
	Object.assign(STREAM_TIMINGS, { firstRetryMs: 100, maxRetryMs: 400 });
});
afterEach(() => Object.assign(STREAM_TIMINGS, defaults));

describe.each<SinceBehaviour>(['ignored', 'wholeSecondsInclusive'])('LinkupHostedTrigger stream when /events takes `since` as %s', (behaviour) => {
	it('emits each event once across three reconnects, streamed and caught up alike', async () => {
		fake.sinceBehaviour = behaviour;
		const harness = await startTrigger({ receiveMode: 'stream' });
		await waitFor(() => fake.openStreams() === 1 && eventPolls() >= 1);
		const webhookId = harness.staticData.webhookId as string;
		const texts = () => emittedJson(harness).map((json) => (json.event as Json).message_text);
		const stream = (n: number) =>
			fake.enqueueEvent(webhookId, fake.sampleEvent(accountId, 'message', { message_text: `m${n}` }), new Date(START + n * 100));
		for (let n = 0; n < 3; n++) stream(n);
		await waitFor(() => texts().length === 3);
		for (let reconnect = 1; reconnect <= 3; reconnect++) {
			const polls = eventPolls();
			fake.dropStreams();
			// Stored while disconnected: only the catch-up brings it.
			stream(2 + reconnect);
			await waitFor(() => fake.openStreams() === 1 && eventPolls() > polls);
			await harness.response.manualTriggerFunction!(); // after the catch-up: nothing comes twice
		}
		expect(texts()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
		expect(harness.errors).toEqual([]);
	});
});
