// @ts-check
'use strict';
// npm run screenshots — refreshes the pictures in docs/screenshots/ from a real n8n editor with this
// package loaded: builds and packs the package, loads it into the n8n that matches the running Node
// (1.123.81 on Node 20–23, 2.41.0 on Node 24+; installed once into .cache/), starts the fake LinkupAPI
// and n8n on 127.0.0.1, prepares workflows through n8n's APIs, emits a signed event so that a
// successful execution exists, then drives Debian's headless Chromium (/usr/bin/chromium) through
// the editor. A failed step leaves a screenshot of the page in the work folder it prints.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { ROOT, PACKAGE_NAME: PKG, chooseLine, run } = require('./n8n/install');
const { OWNER, waitFor, node, rl, runMain, sayer } = require('./n8n/harness');
const { startStack, workFolder: newWorkFolder } = require('./n8n/stack');
const { FakeLinkupApi } = require('../test/fake-linkupapi/server');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
const VIEWPORT = { width: 1440, height: 900 };
const OUT_DIR = path.join(ROOT, 'docs', 'screenshots');
const STEP_TIMEOUT_MS = 30000;
const NAVIGATION_TIMEOUT_MS = 60000;
const OVERALL_TIMEOUT_MS = Number(process.env.SCREENSHOTS_TIMEOUT_MS || 30 * 60 * 1000);
const CREDENTIAL_NAME = 'LinkupAPI account';
// The account of the README's output examples, so the pictures and the text agree.
const ACCOUNTS = [
	{ account_id: '69c127c37cae0494dd827286', account_name: 'My Account' },
	{ account_id: '69c127c37cae0494dd827287', account_name: 'Sales Team' },
];

const say = sayer('[screenshots]');

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */
/** @typedef {Awaited<ReturnType<typeof prepare>>} Prepared what the pictures show: n8n, the fake and the workflows */
/** @typedef {{ querySelectorAll(selector: string): Iterable<{ value: unknown }> }} PageDocument the page's `document`, in functions Playwright runs there */

