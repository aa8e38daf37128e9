// Cost of the Hosted Trigger's server-sent events parser, and what a hostile stream costs n8n.
// 1. Parse cost of normal frames, 1 MiB vs 16 MiB in one run: the ratio shows whether the cost is
//    linear in bytes (16) or worse.
// 2. The same for one endless line without a line break, fed to a fresh parser after each refusal
//    (what a reconnect does).
// 3. Peak memory while parsing 96 MiB of `data:` lines that never end their frame.
// 4. The real stream loop (the Hosted Trigger in the unit tests' stand-in for n8n) while the fake
//    LinkupAPI sends an endless line at 10 MiB/s for --seconds (10) and an event waits in /events:
//    peak memory growth, and when the event came out.
// TypeScript, because it drives the node's source with the unit tests' helpers: `npm run bench --
// --sse` compiles it like the hosted latency bench (scripts/tsconfig.bench.json) and runs it with
// --expose-gc.
// Usage: npm run bench -- --sse [--seconds 10]
import { performance } from 'perf_hooks';
import { SseParser } from '../nodes/Linkup/hosted/sse';
import { LinkupHostedTrigger } from '../nodes/Linkup/LinkupHostedTrigger.node';
import { FakeLinkupApi } from '../test/fake-linkupapi/server';
import { linkupCredentials } from '../test/helpers/credentials';
import { createTriggerContext } from '../test/helpers/n8nContext';

const MiB = 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;

function argument(name: string, fallback: number): number {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? fallback : Number(process.argv[index + 1]);
}

/** `totalBytes` of input cut into 64 KiB chunks, made from `unit` repeated. */
function chunksOf(unit: string, totalBytes: number): Buffer[] {
	const chunk = Buffer.from(unit.repeat(Math.ceil(CHUNK_BYTES / unit.length)).slice(0, CHUNK_BYTES));
	return Array.from({ length: Math.ceil(totalBytes / CHUNK_BYTES) }, () => chunk);
}

/** Feeds every chunk, starting a new parser when one refuses its input; returns CPU ms, frames and refusals. */
function feed(chunks: Buffer[]): { ms: number; frames: number; refusals: number } {
	let parser = new SseParser();
	let frames = 0;
	let refusals = 0;
	const started = process.cpuUsage();
	for (const chunk of chunks) {
		try {
			frames += parser.push(chunk).length;
		} catch {
			refusals++;
			parser = new SseParser();
		}
	}
	const { user, system } = process.cpuUsage(started);
	return { ms: (user + system) / 1000, frames, refusals };
}

/** The fastest of five runs, after a warm-up: the figure least disturbed by other work on the machine. */
function fastestFeed(chunks: Buffer[]) {
	feed(chunks);
	const runs = Array.from({ length: 5 }, () => feed(chunks));
	return runs.reduce((best, run) => (run.ms < best.ms ? run : best));
}

function compareSizes(label: string, unit: string) {
	const small = fastestFeed(chunksOf(unit, MiB));
	const large = fastestFeed(chunksOf(unit, 16 * MiB));
	return {
		input: label,
		'1 MiB (ms CPU)': small.ms.toFixed(1),
		'16 MiB (ms CPU)': large.ms.toFixed(1),
		ratio: (large.ms / small.ms).toFixed(1),
		'16 MiB: frames, refusals': `${large.frames}, ${large.refusals}`,
	};
}

function heapMiB(): number {
	global.gc?.();
	return process.memoryUsage().heapUsed / MiB;
}

/** Peak heap growth while one parser reads `totalBytes` of `unit` (new parser after a refusal). */
function parserPeakMiB(unit: string, totalBytes: number) {
	const before = heapMiB();
	let parser = new SseParser();
	let peak = 0;
	let refusals = 0;
	let index = 0;
	for (const chunk of chunksOf(unit, totalBytes)) {
		try {
			parser.push(chunk);
		} catch {
			refusals++;
			parser = new SseParser();
		}
		if (++index % 64 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed / MiB - before);
	}
	return { peak, refusals };
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The Hosted Trigger's stream reads one endless line at `rate` bytes/s for up to `seconds` (the fake
 * then closes it), while an event waits in /events: peak memory growth, and when the event came out.
 */
