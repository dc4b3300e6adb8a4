import { BASE } from '../../helpers/project.js';
import { edit, ruleTable } from './rule-table.js';

/** Loader level (src/model/project.ts): version, name, description, include, secrets and defaults belong in callplan.yaml. */
const root = edit(BASE, ['name: base\n', 'name: base\ninclude: [more/*.yaml]\n']);
const CONF = 'conferences:\n  board: { extension: "800" }\n';

ruleTable('root-only-key', 'error', {
  valid: [
    { name: 'an included file of sections only', files: { 'callplan.yaml': root, 'more/conf.yaml': CONF } },
    {
      name: 'every root key in callplan.yaml',
      files: {
        'callplan.yaml': edit(root, ['name: base\n', 'name: base\ndescription: HQ PBX\nsecrets:\n  file: secrets.yaml\ndefaults:\n  voicemail: true\n']),
        'more/conf.yaml': CONF,
      },
    },
  ],
  invalid: [
    {
      name: 'defaults in an included file',
      files: { 'callplan.yaml': root, 'more/conf.yaml': `defaults:\n  voicemail: false\n${CONF}` },
      errors: [{ file: 'more/conf.yaml', line: 1, column: 1, message: '"defaults" belongs in callplan.yaml, not in an included file', hint: 'Move it to callplan.yaml' }],
    },
    {
      name: 'version copied into an included file',
      files: { 'callplan.yaml': root, 'more/conf.yaml': `version: 1\n${CONF}` },
      errors: [{ file: 'more/conf.yaml', line: 1, column: 1, message: '"version" belongs in callplan.yaml' }],
    },
    {
      name: 'an include inside an included file (not followed)',
      files: { 'callplan.yaml': root, 'more/conf.yaml': `${CONF}include: [other/*.yaml]\n`, 'other/x.yaml': CONF.replace('board', 'other').replace('800', '801') },
      errors: [{ file: 'more/conf.yaml', line: 3, column: 1, message: '"include" belongs in callplan.yaml' }],
    },
    {
      name: 'secrets in an included file',
      files: { 'callplan.yaml': root, 'more/conf.yaml': `${CONF}secrets:\n  file: secrets.yaml\n` },
      errors: [{ file: 'more/conf.yaml', line: 3, column: 1, message: '"secrets" belongs in callplan.yaml' }],
    },
    {
      name: 'each root key of a file copied from callplan.yaml',
      files: { 'callplan.yaml': root, 'more/conf.yaml': `name: copy\ndescription: a copy\n${CONF}` },
      errors: [
        { file: 'more/conf.yaml', line: 1, column: 1, message: '"name" belongs in callplan.yaml' },
        { file: 'more/conf.yaml', line: 2, column: 1, message: '"description" belongs in callplan.yaml' },
      ],
    },
  ],
});
