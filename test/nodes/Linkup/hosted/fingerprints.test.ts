// The Hosted Trigger's event fingerprints, which drop an event reaching it by both stream and poll.
import type { IDataObject } from 'n8n-workflow';
import { EventFingerprints, MAX_FINGERPRINTS } from '../../../../nodes/Linkup/hosted/fingerprints';
import { EVENT_RETENTION_MS, fingerprintOf } from '../../../../nodes/Linkup/transport';

const clock = { now: 1_000_000 };
const now = () => clock.now;

function message(text: string, timestamp = '2026-01-01T00:00:00Z'): IDataObject {
	return { account_id: 'a1', account_name: 'Ada', event: { type: 'message', message_text: text }, timestamp };
}

describe('fingerprintOf', () => {
	it('ignores key order and tells apart any change of content', () => {
		const wrapper = message('hi');
		const reordered = { timestamp: wrapper.timestamp, event: { message_text: 'hi', type: 'message' }, account_name: 'Ada', account_id: 'a1' };
		expect(fingerprintOf(reordered)).toBe(fingerprintOf(wrapper));
		expect(fingerprintOf(message('hi!'))).not.toBe(fingerprintOf(wrapper));
		expect(fingerprintOf(message('hi', '2026-01-01T00:00:01Z'))).not.toBe(fingerprintOf(wrapper));
	});
});

describe('EventFingerprints', () => {
	it('admits an event on its first path and drops its copy on the other path once', () => {
		const seen = new EventFingerprints({}, now);
		expect(seen.admit(message('a'), 'stream')).toBe(true);
		expect(seen.admit(message('a'), 'poll')).toBe(false);
		expect(seen.admit(message('b'), 'poll')).toBe(true);
		expect(seen.admit(message('b'), 'stream')).toBe(false);
	});

	it('keeps two identical events apart: both are emitted, and each copy is dropped once', () => {
		const seen = new EventFingerprints({}, now);
		expect([seen.admit(message('ok'), 'stream'), seen.admit(message('ok'), 'stream')]).toEqual([true, true]);
		expect([seen.admit(message('ok'), 'poll'), seen.admit(message('ok'), 'poll')]).toEqual([false, false]);
		expect(seen.admit(message('ok'), 'poll')).toBe(true);
	});

	it('saves the streamed fingerprints in the state, so a restart still drops their copies', () => {
		const state: IDataObject = {};
		new EventFingerprints(state, now).admit(message('streamed'), 'stream');
		expect(state.streamed).toEqual([fingerprintOf(message('streamed'))]);
		const restarted = new EventFingerprints(JSON.parse(JSON.stringify(state)) as IDataObject, now);
		expect(restarted.admit(message('streamed'), 'poll')).toBe(false);
	});

	it('stays bounded: at most MAX_FINGERPRINTS per path, and none older than the retention', () => {
		const state: IDataObject = {};
		const seen = new EventFingerprints(state, now);
		for (let i = 0; i < MAX_FINGERPRINTS + 10; i++) seen.admit(message(`m${i}`), 'stream');
		expect(state.streamed).toHaveLength(MAX_FINGERPRINTS);
		expect(seen.admit(message('m0'), 'poll')).toBe(true); // the oldest went first
		clock.now += EVENT_RETENTION_MS + 1;
		seen.admit(message('later'), 'stream');
		expect(state.streamed).toEqual([fingerprintOf(message('later'))]);
	});
});
