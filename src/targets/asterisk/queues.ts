import type { Model, Queue } from '../../model/types.js';
import { header } from './conf/header.js';
import { renderConf, type ConfSection } from './conf/ini.js';
import { endpointOf } from './names.js';

/** Members are called through a Local channel so every device of a user rings for a queue call. */
export const QUEUE_MEMBER_CONTEXT = 'cp-queue-members';

/** The queuerules.conf rule that opens a queue to its backup members after `seconds`. */
export const backupRule = (seconds: number): string => `backup-after-${seconds}`;

export function queuesConf(model: Model): string {
  const users = new Map(model.users.map((u) => [u.extension, u]));
  const sections: ConfSection[] = [
    {
      name: 'general',
      entries: [
        // Agents logged in through the dialer or a phone key stay logged in across restarts.
        ['persistentmembers', true],
        ['autofill', true],
        ['shared_lastcall', true],
        ['log_membername_as_agent', true],
      ],
    },
    ...model.queues.map((q) => queueSection(q, users)),
  ];
  return renderConf(header('queues.conf', model), sections);
}

function queueSection(q: Queue, users: Map<string, Model['users'][number]>): ConfSection {
  const hasBackup = q.members.some((m) => m.tier === 'backup');
  return {
    name: q.name,
    comment: q.description,
    entries: [
      ['strategy', q.strategy],
      ['timeout', q.ringTimeout],
      ['retry', 2],
      ['wrapuptime', q.wrapup],
      ['maxlen', q.maxCallers ?? 0],
      ['weight', q.weight],
      ['musicclass', q.music],
      ['announce-position', q.announce.position],
      ['announce-holdtime', q.announce.holdTime],
      ['announce-frequency', q.announce.position || q.announce.holdTime ? q.announce.every : 0],
      // Static members may all be busy or away; callers still wait for max_wait, then overflow.
      ['joinempty', true],
      ['leavewhenempty', false],
      ['ringinuse', false],
      ['defaultrule', hasBackup ? backupRule(q.backupAfter) : undefined],
      ...q.members.map((m): [string, string] => {
        const user = users.get(m.extension)!;
        const state = user.devices[0] ? `,PJSIP/${endpointOf(user.devices[0])}` : '';
        return ['member', `Local/${m.extension}@${QUEUE_MEMBER_CONTEXT}/n,${m.penalty},${user.name.replace(/,/g, ' ')}${state}`];
      }),
    ],
  };
}

/**
 * One rule per distinct backup delay: primary members alone until then, then backups as their
 * equals. Raising the allowed penalty is not enough: app_queue rings a higher penalty only when no
 * lower one is available, and a primary who rings without answering stays available; so after
 * the delay QUEUE_RAISE_PENALTY lifts the primaries to the backups' penalty as well.
 */
export function queueRulesConf(model: Model): string {
  const delays = [...new Set(model.queues.filter((q) => q.members.some((m) => m.tier === 'backup')).map((q) => q.backupAfter))].sort((a, b) => a - b);
  const maxPenalty = Math.max(0, ...model.queues.flatMap((q) => q.members.map((m) => m.penalty)));
  return renderConf(
    header('queuerules.conf', model),
    delays.map((d) => ({
      name: backupRule(d),
      comment: `backup members join after ${d} s (the dialplan starts each call at QUEUE_MAX_PENALTY=0, QUEUE_RAISE_PENALTY=0)`,
      entries: [['penaltychange', `${d},${maxPenalty},,${maxPenalty}`]],
    })),
  );
}
