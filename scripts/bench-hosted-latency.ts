// Latency and API calls of the LinkupAPI Hosted Trigger, Stream and Poll side by side: time from an
// event being stored by (the fake) LinkupAPI to the trigger emitting it. Runs the node against the
// fake LinkupAPI on 127.0.0.1, inside the same stand-in for n8n's trigger context the unit tests use
// (test/helpers/n8nContext.ts). Events are enqueued at random moments so they land at every phase of
// a poll cycle.
//
// TypeScript, because it imports the node and the unit tests' helpers from their sources: `npm run
// bench -- --hosted` compiles it with them (scripts/tsconfig.bench.json, the nodes' own compiler
// settings) into the git-ignored .cache/bench/ and runs it there.
// Usage: npm run bench -- --hosted [--events 20] [--interval <poll seconds, default 10>]
//        [--mode both|stream|poll]
import { performance } from 'perf_hooks';
import type { INodeExecutionData } from 'n8n-workflow';
import { FakeLinkupApi } from '../test/fake-linkupapi/server';
import { LinkupHostedTrigger, DEFAULT_POLL_INTERVAL_SECONDS, SAFETY_POLL_INTERVAL_MS } from '../nodes/Linkup/LinkupHostedTrigger.node';
import { linkupCredentials } from '../test/helpers/credentials';
import { createTriggerContext } from '../test/helpers/n8nContext';

type Mode = 'stream' | 'poll';

function argument<T extends number | string>(name: string, fallback: T): T {
	const index = process.argv.indexOf(`--${name}`);
	if (index === -1) return fallback;
	const value = process.argv[index + 1];
	return (typeof fallback === 'number' ? Number(value) : value) as T;
}

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one mode: `count` events at random gaps of up to `maxGapMs`; returns latencies and calls. */
async function run(mode: Mode, count: number, intervalSeconds: number, maxGapMs: number) {
	const fake = new FakeLinkupApi();
	await fake.start();
	const accountId = fake.accountList()[0].account_id;
	const harness = createTriggerContext({
		parameters: {
			accountId: { __rl: true, mode: 'id', value: accountId },
			events: ['all'],
			receiveMode: mode,
			options: { pollInterval: intervalSeconds },
		},
		credentials: linkupCredentials(fake.baseUrl, fake.apiKey),
		node: { typeVersion: 1.1 },
	});
	const enqueuedAt = new Map<string, number>();
	const latencies: number[] = [];
	let allEmitted = () => {};
	const done = new Promise<void>((resolve) => (allEmitted = resolve));
	const record = harness.context.emit;
	harness.context.emit = (data: INodeExecutionData[][]) => {
		const now = performance.now();
		for (const { json } of data[0]) latencies.push(now - (enqueuedAt.get((json.event as { message_text: string }).message_text) as number));
		record(data);
		if (latencies.length >= count) allEmitted();
	};
	const response = await new LinkupHostedTrigger().trigger.call(harness.context as never);
	harness.afterTriggerReturned();
	const webhookId = harness.staticData.webhookId as string;
	// Start counting once the trigger is ready: stream open and caught up, or first poll made.
	const ready = () => fake.requestsTo('GET', /\/events$/).length >= 1 && (mode === 'poll' || fake.openStreams() === 1);
	while (!ready()) await sleep(10);
	const callsBefore = fake.requests.length;
	const startedAt = performance.now();
	for (let i = 0; i < count; i++) {
		await sleep(Math.random() * maxGapMs);
		const id = `bench ${i}`;
		enqueuedAt.set(id, performance.now());
		fake.enqueueEvent(webhookId, fake.sampleEvent(accountId, 'message', { message_text: id }));
	}
	await done;
	const windowMs = performance.now() - startedAt;
	const calls = fake.requests.length - callsBefore;
	await response.closeFunction?.();
	await fake.stop();
	return { latencies: [...latencies].sort((a, b) => a - b), calls, windowMs };
}

function seconds(ms: number) {
	return `${(ms / 1000).toFixed(3)} s`;
}

async function main() {
	const count = argument('events', 20);
	const intervalSeconds = argument('interval', DEFAULT_POLL_INTERVAL_SECONDS);
	const mode = argument('mode', 'both');
	const modes = (mode === 'both' ? ['stream', 'poll'] : [mode]) as Mode[];
	const rows = [];
	for (const current of modes) {
		const maxGapMs = current === 'poll' ? intervalSeconds * 1300 : 1000;
		console.error(`${current}: ${count} events at random gaps of up to ${maxGapMs / 1000} s...`);
		const { latencies, calls, windowMs } = await run(current, count, intervalSeconds, maxGapMs);
		// Steady state without events: Poll reads /events every interval; Stream keeps one connection
		// and reads /events every safety-poll interval, plus two calls (stream + catch-up) per reconnect.
		const steadyPerHour = current === 'poll' ? 3600 / intervalSeconds : 3_600_000 / SAFETY_POLL_INTERVAL_MS;
		rows.push({
			mode: current === 'poll' ? `poll (${intervalSeconds} s)` : 'stream',
			median: seconds(percentile(latencies, 50)),
			p95: seconds(percentile(latencies, 95)),
			max: seconds(latencies[latencies.length - 1]),
			'calls in run': `${calls} in ${(windowMs / 1000).toFixed(0)} s`,
			'calls/hour measured': Math.round((calls * 3_600_000) / windowMs),
			'calls/hour idle': current === 'poll' ? steadyPerHour : `${steadyPerHour} + 2 per reconnect`,
		});
	}
	console.log(`LinkupAPI Hosted Trigger, ${count} events per mode, event stored -> emitted`);
	console.table(rows);
	console.log('calls/hour measured: calls to the fake during the run, per hour (a stream run is too short for a safety poll).');
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
