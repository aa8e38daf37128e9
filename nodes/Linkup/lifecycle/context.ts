/**
 * What every lifecycle step needs, built once where a trigger starts: how to reach LinkupAPI, who
 * is calling (for errors and log lines) and which queue its steps wait in.
 */
import type { INode, Logger } from 'n8n-workflow';
import type { LinkupClient } from '../transport';
import { oneAtATime } from './queue';

export interface LifecycleContext {
	client: LinkupClient;
	node: INode;
	logger: Logger;
	/** The trigger's name at the start of log lines. */
	label: string;
	/** Steps with the same key (one trigger node) run one after the other in this n8n process. */
	queueKey: string;
}

/** Runs `step` after every step already queued for the same trigger. */
export async function inQueue<T>(ctx: LifecycleContext, step: () => Promise<T>): Promise<T> {
	return await oneAtATime(ctx.queueKey, step);
}

/** Names one trigger in memory kept by this process; webhook ids mean something for one LinkupAPI only. */
export function triggerKey(ctx: LifecycleContext): string {
	return `${ctx.client.baseUrl} ${ctx.queueKey}`;
}