/** @param {string} workRoot */
async function ensureChromium(workRoot) {
	if (fs.existsSync(CHROMIUM)) return;
	say('installing Debian\'s chromium package (apt-get install -y chromium)...');
	const options = { cwd: workRoot, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, logFile: path.join(workRoot, 'apt.log'), timeoutMs: 600000 };
	await run('apt-get', ['update'], options);
	await run('apt-get', ['install', '-y', 'chromium'], options);
	if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is still missing after apt-get install chromium`);
}

/**
 * Builds, loads the package into a fresh n8n, and creates the workflows the pictures show.
 * @param {string} workRoot
 * @param {{ stack?: Awaited<ReturnType<typeof startStack>> }} holder receives the stack as soon as it runs
 */
async function prepare(workRoot, holder) {
	const fake = new FakeLinkupApi({ accounts: 0 });
	for (const account of ACCOUNTS) fake.addAccounts(1, account);
	const stack = await startStack({ line: chooseLine('SCREENSHOTS_N8N'), workRoot, fake, credential: CREDENTIAL_NAME, say });
	holder.stack = stack;
	const { install, n8n, client } = stack;
	say(`n8n ${install.version} ${install.cached ? '(cached)' : `installed in ${install.seconds.toFixed(0)} s`} answers on ${n8n.base}; fake LinkupAPI on ${fake.baseUrl}`);
	const credentialId = stack.credential.id;
	const credentials = { linkupApi: { id: credentialId, name: CREDENTIAL_NAME } };
	const account = ACCOUNTS[0];

	// The active workflow whose execution is pictured: trigger -> look up the account.
	const trigger = node(
		'LinkupAPI Trigger',
		`${PKG}.linkupTrigger`,
		{ accountId: rl(account.account_id, account.account_name), events: ['message_received'], options: { allowNonPublicUrl: true } },
		{ webhookId: crypto.randomUUID(), credentials, position: [0, 0] },
	);
	const getAccount = node(
		'Get Account',
		`${PKG}.linkup`,
		{ resource: 'account', operation: 'get', accountId: rl('={{ $json.account_id }}') },
		{ credentials, position: [260, 0] },
	);
	const active = await client.createWorkflow({
		name: 'New LinkedIn messages',
		nodes: [trigger, getAccount],
		connections: { [trigger.name]: { main: [[{ node: getAccount.name, type: 'main', index: 0 }]] } },
	});
	const activation = await client.activate(active.id);
	if (activation.status >= 300) throw new Error(`activation refused: ${activation.status} ${JSON.stringify(activation.body).slice(0, 400)}`);
	await waitFor('the trigger to register its webhook', () => fake.webhookList().length === 1, { timeoutMs: 60000, intervalMs: 250 });
	const delivered = await fake.emit(account.account_id, 'message');
	if (!delivered.length || delivered[0].status !== 200) throw new Error(`the signed event was not accepted: ${JSON.stringify(delivered).slice(0, 300)}`);
	const execution = await waitFor(
		'a successful execution of the trigger workflow',
		async () => {
			const list = await client.executions(active.id, { includeData: false });
			const failed = list.find((e) => e.status === 'error');
			if (failed) throw Object.assign(new Error(`execution ${failed.id} failed`), { fatal: true });
			return list.find((e) => e.status === 'success');
		},
		{ timeoutMs: 30000, intervalMs: 300 },
	);

	// An inactive workflow to show the nodes' parameters: trigger without options -> webhook operations.
	const draftTrigger = node(
		'LinkupAPI Trigger',
		`${PKG}.linkupTrigger`,
		{ accountId: { __rl: true, mode: 'list', value: '' }, events: ['message_received', 'accepted_invitation'] },
		{ webhookId: crypto.randomUUID(), credentials, position: [0, 0] },
	);
	const action = node('LinkupAPI', `${PKG}.linkup`, { resource: 'webhook', operation: 'create' }, { credentials, position: [260, 0] });
	const draft = await client.createWorkflow({
		name: 'LinkupAPI nodes',
		nodes: [draftTrigger, action],
		connections: { [draftTrigger.name]: { main: [[{ node: action.name, type: 'main', index: 0 }]] } },
	});
	return { n8n, fake, activeId: active.id, executionId: execution.id, draftId: draft.id, account };
}

// ---- browser ------------------------------------------------------------------------------

/**
 * Closes whatever n8n pops up over the editor (surveys, "what's new", banners); best effort.
 * @param {Page} page
 */
async function dismissOverlays(page) {
	for (let round = 0; round < 3; round++) {
		const closers = page.locator(
			'[role="dialog"] [aria-label="Close this dialog"], [role="dialog"] [aria-label="Close"], [role="dialog"] [title="Close"], .el-dialog__headerbtn, .el-message-box__headerbtn, [data-test-id="banner-stack"] [data-test-id$="-close"], .el-notification__closeBtn',
		);
		const count = await closers.count().catch(() => 0);
		let closed = 0;
		for (let i = 0; i < count; i++) {
			const closer = closers.nth(i);
			if (await closer.isVisible().catch(() => false)) {
				await closer.click({ timeout: 2000 }).catch(() => {});
				closed++;
			}
		}
		if (closed === 0) return;
		await page.waitForTimeout(300);
	}
}

/**
 * @param {Page} page
 * @param {string} base
 */
async function signIn(page, base) {
	await page.goto(`${base}/signin`);
	await page.locator('input[name="emailOrLdapLoginId"], input[type="email"]').first().fill(OWNER.email);
	await page.locator('input[name="password"], input[type="password"]').first().fill(OWNER.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: NAVIGATION_TIMEOUT_MS });
}

/**
 * Opens a workflow in the editor and returns the canvas node called `name`.
 * @param {Page} page
 * @param {string} base
 * @param {string} workflowId
 * @param {string} name
 */
async function openWorkflowNode(page, base, workflowId, name) {
	await page.goto(`${base}/workflow/${workflowId}`);
	const canvasNode = page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	await canvasNode.waitFor({ timeout: NAVIGATION_TIMEOUT_MS });
	await dismissOverlays(page);
	return canvasNode;
}

/**
 * @param {Page} page
 * @param {Locator} canvasNode
 */
async function openNodeDetails(page, canvasNode) {
	await canvasNode.dblclick();
	const ndv = page.getByTestId('ndv');
	await ndv.waitFor();
	return ndv;
}

/**
 * @param {Page} page
 * @param {string} file
 */
async function capture(page, file) {
	await page.mouse.move(VIEWPORT.width - 1, VIEWPORT.height - 1);
	await page.waitForTimeout(600);
	const target = path.join(OUT_DIR, file);
	await page.screenshot({ path: target, animations: 'disabled' });
	const kb = fs.statSync(target).size / 1024;
	say(`wrote docs/screenshots/${file} (${kb.toFixed(0)} KB)`);
	if (kb > 400) throw new Error(`${file} is ${kb.toFixed(0)} KB, more than 400 KB`);
}

/** @type {Array<{ file: string, what: string, run: (page: Page, env: Prepared) => Promise<void> }>} */
const SHOTS = [
	{
		file: 'node-panel.png',
		what: 'the node panel searched for "LinkupAPI"',
		async run(page, env) {
			// A new workflow: the panel opens on "What triggers this workflow?".
			await page.goto(`${env.n8n.base}/workflow/new`);
			await page.getByText('Add first step').waitFor({ timeout: NAVIGATION_TIMEOUT_MS });
			await dismissOverlays(page);
			await page.getByTestId('node-creator-plus-button').click();
			await page.getByText('What triggers this workflow?').waitFor();
			await page.keyboard.type('LinkupAPI');
			// n8n lists the action node and the LinkupAPI Trigger as one entry, and drops "Trigger" from names.
			await page.getByText('LinkupAPI Hosted', { exact: true }).waitFor();
			await page.getByText('LinkupAPI', { exact: true }).last().waitFor();
		},
	},
	{
		file: 'trigger-parameters.png',
		what: 'the LinkupAPI Trigger\'s parameters',
		async run(page, env) {
			const ndv = await openNodeDetails(page, await openWorkflowNode(page, env.n8n.base, env.draftId, 'LinkupAPI Trigger'));
			await ndv.getByText(/LinkupAPI bills about 10 credits a day/).waitFor();
			await ndv.getByText(/LinkupAPI must reach this n8n over public HTTPS/).waitFor();
			await ndv.getByTestId('rlc-input').click();
			await page.getByText(new RegExp(`^${env.account.account_name} \\(`)).click();
			await page.waitForFunction(
				(name) => [.../** @type {PageDocument} */ (/** @type {any} */ (globalThis).document).querySelectorAll('[data-test-id="rlc-input"]')].some((input) => String(input.value).startsWith(name)),
				env.account.account_name,
				{ timeout: STEP_TIMEOUT_MS },
			);
			await ndv.getByText('Message Received', { exact: true }).waitFor();
		},
	},
	{
		file: 'action-operations.png',
		what: 'the LinkupAPI node\'s Webhook operations',
		async run(page, env) {
			const ndv = await openNodeDetails(page, await openWorkflowNode(page, env.n8n.base, env.draftId, 'LinkupAPI'));
			await ndv.getByTestId('parameter-input-operation').click();
			const list = page.locator('.el-select-dropdown:visible, [role="listbox"]:visible').last();
			for (const operation of ['Create', 'Delete', 'Get', 'Get Events']) await list.getByText(operation, { exact: true }).waitFor();
		},
	},
	{
		file: 'trigger-execution.png',
		what: 'a successful execution of the trigger workflow',
		async run(page, env) {
			await page.goto(`${env.n8n.base}/workflow/${env.activeId}/executions/${env.executionId}`);
			await page.getByText(/Succeeded/).first().waitFor({ timeout: NAVIGATION_TIMEOUT_MS });
			await dismissOverlays(page);
			// n8n 1.x draws the execution in an embedded read-only editor, n8n 2.x in the page itself.
			const selector = '[data-test-id="canvas-node"][data-node-name="LinkupAPI Trigger"]';
			const preview = await Promise.any(
				[page, page.frameLocator('iframe').first()].map(async (root) => {
					await root.locator(selector).waitFor({ timeout: NAVIGATION_TIMEOUT_MS });
					return root;
				}),
			);
			await dismissOverlays(page);
			await preview.locator(selector).dblclick();
			const output = preview.getByTestId('ndv-run-data-display-mode');
			await output.getByText('JSON', { exact: true }).click();
			await preview.getByText(/"account_id"/).first().waitFor();
			await preview.getByText(/"message"/).first().waitFor();
		},
	},
];

/**
 * Playwright's first line and what it was waiting for, without the colour codes of its call log.
 * @param {Error} error
 */
function describe(error) {
	const lines = String(error.message).replace(/\u001b\[\d+m/g, '').split('\n');
	const waiting = lines.find((line) => line.includes('waiting for'));
	return waiting ? `${lines[0]} ${waiting.trim()}` : lines[0];
}

/**
 * @param {Prepared} env
 * @param {string} workRoot
 * @returns {Promise<string[]>} what failed
 */
async function takeScreenshots(env, workRoot) {
	const { chromium, selectors } = require('playwright-core');
	selectors.setTestIdAttribute('data-test-id');
	const profile = fs.mkdtempSync(path.join(workRoot, 'chromium-profile-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_FLAGS,
		viewport: VIEWPORT,
		timeout: 60000,
	});
	/** @type {string[]} */
	const failures = [];
	try {
		const page = context.pages()[0] || (await context.newPage());
		page.setDefaultTimeout(STEP_TIMEOUT_MS);
		page.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
		// Each step that fails leaves a picture of the page in the work folder.
		/**
		 * @param {string} name
		 * @param {() => Promise<void>} fn
		 */
		const step = async (name, fn) => {
			try {
				await fn();
				return true;
			} catch (error) {
				const debug = path.join(workRoot, `failed-${name}.png`);
				await page.screenshot({ path: debug }).catch(() => {});
				const message = describe(error);
				failures.push(`${name}: ${message} (page at ${debug})`);
				say(`FAILED ${name}: ${message}`);
				return false;
			}
		};
		if (!(await step('sign-in', () => signIn(page, env.n8n.base)))) return failures;
		fs.mkdirSync(OUT_DIR, { recursive: true });
		for (const shot of SHOTS) {
			const started = Date.now();
			const ok = await step(path.basename(shot.file, '.png'), async () => {
				await shot.run(page, env);
				await capture(page, shot.file);
			});
			if (ok) say(`  ${shot.what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
		}
	} finally {
		await Promise.race([context.close(), new Promise((resolve) => setTimeout(resolve, 15000))]);
	}
	return failures;
}

