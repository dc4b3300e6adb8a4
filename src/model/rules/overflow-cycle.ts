import { stronglyConnected } from '../graph.js';
import { entries, type Rule } from './rule.js';

/**
 * Queue overflow, announcement `then` and an IVR menu's `on_timeout` move a call on without the
 * caller doing anything; a cycle of them bounces a silent caller forever. (No-answer steps ring
 * their target once and do not follow its own forwarding, so they cannot loop.)
 */
export const overflowCycle: Rule = {
  id: 'overflow-cycle',
  description: 'Queue overflows, announcement follow-ups, IVR timeouts and site routers do not form a cycle a silent caller would go round forever.',
  severity: 'error',
  check(ctx) {
    const { raw } = ctx;
    // Each automatic step: where it is written (for the report) and where it sends the call.
    const forward = new Map<string, { at: object; key: string; to: string[] }>();
    for (const [name, q] of entries(raw.queues)) if (q.overflow) forward.set(`queue:${name}`, { at: q, key: 'overflow', to: [q.overflow] });
    for (const [name, a] of entries(raw.announcements)) if (a.then) forward.set(`announcement:${name}`, { at: a, key: 'then', to: [a.then] });
    for (const [name, m] of entries(raw.ivr)) if (m.on_timeout) forward.set(`ivr:${name}`, { at: m, key: 'on_timeout', to: [m.on_timeout] });
    // A site router passes the call on at once, to whichever of its targets applies.
    for (const [name, r] of entries(raw.site_routers)) {
      const to = [...r.open.map((s) => s.to), ...(r.closed ? [r.closed] : []), ...(r.holiday ? [r.holiday] : [])];
      forward.set(`site-router:${name}`, { at: r, key: 'open', to });
    }
    const next = (node: string): string[] => (forward.get(node)?.to ?? []).filter((to) => forward.has(to));
    for (const component of stronglyConnected([...forward.keys()], next)) {
      const isCycle = component.length > 1 || next(component[0]!).includes(component[0]!);
      if (!isCycle) continue;
      const first = forward.get(component[0]!)!;
      ctx.report(
        { at: first.at, path: [first.key] },
        `${[...component, component[0]].join(' → ')} forward to each other in a cycle`,
        'End the chain in a voicemail, an announcement without then, or hangup.',
      );
    }
  },
};
