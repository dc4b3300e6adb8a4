import { BASE } from '../../helpers/project.js';
import { edit, ruleTable } from './rule-table.js';

/**
 * BASE with the site's hours replaced by `lines` (from line 7, keys at column 7). A value sits
 * at column 7 + key length + 2: 16 after mon-fri, 12 after sat.
 */
const hours = (...lines: string[]) => edit(BASE, ['      mon-fri: "08:00-17:00"\n', lines.map((l) => `      ${l}\n`).join('')]);

ruleTable('malformed-hours', 'error', {
  valid: [
    { name: 'weekdays and a short Saturday', files: hours('mon-fri: "08:00-17:00"', 'sat: "09:00-13:00"') },
    { name: 'a lunch break', files: hours('mon-fri: "08:00-12:00,13:00-17:00"') },
    { name: 'ranges that touch', files: hours('mon-fri: "08:00-12:00,12:00-17:00"') },
    { name: 'round the clock, 24:00 ending the day', files: hours('mon-sun: "00:00-24:00"') },
    { name: 'open until midnight', files: hours('fri: "18:00-24:00"') },
    { name: 'spaces around the dash', files: hours('mon-fri: "08:00 - 17:00"') },
    { name: 'a day listed as closed', files: hours('mon-fri: "08:00-17:00"', 'sun: closed') },
    { name: 'day names in capitals', files: hours('Mon-Fri: "08:00-17:00"') },
    { name: 'lists of days', files: hours('"mon,wed,fri": "08:00-17:00"', '"tue,thu": "10:00-18:00"') },
    { name: 'a list mixing a range and a day', files: hours('"mon-thu,sat": "08:00-17:00"', 'fri: "08:00-15:00"') },
    { name: 'no hours at all (always closed)', files: edit(BASE, ['    hours:\n      mon-fri: "08:00-17:00"\n', '']) },
  ],
  invalid: [
    {
      name: 'days running backwards (sat-mon)',
      files: hours('mon-fri: "08:00-17:00"', 'sat-mon: "09:00-13:00"'),
      errors: [{ line: 8, column: 7, message: 'site hq: day range "sat-mon" runs backwards', hint: 'mon-fri: "08:00-18:00"' }],
    },
    {
      name: 'a weekend written fri-mon',
      files: hours('fri-mon: "09:00-13:00"'),
      errors: [{ line: 7, column: 7, message: 'day range "fri-mon" runs backwards' }],
    },
    {
      name: 'a day given hours twice',
      files: hours('mon-fri: "08:00-17:00"', 'fri: "08:00-15:00"'),
      errors: [{ line: 8, column: 7, message: 'site hq: fri is already given hours by "mon-fri"', hint: 'each weekday once' }],
    },
    {
      name: 'overlapping day ranges: reported once, at the first shared day',
      files: hours('mon-fri: "08:00-17:00"', 'wed-sat: "10:00-14:00"'),
      errors: [{ line: 8, column: 7, message: 'wed is already given hours by "mon-fri"' }],
    },
    {
      name: 'not a day',
      files: hours('weekdays: "08:00-17:00"'),
      errors: [{ line: 7, column: 7, message: '"weekdays" is not a weekday or range of weekdays' }],
    },
    { name: 'Polish day names', files: hours('pon-pt: "08:00-17:00"'), errors: [{ line: 7, column: 7, message: '"pon-pt" is not a weekday' }] },
    { name: 'a range of three days', files: hours('mon-wed-fri: "08:00-17:00"'), errors: [{ line: 7, column: 7, message: '"mon-wed-fri" is not a weekday' }] },
    {
      name: 'hours ending before they start',
      files: hours('mon-fri: "17:00-08:00"'),
      errors: [{ line: 7, column: 16, message: 'site hq, mon-fri: range 17:00-08:00 ends before it starts', hint: '"closed"' }],
    },
    { name: 'an empty range', files: hours('mon-fri: "08:00-08:00"'), errors: [{ line: 7, column: 16, message: 'range 08:00-08:00 ends before it starts' }] },
    { name: 'overlapping ranges', files: hours('mon-fri: "08:00-12:00,11:00-17:00"'), errors: [{ line: 7, column: 16, message: 'range 11:00-17:00 overlaps or precedes the one before it' }] },
    { name: 'ranges out of order', files: hours('mon-fri: "13:00-17:00,08:00-12:00"'), errors: [{ line: 7, column: 16, message: 'range 08:00-12:00 overlaps or precedes the one before it' }] },
    { name: 'an hour without its leading zero', files: hours('mon-fri: "8:00-17:00"'), errors: [{ line: 7, column: 16, message: 'mon-fri: "8:00" is not a time of day (HH:MM, 24 h)' }] },
    { name: 'past the end of day (24:30)', files: hours('mon-fri: "08:00-24:30"'), errors: [{ line: 7, column: 16, message: '"24:30" is not a time of day' }] },
    { name: 'dots instead of colons', files: hours('mon-fri: "08.00-17.00"'), errors: [{ line: 7, column: 16, message: '"08.00" is not a time of day' }] },
    { name: 'a time, not a range', files: hours('mon-fri: "08:00"'), errors: [{ line: 7, column: 16, message: '"08:00" is not a time range like 08:00-18:00' }] },
    { name: 'a short Saturday after a good week', files: hours('mon-fri: "08:00-17:00"', 'sat: "13:00-9:00"'), errors: [{ line: 8, column: 12, message: 'site hq, sat: "9:00" is not a time of day' }] },
    {
      name: 'a bad day and bad hours on one line',
      files: hours('sun-sat: "18:00-08:00"'),
      errors: [
        { line: 7, column: 7, message: 'day range "sun-sat" runs backwards' },
        { line: 7, column: 16, message: 'range 18:00-08:00 ends before it starts' },
      ],
    },
    {
      name: 'each site',
      files: edit(BASE, ['sites:\n', 'sites:\n  minsk:\n    timezone: Europe/Minsk\n    hours: { mon-fri: "9-18" }\n']),
      errors: [{ line: 6, column: 23, message: 'site minsk, mon-fri: "9" is not a time of day' }],
    },
  ],
});
