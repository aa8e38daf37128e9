// Shows a newly issued signing secret once, with a notice, and never to an AI agent.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

const SECRET_NOTICE =
	'Store this signing secret now: LinkupAPI shows it only once and never returns it again. If you lose it, rotate the secret.';

const SECRET_WITHHELD_NOTICE =
	'LinkupAPI issued a signing secret, but it is not shown when this node runs as an AI agent tool: an agent could repeat it. To get a secret you can store, run Rotate Secret in a LinkupAPI node outside the agent.';

/**
 * n8n runs a node used by an AI agent as a tool variant of it, whose type is the node's type with
 * "Tool" appended (here `…linkupTool`).
 */
function runsAsAiTool(context: IExecuteFunctions): boolean {
	return context.getNode().type.endsWith('Tool');
}

/**
 * Puts the one-time signing secret at the top level with a notice, when the API returned one. An
 * AI agent gets only the notice that a secret was issued.
 */
export function labelSecret(this: IExecuteFunctions, data: IDataObject): IDataObject {
	if (typeof data.secret !== 'string' || data.secret === '') return data;
	const { secret, ...rest } = data;
	if (runsAsAiTool(this)) return { secret_issued: true, secret_notice: SECRET_WITHHELD_NOTICE, ...rest };
	return { secret, secret_notice: SECRET_NOTICE, ...rest };
}
