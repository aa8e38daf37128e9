// Makes the fake LinkupAPI answer every /events call with a full page of events never seen before,
// each page a second after the last: a server that never runs out of new events (the wrapper holds
// only `event.type` and `event.message_text`).
import type { FakeLinkupApi } from '../fake-linkupapi/server';

export function answerEndlessNewEvents(fake: FakeLinkupApi, startMs: number): void {
	let answers = 0;
	fake.failNext({
		route: /\/events$/,
		method: 'GET',
		times: Infinity,
		edit: (answer) => {
			answers++;
			answer.data.items = Array.from({ length: 200 }, (_, i) => ({
				event_id: `a${answers}-${i}`,
				event: { event: { type: 'message', message_text: `a${answers}-${i}` } },
				created_at: new Date(startMs + answers * 1000 + i).toISOString(),
			}));
		},
	});
}
