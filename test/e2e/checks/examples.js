// @ts-check
'use strict';
// The example workflows (examples/*.json) as n8n's editor imports them.
const fs = require('fs');
const path = require('path');
const { fetchWithTimeout } = require('../../../scripts/n8n/harness');
const { assert } = require('../helpers');

/** @type {import('../helpers').Check[]} */
module.exports = [
	{
		name: 'examples: every examples/*.json imports, with known node types and no parameter n8n would drop',
		async run(t) {
			const { n8n, client } = t;
			// n8n's own n8n-workflow decides, as the editor does on opening a node, which parameters a node
			// type keeps: one an example sets that does not come back is unknown or hidden there.
			const { NodeHelpers } = require(path.join(n8n.install.dir, 'node_modules', 'n8n-workflow'));
			const res = await fetchWithTimeout(`${n8n.base}/types/nodes.json`, { headers: { cookie: client.cookie || '' } });
			assert(res.ok, `GET /types/nodes.json -> ${res.status}`);
			const nodeTypes = /** @type {Array<{ name: string, version: number | number[], properties: unknown[] }>} */ (await res.json());
			/** @param {{ type: string, typeVersion: number }} example */
			const typeOf = (example) =>
				nodeTypes.find((type) => type.name === example.type && [type.version].flat().includes(example.typeVersion));
			/**
			 * The parameters in `given` that are not in `kept`, as "<where>.<name>".
			 * @param {Record<string, any>} given
			 * @param {Record<string, any> | null | undefined} kept
			 * @param {string} where
			 * @returns {string[]}
			 */
			const dropped = (given, kept, where) =>
				Object.entries(given).flatMap(([name, value]) => {
					if (!kept || !(name in kept)) return [`${where}.${name}`];
					const nested = value && typeof value === 'object' && !Array.isArray(value) && !value.__rl;
					return nested ? dropped(value, kept[name], `${where}.${name}`) : [];
				});
			const folder = path.join(__dirname, '..', '..', '..', 'examples');
			const files = fs.readdirSync(folder).filter((file) => file.endsWith('.json'));
			assert(files.length > 0, 'no examples found');
			/** @type {string[]} */
			const problems = [];
			for (const file of files) {
				const example = JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8'));
				// The editor's import ends in a save: POST /rest/workflows with the file's workflow, inactive.
				const saved = await client.rest('POST', '/rest/workflows', { ...example, active: false }, { allowError: true });
				if (saved.status >= 300) {
					problems.push(`${file}: import refused (${saved.status} ${JSON.stringify(saved.raw).slice(0, 200)})`);
					continue;
				}
				const stored = await client.rest('GET', `/rest/workflows/${saved.body.id}`);
				if (stored.body.nodes.length !== example.nodes.length) problems.push(`${file}: ${stored.body.nodes.length} of ${example.nodes.length} nodes stored`);
				for (const item of stored.body.nodes) {
					const description = typeOf(item);
					if (!description) {
						problems.push(`${file}: ${item.name}: unknown node type ${item.type} v${item.typeVersion}`);
						continue;
					}
					let kept;
					try {
						kept = NodeHelpers.getNodeParameters(description.properties, item.parameters, true, false, item, description);
					} catch (error) {
						problems.push(`${file}: ${item.name}: ${error.message}`);
						continue;
					}
					problems.push(...dropped(item.parameters, kept, `${file}: ${item.name}`).map((where) => `${where} is unknown or hidden`));
				}
			}
			assert(problems.length === 0, problems.join('; '));
		},
	},
];
