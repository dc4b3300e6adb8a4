import { BASE } from '../../helpers/project.js';
import { edit, ruleTable } from './rule-table.js';

/** BASE’s registration trunk (lines 9-13) replaced by `trunk` from line 9 on. */
const REGISTRATION = `  carrier:
    auth: registration
    host: sip.example.com
    username: "4822"
    password: "\${env:CARRIER_PASSWORD}"
`;
const withTrunk = (trunk: string) => edit(BASE, [REGISTRATION, trunk]);

ruleTable('trunk-without-address', 'error', {
  valid: [
    { name: 'a registration trunk with a host name', files: BASE },
    { name: 'auth: ip with an IP address as host', files: withTrunk('  carrier: { auth: ip, host: 203.0.113.10 }\n') },
    { name: 'auth: ip with a host name and listed addresses', files: withTrunk('  carrier: { auth: ip, host: sip.example.com, addresses: [203.0.113.10, 203.0.113.32/28] }\n') },
    { name: 'auth: ip with an IPv6 host', files: withTrunk('  carrier: { auth: ip, host: "2001:db8::10" }\n') },
  ],
  invalid: [
    {
      name: 'auth: ip with a host name only',
      files: withTrunk('  carrier: { auth: ip, host: sip.example.com }\n'),
      errors: [{ line: 9, column: 30, message: 'trunk carrier accepts calls by address (auth: ip) but has none: sip.example.com is a name', hint: 'addresses' }],
    },
    {
      name: 'auth: ip with a host name and an empty address list',
      files: withTrunk('  carrier:\n    auth: ip\n    host: sip.example.com\n    addresses: []\n'),
      errors: [{ line: 11, column: 11, message: 'trunk carrier accepts calls by address' }],
    },
  ],
});
