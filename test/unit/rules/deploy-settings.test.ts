import { BASE } from '../../helpers/project.js';
import { ruleTable } from './rule-table.js';

/** BASE with a nodes section from line 39 on. */
const nodes = (lines: string[]) => `${BASE}nodes:\n${lines.map((l) => `  ${l}\n`).join('')}`;

ruleTable('deploy-settings', 'error', {
  valid: [
    { name: 'defaults', files: nodes(['pbx: { role: asterisk, address: 10.0.0.11 }']) },
    {
      name: 'a release root, an Asterisk command and a log of its own',
      files: nodes(['pbx: { role: asterisk, address: 10.0.0.11, deploy: { root: /srv/callplan/, asterisk: "asterisk -C /etc/asterisk/asterisk.conf", log: /var/log/asterisk/full } }']),
    },
    {
      name: 'the edge with its own root, RPC and restart commands',
      files: nodes(['edge: { role: kamailio, address: 10.0.0.10, deploy: { root: /srv/edge, kamcmd: "kamcmd -s unix:/run/k.sock", restart: "systemctl restart kamailio" } }', 'pbx: { role: asterisk, address: 10.0.0.11 }']),
    },
    {
      name: 'two nodes on one host with their own roots',
      files: nodes([
        'pbx-1: { role: asterisk, address: 10.0.0.11, sip_port: 5070, ssh: { host: h.example }, deploy: { root: /srv/a } }',
        'pbx-2: { role: asterisk, address: 10.0.0.11, sip_port: 5080, ssh: { host: h.example }, deploy: { root: /srv/b } }',
      ]),
    },
  ],
  invalid: [
    {
      name: 'the root of the file system',
      files: nodes(['pbx: { role: asterisk, address: 10.0.0.11, deploy: { root: / } }']),
      errors: [{ line: 39, column: 62, message: "deploy.root of node pbx is the file system's root", hint: 'a folder of its own' }],
    },
    {
      name: 'a root through ..',
      files: nodes(['pbx: { role: asterisk, address: 10.0.0.11, deploy: { root: /srv/../etc } }']),
      errors: [{ line: 39, column: 62, message: 'deploy.root /srv/../etc of node pbx goes through . or ..' }],
    },
    {
      name: 'Asterisk settings on the edge',
      files: nodes(['edge: { role: kamailio, address: 10.0.0.10, deploy: { root: /srv/x, log: /var/log/x } }', 'pbx: { role: asterisk, address: 10.0.0.11 }']),
      errors: [{ line: 39, column: 76, message: 'deploy.log of node edge is a setting of Asterisk nodes, and edge is a kamailio edge', hint: 'deploy.kamcmd' }],
    },
    {
      name: 'Kamailio settings on an Asterisk node',
      files: nodes(['edge: { role: kamailio, address: 10.0.0.10 }', 'pbx: { role: asterisk, address: 10.0.0.11, deploy: { restart: "systemctl restart asterisk" } }']),
      errors: [{ line: 40, column: 65, message: 'deploy.restart of node pbx is a setting of the Kamailio edge', hint: 'deploy.asterisk' }],
    },
    {
      name: 'the edge and a node on one host and one root',
      files: nodes(['edge: { role: kamailio, address: 10.0.0.10, sip_port: 5060, deploy: { root: /var/lib/callplan } }', 'pbx: { role: asterisk, address: 10.0.0.10, sip_port: 5070 }']),
      errors: [{ line: 40, column: 16, message: 'node pbx would deploy into the release root of node edge on the same host' }],
    },
    {
      name: 'two nodes on one host and one root',
      files: nodes([
        'pbx-1: { role: asterisk, address: 10.0.0.11, sip_port: 5070, ssh: { host: h.example } }',
        'pbx-2: { role: asterisk, address: 10.0.0.11, sip_port: 5080, ssh: { host: H.example } }',
      ]),
      errors: [{ line: 40, column: 18, message: 'node pbx-2 would deploy into the release root of node pbx-1 on the same host', hint: 'its own deploy.root' }],
    },
  ],
});
