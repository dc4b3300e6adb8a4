import { BASE } from '../../helpers/project.js';
import { ruleTable } from './rule-table.js';

const nodes = (lines: string[]) => `${BASE}nodes:\n${lines.map((l) => `  ${l}\n`).join('')}`;
const PBX = 'pbx: { role: asterisk, address: 10.0.0.11 }';

ruleTable('edge-without-tls', 'warning', {
  valid: [
    { name: 'phones on the LAN (the default)', files: nodes(['edge: { role: kamailio, address: 10.0.0.10, public_address: 203.0.113.20 }', PBX]) },
    { name: 'phones on the LAN, said so', files: nodes(['edge: { role: kamailio, address: 10.0.0.10, phones: internal }', PBX]) },
    {
      name: 'phones on the internet over TLS',
      files: nodes(['edge: { role: kamailio, address: 10.0.0.10, public_address: 203.0.113.20, phones: external, tls: { certificate: /etc/kamailio/tls/edge.crt, private_key: /etc/kamailio/tls/edge.key } }', PBX]),
    },
  ],
  invalid: [
    {
      name: 'phones on the internet without TLS',
      files: nodes(['edge: { role: kamailio, address: 10.0.0.10, public_address: 203.0.113.20, phones: external }', PBX]),
      errors: [{ line: 39, column: 85, message: 'phones reach edge edge from the internet, without TLS', hint: 'tls: {' }],
    },
  ],
});
