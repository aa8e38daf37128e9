/**
 * Runs the lifecycle steps of one trigger one after the other within this n8n process, so that an
 * activation and a deactivation of the same node (or two activations) never interleave their calls.
 */
const queues = new Map<string, Promise<unknown>>();

export async function oneAtATime<T>(key: string, step: () => Promise<T>): Promise<T> {
	const previous = queues.get(key) ?? Promise.resolve();
	const run = previous.then(step);
	const tail = run.catch(() => undefined);
	queues.set(key, tail);
	try {
		return await run;
	} finally {
		if (queues.get(key) === tail) queues.delete(key);
	}
}
