// The node object n8n hands to a node's context (`this.getNode()`), with overridable fields.
import type { INode } from 'n8n-workflow';

export function makeNode(overrides: Partial<INode> = {}): INode {
	return {
		id: 'node-id-1',
		name: 'LinkupAPI',
		type: 'n8n-nodes-linkupapi-webhooks.linkup',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		...overrides,
	};
}
