import type { Queue } from '../../../model/types.js';
import { step, type Context } from '../conf/dialplan.js';
import { gotoTarget } from '../names.js';
import type { Model } from '../../../model/types.js';
import { queueRecording } from './recording.js';

/**
 * queue-NAME: prelude, wait in the queue, then go where the prelude said. The prelude (a Gosub)
 * sets everything the project decides, so the waiting step is always priority 2 and what follows
 * it was fixed when the caller arrived.
 */
export function queueContext(q: Queue): Context {
  const name = `queue-${q.name}`;
  return {
    name,
    comment: `queue ${q.name}${q.description ? `: ${q.description}` : ''}`,
    extensions: [
      {
        pattern: 's',
        steps: [step(`Gosub(${name}-prelude,s,1)`), step('Queue(${CP_QUEUE},,,,${CP_MAX_WAIT})', 'wait'), step('Goto(${CP_NEXT})', 'after')],
      },
    ],
  };
}

export function queuePrelude(q: Queue, model: Model): Context {
  const hasBackup = q.members.some((m) => m.tier === 'backup');
  return {
    name: `queue-${q.name}-prelude`,
    extensions: [
      {
        pattern: 's',
        steps: [
          step('Gosub(cp-call-start,s,1)'),
          // Inherited: agents' channels see which queue the call came through (recordings, supervisors).
          step(`Set(__CP_QUEUE=${q.name})`),
          ...queueRecording(model, q),
          step(`Set(CP_MAX_WAIT=${q.maxWait ?? ''})`),
          // Primary members only at first; queuerules.conf raises the limit after backup_after.
          // queuerules.conf only moves these when the dialplan set them first.
          ...(hasBackup ? [step('Set(QUEUE_MAX_PENALTY=0)'), step('Set(QUEUE_RAISE_PENALTY=0)')] : []),
          step(`Set(CP_NEXT=${q.overflow ? gotoTarget(q.overflow) : 'cp-hangup,s,1'})`),
          step('Return()'),
        ],
      },
    ],
  };
}
