import { entries, type Rule } from './rule.js';

/**
 * Not-ready agent statuses are dialled as *94 and their `code`: two statuses with one code would
 * make one of them unreachable from the phone, and a ready status has no pause code (*91 makes an
 * agent ready).
 */
export const agentStatusCode: Rule = {
  id: 'agent-status-code',
  description: 'Each not-ready agent status has its own phone code digit (*94N); ready statuses have none.',
  severity: 'error',
  check(ctx) {
    const byCode = new Map<number, string>();
    for (const [name, status] of entries(ctx.raw.agent_statuses)) {
      if (status.code === undefined) continue;
      if (status.ready) {
        ctx.report({ at: status, path: ['code'] }, `agent status ${name} is a ready status: it has no pause code`, 'Remove code: an agent becomes ready with *91.');
        continue;
      }
      const first = byCode.get(status.code);
      if (first !== undefined) {
        const used = new Set(byCode.keys());
        const free = [1, 2, 3, 4, 5, 6, 7, 8, 9].filter((d) => !used.has(d));
        ctx.report({ at: status, path: ['code'] }, `agent status ${name} has code ${status.code} (*94${status.code}), which ${first} has already`, free.length > 0 ? `Give it a free digit: ${free.join(', ')}.` : 'All nine codes *941-*949 are taken: merge two statuses.');
      } else {
        byCode.set(status.code, name);
      }
    }
  },
};
