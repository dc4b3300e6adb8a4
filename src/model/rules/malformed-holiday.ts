import { parseDate, parseHours } from '../time.js';
import { entries, type Rule } from './rule.js';

const HINT = 'Write date: "2026-12-25" (one day), date: "12-25" (every year), from: "2026-12-24" with to: "2026-12-26", or from: "01-01" with to: "01-08" (every year).';

export const malformedHoliday: Rule = {
  id: 'malformed-holiday',
  description: 'Holidays are real calendar days: one date (YYYY-MM-DD, or MM-DD yearly) or a from/to range (dated and in order, or yearly).',
  severity: 'error',
  check(ctx) {
    for (const [name, site] of entries(ctx.raw.sites)) {
      const seen = new Set<string>();
      for (const holiday of site.holidays ?? []) {
        const label = `site ${name}, holiday${holiday.name ? ` "${holiday.name}"` : ''}`;
        const hasRange = holiday.from !== undefined || holiday.to !== undefined;
        if (holiday.date !== undefined && hasRange) {
          ctx.report({ at: holiday, path: ['date'], anchor: 'key' }, `${label}: give either date or from/to, not both`, HINT);
          continue;
        }
        if (holiday.date === undefined && !hasRange) {
          ctx.report({ at: holiday }, `${label}: no date`, HINT);
          continue;
        }
        if (holiday.date !== undefined) {
          const d = parseDate(holiday.date);
          if (!d.ok) ctx.report({ at: holiday, path: ['date'] }, `${label}: ${d.error}`, HINT);
          else if (seen.has(holiday.date)) ctx.report({ at: holiday, path: ['date'] }, `${label}: ${holiday.date} is listed twice`, 'Remove the repeated holiday.');
          else seen.add(holiday.date);
        } else {
          if (holiday.from === undefined || holiday.to === undefined) {
            ctx.report({ at: holiday, path: [holiday.from === undefined ? 'to' : 'from'], anchor: 'key' }, `${label}: a range needs both from and to`, HINT);
            continue;
          }
          const from = parseDate(holiday.from);
          const to = parseDate(holiday.to);
          if (!from.ok) ctx.report({ at: holiday, path: ['from'] }, `${label}: ${from.error}`, HINT);
          if (!to.ok) ctx.report({ at: holiday, path: ['to'] }, `${label}: ${to.error}`, HINT);
          if (from.ok && to.ok) {
            if ((from.value.year === undefined) !== (to.value.year === undefined)) {
              ctx.report({ at: holiday, path: ['from'] }, `${label}: a range gives both ends with a year (YYYY-MM-DD) or both without (MM-DD, every year)`, HINT);
            } else if (from.value.year !== undefined && holiday.to < holiday.from) {
              // A yearly range may run over New Year (12-31 to 01-02); a dated one may not run backwards.
              ctx.report({ at: holiday, path: ['to'] }, `${label}: ends (${holiday.to}) before it starts (${holiday.from})`, 'Swap from and to.');
            }
          }
        }
        if (holiday.hours !== undefined) {
          const hours = parseHours(holiday.hours);
          if (!hours.ok) ctx.report({ at: holiday, path: ['hours'] }, `${label}: ${hours.error}`, 'A short day is written like hours: "08:00-12:00".');
        }
      }
    }
  },
};
