import { BASE } from '../../helpers/project.js';
import { edit, ruleTable } from './rule-table.js';

/** Loader level (src/model/load/load-project.ts). `include` goes on line 3; in block style its items are at column 5. */
const include = (...patterns: string[]) => edit(BASE, ['name: base\n', `name: base\ninclude:\n${patterns.map((p) => `  - "${p}"\n`).join('')}`]);
const CONF = 'conferences:\n  board: { extension: "800" }\n';

ruleTable('include-no-match', 'error', {
  valid: [
    { name: 'a folder of files', files: { 'callplan.yaml': include('more/*.yaml'), 'more/conf.yaml': CONF } },
    { name: 'files at any depth', files: { 'callplan.yaml': include('**/*.yaml'), 'a/b/c/conf.yaml': CONF } },
    { name: 'a pattern starting with ./', files: { 'callplan.yaml': include('./more/*.yaml'), 'more/conf.yaml': CONF } },
    { name: '.yml files', files: { 'callplan.yaml': include('more/*.yml'), 'more/conf.yml': CONF } },
    { name: 'one file by name', files: { 'callplan.yaml': include('conf.yaml'), 'conf.yaml': CONF } },
    { name: 'a pattern that matches only callplan.yaml itself', files: include('*.yaml') },
  ],
  invalid: [
    {
      name: 'a folder that does not exist',
      files: include('users/*.yaml'),
      errors: [{ line: 4, column: 5, message: 'include pattern "users/*.yaml" matches no file', hint: 'relative to callplan.yaml' }],
    },
    {
      name: 'the second of two patterns',
      files: { 'callplan.yaml': include('more/*.yaml', 'users/*.yaml'), 'more/conf.yaml': CONF },
      errors: [{ line: 5, column: 5, message: 'include pattern "users/*.yaml" matches no file' }],
    },
    {
      name: 'flow style',
      files: edit(BASE, ['name: base\n', 'name: base\ninclude: [more/*.yaml, users/*.yaml]\n']),
      errors: [
        { line: 3, column: 11, message: 'include pattern "more/*.yaml" matches no file' },
        { line: 3, column: 24, message: 'include pattern "users/*.yaml" matches no file' },
      ],
    },
    { name: 'files named .yml where the pattern says .yaml', files: { 'callplan.yaml': include('more/*.yaml'), 'more/conf.yml': CONF }, errors: [{ line: 4, column: 5, message: '"more/*.yaml" matches no file' }] },
    { name: 'files that are not YAML', files: { 'callplan.yaml': include('docs/*'), 'docs/README.md': '# notes\n' }, errors: [{ line: 4, column: 5, message: '"docs/*" matches no file' }] },
    { name: 'a folder in the wrong case', files: { 'callplan.yaml': include('More/*.yaml'), 'more/conf.yaml': CONF }, errors: [{ line: 4, column: 5, message: '"More/*.yaml" matches no file' }] },
    { name: 'a hidden folder is never read', files: { 'callplan.yaml': include('.private/*.yaml'), '.private/conf.yaml': CONF }, errors: [{ line: 4, column: 5, message: '".private/*.yaml" matches no file' }] },
    { name: 'a path outside the project', files: { 'callplan.yaml': include('../shared/*.yaml') }, errors: [{ line: 4, column: 5, message: '"../shared/*.yaml" matches no file' }] },
  ],
});
