// Stand-ins for the contexts n8n passes to a node (`this`): execute, load options, hook, webhook and
// trigger. Only n8n itself is imitated: every HTTP request really goes over the network (to the fake
// LinkupAPI) through the HTTP stand-in (httpStandIn.ts); `httpRequestWithAuthentication` applies the
// credential's generic `authenticate` block (credentials.ts) and wraps failures in NodeApiError.
// The e2e suite runs the same nodes inside a real n8n.
import {
	NodeApiError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type IWorkflowDataProxyData,
} from 'n8n-workflow';
import { LinkupApi } from '../../credentials/LinkupApi.credentials';
import { applyAuthentication } from './credentials';
import { httpRequest } from './httpStandIn';
import { makeNode } from './node';

/** A parameter value, or a function of the item index standing in for an n8n expression. */
export type ParameterValue = unknown | ((itemIndex: number) => unknown);
export type Parameters = Record<string, ParameterValue>;

export interface HttpCall {
	method: string;
	url: string;
	headers: Record<string, string>;
}

export interface LoggedMessage {
	level: 'debug' | 'info' | 'warn' | 'error';
	message: string;
	meta?: unknown;
}

export interface ContextOptions {
	parameters?: Parameters;
	credentials?: ICredentialDataDecryptedObject;
	node?: Partial<INode>;
}

function makeHelpers(node: INode, credentials: ICredentialDataDecryptedObject | undefined) {
	const httpCalls: HttpCall[] = [];
	const credentialType = new LinkupApi();
	return {
		httpCalls,
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) => {
				httpCalls.push({ method: options.method ?? 'GET', url: options.url, headers: { ...(options.headers as Record<string, string>) } });
				return await httpRequest(options);
			},
			httpRequestWithAuthentication: async (type: string, options: IHttpRequestOptions) => {
				if (type !== credentialType.name || !credentials) throw new Error(`No credential of type ${type}`);
				const authenticated = applyAuthentication(credentialType, credentials, options);
				httpCalls.push({ method: options.method ?? 'GET', url: options.url, headers: { ...(authenticated.headers as Record<string, string>) } });
				try {
					return await httpRequest(authenticated);
				} catch (error) {
					throw new NodeApiError(node, error as never);
				}
			},
			returnJsonArray: (data: IDataObject | IDataObject[]): INodeExecutionData[] =>
				(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			constructExecutionMetaData: (
				items: INodeExecutionData[],
				{ itemData }: { itemData: { item: number } | Array<{ item: number }> },
			) => items.map((item) => ({ ...item, pairedItem: itemData })),
		},
	};
}

