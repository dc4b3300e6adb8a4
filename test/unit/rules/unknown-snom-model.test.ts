import { BASE } from '../../helpers/project.js';
import { ruleTable, withPhones } from './rule-table.js';

/** Anna's (1001) SNOM; its model is at 25:16. */
const snom = (model: string) => withPhones(BASE, { '1001': { model, mac: '00:04:13:4A:1B:2C' } });

ruleTable('unknown-snom-model', 'error', {
  valid: [
    { name: 'D785', files: snom('D785') },
    { name: 'lower case (d785)', files: snom('d785') },
    { name: 'with the brand in front (Snom D385)', files: snom('Snom D385') },
    { name: 'with the brand in capitals, no space (SNOMD717)', files: snom('SNOMD717') },
    { name: 'an older 7xx model (quoted: it looks like a number)', files: snom('"760"') },
    { name: 'a softphone names any model', files: withPhones(BASE, { '1001': { type: 'softphone', model: 'Zoiper 5' } }) },
  ],
  invalid: [
    { name: 'a typo close to D785', files: snom('D786'), errors: [{ line: 25, column: 16, message: 'unknown SNOM model "D786"', hint: 'Did you mean D785? Supported: D710, D715' }] },
    { name: 'a space inside the model', files: snom('"D 785"'), errors: [{ line: 25, column: 16, message: 'unknown SNOM model "D 785"', hint: 'Did you mean D785?' }] },
    {
      name: 'a model callplan does not provision',
      files: snom('D120'),
      errors: [{ line: 25, column: 16, message: 'unknown SNOM model "D120"', hint: /^Supported: D710, .*, 760\.$/ }],
    },
    { name: 'another vendor’s phone', files: snom('Yealink T46U'), errors: [{ line: 25, column: 16, message: 'unknown SNOM model "Yealink T46U"', hint: /^Supported:/ }] },
    { name: 'the brand joined with a dash', files: snom('snom-D785'), errors: [{ line: 25, column: 16, message: 'unknown SNOM model "snom-D785"' }] },
    {
      name: 'each phone of a user',
      files: withPhones(BASE, { '1001': { model: 'D785', mac: '00:04:13:4A:1B:2C', more: '      - { type: snom, model: D999, mac: "00:04:13:4A:1B:2D" }\n' } }),
      errors: [{ line: 27, column: 30, message: 'unknown SNOM model "D999"' }],
    },
  ],
});
