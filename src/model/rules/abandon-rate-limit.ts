import { entries, type Rule } from './rule.js';

/** Ofcom's persistent-misuse policy and the US TSR both cap abandoned calls at 3 %. */
export const ABANDON_LIMIT_PERCENT = 3;

export const abandonRateLimit: Rule = {
  id: 'abandon-rate-limit',
  description: 'A campaign targets at most 3 % abandoned calls unless abandon.override gives the reason.',
  severity: 'error',
  check(ctx) {
    for (const [name, campaign] of entries(ctx.raw.campaigns)) {
      const abandon = campaign.abandon;
      if (abandon?.max_percent === undefined || abandon.max_percent <= ABANDON_LIMIT_PERCENT || abandon.override !== undefined) continue;
      ctx.report(
        { at: abandon, path: ['max_percent'] },
        `campaign ${name}: abandon target ${abandon.max_percent} % is above the ${ABANDON_LIMIT_PERCENT} % limit`,
        'Regulators (Ofcom, the US TSR) cap abandoned calls at 3 %. Lower it, or state why a higher target is allowed in abandon.override.',
      );
    }
  },
};
