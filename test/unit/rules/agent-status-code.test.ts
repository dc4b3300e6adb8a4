import { BASE } from '../../helpers/project.js';
import { ruleTable } from './rule-table.js';

/** BASE ends at line 38; the statuses start at line 39 (their names at column 3). */
const statuses = (...lines: string[]) => `${BASE}agent_statuses:\n${lines.map((l) => `  ${l}\n`).join('')}`;

ruleTable('agent-status-code', 'error', {
  valid: [
    { name: 'distinct codes', files: statuses('break:        { ready: false, code: 1 }', 'consultation: { ready: false, code: 2 }', 'available:    { ready: true }') },
    { name: 'no statuses', files: BASE },
  ],
  invalid: [
    {
      name: 'two statuses with one code',
      files: statuses('break:        { ready: false, code: 1 }', 'consultation: { ready: false, code: 1 }'),
      errors: [{ line: 40, column: 39, message: 'agent status consultation has code 1 (*941), which break has already', hint: 'Give it a free digit: 2, 3, 4, 5, 6, 7, 8, 9.' }],
    },
    {
      name: 'a code on a ready status',
      files: statuses('available:    { ready: true, code: 1 }'),
      errors: [{ line: 39, column: 38, message: 'agent status available is a ready status: it has no pause code', hint: '*91' }],
    },
  ],
});
