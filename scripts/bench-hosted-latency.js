'use strict';
// Latency of the LinkupAPI Hosted Trigger: time from an event being stored by (the fake) LinkupAPI
// to the trigger emitting it, at a given poll interval. Runs the BUILT node (`npm run build` first)
// against the fake LinkupAPI on 127.0.0.1, with a minimal stand-in for n8n's trigger context.
// Events are enqueued at random moments so they land at every phase of the poll cycle.
//
// Usage: node scripts/bench-hosted-latency.js [--events 20] [--interval <seconds, default: node default>]
const { performance } = require('perf_hooks');
const { FakeLinkupApi } = require('../test/fake-linkupapi/server');
const {
	LinkupHostedTrigger,
	DEFAULT_POLL_INTERVAL_SECONDS,
} = require('../dist/nodes/Linkup/LinkupHostedTrigger.node');

function argument(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? fallback : Number(process.argv[index + 1]);
}

/** What n8n-core's helpers.httpRequest does for the options the node sends. */
async function httpRequest(options) {
	const url = new URL(options.url);
	for (const [key, value] of Object.entries(options.qs ?? {})) {
		if (value !== undefined) url.searchParams.set(key, String(value));
	}
	const headers = { accept: 'application/json', ...options.headers };
	let body;
	if (options.body !== undefined && options.method !== 'GET') {
		body = JSON.stringify(options.body);
		headers['content-type'] = 'application/json';
	}
	const response = await fetch(url, { method: options.method, headers, body });
	const text = await response.text();
	let data = text;
	try {
		data = JSON.parse(text);
	} catch {}
	return { body: data, headers: Object.fromEntries(response.headers), statusCode: response.status };
}

function percentile(sorted, p) {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
	const count = argument('events', 20);
	const intervalSeconds = argument('interval', DEFAULT_POLL_INTERVAL_SECONDS);
	const fake = new FakeLinkupApi();
	const baseUrl = await fake.start();
	const accountId = fake.accountList()[0].account_id;
	const enqueuedAt = new Map();
	const latencies = [];
	let allEmitted;
	const done = new Promise((resolve) => (allEmitted = resolve));
	const parameters = {
		accountId,
		events: ['all'],
		options: { pollInterval: intervalSeconds },
	};
	const context = {
		getNodeParameter: (name, fallback) => parameters[name] ?? fallback,
		getCredentials: async () => ({ apiKey: fake.apiKey, baseUrl }),
		getNode: () => ({ id: 'bench', name: 'LinkupAPI Hosted Trigger', type: 'n8n-nodes-linkupapi-webhooks.linkupHostedTrigger', typeVersion: 1, position: [0, 0], parameters: {} }),
		getMode: () => 'trigger',
		getActivationMode: () => 'activate',
		getWorkflowStaticData: () => ({}),
		helpers: { httpRequest },
		logger: { debug() {}, info() {}, warn: (m) => console.error(m), error: (m) => console.error(m) },
		emit: ([items]) => {
			const now = performance.now();
			for (const { json } of items) {
				const id = json.event.message_text;
				latencies.push(now - enqueuedAt.get(id));
			}
			if (latencies.length >= count) allEmitted();
		},
		emitError: (error) => console.error(`emitError: ${error.message}`),
	};
	const response = await new LinkupHostedTrigger().trigger.call(context);
	const webhookId = [...fake.webhooks.keys()][0];
	console.log(`${count} events, poll interval ${intervalSeconds} s; this takes about ${Math.round((count * intervalSeconds * 0.65) + intervalSeconds)} s`);
	for (let i = 0; i < count; i++) {
		await new Promise((resolve) => setTimeout(resolve, Math.random() * intervalSeconds * 1300));
		const id = `bench ${i}`;
		enqueuedAt.set(id, performance.now());
		fake.enqueueEvent(webhookId, fake.sampleEvent(accountId, 'message', { message_text: id }));
	}
	await done;
	await response.closeFunction();
	await fake.stop();
	const sorted = [...latencies].sort((a, b) => a - b);
	const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
	console.log(`event polls: ${fake.requestsTo('GET', /\/events$/).length}`);
	console.log(`latency  min ${seconds(sorted[0])}  median ${seconds(percentile(sorted, 50))}  p95 ${seconds(percentile(sorted, 95))}  max ${seconds(sorted[sorted.length - 1])}`);
	console.log(`(uniform arrivals: expect a median near ${intervalSeconds / 2} s and a maximum just under ${intervalSeconds} s plus request time)`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
