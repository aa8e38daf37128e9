// @ts-check
'use strict';
// An in-memory LinkupAPI v2 (as docs/linkupapi-v2.md describes it) on 127.0.0.1, for tests,
// benchmarks and the demo mode of `npm run dev`. Plain Node, no dependencies.
const http = require('http');
const crypto = require('crypto');

const KNOWN_EVENT_FILTERS = [
	'all',
	'message_received',
	'accepted_invitation',
	'invitation_received',
	'email_bounced',
	'message_read',
	'message_delivered',
	'message_failed',
];
const EVENT_RETENTION_MS = 24 * 60 * 60 * 1000;
const MONITORING_CREDITS_PER_DAY = 10;

/** @typedef {Record<string, any>} Json a JSON object as LinkupAPI sends or stores it */
/** @typedef {{ method: string, path: string, query: Record<string, string>, body: any, headers: import('http').IncomingHttpHeaders, time: number }} RecordedRequest */
/** @typedef {{ webhookId: string, status: number, body: string }} Delivery */
/** @typedef {'valid' | 'badSignature' | 'wrongSecret' | 'staleTimestamp' | 'futureTimestamp' | 'missingHeaders' | 'missingSignature' | 'missingTimestamp' | 'modifiedBody' | 'reserialized' | 'badPrefix' | 'unsigned'} DeliveryVariant */
/**
 * @typedef {object} Fault what `failNext` does to the next matching calls
 * @property {RegExp | string} route a RegExp or an exact path
 * @property {string} [method]
 * @property {number} [times] how many calls (1)
 * @property {number} [status] answer this status instead
 * @property {unknown} [body] with this body (a string is sent as text)
 * @property {Record<string, string>} [headers]
 * @property {number} [delayMs] wait this long first
 * @property {boolean} [destroy] drop the connection without an answer
 * @property {(answer: Json) => void} [edit] lets the call succeed and changes its JSON answer before it is sent
 */
/** @typedef {Pick<Fault, 'route' | 'method' | 'times' | 'status' | 'body' | 'headers'>} LostAnswer what `loseAnswerNext` takes */
/** @typedef {{ hold: () => Promise<void>, timer?: NodeJS.Timeout }} LateCall a call `performLateNext` holds */
/** @typedef {Fault & { remaining: number, performFirst?: boolean, late?: LateCall }} PendingFault */
/** @typedef {{ variant?: DeliveryVariant, rawBody?: string, url?: string, contentType?: string }} DeliveryOptions */
/** @typedef {{ webhookId: string, res: import('http').ServerResponse, timer: NodeJS.Timeout, muted?: boolean }} EventStream */

function objectId() {
	return crypto.randomBytes(12).toString('hex');
}

/** The webhook endpoints' timestamp style: microseconds and no zone. */
function webhookTimestamp(date = new Date()) {
	return date.toISOString().replace('Z', '000');
}

class FakeLinkupApi {
	/**
	 * @param {object} [options]
	 * @param {string} [options.apiKey] the only key accepted
	 * @param {number} [options.accounts] how many sample accounts to create
	 * @param {number} [options.credits] credit balance; below 1, monitoring cannot start
	 * @param {boolean} [options.requireHttps] refuse custom-mode urls that are not https
	 * @param {() => number} [options.now] the fake's clock in epoch ms (event retention, timestamps,
	 *   signatures); tests that store events at fixed dates set it so they pass on any calendar day
	 * @param {number} [options.keepaliveMs] how often open event streams get a `: keepalive` comment (30 s)
	 * @param {boolean} [options.newestFirst] answer each /events page newest first (the page still
	 *   holds the oldest `limit` events after `since`): the API does not document its order
	 * @param {SinceBehaviour} [options.sinceBehaviour] how /events reads `since`: the API does not
	 *   document it (see SinceBehaviour)
	 */
	constructor(options = {}) {
		this.now = options.now ?? (() => Date.now());
		this.apiKey = options.apiKey ?? 'test-api-key';
		this.credits = options.credits ?? 1000;
		this.requireHttps = options.requireHttps ?? false;
		/** @type {number} the port it listens on, once started */
		this.port;
		/** @type {string} */
		this.baseUrl;
		/** @type {RecordedRequest[]} */
		this.requests = [];
		/** @type {Map<string, Json>} */
		this.accounts = new Map();
		/** @type {Map<string, Json>} */
		this.webhooks = new Map();
		/** @type {Map<string, Json[]>} hosted events per webhook id */
		this.events = new Map();
		/** @type {PendingFault[]} */
		this.faults = [];
		/** @type {Delivery[]} */
		this.deliveries = [];
		this.server = http.createServer((req, res) => this.handle(req, res));
		this.sockets = new Set();
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		this.addAccounts(options.accounts ?? 3);
		this.keepaliveMs = options.keepaliveMs ?? 30_000;
		this.newestFirst = options.newestFirst ?? false;
		/** @type {SinceBehaviour} */
		this.sinceBehaviour = options.sinceBehaviour ?? 'exclusive';
		/** @type {Set<EventStream>} open event streams */
		this.streams = new Set();
		/** How many event streams were opened (connected frame sent) since the start. */
		this.streamsOpened = 0;
	}

