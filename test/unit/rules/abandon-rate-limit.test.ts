import { BASE } from '../../helpers/project.js';
import { ruleTable } from './rule-table.js';

/** BASE plus one campaign (lines 38-43); `abandon` lines start at 44, max_percent's value at column 20. */
function campaign(abandon: string, name = 'renewals'): string {
  return `${BASE}campaigns:
  ${name}:
    mode: progressive
    queue: queue:support
    contacts: { source: api, timezone: Europe/Warsaw }
    window: { from: "09:00", to: "20:00" }
${abandon}`;
}

ruleTable('abandon-rate-limit', 'error', {
  valid: [
    { name: 'no abandon settings (the 3 % default applies)', files: campaign('') },
    { name: 'exactly the 3 % limit', files: campaign('    abandon:\n      max_percent: 3\n') },
    { name: 'below the limit, with a measuring window', files: campaign('    abandon:\n      max_percent: 2.5\n      window: 24h\n') },
    { name: 'zero tolerance', files: campaign('    abandon:\n      max_percent: 0\n') },
    { name: 'a window without a target', files: campaign('    abandon:\n      window: 24h\n') },
    {
      name: 'above the limit with a stated reason',
      files: campaign('    abandon:\n      max_percent: 5\n      override: "B2B calls only; consumer rules do not apply (legal 2026-03)"\n'),
    },
    {
      name: 'an override too short to be a reason is the schema’s to refuse, not this rule’s',
      files: campaign('    abandon:\n      max_percent: 5\n      override: "ok"\n'),
      others: ['schema'],
    },
  ],
  invalid: [
    {
      name: '5 % without override',
      files: campaign('    abandon:\n      max_percent: 5\n'),
      errors: [{ line: 45, column: 20, message: 'campaign renewals: abandon target 5 % is above the 3 % limit', hint: 'abandon.override' }],
    },
    {
      name: 'a fraction above the limit (3.5 %)',
      files: campaign('    abandon:\n      max_percent: 3.5\n'),
      errors: [{ line: 45, column: 20, message: 'abandon target 3.5 % is above the 3 % limit' }],
    },
    {
      name: 'a target written after the window key',
      files: campaign('    abandon:\n      window: 24h\n      max_percent: 100\n'),
      errors: [{ line: 46, column: 20, message: 'abandon target 100 %' }],
    },
    {
      name: 'flow style',
      files: campaign('    abandon: { max_percent: 10, window: 24h }\n'),
      errors: [{ line: 44, column: 29, message: 'campaign renewals: abandon target 10 %' }],
    },
    {
      name: 'each of two campaigns',
      files: `${campaign('    abandon:\n      max_percent: 4\n')}  winback:
    mode: predictive
    queue: queue:support
    contacts: { source: api }
    window: { from: "10:00", to: "18:00" }
    abandon:
      max_percent: 6
`,
      errors: [
        { line: 45, column: 20, message: 'campaign renewals: abandon target 4 %' },
        { line: 52, column: 20, message: 'campaign winback: abandon target 6 %' },
      ],
    },
  ],
});
