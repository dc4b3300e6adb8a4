import { BASE } from '../../helpers/project.js';
import { ruleTable } from './rule-table.js';

/** BASE with a nodes section from line 38 on. */
const nodes = (lines: string[]) => `${BASE}nodes:\n${lines.map((l) => `  ${l}\n`).join('')}`;
const EDGE = 'edge: { role: kamailio, address: 10.0.0.10 }';

ruleTable('duplicate-node-address', 'error', {
  valid: [
    { name: 'an edge and two nodes on their own addresses', files: nodes([EDGE, 'pbx-1: { role: asterisk, address: 10.0.0.11 }', 'pbx-2: { role: asterisk, address: 10.0.0.12 }']) },
    { name: 'two servers on one host with their own SIP ports', files: nodes(['edge: { role: kamailio, address: 10.0.0.10 }', 'pbx: { role: asterisk, address: 10.0.0.10, sip_port: 5080 }']) },
  ],
  invalid: [
    {
      name: 'two Asterisk nodes on one address',
      files: nodes([EDGE, 'pbx-1: { role: asterisk, address: 10.0.0.11 }', 'pbx-2: { role: asterisk, address: 10.0.0.11 }']),
      errors: [{ line: 41, column: 37, message: 'node pbx-2 has the address 10.0.0.11 of node pbx-1', hint: 'its own address' }],
    },
    {
      name: 'a node on the edge’s address and port (5060 written or not)',
      files: nodes([EDGE, 'pbx-1: { role: asterisk, address: 10.0.0.10, sip_port: 5060 }']),
      errors: [{ line: 40, column: 37, message: 'node pbx-1 has the address 10.0.0.10 and SIP port 5060 of node edge' }],
    },
    {
      name: 'the same address in another case',
      files: nodes(['pbx-1: { role: asterisk, address: pbx.example.com }', 'pbx-2: { role: asterisk, address: PBX.example.com }']),
      errors: [{ line: 40, column: 37, message: 'node pbx-2 has the address PBX.example.com of node pbx-1' }],
    },
  ],
});