	/**
	 * Starts listening on 127.0.0.1 (random port unless given); resolves to the base URL.
	 * @returns {Promise<string>}
	 */
	async start(port = 0) {
		await new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, '127.0.0.1', () => resolve(undefined));
		});
		this.port = /** @type {import('net').AddressInfo} */ (this.server.address()).port;
		this.baseUrl = `http://127.0.0.1:${this.port}`;
		return this.baseUrl;
	}

	async stop() {
		for (const fault of this.faults) if (fault.late) clearTimeout(fault.late.timer);
		this.dropStreams();
		for (const socket of this.sockets) socket.destroy();
		await new Promise((resolve) => this.server.close(() => resolve(undefined)));
	}

	// ---- state helpers -------------------------------------------------------------------

	/**
	 * @param {number} count
	 * @param {Json} [overrides]
	 * @returns {Json[]}
	 */
	addAccounts(count, overrides = {}) {
		const created = [];
		const names = ['John Doe', 'Jane Smith', 'Ada Lovelace', 'Alan Turing', 'Grace Hopper'];
		for (let i = 0; i < count; i++) {
			const n = this.accounts.size;
			const account = {
				account_id: n % 2 === 0 ? objectId() : `acc_${objectId().slice(0, 10)}`,
				platform: 'linkedin',
				account_name: `${names[n % names.length]} ${n + 1}`,
				is_active: true,
				status: 'active',
				country: ['FR', 'US', 'DE'][n % 3],
				created_at: new Date(Date.UTC(2025, 9, 15, 8, 30) + n * 60000).toISOString().replace('.000', ''),
				updated_at: '2026-03-20T14:22:00Z',
				...overrides,
			};
			this.accounts.set(account.account_id, account);
			created.push(account);
		}
		return created;
	}

	accountList() {
		return [...this.accounts.values()];
	}

	webhookList() {
		return [...this.webhooks.values()].map((webhook) => this.publicWebhook(webhook));
	}

	/**
	 * Removes a webhook as if someone deleted it in LinkupAPI's dashboard.
	 * @param {string} webhookId
	 */
	deleteWebhookBehindBack(webhookId) {
		this.webhooks.delete(webhookId);
		this.events.delete(webhookId);
		this.dropStreams(webhookId);
	}

	/**
	 * Monitored accounts: those with at least one webhook whose monitoring is on (billing runs).
	 * @returns {string[]}
	 */
	monitoredAccounts() {
		return [...new Set([...this.webhooks.values()].filter((w) => w.monitoring).map((w) => w.account_id))];
	}

	/**
	 * Makes the next `times` calls matching `route` (a RegExp or exact path) and `method` fail or slow down.
	 * `destroy: true` drops the connection without an answer. `edit(answer)` lets the call succeed and
	 * changes its JSON answer before it is sent (an API that answers differently from the fake).
	 * @param {Fault} fault
	 */
	failNext({ route, method, times = 1, status, body, headers, delayMs, destroy, edit }) {
		this.faults.push({ route, method, remaining: times, status, body, headers, delayMs, destroy, edit });
	}

	clearFaults() {
		this.faults = [];
	}

	/**
	 * Makes the next `times` matching calls really happen (a webhook really gets created), then lose
	 * their answer: the connection drops, or `status` (with `body`) is sent instead of the real answer.
	 * @param {LostAnswer} fault
	 */
	loseAnswerNext({ route, method, times = 1, status, body, headers }) {
		this.faults.push({ route, method, remaining: times, status, body, headers, performFirst: true });
	}

	/**
	 * Holds the next matching call, then carries it out `afterMs` after it arrived (a slow LinkupAPI)
	 * or as soon as `performNow()` is called, whichever comes first; by then the client may have given
	 * up, so the answer goes to a client still waiting, or nowhere. Held at most 10 minutes.
	 * `performed` resolves once the call was carried out.
	 * @param {{route: RegExp|string, method?: string, afterMs: number}} fault
	 * @returns {{performNow: () => void, performed: Promise<void>}}
	 */
	performLateNext({ route, method, afterMs }) {
		/** @type {() => void} */
		let release = () => {};
		/** @type {() => void} */
		let markPerformed = () => {};
		const gate = new Promise((resolve) => (release = () => resolve(undefined)));
		const performed = new Promise((resolve) => (markPerformed = () => resolve(undefined)));
		/** @type {LateCall} */
		const late = {
			hold: async () => {
				late.timer = setTimeout(release, Math.min(afterMs, 10 * 60 * 1000));
				await gate;
				clearTimeout(late.timer);
				setImmediate(markPerformed); // once the call, routed synchronously after the hold, is done
			},
		};
		this.faults.push({ route, method, remaining: 1, late });
		return { performNow: () => release(), performed: /** @type {Promise<void>} */ (performed) };
	}

	/**
	 * @param {string} [method]
	 * @param {RegExp | string} [pathPattern]
	 */
	requestsTo(method, pathPattern) {
		return this.requests.filter(
			(r) =>
				(!method || r.method === method) &&
				(!pathPattern || (pathPattern instanceof RegExp ? pathPattern.test(r.path) : r.path === pathPattern)),
		);
	}

	/**
	 * A sample event wrapper as LinkupAPI sends it (docs/linkupapi-v2.md, Event shapes).
	 * @param {string} accountId
	 * @param {string} [type]
	 * @param {Json} [extra] fields added to `event`
	 * @returns {Json}
	 */
	sampleEvent(accountId, type = 'message', extra = {}) {
		const account = this.accounts.get(accountId);
		const base = {
			account_id: accountId,
			account_name: account ? account.account_name : 'Unknown',
			timestamp: new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
		};
		/** @type {Record<string, Json>} */
		const bodies = {
			message: {
				type: 'message',
				sender_name: 'John Doe',
				message_text: 'Hello! Are you available for a quick call this week?',
				sender_profile: 'https://www.linkedin.com/in/johndoe',
			},
			accepted_invitation: {
				type: 'accepted_invitation',
				new_connections: [
					{ name: 'Jane Smith', profile_url: 'https://www.linkedin.com/in/janesmith' },
					{ name: 'Alan Turing', profile_url: 'https://www.linkedin.com/in/alanturing' },
				],
			},
			disconnection: { type: 'disconnection', reason: 'LinkedIn session expired' },
		};
		return { ...base, event: { ...(bodies[type] ?? { type }), ...extra } };
	}

	/**
	 * Stores an event for a hosted webhook (what LinkupAPI does when LinkedIn activity happens).
	 * @param {string} webhookId
	 * @param {Json} wrapper
	 * @returns {Json}
	 */
	enqueueEvent(webhookId, wrapper, createdAt = new Date(this.now())) {
		const list = this.events.get(webhookId);
		if (!list) throw new Error(`no hosted webhook ${webhookId}`);
		const item = { event_id: objectId(), event: wrapper, created_at: createdAt.toISOString() };
		list.push(item);
		this.pushToStreams(webhookId, wrapper);
		return item;
	}

	/**
	 * Emits an event for an account the way LinkupAPI does: to every webhook of the account whose
	 * filter takes it (disconnection goes to all), posting to custom urls and storing for hosted ones.
	 * @param {string} accountId
	 * @param {string} [type]
	 * @param {Json} [extra]
	 */
	async emit(accountId, type = 'message', extra = {}) {
		const wrapper = this.sampleEvent(accountId, type, extra);
		/** @type {Array<Json | Delivery>} */
		const results = [];
		for (const webhook of this.webhooks.values()) {
			if (webhook.account_id !== accountId || !webhook.monitoring || !filterTakes(webhook.events, type)) continue;
			if (webhook.url) results.push(await this.deliver(webhook.webhook_id, wrapper));
			else results.push(this.enqueueEvent(webhook.webhook_id, wrapper));
		}
		return results;
	}

	/**
	 * POSTs `wrapper` to a custom-mode webhook's url, signed (docs/linkupapi-v2.md, Signatures) when it has a secret.
	 * `variant` forges it: badSignature, wrongSecret, staleTimestamp, futureTimestamp, missingHeaders,
	 * missingSignature, missingTimestamp, modifiedBody, reserialized, badPrefix, unsigned.
	 * `rawBody` sends exactly those bytes instead of JSON.
	 * @param {string} webhookId
	 * @param {Json} wrapper
	 * @param {DeliveryOptions} [options]
	 * @returns {Promise<Delivery>}
	 */
	async deliver(webhookId, wrapper, { variant = 'valid', rawBody, url, contentType } = {}) {
		const webhook = this.webhooks.get(webhookId);
		if (!webhook && !url) throw new Error(`no webhook ${webhookId}`);
		const target = url ?? webhook?.url;
		if (!target) throw new Error(`webhook ${webhookId} is hosted: it has no url`);
		const { headers, body } = this.signedRequest(webhookId, wrapper, { variant, rawBody, contentType });
		const response = await fetch(target, { method: 'POST', headers, body });
		const text = await response.text();
		const record = { webhookId, status: response.status, body: text };
		this.deliveries.push(record);
		return record;
	}

	/**
	 * The headers and body `deliver` would POST, without posting them (same variants).
	 * @param {string} webhookId
	 * @param {Json} wrapper
	 * @param {Omit<DeliveryOptions, 'url'>} [options]
	 * @returns {{headers: Record<string,string>, body: string}}
	 */
	signedRequest(webhookId, wrapper, { variant = 'valid', rawBody, contentType = 'application/json' } = {}) {
		const webhook = this.webhooks.get(webhookId);
		let body = rawBody ?? JSON.stringify(wrapper, null, 1);
		const secret = webhook && webhook.secret;
		/** @type {Record<string, string>} */
		const headers = { 'content-type': contentType };
		if (secret && variant !== 'unsigned') {
			let timestamp = Math.floor(this.now() / 1000);
			if (variant === 'staleTimestamp') timestamp -= 3600;
			if (variant === 'futureTimestamp') timestamp += 3600;
			const key = variant === 'wrongSecret' ? `${secret}x` : secret;
			let signature = signPayload(key, timestamp, body);
			if (variant === 'badSignature') signature = signature.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
			headers['x-linkup-timestamp'] = String(timestamp);
			headers['x-linkup-signature'] = variant === 'badPrefix' ? `v2=${signature}` : `v1=${signature}`;
			if (variant === 'missingHeaders' || variant === 'missingSignature') delete headers['x-linkup-signature'];
			if (variant === 'missingHeaders' || variant === 'missingTimestamp') delete headers['x-linkup-timestamp'];
			if (variant === 'modifiedBody') body = body.replace(/}\s*$/, ',"injected":true}');
			if (variant === 'reserialized') body = JSON.stringify(JSON.parse(body));
		}
		return { headers, body };
	}

	// ---- HTTP ----------------------------------------------------------------------------

	/**
	 * @param {import('http').IncomingMessage} req
	 * @param {import('http').ServerResponse} res
	 */
	async handle(req, res) {
		const url = new URL(/** @type {string} */ (req.url), 'http://127.0.0.1');
		/** @type {Buffer[]} */
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		const raw = Buffer.concat(chunks).toString('utf8');
		let body;
		if (raw) {
			try {
				body = JSON.parse(raw);
			} catch {
				body = raw;
			}
		}
		/** @type {RecordedRequest} */
		const entry = {
			method: /** @type {string} */ (req.method),
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			body,
			headers: req.headers,
			time: Date.now(),
		};
		if (!url.pathname.startsWith('/__control')) this.requests.push(entry);

		const fault = this.faults.find(
			(f) =>
				f.remaining > 0 &&
				(!f.method || f.method === req.method) &&
				(f.route instanceof RegExp ? f.route.test(url.pathname) : f.route === url.pathname),
		);
		if (fault) {
			fault.remaining--;
			if (fault.late) await fault.late.hold();
			if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
			if (fault.performFirst) return this.performThenLoseAnswer(req, res, url, body, fault);
			if (fault.destroy) {
				req.socket.destroy();
				return;
			}
			if (fault.status) {
				const payload =
					fault.body !== undefined ? fault.body : errorEnvelope(codeForStatus(fault.status), 'Injected failure', 'fault');
				return send(res, fault.status, payload, fault.headers);
			}
		}

		try {
			if (url.pathname.startsWith('/__control/')) return await this.control(url, body, res);
			if (req.method === 'GET' && /^\/v2\/webhooks\/[^/]+\/stream$/.test(url.pathname)) return this.openStream(url, res);
			if (req.headers['x-api-key'] !== this.apiKey) {
				return send(res, 403, errorEnvelope('INVALID_API_KEY', 'Invalid or missing API key', 'auth'));
			}
			const [result, status = 200] = this.route(entry.method, url, body);
			if (fault && fault.edit) fault.edit(result);
			return send(res, status, result);
		} catch (error) {
			if (error instanceof ApiError) return send(res, error.status, errorEnvelope(error.code, error.message, error.action));
			return send(res, 500, errorEnvelope('INTERNAL_ERROR', String(error && error.message), 'unknown'));
		}
	}

	/**
	 * @param {string} method
	 * @param {URL} url
	 * @param {any} body the parsed JSON body
	 * @returns {[Json, number?]} the answer and its status (200)
	 */
	route(method, url, body) {
		const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
		if (parts[0] !== 'v2') throw new ApiError(404, 'INVALID_ACTION', `Unknown path ${url.pathname}`, 'unknown');
		const query = url.searchParams;
		if (parts[1] === 'accounts') {
			if (method === 'GET' && parts.length === 2) return [this.listAccounts(query)];
			if (method === 'GET' && parts.length === 3) return [ok(this.requireAccount(parts[2], 'get_account'), 'get_account')];
		}
		if (parts[1] === 'webhooks') {
			const id = parts[2];
			const sub = parts[3];
			if (parts.length === 2 && method === 'POST') return [this.createWebhook(body), 201];
			if (parts.length === 2 && method === 'GET') return [this.listWebhooks()];
			if (parts.length === 3 && method === 'GET') return [ok(this.publicWebhook(this.requireWebhook(id, 'get_webhook')), 'get_webhook')];
			if (parts.length === 3 && method === 'PUT') return [this.updateWebhook(id, body)];
			if (parts.length === 3 && method === 'DELETE') return [this.deleteWebhook(id)];
			if (parts.length === 4 && method === 'POST' && sub === 'start') return [this.setMonitoring(id, true)];
			if (parts.length === 4 && method === 'POST' && sub === 'stop') return [this.setMonitoring(id, false)];
			if (parts.length === 4 && method === 'GET' && sub === 'events') return [this.pollEvents(id, query)];
			if (parts.length === 4 && method === 'POST' && sub === 'rotate-secret') return [this.rotateSecret(id)];
			if (parts.length === 4 && method === 'DELETE' && sub === 'secret') return [this.disableSignature(id)];
		}
		throw new ApiError(404, 'INVALID_ACTION', `No route for ${method} ${url.pathname}`, 'unknown');
	}

	/** @param {URLSearchParams} query */
	listAccounts(query) {
		const limit = intParam(query, 'limit', 50, 1, 500, 'list_accounts');
		const offset = intParam(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER, 'list_accounts');
		const all = this.accountList();
		return ok({ items: all.slice(offset, offset + limit), total: all.length, limit, offset }, 'list_accounts');
	}

	/**
	 * @param {string} accountId
	 * @param {string} action
	 */
	requireAccount(accountId, action) {
		const account = this.accounts.get(accountId);
		if (!account) throw new ApiError(404, 'INVALID_ACCOUNT', `Account ${accountId} not found`, action);
		return account;
	}

	/**
	 * @param {string} webhookId
	 * @param {string} action
	 */
	requireWebhook(webhookId, action) {
		const webhook = this.webhooks.get(webhookId);
		if (!webhook) throw new ApiError(404, 'INVALID_PARAMS', `Webhook ${webhookId} not found`, action);
		return webhook;
	}

	/**
	 * @param {Json} body
	 * @param {string} action
	 */
	validateUrlAndEvents(body, action) {
		if (body.url !== undefined && body.url !== null) {
			let parsed;
			try {
				parsed = new URL(body.url);
			} catch {
				throw new ApiError(400, 'INVALID_PARAMS', 'url must be a valid URL', action);
			}
			if (this.requireHttps && parsed.protocol !== 'https:') {
				throw new ApiError(400, 'INVALID_PARAMS', 'url must be a public HTTPS URL', action);
			}
		}
		if (body.events !== undefined) {
			if (!Array.isArray(body.events) || body.events.length === 0) {
				throw new ApiError(400, 'INVALID_PARAMS', 'events must be a non-empty array', action);
			}
			const unknown = body.events.filter((/** @type {string} */ e) => !KNOWN_EVENT_FILTERS.includes(e));
			if (unknown.length) throw new ApiError(400, 'INVALID_PARAMS', `Unknown event type: ${unknown.join(', ')}`, action);
		}
	}

	/**
	 * @param {Json} account
	 * @param {string} action
	 */
	startMonitoring(account, action) {
		if (!account.is_active) throw new ApiError(403, 'ACCOUNT_INACTIVE', 'Account is inactive or suspended', action);
		if (this.credits < 1) throw new ApiError(402, 'INSUFFICIENT_CREDITS', 'Not enough credits to start monitoring', action);
	}

	/** @param {any} body */
	createWebhook(body) {
		const action = 'create_webhook';
		if (!body || typeof body !== 'object') throw new ApiError(400, 'INVALID_PARAMS', 'A JSON body is required', action);
		if (!body.account_id) throw new ApiError(400, 'INVALID_PARAMS', 'account_id is required', action);
		const account = this.requireAccount(body.account_id, action);
		this.validateUrlAndEvents(body, action);
		this.startMonitoring(account, action);
		const webhook = {
			webhook_id: objectId(),
			account_id: account.account_id,
			url: body.url || null,
			events: body.events ?? ['all'],
			monitoring: true,
			is_active: true,
			retry: body.retry ?? false,
			secret: body.url && body.enable_signature ? crypto.randomBytes(24).toString('base64url') : null,
			created_at: webhookTimestamp(new Date(this.now())),
			updated_at: webhookTimestamp(new Date(this.now())),
		};
		this.webhooks.set(webhook.webhook_id, webhook);
		const data = this.publicWebhook(webhook);
		if (!webhook.url) this.events.set(webhook.webhook_id, []);
		if (webhook.secret) data.secret = webhook.secret;
		return ok(data, action);
	}

	/**
	 * @param {Json} webhook
	 * @returns {Json}
	 */
	publicWebhook(webhook) {
		/** @type {Json} */
		const data = {
			webhook_id: webhook.webhook_id,
			account_id: webhook.account_id,
			url: webhook.url,
			events: webhook.events,
			signature_enabled: Boolean(webhook.secret),
			monitoring: webhook.monitoring,
			is_active: webhook.is_active,
			created_at: webhook.created_at,
			updated_at: webhook.updated_at,
		};
		if (!webhook.url) {
			data.stream_url = `${this.baseUrl}/v2/webhooks/${webhook.webhook_id}/stream`;
			data.events_url = `${this.baseUrl}/v2/webhooks/${webhook.webhook_id}/events`;
		}
		return data;
	}

	listWebhooks() {
		return ok({ items: this.webhookList() }, 'list_webhooks');
	}

	/**
	 * @param {string} webhookId
	 * @param {any} body
	 */
	updateWebhook(webhookId, body) {
		const action = 'update_webhook';
		const webhook = this.requireWebhook(webhookId, action);
		if (!body || typeof body !== 'object') throw new ApiError(400, 'INVALID_PARAMS', 'A JSON body is required', action);
		this.validateUrlAndEvents(body, action);
		if (body.url !== undefined) webhook.url = body.url || null;
		if (body.events !== undefined) webhook.events = body.events;
		if (body.retry !== undefined) webhook.retry = Boolean(body.retry);
		if (body.is_active !== undefined) {
			if (body.is_active) this.startMonitoring(this.requireAccount(webhook.account_id, action), action);
			webhook.is_active = Boolean(body.is_active);
			webhook.monitoring = Boolean(body.is_active);
		}
		webhook.updated_at = webhookTimestamp(new Date(this.now()));
		return ok(this.publicWebhook(webhook), action);
	}

	/** @param {string} webhookId */
	deleteWebhook(webhookId) {
		this.requireWebhook(webhookId, 'delete_webhook');
		this.deleteWebhookBehindBack(webhookId);
		return ok({ webhook_id: webhookId, deleted: true }, 'delete_webhook');
	}

	/**
	 * @param {string} webhookId
	 * @param {boolean} on
	 */
	setMonitoring(webhookId, on) {
		const action = on ? 'start_webhook' : 'stop_webhook';
		const webhook = this.requireWebhook(webhookId, action);
		if (on) this.startMonitoring(this.requireAccount(webhook.account_id, action), action);
		webhook.monitoring = on;
		webhook.is_active = on;
		return ok({ webhook_id: webhookId, account_id: webhook.account_id, monitoring: on }, action);
	}

	/**
	 * @param {string} webhookId
	 * @param {URLSearchParams} query
	 */
	pollEvents(webhookId, query) {
		const action = 'poll_webhook_events';
		const webhook = this.requireWebhook(webhookId, action);
		if (webhook.url) throw new ApiError(400, 'INVALID_PARAMS', 'Events can only be polled for hosted webhooks', action);
		const limit = intParam(query, 'limit', 50, 1, 200, action);
		/** @type {number | undefined} */
		let since;
		if (query.has('since')) {
			since = Date.parse(/** @type {string} */ (query.get('since')));
			if (Number.isNaN(since)) throw new ApiError(400, 'INVALID_PARAMS', 'since must be an ISO 8601 date', action);
		}
		const now = this.now();
		const list = (this.events.get(webhookId) ?? []).filter((e) => now - Date.parse(e.created_at) <= EVENT_RETENTION_MS);
		this.events.set(webhookId, list);
		const sorted = list
			.filter((e) => since === undefined || storedAfter(Date.parse(e.created_at), since, this.sinceBehaviour))
			.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
		// A list without a working filter shows its latest events, with or without `since` (one showing
		// the oldest would hide every later event from every client).
		const items = this.sinceBehaviour === 'ignored' ? sorted.slice(-limit) : sorted.slice(0, limit);
		if (this.newestFirst) items.reverse();
		return ok({ items }, action);
	}

	/** @param {string} webhookId */
	rotateSecret(webhookId) {
		const action = 'rotate_webhook_secret';
		const webhook = this.requireWebhook(webhookId, action);
		if (!webhook.url) throw new ApiError(400, 'INVALID_PARAMS', 'Hosted webhooks are not signed', action);
		webhook.secret = crypto.randomBytes(24).toString('base64url');
		return ok(
			{
				webhook_id: webhookId,
				secret: webhook.secret,
				signature_scheme:
					"HMAC-SHA256 over '<X-Linkup-Timestamp>.<raw_body>'; compare to X-Linkup-Signature header (format: v1=<hex>)",
			},
			action,
		);
	}

	/** @param {string} webhookId */
	disableSignature(webhookId) {
		const action = 'delete_webhook_secret';
		const webhook = this.requireWebhook(webhookId, action);
		webhook.secret = null;
		return ok({ webhook_id: webhookId, signature_enabled: false }, action);
	}

	/**
	 * Carries out a request matched by `loseAnswerNext`, then loses its answer.
	 * @param {import('http').IncomingMessage} req
	 * @param {import('http').ServerResponse} res
	 * @param {URL} url
	 * @param {any} body
	 * @param {PendingFault} fault
	 */
	performThenLoseAnswer(req, res, url, body, fault) {
		try {
			this.route(/** @type {string} */ (req.method), url, body);
		} catch {
			// The operation's own refusal is lost with the answer.
		}
		if (!fault.status) {
			req.socket.destroy();
			return;
		}
		const payload = fault.body !== undefined ? fault.body : errorEnvelope(codeForStatus(fault.status), 'Injected failure', 'fault');
		return send(res, fault.status, payload, fault.headers);
	}

	/**
	 * Control endpoints for processes that cannot call the JavaScript API (dev mode, e2e).
	 * @param {URL} url
	 * @param {any} body
	 * @param {import('http').ServerResponse} res
	 */
	async control(url, body, res) {
		const name = url.pathname.slice('/__control/'.length);
		if (name === 'state') {
			return send(res, 200, {
				accounts: this.accountList(),
				webhooks: this.webhookList(),
				monitored_accounts: this.monitoredAccounts(),
				credits_per_day: this.monitoredAccounts().length * MONITORING_CREDITS_PER_DAY,
				requests: this.requests.length,
				deliveries: this.deliveries,
			});
		}
		if (name === 'emit') {
			const input = body || {};
			const accountId = input.account_id ?? this.accountList()[0].account_id;
			const results = await this.emit(accountId, input.type ?? 'message', input.event ?? {});
			return send(res, 200, { delivered: results.length, results });
		}
		if (name === 'requests') return send(res, 200, this.requests.map(({ headers, ...rest }) => rest));
		if (name === 'drop-streams') return send(res, 200, { dropped: this.dropStreams() });
		if (name === 'endless-line' || name === 'stream-chunks') return this.controlStreamFault(name, body || {}, res);
		return send(res, 404, { error: `unknown control ${name}` });
	}

	// ---- hosted event stream (server-sent events) -----------------------------------------

	/**
	 * GET /v2/webhooks/{id}/stream?api_key=…: the key comes in the query string, not a header.
	 * @param {URL} url
	 * @param {import('http').ServerResponse} res
	 */
	openStream(url, res) {
		const action = 'stream_webhook_events';
		if (url.searchParams.get('api_key') !== this.apiKey) {
			return send(res, 403, errorEnvelope('INVALID_API_KEY', 'Invalid or missing API key', action));
		}
		const webhookId = decodeURIComponent(url.pathname.split('/')[3]);
		const webhook = this.requireWebhook(webhookId, action);
		if (webhook.url) throw new ApiError(400, 'INVALID_PARAMS', 'Only hosted webhooks have a stream', action);
		res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
		res.write(`event: connected\ndata: ${JSON.stringify({ webhook_id: webhookId, account_id: webhook.account_id })}\n\n`);
		/** @type {EventStream} */
		const stream = { webhookId, res, timer: setInterval(() => res.write(': keepalive\n\n'), this.keepaliveMs) };
		this.streams.add(stream);
		this.streamsOpened++;
		res.on('close', () => {
			clearInterval(stream.timer);
			this.streams.delete(stream);
		});
	}

	/**
	 * Writes an `event: webhook` frame with `wrapper` to every open stream of the webhook.
	 * @param {string} webhookId
	 * @param {Json} wrapper
	 */
	pushToStreams(webhookId, wrapper) {
		for (const stream of this.streams) {
			if (stream.webhookId === webhookId && !stream.muted) stream.res.write(`event: webhook\ndata: ${JSON.stringify(wrapper)}\n\n`);
		}
	}

	/**
	 * Open streams, optionally of one webhook.
	 * @param {string} [webhookId]
	 */
	openStreams(webhookId) {
		return [...this.streams].filter((stream) => webhookId === undefined || stream.webhookId === webhookId).length;
	}

	/**
	 * Cuts the open streams (of one webhook, or all) as a proxy or a LinkupAPI restart would; returns how many.
	 * @param {string} [webhookId]
	 */
	dropStreams(webhookId) {
		const streams = [...this.streams].filter((stream) => webhookId === undefined || stream.webhookId === webhookId);
		for (const stream of streams) {
			clearInterval(stream.timer);
			this.streams.delete(stream);
			stream.res.socket?.destroy();
		}
		return streams.length;
	}

	/** Keeps the open streams open but sends nothing more on them (a dead connection); returns how many. */
	muteStreams() {
		for (const stream of this.streams) {
			clearInterval(stream.timer);
			stream.muted = true;
		}
		return this.streams.size;
	}

	// ---- hostile or broken event streams ----------------------------------------------------

	/**
	 * Turns the open event streams (of one webhook, or all) into one endless line: `x` bytes at
	 * `bytesPerSecond` each, never a line break, until `maxBytes` went out or `maxMs` passed, then
	 * closes them. Meanwhile they carry no keepalive and no event (events are still stored for
	 * /events); streams opened later are sane. A stream whose client reads slowly is skipped until it
	 * drains, so the fake buffers little. `finished` resolves to the most bytes one stream took.
	 * @param {{ webhookId?: string, bytesPerSecond?: number, maxBytes?: number, maxMs?: number }} [limits]
	 * @returns {{streams: number, finished: Promise<number>}}
	 */
	sendEndlessLine({ webhookId, bytesPerSecond = 10 * 1024 * 1024, maxBytes = 64 * 1024 * 1024, maxMs = 30_000 } = {}) {
		const streams = [...this.streams].filter((stream) => webhookId === undefined || stream.webhookId === webhookId);
		for (const stream of streams) {
			clearInterval(stream.timer);
			stream.muted = true;
		}
		const piece = Buffer.alloc(64 * 1024, 'x');
		/** @type {Map<EventStream, number>} */
		const written = new Map(streams.map((stream) => [stream, 0]));
		const sent = (/** @type {EventStream} */ stream) => written.get(stream) ?? 0;
		const startedAt = Date.now();
		const finished = (async () => {
			for (let elapsed = 0; elapsed < maxMs; elapsed = Date.now() - startedAt) {
				const due = Math.min(maxBytes, Math.ceil((bytesPerSecond * elapsed) / 1000));
				const live = streams.filter((stream) => !stream.res.destroyed && sent(stream) < maxBytes);
				if (live.length === 0) break;
				for (const stream of live) {
					while (sent(stream) < due && !stream.res.writableNeedDrain) {
						const part = piece.subarray(0, Math.min(piece.length, due - sent(stream)));
						stream.res.write(part);
						written.set(stream, sent(stream) + part.length);
					}
				}
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
			for (const stream of streams) {
				this.streams.delete(stream);
				stream.res.socket?.destroy();
			}
			return Math.max(0, ...written.values());
		})();
		return { streams: streams.length, finished };
	}

	/**
	 * Writes `chunks` (strings or Buffers, to split inside a line, a CRLF pair or a UTF-8 character)
	 * to the open event streams (of one webhook, or all), one write each, `gapMs` apart so that each
	 * arrives as a read of its own. An empty chunk is only a pause: HTTP/1.1 cannot carry one (a
	 * zero-length chunk ends the body), so the parser's tests cover empty chunks. Resolves to the
	 * number of streams written to.
	 * @param {Array<string | Buffer>} chunks
	 * @param {{ webhookId?: string, gapMs?: number }} [options]
	 * @returns {Promise<number>}
	 */
	async sendStreamChunks(chunks, { webhookId, gapMs = 20 } = {}) {
		const streams = [...this.streams].filter((stream) => webhookId === undefined || stream.webhookId === webhookId);
		for (const chunk of chunks) {
			for (const stream of streams) if (!stream.res.destroyed && chunk.length > 0) stream.res.write(chunk);
			await new Promise((resolve) => setTimeout(resolve, gapMs));
		}
		return streams.length;
	}

	/**
	 * POST /__control/endless-line `{webhook_id?, bytes_per_second?, max_bytes?, max_ms?}` answers at
	 * once with `{streams}` while the line goes on; POST /__control/stream-chunks `{webhook_id?,
	 * chunks: string[], gap_ms?}` answers `{streams}` once the chunks are written.
	 * @param {string} name
	 * @param {Json} input
	 * @param {import('http').ServerResponse} res
	 */
	async controlStreamFault(name, input, res) {
		const webhookId = input.webhook_id;
		if (name === 'stream-chunks') {
			if (!Array.isArray(input.chunks)) return send(res, 400, { error: 'chunks must be an array of strings' });
			return send(res, 200, { streams: await this.sendStreamChunks(input.chunks.map(String), { webhookId, gapMs: input.gap_ms }) });
		}
		const limits = { bytesPerSecond: input.bytes_per_second, maxBytes: input.max_bytes, maxMs: input.max_ms };
		const defined = Object.fromEntries(Object.entries(limits).filter(([, value]) => typeof value === 'number'));
		return send(res, 200, { streams: this.sendEndlessLine({ webhookId, ...defined }).streams });
	}
}

