import { BASE } from '../../helpers/project.js';
import { edit, ruleTable } from './rule-table.js';

/** Loader level (src/model/load/parse-file.ts): every syntax error with its exact position. */
const root = edit(BASE, ['name: base\n', 'name: base\ninclude: [more/*.yaml]\n']);

ruleTable('yaml-syntax', 'error', {
  valid: [
    { name: 'BASE', files: BASE },
    { name: 'an empty included file', files: { 'callplan.yaml': root, 'more/empty.yaml': '' } },
    { name: 'an included file of comments only', files: { 'callplan.yaml': root, 'more/notes.yaml': '# to do: the Minsk office\n' } },
    { name: 'comments, flow and block style, CRLF line ends', files: { 'callplan.yaml': root, 'more/conf.yaml': '# rooms\r\nconferences:\r\n  board: { extension: "800" }  # board room\r\n  sales:\r\n    extension: "801"\r\n' } },
  ],
  invalid: [
    {
      name: 'a tab in the indentation',
      files: 'version: 1\nsites:\n\thq:\n    timezone: UTC\n',
      errors: [{ line: 3, column: 1, message: 'YAML syntax error: Tabs are not allowed as indentation', hint: 'indent with spaces' }],
    },
    {
      name: 'a key twice in one mapping',
      files: 'version: 1\nsites:\n  hq:\n    timezone: UTC\n    timezone: Europe/Warsaw\n',
      errors: [{ line: 5, column: 5, message: 'YAML syntax error: Map keys must be unique', hint: 'Each key may appear once' }],
    },
    {
      name: 'a section written twice in one file',
      files: `${BASE}users:\n  - { extension: "1004", name: Jan, site: hq }\n`,
      errors: [{ line: 38, column: 1, message: 'Map keys must be unique' }],
    },
    {
      name: 'an unclosed flow mapping in an included file',
      files: { 'callplan.yaml': root, 'more/conf.yaml': 'conferences:\n  board: { extension: "800"\n' },
      errors: [{ file: 'more/conf.yaml', line: 3, column: 1, message: 'YAML syntax error: Flow map' }],
    },
    {
      name: 'a colon and space inside a plain value',
      files: edit(BASE, ['name: Anna, site: hq', 'name: Anna: Kowalska, site: hq']),
      errors: [{ line: 19, column: 32, message: 'YAML syntax error' }],
    },
    {
      name: 'errors in two included files: each reported',
      files: { 'callplan.yaml': root, 'more/a.yaml': 'conferences:\n  board: { extension: "800"\n', 'more/b.yaml': 'sites:\n\tminsk: { timezone: Europe/Minsk }\n' },
      errors: [
        { file: 'more/a.yaml', line: 3, column: 1, message: 'YAML syntax error: Flow map' },
        { file: 'more/b.yaml', line: 2, column: 1, message: 'YAML syntax error: Tabs are not allowed as indentation' },
      ],
    },
    {
      name: 'a broken callplan.yaml: its includes cannot be known, so are not read',
      files: { 'callplan.yaml': `${root}\tbroken: true\n`, 'more/a.yaml': 'conferences:\n  board: { extension: "800"\n' },
      errors: [{ line: 39, column: 1, message: 'YAML syntax error' }],
    },
  ],
});
