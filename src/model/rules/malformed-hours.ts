import { parseDays, parseHours, type Weekday } from '../time.js';
import { entries, type Rule } from './rule.js';

export const malformedHours: Rule = {
  id: 'malformed-hours',
  description: 'Business hours are HH:MM-HH:MM ranges, in order, keyed by weekday or weekday range, each day listed once.',
  severity: 'error',
  check(ctx) {
    for (const [name, site] of entries(ctx.raw.sites)) {
      const claimed = new Map<Weekday, string>();
      for (const [days, hours] of Object.entries(site.hours ?? {})) {
        const parsedDays = parseDays(days);
        if (!parsedDays.ok) {
          ctx.report({ at: site.hours!, path: [days], anchor: 'key' }, `site ${name}: ${parsedDays.error}`, 'Key business hours by day: mon-fri: "08:00-18:00", sat: "09:00-13:00".');
        } else {
          for (const day of parsedDays.value) {
            const first = claimed.get(day);
            if (first !== undefined) {
              ctx.report({ at: site.hours!, path: [days], anchor: 'key' }, `site ${name}: ${day} is already given hours by "${first}"`, 'List each weekday once.');
              break;
            }
            claimed.set(day, days);
          }
        }
        const parsedHours = parseHours(hours);
        if (!parsedHours.ok) {
          ctx.report({ at: site.hours!, path: [days] }, `site ${name}, ${days}: ${parsedHours.error}`, 'Write "08:00-18:00", several ranges "08:00-12:00,13:00-17:00", or "closed".');
        }
      }
    }
  },
};
