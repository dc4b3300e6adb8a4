import type { Where } from '../project.js';
import { entries, type Rule } from './rule.js';

/** Users, queues and conference rooms share one internal number space. */
export const duplicateExtension: Rule = {
  id: 'duplicate-extension',
  description: 'No internal number is used twice (users, queues and conference rooms share one number space).',
  severity: 'error',
  check(ctx) {
    const owners = new Map<string, { what: string; where: Where }>();
    const claim = (extension: string | undefined, what: string, at: object) => {
      if (extension === undefined) return;
      const first = owners.get(extension);
      if (first) {
        ctx.report({ at, path: ['extension'] }, `extension ${extension} of ${what} is already used by ${first.what}`, 'Give each user, queue and conference room its own number.');
      } else {
        owners.set(extension, { what, where: { at } });
      }
    };
    for (const user of ctx.raw.users ?? []) claim(user.extension, `user ${user.name}`, user);
    for (const [name, queue] of entries(ctx.raw.queues)) claim(queue.extension, `queue ${name}`, queue);
    for (const [name, conf] of entries(ctx.raw.conferences)) claim(conf.extension, `conference ${name}`, conf);
  },
};
