'use strict';
// npm run dev — builds the package, installs (once, cached in .cache/) the n8n that matches the
// running Node (1.123.81 on Node 20–23, 2.41.0 on Node 24+), loads the package the way n8n loads a
// community package and starts n8n on http://localhost:5678 with the persistent user folder .n8n-dev/.
// Demo mode (default; LINKUP_DEMO=0 turns it off) also starts the fake LinkupAPI on 127.0.0.1:5680,
// creates the owner and a "LinkupAPI (demo)" credential pointing at it. Ctrl-C stops everything.
// `npm run dev -- --watch` reloads n8n after each change under nodes/ or credentials/ (./n8n/watch.js).
const fs = require('fs');
const path = require('path');
const { ROOT, CACHE, ensureN8n, packProject, installPackageInto, run } = require('./n8n/install');
const { N8nProcess, N8nClient, OWNER, killAll } = require('./n8n/harness');
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

function say(message) {
	process.stdout.write(`[dev] ${message}\n`);
}

function demoFake() {
	const fake = new FakeLinkupApi({ accounts: 0 });
	for (const account of DEMO_ACCOUNTS) {
		const [created] = fake.addAccounts(1, account);
		fake.accounts.delete(created.account_id);
		fake.accounts.set(account.account_id, { ...created, ...account });
	}
	return fake;
}

async function ensureDemoCredential(client, fake) {
	const existing = await client.rest('GET', '/rest/credentials', undefined, { allowError: true });
	if (existing.status === 200 && Array.isArray(existing.body) && existing.body.some((c) => c.name === CREDENTIAL_NAME)) {
		return 'already present';
	}
	const data = { apiKey: fake.apiKey, baseUrl: fake.baseUrl };
	const res = await client.rest('POST', '/rest/credentials', { name: CREDENTIAL_NAME, type: 'linkupApi', data }, { allowError: true });
	if (res.status < 300) return 'created';
	await client.createApiKey(`dev-${Date.now()}`);
	await client.createLinkupCredential({ name: CREDENTIAL_NAME, ...data });
	return 'created';
}

async function main() {
	const major = Number(process.versions.node.split('.')[0]);
	const line = process.env.DEV_N8N || (major >= 24 ? '2' : '1');
	say('building the package...');
	fs.mkdirSync(CACHE, { recursive: true });
	await run('npm', ['run', 'build'], { cwd: ROOT, env: process.env, logFile: path.join(CACHE, 'dev-build.log'), timeoutMs: 300000 });
	const install = await ensureN8n(line);
	say(`n8n ${install.version} ${install.cached ? '(cached)' : `installed in ${install.seconds.toFixed(0)} s`} at ${path.relative(ROOT, install.dir)}`);
	const tarball = await packProject(path.join(CACHE, 'dev-pack'));
	await installPackageInto(USER_FOLDER, tarball);
	say(`package loaded into ${path.relative(ROOT, USER_FOLDER)}/.n8n/nodes/node_modules/n8n-nodes-linkupapi-webhooks`);

	let fake;
	if (DEMO) {
		fake = demoFake();
		await fake.start(FAKE_PORT);
		say(`fake LinkupAPI on ${fake.baseUrl}`);
	}
	const env = { N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_HOST: 'localhost', N8N_EDITOR_BASE_URL: `http://localhost:${PORT}/` };
	const webhookUrl = DEMO ? `http://127.0.0.1:${PORT}/` : process.env.WEBHOOK_URL;
	const n8n = new N8nProcess(install, { userFolder: USER_FOLDER, port: PORT, brokerPort: Number(process.env.N8N_RUNNERS_BROKER_PORT || 5679), webhookUrl, env });

	let stopping = false;
	let watcher;
	const stop = async (code) => {
		if (stopping) return;
		stopping = true;
		if (watcher) watcher.close();
		say('stopping n8n...');
		await n8n.stop();
		if (fake) await fake.stop().catch(() => {});
		killAll();
		process.exit(code);
	};
	process.on('SIGINT', () => stop(0));
	process.on('SIGTERM', () => stop(0));

	const seconds = await n8n.start();
	say(`n8n ${install.version} started in ${seconds.toFixed(1)} s; log: ${path.relative(ROOT, n8n.logFile)}`);
	const watchExit = () =>
		n8n.exited.then((info) => {
			if (!stopping && !(watcher && watcher.reloading)) {
				say(`n8n exited (${info}); last log lines:\n${n8n.logTail(30)}`);
				stop(1);
			}
		});
	watchExit();

	if (DEMO) {
		const client = new N8nClient(n8n.base);
		await client.ensureOwner();
		const credential = await ensureDemoCredential(client, fake);
		const first = DEMO_ACCOUNTS[0].account_id;
		say('');
		say(`Open http://localhost:${PORT} and log in:  ${OWNER.email}  /  ${OWNER.password}`);
		say(`Credential "${CREDENTIAL_NAME}" (${credential}): API Key = ${fake.apiKey}, Base URL = ${fake.baseUrl}`);
		say(`Demo accounts: ${DEMO_ACCOUNTS.map((a) => `${a.account_name} = ${a.account_id}`).join('; ')}`);
		say('LinkupAPI Trigger: webhook URLs here are http://127.0.0.1, so set Options > "Allow Non-Public URL" (allowNonPublicUrl) to true.');
		say('Emit a demo event (goes to every active webhook of the account; hosted ones are polled):');
		say(`  curl -s -X POST ${fake.baseUrl}/__control/emit -H 'content-type: application/json' -d '{"account_id":"${first}","type":"message"}'`);
		say(`  types: message, accepted_invitation, disconnection.  Fake state: curl -s ${fake.baseUrl}/__control/state`);
	} else {
		say(`Open http://localhost:${PORT}. Set WEBHOOK_URL to a public HTTPS URL for the LinkupAPI Trigger.`);
	}
	if (process.argv.includes('--watch')) {
		watcher = watchAndReload({ n8n, userFolder: USER_FOLDER, packDir: path.join(CACHE, 'dev-pack'), say, afterRestart: watchExit });
	}
	say('Press Ctrl-C to stop.');
}

main().catch((error) => {
	process.stderr.write(`[dev] FAILED: ${error.message}\n`);
	killAll();
	process.exit(1);
});
