import { entries, type Rule } from './rule.js';

/**
 * A not-ready status without `code` takes the lowest digit no status claims, in name order: a
 * status added later can take its digit and move it, and the agents' habit and the phones' keys
 * then dial the wrong status. Only nine codes exist (*941-*949).
 */
export const agentStatusWithoutCode: Rule = {
  id: 'agent-status-without-code',
  description: 'Every not-ready agent status of a project with queues fixes its phone code (code: 1-9), so adding a status moves no other.',
  severity: 'warning',
  needsEveryFile: true,
  check(ctx) {
    if (entries(ctx.raw.queues).length === 0) return;
    const notReady = entries(ctx.raw.agent_statuses)
      .filter(([, s]) => !s.ready)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const taken = new Set(notReady.flatMap(([, s]) => (s.code === undefined ? [] : [s.code])));
    const free = [1, 2, 3, 4, 5, 6, 7, 8, 9].filter((d) => !taken.has(d));
    for (const [name, status] of notReady) {
      if (status.code !== undefined) continue;
      const digit = free.shift();
      if (digit === undefined) {
        ctx.report({ at: status, path: [], anchor: 'key' }, `agent status ${name} gets no phone code: *941-*949 are all taken`, 'Agents can still be set to it over the dialer API or the AMI; merge statuses to give it a code.');
      } else {
        ctx.report({ at: status, path: [], anchor: 'key' }, `agent status ${name} has no code: it is *94${digit} now, by name order, and a status added later can move it`, `Fix it: code: ${digit}.`);
      }
    }
  },
};
