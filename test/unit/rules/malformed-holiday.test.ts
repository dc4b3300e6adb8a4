import { BASE } from '../../helpers/project.js';
import { edit, ruleTable } from './rule-table.js';

/**
 * BASE with holidays added to site hq: `holidays:` on line 8, the first holiday from line 9,
 * each field on its own line with its key at column 9. Values start at column 15 after
 * date:/from:/name:, 13 after to:, 16 after hours:.
 */
function holidays(...list: Array<Record<string, string>>): string {
  const yaml = list
    .map((fields) =>
      Object.entries(fields)
        .map(([k, v], i) => `${i === 0 ? '      - ' : '        '}${k}: ${v}\n`)
        .join(''),
    )
    .join('');
  return edit(BASE, ['      mon-fri: "08:00-17:00"\n', `      mon-fri: "08:00-17:00"\n    holidays:\n${yaml}`]);
}

ruleTable('malformed-holiday', 'error', {
  valid: [
    { name: 'a yearly date', files: holidays({ name: 'Christmas', date: '"12-25"' }) },
    { name: 'a yearly range (New Year holidays)', files: holidays({ name: 'New Year holidays', from: '"01-01"', to: '"01-08"' }) },
    { name: 'a yearly range over New Year', files: holidays({ from: '"12-31"', to: '"01-02"' }) },
    { name: 'a yearly leap day (02-29)', files: holidays({ name: 'Leap day', date: '"02-29"' }) },
    { name: 'a leap day in a leap year', files: holidays({ date: '"2028-02-29"' }) },
    { name: 'a one-off date, unquoted', files: holidays({ date: '2026-11-11' }) },
    { name: 'a range over the new year', files: holidays({ name: 'Winter break', from: '"2026-12-31"', to: '"2027-01-02"' }) },
    { name: 'a one-day range', files: holidays({ from: '"2026-05-01"', to: '"2026-05-01"' }) },
    { name: 'a short day', files: holidays({ name: 'Christmas Eve', date: '"12-24"', hours: '"08:00-12:00"' }) },
    { name: 'a short day over a range', files: holidays({ from: '"2026-12-28"', to: '"2026-12-30"', hours: '"09:00-13:00,14:00-16:00"' }) },
    { name: 'several different days', files: holidays({ date: '"01-01"' }, { date: '"05-01"' }, { date: '"05-03"' }, { date: '"12-25"' }, { date: '"12-26"' }) },
  ],
  invalid: [
    {
      name: 'a leap day in a common year',
      files: holidays({ date: '"2026-02-29"' }),
      errors: [{ line: 9, column: 15, message: 'site hq, holiday: "2026-02-29" is not a day of the calendar', hint: 'date: "12-25" (every year)' }],
    },
    {
      name: 'a day past the end of the month, named',
      files: holidays({ name: 'Labour day', date: '"2026-04-31"' }),
      errors: [{ line: 10, column: 15, message: 'site hq, holiday "Labour day": "2026-04-31" is not a day of the calendar' }],
    },
    { name: 'month 13', files: holidays({ date: '"2026-13-01"' }), errors: [{ line: 9, column: 15, message: '"2026-13-01" is not a day of the calendar' }] },
    { name: 'a yearly 02-30', files: holidays({ date: '"02-30"' }), errors: [{ line: 9, column: 15, message: '"02-30" is not a day of the calendar' }] },
    {
      name: 'a European date',
      files: holidays({ date: '"25.12.2026"' }),
      errors: [{ line: 9, column: 15, message: '"25.12.2026" is not a date (YYYY-MM-DD, or MM-DD for every year)' }],
    },
    { name: 'a one-digit day', files: holidays({ date: '"2026-12-5"' }), errors: [{ line: 9, column: 15, message: '"2026-12-5" is not a date' }] },
    {
      name: 'both a date and a range',
      files: holidays({ name: 'Christmas', date: '"12-25"', from: '"2026-12-24"', to: '"2026-12-26"' }),
      errors: [{ line: 10, column: 9, message: 'holiday "Christmas": give either date or from/to, not both' }],
    },
    { name: 'no date at all', files: holidays({ name: 'Staff day' }), errors: [{ line: 9, column: 9, message: 'site hq, holiday "Staff day": no date' }] },
    { name: 'hours but no date', files: holidays({ hours: '"08:00-12:00"' }), errors: [{ line: 9, column: 9, message: 'site hq, holiday: no date' }] },
    { name: 'a range without its end', files: holidays({ from: '"2026-12-24"' }), errors: [{ line: 9, column: 9, message: 'a range needs both from and to' }] },
    { name: 'a range without its start', files: holidays({ name: 'Sale', to: '"2026-12-24"' }), errors: [{ line: 10, column: 9, message: 'holiday "Sale": a range needs both from and to' }] },
    {
      name: 'a range running backwards',
      files: holidays({ from: '"2026-12-26"', to: '"2026-12-24"' }),
      errors: [{ line: 10, column: 13, message: 'site hq, holiday: ends (2026-12-24) before it starts (2026-12-26)', hint: 'Swap from and to.' }],
    },
    { name: 'a range backwards over the years', files: holidays({ from: '"2027-01-02"', to: '"2026-12-31"' }), errors: [{ line: 10, column: 13, message: 'ends (2026-12-31) before it starts (2027-01-02)' }] },
    { name: 'a range with one end yearly', files: holidays({ from: '"12-24"', to: '"2026-12-26"' }), errors: [{ line: 9, column: 15, message: 'both ends with a year (YYYY-MM-DD) or both without' }] },
    { name: 'a range from a day that does not exist', files: holidays({ from: '"2026-02-30"', to: '"2026-03-02"' }), errors: [{ line: 9, column: 15, message: '"2026-02-30" is not a day of the calendar' }] },
    {
      name: 'a range with both ends broken',
      files: holidays({ from: '"2026-02-30"', to: '"2026/03/02"' }),
      errors: [
        { line: 9, column: 15, message: '"2026-02-30" is not a day of the calendar' },
        { line: 10, column: 13, message: '"2026/03/02" is not a date' },
      ],
    },
    {
      name: 'the same day twice',
      files: holidays({ name: 'Christmas', date: '"12-25"' }, { name: 'Xmas', date: '"12-25"' }),
      errors: [{ line: 12, column: 15, message: 'site hq, holiday "Xmas": 12-25 is listed twice', hint: 'Remove the repeated holiday.' }],
    },
    {
      name: 'a short day with hours backwards',
      files: holidays({ date: '"12-24"', hours: '"14:00-08:00"' }),
      errors: [{ line: 10, column: 16, message: 'site hq, holiday: range 14:00-08:00 ends before it starts', hint: 'hours: "08:00-12:00"' }],
    },
  ],
});