/** @type {string | undefined} */
let workFolder;

async function main() {
	const started = Date.now();
	const workRoot = newWorkFolder('linkup-screenshots-');
	workFolder = workRoot;
	say(`work folder ${workRoot}`);
	/** @type {{ stack?: Awaited<ReturnType<typeof startStack>> }} */
	const stack = {};
	/** @type {string[]} */
	let failures = [];
	try {
		await ensureChromium(workRoot);
		const env = await prepare(workRoot, stack);
		say(`prepared in ${((Date.now() - started) / 1000).toFixed(0)} s; taking screenshots with ${CHROMIUM}`);
		failures = await takeScreenshots(env, workRoot);
	} catch (error) {
		failures.push(error.message);
		if (stack.stack) say(stack.stack.logTails(40));
	} finally {
		if (stack.stack) await stack.stack.stop();
	}
	const seconds = ((Date.now() - started) / 1000).toFixed(0);
	if (failures.length) {
		say(`FAILED after ${seconds} s:\n  ${failures.join('\n  ')}\nlogs kept in ${workRoot}`);
		return 1;
	}
	fs.rmSync(workRoot, { recursive: true, force: true });
	say(`done in ${seconds} s: ${SHOTS.map((s) => `docs/screenshots/${s.file}`).join(', ')}`);
	return 0;
}

runMain(main, {
	timeoutMs: OVERALL_TIMEOUT_MS,
	onFailure: (reason) => say(`${reason}; everything stopped; logs kept in ${workFolder}`),
});
