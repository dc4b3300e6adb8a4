import { formatClock, parseClock, parseDays } from '../time.js';
import { entries, type Rule } from './rule.js';

/** The usual legal calling hours for consumer contact (e.g. Poland, UK, most US states): 08:00-21:00 callee-local. */
export const LEGAL_FROM = 8 * 60;
export const LEGAL_TO = 21 * 60;

export const callingWindow: Rule = {
  id: 'calling-window',
  description: 'A campaign calls between 08:00 and 21:00 callee-local time unless window.override gives the reason.',
  severity: 'error',
  check(ctx) {
    for (const [name, campaign] of entries(ctx.raw.campaigns)) {
      const w = campaign.window;
      const from = parseClock(w.from);
      const to = parseClock(w.to);
      if (from === undefined) ctx.report({ at: w, path: ['from'] }, `campaign ${name}: "${w.from}" is not a time of day`, 'Write HH:MM (24 h), e.g. "09:00".');
      if (to === undefined) ctx.report({ at: w, path: ['to'] }, `campaign ${name}: "${w.to}" is not a time of day`, 'Write HH:MM (24 h), e.g. "20:00".');
      if (w.days !== undefined) {
        const days = parseDays(w.days);
        if (!days.ok) ctx.report({ at: w, path: ['days'] }, `campaign ${name}: ${days.error}`, 'Write mon-fri, mon-sat or "mon,wed,fri".');
      }
      if (from === undefined || to === undefined) continue;
      if (to <= from) {
        ctx.report({ at: w, path: ['to'] }, `campaign ${name}: the calling window ends (${w.to}) before it starts (${w.from})`, 'A window within one day: from "09:00" to "20:00".');
      } else if ((from < LEGAL_FROM || to > LEGAL_TO) && w.override === undefined) {
        const at = from < LEGAL_FROM ? 'from' : 'to';
        ctx.report(
          { at: w, path: [at] },
          `campaign ${name}: calling window ${w.from}-${w.to} reaches outside ${formatClock(LEGAL_FROM)}-${formatClock(LEGAL_TO)} callee-local time`,
          'Calling consumers outside these hours is unlawful in many countries. Narrow the window, or state why it is allowed in window.override.',
        );
      }
    }
  },
};
