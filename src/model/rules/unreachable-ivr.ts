import { reachable } from '../graph.js';
import { parseRef } from '../refs.js';
import { entries, type Rule } from './rule.js';
import { menuTargets } from './ivr-loop.js';

/** A menu nothing routes to is dead configuration, usually a forgotten inbound route or a typo. */
export const unreachableIvr: Rule = {
  id: 'unreachable-ivr',
  description: 'Every IVR menu can be reached from an inbound route, a queue, an announcement, a no-answer rule or another menu.',
  severity: 'error',
  needsEveryFile: true,
  check(ctx) {
    const { raw } = ctx;
    const menus = new Map(entries(raw.ivr));
    if (menus.size === 0) return;
    const entry: string[] = [];
    for (const route of raw.inbound ?? []) entry.push(route.to ?? '', ...(route.open ?? []).map((s) => s.to), route.closed ?? '', route.holiday ?? '');
    for (const [, q] of entries(raw.queues)) entry.push(q.overflow ?? '');
    for (const [, a] of entries(raw.announcements)) entry.push(a.then ?? '');
    for (const u of raw.users ?? []) entry.push(...(u.no_answer?.then ?? []));
    entry.push(...(raw.defaults?.no_answer?.then ?? []));
    // Walk references: menus lead on through their options, site routers through their sites' targets.
    const routers = new Map(entries(raw.site_routers));
    const next = (ref: string): string[] => {
      const parsed = parseRef(ref);
      if (parsed?.kind === 'ivr') return menus.has(parsed.id) ? menuTargets(menus.get(parsed.id)!) : [];
      const router = parsed?.kind === 'site-router' ? routers.get(parsed.id) : undefined;
      return router ? [...router.open.map((s) => s.to), router.closed ?? '', router.holiday ?? ''] : [];
    };
    const seen = reachable(entry, next);
    for (const [name, menu] of menus) {
      if (seen.has(`ivr:${name}`)) continue;
      // At the menu's own name: the merged ivr map is built from several files and has no position.
      ctx.report(
        { at: menu, anchor: 'key' },
        `IVR menu ${name} cannot be reached`,
        `Route a DID or another menu to ivr:${name}, or remove the menu.`,
      );
    }
  },
};
