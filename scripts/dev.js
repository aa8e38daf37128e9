// @ts-check
'use strict';
// npm run dev — builds the package, installs (once, cached in .cache/) the n8n that matches the
// running Node (1.123.81 on Node 20–23, 2.41.0 on Node 24+), loads the package the way n8n loads a
// community package and starts n8n on http://localhost:5678 with the persistent user folder .n8n-dev/.
// Demo mode (default; LINKUP_DEMO=0 turns it off) also starts the fake LinkupAPI on 127.0.0.1:5680,
// creates the owner and a "LinkupAPI (demo)" credential pointing at it. Ctrl-C stops everything.
// `npm run dev -- --watch` reloads n8n after each change under nodes/ or credentials/ (./n8n/watch.js).
const path = require('path');
const { ROOT, CACHE, chooseLine } = require('./n8n/install');
const { OWNER, runMain, sayer, sleep } = require('./n8n/harness');
const { startStack, buildAndPack } = require('./n8n/stack');
const { FakeLinkupApi } = require('../test/fake-linkupapi/server');
const { watchAndReload } = require('./n8n/watch');

const PORT = Number(process.env.N8N_PORT || 5678);
const FAKE_PORT = Number(process.env.LINKUP_DEMO_PORT || 5680);
const DEMO = process.env.LINKUP_DEMO !== '0';
const USER_FOLDER = path.join(ROOT, '.n8n-dev');
const CREDENTIAL_NAME = 'LinkupAPI (demo)';
// Fixed ids so that workflows saved in .n8n-dev keep pointing at the same demo accounts.
const DEMO_ACCOUNTS = [
	{ account_id: '65f1c0a2b3d4e5f601234567', account_name: 'John Doe (demo)', country: 'FR' },
	{ account_id: 'acc_demo000002', account_name: 'Jane Smith (demo)', country: 'US' },
	{ account_id: '65f1c0a2b3d4e5f601234569', account_name: 'Ada Lovelace (demo)', country: 'DE' },
];

const say = sayer('[dev]');

function demoFake() {
	const fake = new FakeLinkupApi({ accounts: 0 });
	for (const account of DEMO_ACCOUNTS) fake.addAccounts(1, account);
	return fake;
}

/** @type {Awaited<ReturnType<typeof startStack>> | undefined} */
let stack;
/** @type {ReturnType<typeof watchAndReload> | undefined} */
let watcher;
let stopping = false;

async function main() {
	const line = chooseLine('DEV_N8N');
	const workRoot = path.join(CACHE, 'dev-pack');
	stack = await startStack({
		line,
		workRoot,
		tarball: await buildAndPack(workRoot, say),
		fake: DEMO ? demoFake() : false,
		fakePort: FAKE_PORT,
		n8n: {
			userFolder: USER_FOLDER,
			port: PORT,
			brokerPort: Number(process.env.N8N_RUNNERS_BROKER_PORT || 5679),
			webhookUrl: DEMO ? `http://127.0.0.1:${PORT}/` : process.env.WEBHOOK_URL,
			env: { N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_HOST: 'localhost', N8N_EDITOR_BASE_URL: `http://localhost:${PORT}/` },
		},
		owner: DEMO,
		apiKey: false,
		credential: DEMO ? CREDENTIAL_NAME : false,
		say,
	});
	const { install, n8n, fake } = stack;
	say(`n8n ${install.version} ${install.cached ? '(cached)' : `installed in ${install.seconds.toFixed(0)} s`}; package loaded into ${path.relative(ROOT, USER_FOLDER)}/.n8n/nodes; log: ${path.relative(ROOT, n8n.logFile)}`);

	if (DEMO) {
		const first = DEMO_ACCOUNTS[0].account_id;
		say('');
		say(`Open http://localhost:${PORT} and log in:  ${OWNER.email}  /  ${OWNER.password}`);
		say(`Fake LinkupAPI on ${fake.baseUrl}. Credential "${CREDENTIAL_NAME}": API Key = ${fake.apiKey}, Base URL = ${fake.baseUrl}`);
		say(`Demo accounts: ${DEMO_ACCOUNTS.map((a) => `${a.account_name} = ${a.account_id}`).join('; ')}`);
		say('LinkupAPI Trigger: webhook URLs here are http://127.0.0.1, so set Options > "Allow Non-Public URL" (allowNonPublicUrl) to true.');
		say('Emit a demo event (goes to every active webhook of the account; hosted ones get it through their stream or next poll):');
		say(`  curl -s -X POST ${fake.baseUrl}/__control/emit -H 'content-type: application/json' -d '{"account_id":"${first}","type":"message"}'`);
		say(`  types: message, accepted_invitation, disconnection.  Fake state: curl -s ${fake.baseUrl}/__control/state`);
	} else {
		say(`Open http://localhost:${PORT}. Set WEBHOOK_URL to a public HTTPS URL for the LinkupAPI Trigger.`);
	}
	if (process.argv.includes('--watch')) watcher = watchAndReload({ n8n, userFolder: USER_FOLDER, packDir: workRoot, say });
	say('Press Ctrl-C to stop.');
	for (;;) {
		const info = await n8n.exited;
		if (stopping) return new Promise(() => {}); // Ctrl-C: onSignal ends the process.
		if (watcher && (watcher.reloading || !n8n.exitInfo)) {
			await sleep(250); // a reload stops and restarts n8n on purpose
			continue;
		}
		say(`n8n exited (${info}); last log lines:\n${n8n.logTail(30)}`);
		return 1;
	}
}

runMain(main, {
	onFailure: (reason) => process.stderr.write(`[dev] FAILED: ${reason}\n`),
	// Ctrl-C: stop n8n gently, its SQLite database in .n8n-dev persists.
	onSignal: async () => {
		stopping = true;
		if (watcher) watcher.close();
		say('stopping n8n...');
		if (stack) await stack.stop();
	},
});
