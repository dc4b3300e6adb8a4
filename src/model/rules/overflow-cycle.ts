import { stronglyConnected } from '../graph.js';
import { parseRef } from '../refs.js';
import { entries, type Rule } from './rule.js';

/**
 * Queue overflow and announcement `then` move a call on without the caller doing anything; a
 * cycle of them bounces the caller forever. (No-answer steps ring their target once and do not
 * follow its own forwarding, so they cannot loop; IVR menus need the caller's input.)
 */
export const overflowCycle: Rule = {
  id: 'overflow-cycle',
  description: 'Queue overflows and announcement follow-ups do not form a cycle.',
  severity: 'error',
  check(ctx) {
    const { raw } = ctx;
    const forward = new Map<string, { at: object; key: string; to: string }>();
    for (const [name, q] of entries(raw.queues)) if (q.overflow) forward.set(`queue:${name}`, { at: q, key: 'overflow', to: q.overflow });
    for (const [name, a] of entries(raw.announcements)) if (a.then) forward.set(`announcement:${name}`, { at: a, key: 'then', to: a.then });
    const next = (node: string): string[] => {
      const to = forward.get(node)?.to;
      const ref = to === undefined ? undefined : parseRef(to);
      return ref && (ref.kind === 'queue' || ref.kind === 'announcement') && forward.has(to!) ? [to!] : [];
    };
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
