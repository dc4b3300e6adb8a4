import { BASE } from '../../helpers/project.js';
import { ruleTable } from './rule-table.js';

const nodes = (lines: string[]) => `${BASE}nodes:\n${lines.map((l) => `  ${l}\n`).join('')}`;

ruleTable('no-asterisk-node', 'error', {
  valid: [
    { name: 'no nodes: one Asterisk on this host', files: BASE },
    { name: 'an edge and an Asterisk node', files: nodes(['edge: { role: kamailio, address: 10.0.0.10 }', 'pbx: { role: asterisk, address: 10.0.0.11 }']) },
    { name: 'an Asterisk node alone', files: nodes(['pbx: { role: asterisk, address: 10.0.0.11 }']) },
  ],
  invalid: [
    {
      name: 'an edge alone',
      files: nodes(['edge: { role: kamailio, address: 10.0.0.10 }']),
      errors: [{ line: 39, column: 17, message: 'the project lists nodes (edge) but no Asterisk node', hint: 'role: asterisk' }],
    },
    {
      name: 'two edges',
      files: nodes(['edge-a: { role: kamailio, address: 10.0.0.10 }', 'edge-b: { role: kamailio, address: 10.0.0.20 }']),
      errors: [{ line: 39, column: 19, message: 'nodes (edge-a, edge-b) but no Asterisk node' }],
    },
  ],
});
