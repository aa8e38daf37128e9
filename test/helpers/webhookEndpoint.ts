// Stands in for n8n's webhook server: a real HTTP endpoint on 127.0.0.1 that hands the exact bytes
// it received to a trigger's `webhook()` (as `req.rawBody`, like n8n) and answers the way n8n does
// for `responseMode: 'onReceived'`.
import http from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';
import { createWebhookContext, type ContextOptions, type LoggedMessage, type WebhookRequest } from './n8nContext';

export interface WebhookOutcome {
	statusCode: number;
	body: unknown;
	/** Set when n8n would start an execution. */
	workflowData?: INodeExecutionData[][];
	/** What the node logged while handling the request. */
	logs: LoggedMessage[];
}

/** Runs `node.webhook()` once and turns its result into what n8n would answer. */
export async function runWebhook(
	node: INodeType,
	options: ContextOptions & { staticData?: IDataObject },
	request: WebhookRequest,
): Promise<WebhookOutcome> {
	const { context, response, logs } = createWebhookContext({ ...options, request });
	const result = await node.webhook!.call(context as never);
	if (result.noWebhookResponse) {
		if (!response.ended) throw new Error('webhook() claimed to answer itself but never ended the response');
		return { statusCode: response.statusCode, body: response.body, logs };
	}
	if (result.workflowData) {
		return { statusCode: 200, body: { message: 'Workflow was started' }, workflowData: result.workflowData, logs };
	}
	return { statusCode: 200, body: result.webhookResponse ?? { message: 'Webhook call received' }, logs };
}

export class WebhookEndpoint {
	/** Every execution n8n would have started, in order. */
	readonly executions: INodeExecutionData[][][] = [];
	/** Everything the node logged, across requests. */
	readonly logs: LoggedMessage[] = [];
	private readonly server: http.Server;
	url = '';

	constructor(
		private readonly handle: (request: WebhookRequest) => Promise<WebhookOutcome>,
		private readonly path = '/webhook/e0c8b0f4-0000-4000-8000-000000000001/webhook',
	) {
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const headers = Object.fromEntries(
					Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
				);
				this.handle({ headers, rawBody: Buffer.concat(chunks) })
					.then((outcome) => {
						if (outcome.workflowData) this.executions.push(outcome.workflowData);
						this.logs.push(...outcome.logs);
						const text = typeof outcome.body === 'string' ? outcome.body : JSON.stringify(outcome.body);
						res.writeHead(outcome.statusCode, { 'content-type': 'text/plain' });
						res.end(text);
					})
					.catch((error: Error) => {
						res.writeHead(500, { 'content-type': 'text/plain' });
						res.end(`webhook() threw: ${error.message}`);
					});
			});
		});
	}

	async start(): Promise<string> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		const { port } = this.server.address() as AddressInfo;
		this.url = `http://127.0.0.1:${port}${this.path}`;
		return this.url;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
