#!/usr/bin/env node
// Measures how long the LinkupAPI Trigger takes to verify one signed 1 KB delivery, using the
// BUILT helper (run `npm run build` first). Prints figures; it asserts nothing.
'use strict';
const crypto = require('crypto');
const path = require('path');

const helperPath = path.resolve(__dirname, '../dist/nodes/Linkup/shared/signature.js');
let verifyLinkupSignature;
try {
	({ verifyLinkupSignature } = require(helperPath));
} catch {
	console.error(`Cannot load ${helperPath}: run \`npm run build\` first.`);
	process.exit(1);
}

const ITERATIONS = Number(process.argv[2] ?? 20000);
const WARMUP = 2000;
const TARGET_BYTES = 1024;

const secret = crypto.randomBytes(24).toString('base64url');
const wrapper = {
	account_id: '69c127c37cae0494dd827286',
	account_name: 'My Account',
	event: {
		type: 'message',
		sender_name: 'John Doe',
		sender_profile: 'https://www.linkedin.com/in/johndoe',
		message_text: '',
	},
	timestamp: '2025-01-15T10:31:00Z',
};
const padding = TARGET_BYTES - Buffer.byteLength(JSON.stringify(wrapper));
wrapper.event.message_text = 'x'.repeat(Math.max(0, padding));
const rawBody = Buffer.from(JSON.stringify(wrapper));
const timestamp = String(Math.floor(Date.now() / 1000));
// Signed independently of the helper under test.
const signature = `v1=${crypto.createHmac('sha256', secret).update(`${timestamp}.${rawBody.toString()}`).digest('hex')}`;
const delivery = { rawBody, timestamp, signature };

for (let i = 0; i < WARMUP; i++) verifyLinkupSignature(secret, delivery);
const samples = new Float64Array(ITERATIONS);
for (let i = 0; i < ITERATIONS; i++) {
	const start = process.hrtime.bigint();
	const check = verifyLinkupSignature(secret, delivery);
	samples[i] = Number(process.hrtime.bigint() - start) / 1000;
	if (!check.valid) throw new Error(`verification failed: ${check.reason}`);
}
samples.sort();
const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
console.log(
	`verify ${rawBody.length}-byte delivery, ${ITERATIONS} iterations (node ${process.version}): ` +
		`median ${at(0.5).toFixed(2)} µs, p90 ${at(0.9).toFixed(2)} µs, p99 ${at(0.99).toFixed(2)} µs`,
);
