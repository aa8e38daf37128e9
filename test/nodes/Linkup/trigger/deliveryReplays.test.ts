// verifyDelivery against replays: copies, a raised tolerance, and a flood that makes the memory forget.
import { ALREADY_RECEIVED, type N8nRequest } from '../../../../nodes/Linkup/trigger/delivery';
import { MAX_REMEMBERED_DELIVERIES } from '../../../../nodes/Linkup/trigger/replays';
import { signPayload } from '../../../fake-linkupapi/server';

// The clock these tests control: every check gets its "now" from here, never from the machine.
const NOW = 1_800_000_000; // 2027-01-15T08:00:00Z
let secretCount = 0;

// Each test gets the memory of a freshly started n8n process.
let verifyDelivery: typeof import('../../../../nodes/Linkup/trigger/delivery').verifyDelivery;
beforeEach(() => {
	jest.isolateModules(() => {
		({ verifyDelivery } = require('../../../../nodes/Linkup/trigger/delivery'));
	});
});

/** A trigger with its own signing secret. */
function newTrigger(toleranceSeconds: unknown = 300) {
	const secret = `secret-${++secretCount}`;
	let bodyCount = 0;
	const sign = (timestamp: number, body = JSON.stringify({ account_id: 'a', event: { type: 'message', n: ++bodyCount } })) => {
		const headers = { 'x-linkup-timestamp': String(timestamp), 'x-linkup-signature': `v1=${signPayload(secret, String(timestamp), body)}` };
		return { headers, rawBody: Buffer.from(body) } as unknown as N8nRequest;
	};
	const check = async (request: N8nRequest, now: number, tolerance: unknown = toleranceSeconds) =>
		(await verifyDelivery(request, { verifySignature: true, secret, toleranceSeconds: tolerance }, now)).refusal;
	return { sign, check };
}

describe('verifyDelivery: replayed copies', () => {
	it('a copy posted again inside the window is answered 200 and starts nothing', async () => {
		const trigger = newTrigger();
		const delivery = trigger.sign(NOW);
		expect(await trigger.check(delivery, NOW)).toBeUndefined();
		expect(await trigger.check(delivery, NOW + 300)).toEqual({ status: 200, reason: ALREADY_RECEIVED, duplicate: true });
	});

	it('raising Timestamp Tolerance after a delivery was accepted does not let its copy run again', async () => {
		const trigger = newTrigger(300);
		const delivery = trigger.sign(NOW);
		expect(await trigger.check(delivery, NOW)).toBeUndefined();
		expect(await trigger.check(delivery, NOW + 3600, 3600)).toMatchObject({ status: 200, duplicate: true });
		expect(await trigger.check(delivery, NOW + 3601, 3600)).toMatchObject({ status: 401, reason: 'Timestamp too old' });
	});

	it(`after ${MAX_REMEMBERED_DELIVERIES.toLocaleString('en-US')} genuine deliveries in the window, a replayed first one is refused and the refusal says why`, async () => {
		const trigger = newTrigger(3600);
		const first = trigger.sign(NOW - 1);
		expect(await trigger.check(first, NOW)).toBeUndefined();
		for (let i = 0; i < MAX_REMEMBERED_DELIVERIES; i++) {
			expect(await trigger.check(trigger.sign(NOW + (i % 60)), NOW + 60)).toBeUndefined();
		}
		const replay = await trigger.check(first, NOW + 61);
		expect(replay).toEqual({
			status: 401,
			reason:
				'Refused as a possible replay: this delivery is signed at 2027-01-15T07:59:59Z, and after more than 10,000 deliveries within an hour this n8n process no longer remembers the ones signed at or before 2027-01-15T07:59:59Z, so it cannot tell a copy from a first delivery. Deliveries signed later are accepted as usual',
		});
		// The price: a genuine delivery signed as early is refused too; later ones still run, and their copies do not.
		expect(await trigger.check(trigger.sign(NOW - 2), NOW + 61)).toMatchObject({ status: 401 });
		const later = trigger.sign(NOW + 61);
		expect(await trigger.check(later, NOW + 61)).toBeUndefined();
		expect(await trigger.check(later, NOW + 62)).toMatchObject({ status: 200, duplicate: true });
	});

	it('a flood on one trigger leaves the deliveries of another trigger alone', async () => {
		const busy = newTrigger(3600);
		const quiet = newTrigger(3600);
		for (let i = 0; i <= MAX_REMEMBERED_DELIVERIES; i++) await busy.check(busy.sign(NOW), NOW);
		expect(await busy.check(busy.sign(NOW), NOW)).toMatchObject({ status: 401 });
		expect(await quiet.check(quiet.sign(NOW - 1), NOW)).toBeUndefined();
	});
});