async function endlessLineAgainstTrigger(rate: number, seconds: number) {
	const fake = new FakeLinkupApi();
	await fake.start();
	const accountId = fake.accountList()[0].account_id as string;
	const harness = createTriggerContext({
		parameters: { accountId: { __rl: true, mode: 'id', value: accountId }, receiveMode: 'stream', options: {} },
		credentials: linkupCredentials(fake.baseUrl, fake.apiKey),
		node: { typeVersion: 1.1 },
	});
	const response = await new LinkupHostedTrigger().trigger.call(harness.context as never);
	harness.afterTriggerReturned();
	while (fake.openStreams() !== 1 || fake.requestsTo('GET', /\/events$/).length < 1) await sleep(10);
	const before = { heap: heapMiB(), rss: process.memoryUsage().rss / MiB };
	const peak = { heap: 0, rss: 0 };
	const sampler = setInterval(() => {
		const { heapUsed, rss } = process.memoryUsage();
		peak.heap = Math.max(peak.heap, heapUsed / MiB - before.heap);
		peak.rss = Math.max(peak.rss, rss / MiB - before.rss);
	}, 20);
	const startedAt = performance.now();
	const { finished } = fake.sendEndlessLine({ bytesPerSecond: rate, maxBytes: rate * seconds, maxMs: seconds * 1000 });
	fake.enqueueEvent(harness.staticData.webhookId as string, fake.sampleEvent(accountId, 'message'));
	while (harness.emitted.length === 0 && performance.now() - startedAt < (seconds + 120) * 1000) await sleep(10);
	const eventAfterS = harness.emitted.length > 0 ? (performance.now() - startedAt) / 1000 : undefined;
	const lineBytes = await finished;
	clearInterval(sampler);
	await response.closeFunction?.();
	await fake.stop();
	return { peak, eventAfterS, lineBytes, reconnects: fake.streamsOpened - 1 };
}

async function main() {
	// First, while the process is still small: RSS never shrinks back.
	const seconds = argument('seconds', 10);
	const rate = 10 * MiB;
	const run = await endlessLineAgainstTrigger(rate, seconds);
	console.log(
		`Hosted Trigger stream, endless line at 10 MiB/s for up to ${seconds} s: the trigger took ${(run.lineBytes / MiB).toFixed(1)} MiB of it, ` +
			`peak growth heap +${run.peak.heap.toFixed(1)} MiB, RSS +${run.peak.rss.toFixed(1)} MiB, ${run.reconnects} reconnect(s), ` +
			`the waiting event came out after ${run.eventAfterS === undefined ? 'never' : `${run.eventAfterS.toFixed(2)} s`}`,
	);
	const event = `event: webhook\ndata: ${JSON.stringify({ account_id: 'a1', event: { type: 'message', message_text: 'Hello! '.repeat(60) } })}\n\n`;
	console.log('SseParser, input in 64 KiB chunks, CPU time, fastest of 5 runs');
	console.table([compareSizes('LinkedIn-sized webhook frames', event), compareSizes('one endless line (no line break)', 'x')]);
	const unended = parserPeakMiB('data: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n', 96 * MiB);
	console.log(`96 MiB of data: lines without a blank line: heap peak +${unended.peak.toFixed(1)} MiB, ${unended.refusals} refusals`);
	const endless = parserPeakMiB('x', 96 * MiB);
	console.log(`96 MiB endless line: heap peak +${endless.peak.toFixed(1)} MiB, ${endless.refusals} refusals`);
	if (!global.gc) console.log('(run with node --expose-gc for steadier memory figures)');
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
