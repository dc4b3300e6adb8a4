import { BASE } from '../../helpers/project.js';
import { ruleTable, withPhones } from './rule-table.js';

const ANNA = '00:04:13:4A:1B:2C';
/** Anna's (1001) SNOM D785 has ANNA; Piotr's (1002) MAC is at 34:14, Ewa's (1003) at 42:14. */
const phones = (piotr: string, ewa?: string) =>
  withPhones(BASE, { '1001': { model: 'D785', mac: ANNA }, '1002': { model: 'D785', mac: piotr }, ...(ewa && { '1003': { model: 'D785', mac: ewa } }) });

ruleTable('duplicate-mac', 'error', {
  valid: [
    { name: 'two phones', files: phones('00:04:13:4A:1B:2D') },
    { name: 'softphones without a MAC', files: withPhones(BASE, { '1001': { type: 'softphone' }, '1002': { type: 'softphone' } }) },
    {
      name: 'a malformed MAC twice is invalid-mac’s to report',
      files: withPhones(BASE, { '1001': { model: 'D785', mac: '00:04:13:4A:1B' }, '1002': { model: 'D785', mac: '00:04:13:4A:1B' } }),
      others: ['invalid-mac'],
    },
  ],
  invalid: [
    {
      name: 'the same MAC written the same way',
      files: phones(ANNA),
      errors: [{ line: 34, column: 14, message: `MAC ${ANNA} is already the phone of user 1001`, hint: 'one phone serves one user' }],
    },
    {
      name: 'the same phone written with - and in lower case',
      files: phones('00-04-13-4a-1b-2c'),
      errors: [{ line: 34, column: 14, message: 'MAC 00-04-13-4a-1b-2c is already the phone of user 1001' }],
    },
    {
      name: 'the same phone written Cisco-style with dots',
      files: phones('0004.134a.1b2c'),
      errors: [{ line: 34, column: 14, message: 'MAC 0004.134a.1b2c is already the phone of user 1001' }],
    },
    {
      name: 'the same phone written without separators',
      files: phones('0004134A1B2C'),
      errors: [{ line: 34, column: 14, message: 'MAC 0004134A1B2C is already the phone of user 1001' }],
    },
    {
      name: 'one phone given to three users',
      files: phones('0004134a1b2c', '00:04:13:4a:1b:2c'),
      errors: [
        { line: 34, column: 14, message: 'MAC 0004134a1b2c is already the phone of user 1001' },
        { line: 42, column: 14, message: 'MAC 00:04:13:4a:1b:2c is already the phone of user 1001' },
      ],
    },
    {
      name: 'one user listing the same phone twice',
      files: withPhones(BASE, { '1001': { model: 'D785', mac: ANNA, more: `      - { type: snom, model: D385, mac: "00-04-13-4A-1B-2C" }\n` } }),
      errors: [{ line: 27, column: 41, message: 'MAC 00-04-13-4A-1B-2C is already the phone of user 1001' }],
    },
  ],
});
