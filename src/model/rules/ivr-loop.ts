import type { RawIvrMenu } from '../input.js';
import { reachable, stronglyConnected } from '../graph.js';
import { parseRef } from '../refs.js';
import { entries, type Rule } from './rule.js';

/** Targets of a menu: its options, then where timeouts and invalid input go. */
export function menuTargets(menu: RawIvrMenu): string[] {
  return [...Object.values(menu.options), menu.on_timeout ?? 'hangup', menu.on_invalid ?? 'hangup'];
}

/** A destination that helps the caller: anything but another menu, a replay or a hang-up. */
function isWayOut(target: string): boolean {
  const ref = parseRef(target);
  return ref !== undefined && ref.kind !== 'ivr' && ref.kind !== 'hangup' && ref.kind !== 'repeat';
}

/**
 * Menus that lead only to each other (and to hang-ups) keep a caller pressing keys until the
 * retries run out and the call drops: nobody can ever be reached from there.
 */
export const ivrLoop: Rule = {
  id: 'ivr-loop',
  description: 'IVR menus that form a loop have a way out to a person, queue, voicemail or message.',
  severity: 'error',
  check(ctx) {
    const menus = new Map(entries(ctx.raw.ivr));
    const next = (name: string): string[] => {
      const menu = menus.get(name);
      if (!menu) return [];
      return menuTargets(menu).flatMap((t) => {
        const ref = parseRef(t);
        return ref?.kind === 'ivr' && menus.has(ref.id) ? [ref.id] : [];
      });
    };
    const hasExit = (name: string) => menuTargets(menus.get(name)!).some(isWayOut);
    for (const component of stronglyConnected([...menus.keys()], next)) {
      const isLoop = component.length > 1 || next(component[0]!).includes(component[0]!);
      if (!isLoop) continue;
      const escapes = [...reachable(component, next)].some(hasExit);
      if (escapes) continue;
      const first = component[0]!;
      // At the menu's own name: the merged ivr map is built from several files and has no position.
      ctx.report(
        { at: menus.get(first)!, anchor: 'key' },
        `IVR menus ${[...component, first].join(' → ')} form a loop with no way out`,
        'Give at least one menu of the loop an option (or on_timeout) to a queue, user, voicemail or announcement.',
      );
    }
  },
};
