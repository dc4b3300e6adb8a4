import { expect, it } from 'vitest';
import { BASE, check } from '../../helpers/project.js';
import { ruleTable, withPhones } from './rule-table.js';

/** Anna's (1001) phone; its MAC is at 26:14. */
const snom = (mac: string) => withPhones(BASE, { '1001': { model: 'D785', mac } });

ruleTable('mac-not-snom', 'warning', {
  valid: [
    { name: 'SNOM prefix with colons', files: snom('00:04:13:4A:1B:2C') },
    { name: 'SNOM prefix in lower case with dashes', files: snom('00-04-13-4a-1b-2c') },
    { name: 'SNOM prefix, Cisco-style dots', files: snom('0004.134a.1b2c') },
    { name: 'SNOM prefix without separators', files: snom('0004134A1B2C') },
    { name: 'a softphone on any hardware', files: withPhones(BASE, { '1001': { type: 'softphone', mac: '3C:22:FB:12:34:56' } }) },
    { name: 'a malformed MAC is invalid-mac’s to report', files: snom('00:1A:2B:3C:4D'), others: ['invalid-mac'] },
    { name: 'all zeros is invalid-mac’s to report', files: snom('00:00:00:00:00:00'), others: ['invalid-mac'] },
    { name: 'broadcast is invalid-mac’s to report', files: snom('FF:FF:FF:FF:FF:FF'), others: ['invalid-mac'] },
    { name: 'multicast is invalid-mac’s to report', files: snom('01:00:5E:00:00:01'), others: ['invalid-mac'] },
  ],
  invalid: [
    {
      name: 'another vendor’s prefix',
      files: snom('00:1A:2B:3C:4D:5E'),
      errors: [{ line: 26, column: 14, message: "00:1A:2B:3C:4D:5E does not start with SNOM's prefix 00:04:13", hint: 'rebadged' }],
    },
    { name: 'two digits swapped in the prefix', files: snom('00:04:31:4A:1B:2C'), errors: [{ line: 26, column: 14, message: "00:04:31:4A:1B:2C does not start with SNOM's prefix" }] },
    { name: 'lower case with dashes', files: snom('00-1a-2b-3c-4d-5e'), errors: [{ line: 26, column: 14, message: "00-1a-2b-3c-4d-5e does not start with SNOM's prefix" }] },
    { name: 'without separators', files: snom('001A2B3C4D5E'), errors: [{ line: 26, column: 14, message: "001A2B3C4D5E does not start with SNOM's prefix" }] },
  ],
});

it('mac-not-snom: the warning does not stop the build', () => {
  const result = check({ 'callplan.yaml': snom('00:1A:2B:3C:4D:5E') });
  expect(result.diagnostics.map((d) => d.severity)).toEqual(['warning']);
  expect(result.model?.users.find((u) => u.extension === '1001')).toBeDefined();
});
