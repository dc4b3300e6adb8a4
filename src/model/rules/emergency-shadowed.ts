import { matchesPattern } from '../dial-pattern.js';
import { entries, type Rule } from './rule.js';

/**
 * Internal numbers win over outbound routes in the dialplan: a user, queue or conference room on
 * "112" would take every emergency call dialled from inside. Refuse the number.
 */
export const emergencyShadowed: Rule = {
  id: 'emergency-shadowed',
  description: 'No internal number (user, queue, conference) is one an emergency route dials.',
  severity: 'error',
  check(ctx) {
    const emergency = entries(ctx.raw.outbound?.routes).filter(([, r]) => r.emergency);
    if (emergency.length === 0) return;
    const claim = (extension: string | undefined, what: string, at: object) => {
      if (extension === undefined) return;
      for (const [name, route] of emergency) {
        const pattern = route.patterns.find((p) => matchesPattern(p, extension));
        if (!pattern) continue;
        ctx.report(
          { at, path: ['extension'] },
          `${what} has extension ${extension}, which emergency route ${name} dials (${pattern}): emergency calls from inside would reach it instead`,
          'Give it another number; emergency numbers must always reach the emergency services.',
        );
        return;
      }
    };
    for (const user of ctx.raw.users ?? []) claim(user.extension, `user ${user.name}`, user);
    for (const [name, queue] of entries(ctx.raw.queues)) claim(queue.extension, `queue ${name}`, queue);
    for (const [name, conf] of entries(ctx.raw.conferences)) claim(conf.extension, `conference ${name}`, conf);
  },
};
