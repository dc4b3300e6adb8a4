import { BASE } from '../../helpers/project.js';
import { edit, ruleTable } from './rule-table.js';

/** BASE plus a conference room (its extension at 40:16). */
const conference = (extension: string) => `${BASE}conferences:\n  board:\n    extension: "${extension}"\n`;

ruleTable('duplicate-extension', 'error', {
  valid: [
    { name: 'users, queue and room each with its own number', files: conference('800') },
    { name: 'a leading zero makes another number', files: conference('0600') },
    { name: 'a queue without an extension', files: edit(BASE, ['    extension: "600"\n', '']) },
  ],
  invalid: [
    {
      name: 'two users',
      files: edit(BASE, ['extension: "1002"', 'extension: "1001"']),
      errors: [{ line: 20, column: 18, message: 'extension 1001 of user Piotr is already used by user Anna', hint: 'its own number' }],
    },
    {
      name: 'a queue on a user’s number',
      files: edit(BASE, ['extension: "600"', 'extension: "1002"']),
      errors: [{ line: 24, column: 16, message: 'extension 1002 of queue support is already used by user Piotr' }],
    },
    {
      name: 'a conference room on the queue’s number',
      files: conference('600'),
      errors: [{ line: 40, column: 16, message: 'extension 600 of conference board is already used by queue support' }],
    },
    {
      name: 'a conference room on a user’s number',
      files: conference('1003'),
      errors: [{ line: 40, column: 16, message: 'extension 1003 of conference board is already used by user Ewa' }],
    },
    {
      name: 'user, queue and room on one number: the later two reported',
      files: edit(conference('1001'), ['extension: "600"', 'extension: "1001"']),
      errors: [
        { line: 24, column: 16, message: 'extension 1001 of queue support is already used by user Anna' },
        { line: 40, column: 16, message: 'extension 1001 of conference board is already used by user Anna' },
      ],
    },
    {
      name: 'a user in an included file (users are a list, so this is no duplicate name)',
      files: {
        'callplan.yaml': edit(BASE, ['name: base\n', 'name: base\ninclude: [users/*.yaml]\n']),
        'users/new.yaml': 'users:\n  - { extension: "1003", name: Jan, site: hq }\n',
      },
      errors: [{ file: 'users/new.yaml', line: 2, column: 18, message: 'extension 1003 of user Jan is already used by user Ewa' }],
    },
  ],
});
