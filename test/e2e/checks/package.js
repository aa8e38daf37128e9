// @ts-check
'use strict';
// The packed package as n8n loads it: a community package, not custom nodes.
const { TYPES, assert } = require('../helpers');

/** @type {import('../helpers').Check[]} */
module.exports = [
	{
		name: 'package loads: the three node types and the credential are registered',
		async run(t) {
			const { client } = t;
			const names = await client.nodeTypeNames();
			const missing = Object.values(TYPES).filter((type) => !names.has(type));
			const custom = [...names].filter((n) => n.startsWith('CUSTOM.') && n.toLowerCase().includes('linkup'));
			assert(custom.length === 0, `loaded as custom nodes instead of a community package: ${custom.join(', ')}`);
			assert(missing.length === 0, `node types not loaded: ${missing.join(', ')}`);
			const creds = await client.credentialTypeNames();
			assert(creds.has('linkupApi'), 'credential type linkupApi not loaded');
		},
	},
];
