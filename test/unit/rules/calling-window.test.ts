import { BASE } from '../../helpers/project.js';
import { ruleTable } from './rule-table.js';

/**
 * BASE plus one campaign whose window is written out, one key per line:
 * from at 44:13, to at 45:11, then days or override at 46:13.
 */
function campaign(from: string, to: string, more = ''): string {
  return `${BASE}campaigns:
  renewals:
    mode: progressive
    queue: queue:support
    contacts: { source: api, timezone: Europe/Warsaw }
    window:
      from: "${from}"
      to: "${to}"
${more}`;
}

const OVERRIDE = '      override: "Calls to business numbers only, exempt per legal 2026-03"\n';

ruleTable('calling-window', 'error', {
  valid: [
    { name: 'inside 08:00-21:00', files: campaign('09:00', '20:00') },
    { name: 'exactly 08:00-21:00', files: campaign('08:00', '21:00') },
    { name: 'weekdays as a range', files: campaign('09:00', '20:00', '      days: mon-fri\n') },
    { name: 'weekdays as a list', files: campaign('09:00', '20:00', '      days: "mon,wed,fri"\n') },
    { name: 'a range and a day', files: campaign('09:00', '20:00', '      days: "mon-fri,sun"\n') },
    { name: 'day names in capitals', files: campaign('09:00', '20:00', '      days: Mon-Sat\n') },
    { name: 'early start with a stated reason', files: campaign('07:00', '20:00', OVERRIDE) },
    { name: 'until midnight with a stated reason', files: campaign('10:00', '24:00', OVERRIDE) },
  ],
  invalid: [
    {
      name: 'starts before 08:00',
      files: campaign('07:30', '20:00'),
      errors: [{ line: 44, column: 13, message: 'campaign renewals: calling window 07:30-20:00 reaches outside 08:00-21:00 callee-local time', hint: 'window.override' }],
    },
    {
      name: 'ends after 21:00',
      files: campaign('09:00', '21:30'),
      errors: [{ line: 45, column: 11, message: 'calling window 09:00-21:30 reaches outside 08:00-21:00' }],
    },
    {
      name: 'ends at 24:00 (end of day)',
      files: campaign('09:00', '24:00'),
      errors: [{ line: 45, column: 11, message: 'calling window 09:00-24:00 reaches outside' }],
    },
    {
      name: 'outside at both ends: reported once, at from',
      files: campaign('07:00', '22:00'),
      errors: [{ line: 44, column: 13, message: 'calling window 07:00-22:00 reaches outside' }],
    },
    {
      name: 'ends before it starts',
      files: campaign('20:00', '09:00'),
      errors: [{ line: 45, column: 11, message: 'the calling window ends (09:00) before it starts (20:00)' }],
    },
    {
      name: 'a night window over midnight is not excused by an override',
      files: campaign('20:00', '09:00', OVERRIDE),
      errors: [{ line: 45, column: 11, message: 'ends (09:00) before it starts (20:00)' }],
    },
    {
      name: 'an empty window',
      files: campaign('10:00', '10:00'),
      errors: [{ line: 45, column: 11, message: 'ends (10:00) before it starts (10:00)' }],
    },
    {
      name: 'an hour without its leading zero',
      files: campaign('9:00', '20:00'),
      errors: [{ line: 44, column: 13, message: 'campaign renewals: "9:00" is not a time of day', hint: 'HH:MM' }],
    },
    {
      name: 'a time past the end of day',
      files: campaign('09:00', '24:30'),
      errors: [{ line: 45, column: 11, message: '"24:30" is not a time of day' }],
    },
    {
      name: 'neither end is a time',
      files: campaign('9am', '8pm'),
      errors: [
        { line: 44, column: 13, message: '"9am" is not a time of day' },
        { line: 45, column: 11, message: '"8pm" is not a time of day' },
      ],
    },
    {
      name: 'days running backwards (sat-mon)',
      files: campaign('09:00', '20:00', '      days: sat-mon\n'),
      errors: [{ line: 46, column: 13, message: 'day range "sat-mon" runs backwards', hint: 'mon-fri' }],
    },
    {
      name: 'days not in English',
      files: campaign('09:00', '20:00', '      days: pon-pt\n'),
      errors: [{ line: 46, column: 13, message: '"pon-pt" is not a weekday or range of weekdays' }],
    },
    {
      name: 'bad days and a bad window are both reported',
      files: campaign('09:00', '22:00', '      days: weekdays\n'),
      errors: [
        { line: 45, column: 11, message: 'calling window 09:00-22:00 reaches outside' },
        { line: 46, column: 13, message: '"weekdays" is not a weekday' },
      ],
    },
  ],
});
