import { BASE } from '../../helpers/project.js';
import { ruleTable, withPhones } from './rule-table.js';

/** Anna's (1001) phone; its MAC is at 26:14 (25:14 for a softphone: no model line). */
const snom = (mac: string) => withPhones(BASE, { '1001': { model: 'D785', mac } });
const softphone = (mac: string) => withPhones(BASE, { '1001': { type: 'softphone', mac } });

ruleTable('invalid-mac', 'error', {
  valid: [
    { name: 'colons, upper case', files: snom('00:04:13:4A:1B:2C') },
    { name: 'colons, lower case', files: snom('00:04:13:4a:1b:2c') },
    { name: 'dashes', files: snom('00-04-13-4A-1B-2C') },
    { name: 'Cisco-style dots', files: snom('0004.134A.1B2C') },
    { name: 'no separators', files: snom('0004134a1b2c') },
    { name: 'a locally administered address (softphone)', files: softphone('02:00:00:AB:CD:EF') },
  ],
  invalid: [
    {
      name: 'five pairs',
      files: snom('00:04:13:4A:1B'),
      errors: [{ line: 26, column: 14, message: '"00:04:13:4A:1B" is not a MAC address', hint: 'six hex pairs' }],
    },
    { name: 'seven pairs', files: snom('00:04:13:4A:1B:2C:3D'), errors: [{ line: 26, column: 14, message: 'is not a MAC address' }] },
    { name: 'a letter beyond F', files: snom('00:04:13:4A:1B:2G'), errors: [{ line: 26, column: 14, message: '"00:04:13:4A:1B:2G" is not a MAC address' }] },
    { name: 'mixed separators', files: snom('00:04-13:4A-1B:2C'), errors: [{ line: 26, column: 14, message: 'is not a MAC address' }] },
    { name: 'spaces as separators', files: snom('00 04 13 4A 1B 2C'), errors: [{ line: 26, column: 14, message: 'is not a MAC address' }] },
    { name: 'eleven hex digits', files: snom('0004134A1B2'), errors: [{ line: 26, column: 14, message: '"0004134A1B2" is not a MAC address' }] },
    { name: 'single-digit groups', files: snom('0:4:13:4A:1B:2C'), errors: [{ line: 26, column: 14, message: 'is not a MAC address' }] },
    {
      name: 'all zeros (a placeholder)',
      files: snom('00:00:00:00:00:00'),
      errors: [{ line: 26, column: 14, message: '00:00:00:00:00:00 is not the address of a phone (zero, broadcast or multicast)', hint: 'label' }],
    },
    { name: 'all zeros without separators', files: snom('000000000000'), errors: [{ line: 26, column: 14, message: 'is not the address of a phone' }] },
    { name: 'broadcast', files: softphone('FF:FF:FF:FF:FF:FF'), errors: [{ line: 25, column: 14, message: 'FF:FF:FF:FF:FF:FF is not the address of a phone' }] },
    { name: 'multicast (IPv4 mapped)', files: softphone('01:00:5e:00:00:fb'), errors: [{ line: 25, column: 14, message: '01:00:5e:00:00:fb is not the address of a phone' }] },
    { name: 'multicast (IPv6 mapped)', files: softphone('33-33-00-00-00-01'), errors: [{ line: 25, column: 14, message: 'is not the address of a phone' }] },
  ],
});
