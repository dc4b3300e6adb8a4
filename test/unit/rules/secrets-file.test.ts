import { BASE } from '../../helpers/project.js';
import { edit, ruleTable } from './rule-table.js';

/**
 * Loader level (src/model/validate.ts): the file secrets.file names is read when present and must be
 * a mapping of NAME: value. It is reported at secrets.file (4:9), and never quoted: it holds secrets.
 */
const root = (file = 'secrets.yaml') => edit(BASE, ['name: base\n', `name: base\nsecrets:\n  file: ${file}\n`], ['"${env:CARRIER_PASSWORD}"', '"${secret:carrier}"']);
const SECRET = 'Xk7#mP2qL9vR-secret';

ruleTable('secrets-file', 'error', {
  valid: [
    { name: 'absent, as when CI validates', files: root() },
    { name: 'a mapping of names to values', files: { 'callplan.yaml': root(), 'secrets.yaml': `carrier: "${SECRET}"\nboard_pin: "739164"\n` }, secrets: [SECRET] },
    { name: 'in a folder', files: { 'callplan.yaml': root('private/secrets.yaml'), 'private/secrets.yaml': `carrier: "${SECRET}"\n` }, secrets: [SECRET] },
  ],
  invalid: [
    {
      name: 'a list',
      files: { 'callplan.yaml': root(), 'secrets.yaml': `- "${SECRET}"\n` },
      secrets: [SECRET],
      errors: [{ line: 4, column: 9, message: 'secrets file secrets.yaml is not a YAML mapping of NAME: value', hint: 'one NAME: value per line' }],
    },
    {
      name: 'a PIN written as a number (its leading zero would be lost), without showing it',
      files: { 'callplan.yaml': root(), 'secrets.yaml': `carrier: "${SECRET}"\nboard_pin: 0739\n` },
      secrets: [SECRET, '0739', '739'],
      errors: [{ file: 'secrets.yaml', line: 2, column: 12, message: 'secret board_pin in secrets.yaml is not text: YAML reads it as a number', hint: 'Quote it' }],
    },
    {
      name: 'a bare value',
      files: { 'callplan.yaml': root(), 'secrets.yaml': `${SECRET}\n` },
      secrets: [SECRET],
      errors: [{ line: 4, column: 9, message: 'secrets file secrets.yaml is not a YAML mapping' }],
    },
    {
      name: 'broken YAML: no syntax error quoting its lines',
      files: { 'callplan.yaml': root(), 'secrets.yaml': `carrier: "${SECRET}\n` },
      secrets: [SECRET],
      errors: [{ line: 4, column: 9, message: 'secrets file secrets.yaml is not a YAML mapping' }],
    },
    {
      name: 'in a folder',
      files: { 'callplan.yaml': root('private/secrets.yaml'), 'private/secrets.yaml': `[${SECRET}]\n` },
      secrets: [SECRET],
      errors: [{ line: 4, column: 9, message: 'secrets file private/secrets.yaml is not a YAML mapping' }],
    },
  ],
});