class ApiError extends Error {
	/**
	 * @param {number} status
	 * @param {string} code
	 * @param {string} message
	 * @param {string} action
	 */
	constructor(status, code, message, action) {
		super(message);
		this.status = status;
		this.code = code;
		this.action = action;
	}
}

/**
 * How /events reads `since`: `exclusive` (events stored after it, to the millisecond), `ignored`
 * (every event, the page holding the newest `limit`), `wholeSecondsInclusive` (events stored in its
 * second or later: the milliseconds are cut and the comparison includes the boundary).
 * @typedef {'exclusive' | 'ignored' | 'wholeSecondsInclusive'} SinceBehaviour
 */

/**
 * @param {number} createdAt epoch ms of a stored event
 * @param {number} since epoch ms of the `since` asked
 * @param {SinceBehaviour} behaviour
 * @returns {boolean} whether the event belongs after `since`
 */
function storedAfter(createdAt, since, behaviour) {
	if (behaviour === 'ignored') return true;
	if (behaviour === 'wholeSecondsInclusive') return Math.floor(createdAt / 1000) >= Math.floor(since / 1000);
	return createdAt > since;
}

/**
 * The documented error code for an HTTP status (docs/linkupapi-v2.md, Envelope and errors).
 * @param {number} status
 */
function codeForStatus(status) {
	/** @type {Record<number, string>} */
	const codes = { 400: 'INVALID_PARAMS', 402: 'INSUFFICIENT_CREDITS', 403: 'INVALID_API_KEY', 404: 'INVALID_ACCOUNT', 429: 'RATE_LIMITED' };
	return codes[status] ?? 'INTERNAL_ERROR';
}

