import { HostedSession } from '../../../../nodes/Linkup/hosted/session';
import { createDetachedLinkupClient, EVENT_RETENTION_MS } from '../../../../nodes/Linkup/transport';
import { createTriggerContext, linkupCredentials, TEST_API_KEY } from '../../../helpers/n8nContext';
import { useFakeLinkupApi } from '../../../helpers/useFakeLinkupApi';

const fakeApi = useFakeLinkupApi();

/** A session resuming a webhook whose last event read is `ageMs` old on the fake's clock. */
function resumeAfter(ageMs: number) {
	const fake = fakeApi();
	fake.now = () => Date.UTC(2030, 5, 1, 12);
	const harness = createTriggerContext({ credentials: linkupCredentials(fake.baseUrl) });
	const client = createDetachedLinkupClient.call(harness.context as never, { apiKey: TEST_API_KEY, baseUrl: fake.baseUrl });
	const session = new HostedSession({
		lifecycle: { client, node: harness.node, logger: harness.context.logger as never, label: 'LinkupAPI Hosted Trigger', queueKey: 'hosted:test' },
		state: { webhookId: 'w1', cursor: new Date(fake.now() - ageMs).toISOString() },
		durableState: true,
		target: { accountId: 'a1', events: ['all'], signed: false },
		outputOptions: { includeDisconnection: true, splitInvitations: false },
		intervalMs: 60_000,
		emit: () => undefined,
		emitError: () => undefined,
		now: fake.now,
	});
	session.warnIfPastRetention();
	return harness.logs.filter((log) => log.level === 'warn').map((log) => log.message);
}

describe('HostedSession: resuming after a long stop', () => {
	it('warns that older events are gone when the last event read is over 24 hours old', () => {
		const [warning] = resumeAfter(EVENT_RETENTION_MS + 60_000);
		expect(warning).toMatch(/last event read is from 2030-05-31T11:59:00.000Z, more than 24 hours ago.*older events are gone/);
	});

	it('does not warn within the 24 hours', () => {
		expect(resumeAfter(EVENT_RETENTION_MS - 60_000)).toEqual([]);
	});
});
