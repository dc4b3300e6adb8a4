import { DEFAULTS } from '../normalize/defaults.js';
import { entries, type Rule } from './rule.js';

/**
 * Asterisk applies a queue's penalty rule only between ring attempts, so backups join at the first
 * attempt after backup_after: a ring_timeout as long as backup_after delays them by a whole ring,
 * and a max_wait no longer than backup_after sends callers to overflow before backups ever ring.
 */
export const queueTiming: Rule = {
  id: 'queue-timing',
  description: 'Backup members can join in time: ring_timeout is shorter than backup_after, and max_wait longer.',
  severity: 'warning',
  check(ctx) {
    for (const [name, q] of entries(ctx.raw.queues)) {
      if (!q.members.backup?.length) continue;
      const after = q.backup_after ?? DEFAULTS.queue.backupAfter;
      const ring = q.ring_timeout ?? DEFAULTS.queue.ringTimeout;
      if (q.max_wait !== undefined && q.max_wait <= after) {
        ctx.report({ at: q, path: ['max_wait'] }, `queue ${name}: callers leave after max_wait ${q.max_wait} s, before backups join at ${after} s`, 'Make max_wait longer than backup_after, or backup_after shorter, or drop the backup members.');
      } else if (ring >= after) {
        ctx.report({ at: q, path: [q.ring_timeout === undefined ? 'backup_after' : 'ring_timeout'] }, `queue ${name}: backups join only after the ring attempt in progress at ${after} s ends (ring_timeout ${ring} s)`, 'Keep ring_timeout shorter than backup_after: Asterisk applies the backup rule between ring attempts.');
      }
    }
  },
};
