import { BASE } from '../../helpers/project.js';
import { edit, ruleTable } from './rule-table.js';

/** BASE ends at line 38; the statuses start at line 39 (their names at column 3). */
const statuses = (...lines: string[]) => `${BASE}agent_statuses:\n${lines.map((l) => `  ${l}\n`).join('')}`;

ruleTable('agent-status-without-code', 'warning', {
  valid: [
    { name: 'every not-ready status with its code', files: statuses('break: { ready: false, code: 1 }', 'available: { ready: true }') },
    { name: 'no queues: no phone codes at all', files: edit(statuses('break: { ready: false }'), ['queues:\n  support:\n    extension: "600"\n    members: { primary: [group:team] }\n', ''], ['options: { "1": queue:support }', 'options: { "1": hangup }']) },
  ],
  invalid: [
    {
      name: 'a status without a code (named by the code it has now)',
      files: statuses('break: { ready: false, code: 1 }', 'wrap-up: { ready: false }', 'coffee: { ready: false }'),
      errors: [
        { line: 40, column: 3, message: 'agent status wrap-up has no code: it is *943 now, by name order, and a status added later can move it', hint: 'code: 3' },
        { line: 41, column: 3, message: 'agent status coffee has no code: it is *942 now', hint: 'code: 2' },
      ],
    },
    {
      name: 'a tenth not-ready status',
      files: statuses(...Array.from({ length: 9 }, (_, i) => `s${i + 1}: { ready: false, code: ${i + 1} }`), 'extra: { ready: false }'),
      errors: [{ line: 48, column: 3, message: 'agent status extra gets no phone code: *941-*949 are all taken', hint: 'dialer API' }],
    },
  ],
});
