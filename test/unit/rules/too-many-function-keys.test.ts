import { BASE } from '../../helpers/project.js';
import { edit, ruleTable } from './rule-table.js';

const ANNA = '  - { extension: "1001", name: Anna, site: hq, group: team }\n';
const speed = (n: number) => Array.from({ length: n }, (_, i) => `{ speed: "${100 + i}" }`);

/**
 * Anna (1001) with the given phones (one per line from line 24) and keys after them: with one
 * phone her keys start on line 26, so key N (1-based) is on line 25 + N, its `{` at column 9.
 */
const anna = (phones: string[], keys: string[]) =>
  edit(BASE, [
    ANNA,
    `  - extension: "1001"\n    name: Anna\n    site: hq\n    group: team\n    devices:\n${phones.map((p) => `      - ${p}\n`).join('')}    keys:\n${keys.map((k) => `      - ${k}\n`).join('')}`,
  ]);
const snom = (model: string, mac = '00:04:13:4A:1B:2C') => `{ type: snom, model: ${model}, mac: "${mac}" }`;

ruleTable('too-many-function-keys', 'error', {
  valid: [
    { name: 'five keys on a D315 (it has five)', files: anna([snom('D315')], speed(5)) },
    { name: '48 keys on a D385', files: anna([snom('D385')], speed(48)) },
    { name: 'a softphone has no key limit', files: anna(['{ type: softphone }'], speed(60)) },
    { name: 'an unknown model is unknown-snom-model’s to report', files: anna([snom('D999')], speed(60)), others: ['unknown-snom-model'] },
  ],
  invalid: [
    {
      name: 'six keys on a D315',
      files: anna([snom('D315')], speed(6)),
      errors: [{ line: 31, column: 9, message: 'user 1001 declares 6 function keys, but the SNOM D315 has 5', hint: 'Key 6 would never reach the phone. Keep 5 at most' }],
    },
    {
      name: 'the old 7xx models count too (a 710 has five)',
      files: anna([snom('"710"')], speed(8)),
      errors: [{ line: 31, column: 9, message: 'the SNOM 710 has 5', hint: 'Keys 6 to 8 would never reach the phone' }],
    },
    {
      name: 'each phone model of the user, at the first key it cannot hold',
      files: anna([snom('D717'), snom('D785', '00:04:13:4A:1B:2D')], speed(30)),
      errors: [
        { line: 30, column: 9, message: 'user 1001 declares 30 function keys, but the SNOM D717 has 3' },
        { line: 51, column: 9, message: 'user 1001 declares 30 function keys, but the SNOM D785 has 24' },
      ],
    },
    {
      name: 'two phones of one model: reported once',
      files: anna([snom('D717'), snom('D717', '00:04:13:4A:1B:2D')], speed(4)),
      errors: [{ line: 30, column: 9, message: 'the SNOM D717 has 3' }],
    },
  ],
});