/**
 * @param {string[]} filters
 * @param {string} type
 */
function filterTakes(filters, type) {
	if (type === 'disconnection') return true;
	const filter = type === 'message' ? 'message_received' : type;
	return filters.includes('all') || filters.includes(filter);
}

/**
 * @param {URLSearchParams} query
 * @param {string} name
 * @param {number} fallback
 * @param {number} min
 * @param {number} max
 * @param {string} action
 */
function intParam(query, name, fallback, min, max, action) {
	if (!query.has(name)) return fallback;
	const value = Number(query.get(name));
	if (!Number.isInteger(value) || value < min || value > max) {
		throw new ApiError(400, 'INVALID_PARAMS', `${name} must be an integer between ${min} and ${max}`, action);
	}
	return value;
}

/**
 * @param {Json} data
 * @param {string} action
 * @returns {Json}
 */
function ok(data, action) {
	return { success: true, data, metadata: { action, credits_consumed: 0, timestamp: webhookTimestamp() } };
}

/**
 * @param {string} code
 * @param {string} message
 * @param {string} action
 */
function errorEnvelope(code, message, action) {
	return {
		success: false,
		error: { code, message },
		metadata: { action, credits_consumed: 0, timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') },
	};
}

/**
 * @param {import('http').ServerResponse} res
 * @param {number} status
 * @param {unknown} payload JSON, or a string sent as text
 * @param {Record<string, string>} [headers]
 */
function send(res, status, payload, headers = {}) {
	const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
	res.writeHead(status, {
		'content-type': typeof payload === 'string' ? 'text/plain' : 'application/json',
		...headers,
	});
	res.end(text);
}

/**
 * hex(HMAC_SHA256(secret, `${timestamp}.${rawBody}`)) (docs/linkupapi-v2.md, Signatures).
 * @param {string} secret
 * @param {number | string} timestamp
 * @param {string | Buffer} rawBody
 */
function signPayload(secret, timestamp, rawBody) {
	return crypto.createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

module.exports = { FakeLinkupApi, signPayload, KNOWN_EVENT_FILTERS, MONITORING_CREDITS_PER_DAY };
