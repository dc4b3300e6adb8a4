import { parseRef } from '../refs.js';
import { entries, type Rule } from './rule.js';

/** A queue whose members are all empty groups rings nobody: callers wait until max_wait or forever. */
export const emptyQueue: Rule = {
  id: 'empty-queue',
  description: 'Every queue has at least one member once its groups are expanded.',
  severity: 'warning',
  needsEveryFile: true,
  check(ctx) {
    const grouped = new Set((ctx.raw.users ?? []).flatMap((u) => (u.group === undefined ? [] : [u.group])));
    for (const [name, queue] of entries(ctx.raw.queues)) {
      const refs = [...queue.members.primary, ...(queue.members.backup ?? [])];
      const hasMember = refs.some((text) => {
        const ref = parseRef(text);
        return ref?.kind === 'user' || (ref?.kind === 'group' && grouped.has(ref.id));
      });
      if (!hasMember) {
        ctx.report({ at: queue, path: ['members'], anchor: 'key' }, `queue ${name} has no members: its groups have no users`, 'Add users to the group (user: group: NAME), or list users in members.');
      }
    }
  },
};