function readParameter(parameters: Parameters, name: string, itemIndex: number): unknown {
	let value: unknown = parameters;
	for (const part of name.split('.')) {
		if (value === undefined || value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[part];
	}
	return typeof value === 'function' ? (value as (i: number) => unknown)(itemIndex) : value;
}

/** Like n8n: a missing parameter without a fallback argument is an error. */
function makeParameterReader(parameters: Parameters) {
	return (name: string, itemIndex: number, ...rest: [unknown?, { extractValue?: boolean }?]) => {
		const [fallback, options] = rest;
		let value = readParameter(parameters, name, itemIndex);
		if (value === undefined) {
			if (rest.length >= 1) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		}
		if (options?.extractValue && value && typeof value === 'object' && '__rl' in value) {
			value = (value as unknown as { value: unknown }).value;
		}
		return value;
	};
}

/** Hook, webhook and trigger contexts take `getNodeParameter(name, fallback?, options?)`: no item index. */
function makeContextParameterReader(parameters: Parameters) {
	const read = makeParameterReader(parameters);
	return (name: string, ...rest: [unknown?, { extractValue?: boolean }?]) => read(name, 0, ...rest);
}

function makeLogger(logs: LoggedMessage[]) {
	const log = (level: LoggedMessage['level']) => (message: string, meta?: unknown) => {
		logs.push({ level, message, meta });
	};
	return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function baseContext(options: ContextOptions, defaultNode: Partial<INode>) {
	const node = makeNode({ ...defaultNode, ...options.node });
	const { helpers, httpCalls } = makeHelpers(node, options.credentials);
	const logs: LoggedMessage[] = [];
	const readParameterValue = makeParameterReader(options.parameters ?? {});
	return {
		node,
		helpers,
		httpCalls,
		logs,
		context: {
			getNode: () => node,
			getCredentials: async (type: string) => {
				if (type !== 'linkupApi' || !options.credentials) throw new Error(`Node does not have credentials of type ${type}`);
				return { ...options.credentials };
			},
			getNodeParameter: (name: string, itemIndex?: unknown, ...rest: [unknown?, { extractValue?: boolean }?]) =>
				readParameterValue(name, typeof itemIndex === 'number' ? itemIndex : 0, ...rest),
			logger: makeLogger(logs),
			helpers,
			getWorkflow: () => ({ id: 'workflow-1', name: 'Test workflow', active: true }),
			getMode: () => 'trigger',
			getTimezone: () => 'UTC',
			getWorkflowDataProxy: () => ({}) as IWorkflowDataProxyData,
		},
	};
}

export interface ExecuteContextOptions extends ContextOptions {
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
}

/** `this` for a regular node's `execute()`. */
export function createExecuteContext(options: ExecuteContextOptions) {
	const base = baseContext(options, {});
	const items = options.items ?? [{ json: {} }];
	const context = {
		...base.context,
		getInputData: () => items,
		continueOnFail: () => options.continueOnFail ?? false,
		getExecutionCancelSignal: () => undefined,
	};
	return { ...base, context };
}

/** `this` for `methods.listSearch` and `loadOptions`. */
export function createLoadOptionsContext(options: ContextOptions) {
	const base = baseContext(options, {});
	const context = {
		...base.context,
		getCurrentNodeParameter: (name: string, extra?: { extractValue?: boolean }) =>
			base.context.getNodeParameter(name, 0, undefined, extra),
	};
	return { ...base, context };
}

export interface HookContextOptions extends ContextOptions {
	webhookUrl: string;
	staticData?: IDataObject;
	activationMode?: string;
	webhookId?: string;
}

/** `this` for `webhookMethods.default.{checkExists,create,delete}`. */
export function createHookContext(options: HookContextOptions) {
	const staticData = options.staticData ?? {};
	const base = baseContext(options, {
		name: 'LinkupAPI Trigger',
		type: 'n8n-nodes-linkupapi-webhooks.linkupTrigger',
		webhookId: options.webhookId ?? 'e0c8b0f4-0000-4000-8000-000000000001',
	});
	const context = {
		...base.context,
		getNodeParameter: makeContextParameterReader(options.parameters ?? {}),
		getNodeWebhookUrl: (name: string) => (name === 'default' ? options.webhookUrl : undefined),
		getWorkflowStaticData: (type: string) => {
			if (type !== 'node') throw new Error('only node static data is used');
			return staticData;
		},
		getActivationMode: () => options.activationMode ?? 'activate',
		getMode: () => (options.activationMode === 'manual' ? 'manual' : 'trigger'),
		getWebhookName: () => 'default',
		getWebhookDescription: () => ({ name: 'default', httpMethod: 'POST', path: 'webhook' }),
	};
	return { ...base, context, staticData };
}

export interface WebhookRequest {
	headers?: Record<string, string>;
	/** The exact bytes received: n8n keeps them as `req.rawBody`. */
	rawBody?: Buffer | string;
	/** n8n's parsed body; by default parsed from rawBody when it is JSON. */
	body?: unknown;
	/**
	 * Like n8n for a content type it does not parse (webhook nodes from typeVersion 1.1 on): `rawBody`
	 * stays unset until the node calls `req.readRawBody()`.
	 */
	readOnDemand?: boolean;
}

export interface RecordedResponse {
	statusCode: number;
	body?: unknown;
	ended: boolean;
}

/** `this` for a trigger's `webhook()`, with a recorder standing in for the Express response. */
export function createWebhookContext(options: ContextOptions & { staticData?: IDataObject; request: WebhookRequest }) {
	const staticData = options.staticData ?? {};
	const base = baseContext(options, {
		name: 'LinkupAPI Trigger',
		type: 'n8n-nodes-linkupapi-webhooks.linkupTrigger',
	});
	const rawBody =
		options.request.rawBody === undefined ? undefined : Buffer.from(options.request.rawBody as string);
	let parsedBody = options.request.body;
	if (parsedBody === undefined && rawBody) {
		try {
			parsedBody = JSON.parse(rawBody.toString('utf8'));
		} catch {
			parsedBody = {};
		}
	}
	const headers = Object.fromEntries(
		Object.entries(options.request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
	);
	const response: RecordedResponse = { statusCode: 200, ended: false };
	const res = {
		status(code: number) {
			response.statusCode = code;
			return res;
		},
		send(body?: unknown) {
			response.body = body;
			return res;
		},
		json(body?: unknown) {
			response.body = body;
			response.ended = true;
			return res;
		},
		end(body?: unknown) {
			if (body !== undefined) response.body = body;
			response.ended = true;
			return res;
		},
	};
	const request: { headers: Record<string, string>; body: unknown; rawBody?: Buffer; readRawBody?: () => Promise<void> } =
		options.request.readOnDemand
			? {
					headers,
					body: {},
					readRawBody: async () => {
						request.rawBody = rawBody;
					},
				}
			: { headers, body: parsedBody ?? {}, rawBody };
	const context = {
		...base.context,
		getNodeParameter: makeContextParameterReader(options.parameters ?? {}),
		getWorkflowStaticData: () => staticData,
		getRequestObject: () => request,
		getResponseObject: () => res,
		getHeaderData: () => headers,
		getBodyData: () => (parsedBody ?? {}) as IDataObject,
		getWebhookName: () => 'default',
	};
	return { ...base, context, response, staticData };
}

export const NO_BRIDGE_MESSAGE = 'No bridge acquired for this context. Call acquire() first.';

export interface TriggerContextOptions extends ContextOptions {
	staticData?: IDataObject;
	/** 'manual' for a test run ("Execute step"), otherwise an active workflow. */
	mode?: 'trigger' | 'manual';
	activationMode?: string;
}

/**
 * `this` for a trigger node's `trigger()`. Call `afterTriggerReturned()` once it resolved to get
 * what n8n (1.123 and 2.x) gives a trigger from then on:
 * - getNodeParameter, getCredentials and httpRequestWithAuthentication throw "No bridge acquired"
 *   (every such late call is also counted in `bridgeViolations`);
 * - in a test run, `emit`/`emitError` are replaced by the ones that finish the manual execution,
 *   so a node that kept the original functions emits into `staleEmits` instead of `emitted`.
 * Static data is saved the way n8n does it: a snapshot is taken at each `emit` (`savedStaticData`).
 */
export function createTriggerContext(options: TriggerContextOptions) {
	const staticData = options.staticData ?? {};
	const manual = options.mode === 'manual';
	const base = baseContext(options, {
		name: 'LinkupAPI Hosted Trigger',
		type: 'n8n-nodes-linkupapi-webhooks.linkupHostedTrigger',
	});
	const emitted: INodeExecutionData[][][] = [];
	const staleEmits: INodeExecutionData[][][] = [];
	const errors: Error[] = [];
	const bridgeViolations: string[] = [];
	let savedStaticData: IDataObject = JSON.parse(JSON.stringify(staticData)) as IDataObject;
	let bridge = true;
	const lost = (name: string) => {
		bridgeViolations.push(name);
		return new Error(NO_BRIDGE_MESSAGE);
	};
	const record = (into: INodeExecutionData[][][]) => (data: INodeExecutionData[][]) => {
		savedStaticData = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		into.push(data);
	};
	const readParameter = makeContextParameterReader(options.parameters ?? {});
	const context = {
		...base.context,
		getNodeParameter: (name: string, ...rest: [unknown?, { extractValue?: boolean }?]) => {
			if (!bridge) throw lost('getNodeParameter');
			return readParameter(name, ...rest);
		},
		getCredentials: async (type: string) => {
			if (!bridge) throw lost('getCredentials');
			return await base.context.getCredentials(type);
		},
		helpers: {
			...base.helpers,
			httpRequestWithAuthentication: async (type: string, requestOptions: IHttpRequestOptions) => {
				if (!bridge) throw lost('httpRequestWithAuthentication');
				return await base.helpers.httpRequestWithAuthentication(type, requestOptions);
			},
		},
		getWorkflowStaticData: (type: string) => {
			if (type !== 'node') throw new Error('only node static data is used');
			return staticData;
		},
		getMode: () => (manual ? 'manual' : 'trigger'),
		getActivationMode: () => options.activationMode ?? (manual ? 'manual' : 'activate'),
		emit: record(manual ? staleEmits : emitted),
		emitError: (error: Error) => {
			errors.push(error);
		},
	};
	return {
		...base,
		context,
		staticData,
		emitted,
		staleEmits,
		errors,
		bridgeViolations,
		/** What n8n would have stored at the last emit. */
		get savedStaticData() {
			return savedStaticData;
		},
		afterTriggerReturned() {
			bridge = false;
			if (manual) context.emit = record(emitted);
		},
	};
}
