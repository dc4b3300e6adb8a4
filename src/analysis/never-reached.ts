import type { Model, OpenSites } from '../model/types.js';
import type { Analysis } from './analysis.js';
import { branches, placeOf, reachableFromInbound, successors, type Branch, type Decider } from './flow.js';
import { coverageGrids } from './grids.js';
import { whereOf } from './where.js';

/** Places only calls from outside reach; queues with an extension can also be dialled, users always can. */
function onlyInbound(model: Model, place: string): boolean {
  if (place.startsWith('ivr:') || place.startsWith('announcement:') || place.startsWith('site-router:')) return true;
  return place.startsWith('queue:') && model.queues.find((q) => `queue:${q.name}` === place)?.extension === undefined;
}

/**
 * A branch of an open / closed / holiday decision that no call takes (the closed branch of a
 * site open round the clock, the holiday branch of sites without holidays) makes whatever only
 * it leads to dead configuration, usually a sign the hours or the branch are not what was meant.
 */
export const neverReached: Analysis = {
  id: 'never-reached',
  description:
    'Every IVR menu, announcement, site router and queue without an extension that inbound calls can be sent to is reached at some hour of the week or on a holiday of the coming year, not only through open / closed / holiday branches that are never taken.',
  severity: 'warning',
  check(ctx) {
    const { model } = ctx;
    const taken = new Map<Decider, Set<Branch>>();
    for (const grid of coverageGrids(model, ctx.now)) {
      for (const [decider, set] of grid.taken) {
        const all = taken.get(decider) ?? new Set();
        set.forEach((b) => all.add(b));
        taken.set(decider, all);
      }
    }
    const anyTime = reachableFromInbound(model);
    const inTime = reachableFromInbound(model, taken);
    const unused = unusedBranches(model, taken);
    for (const place of [...anyTime].sort()) {
      if (inTime.has(place) || !onlyInbound(model, place)) continue;
      const where = whereOf(ctx.raw, place);
      if (!where) continue;
      const via = unused.filter((u) => leadsTo(model, placeOf(u.to), place)).map((u) => u.label);
      ctx.report(
        where,
        `${place} is never reached: only ${via.join(', ')} lead${via.length === 1 ? 's' : ''} to it, and no call takes ${via.length === 1 ? 'that branch' : 'those branches'} at any hour of the week or on a holiday of the coming year`,
        'Check the hours and holidays of the sites involved, or send a branch that is taken to it; remove it if it is no longer needed.',
      );
    }
  },
};

function unusedBranches(model: Model, taken: ReadonlyMap<Decider, ReadonlySet<Branch>>): { label: string; to: OpenSites['closed'] }[] {
  const deciders: [Decider, string, OpenSites][] = [
    ...model.inbound.flatMap((r, i): [Decider, string, OpenSites][] => (r.route.kind === 'sites' ? [[`inbound:${i}`, `number ${r.dids[0]}`, r.route]] : [])),
    ...model.siteRouters.map((r): [Decider, string, OpenSites] => [`site-router:${r.name}`, `site-router:${r.name}`, r]),
  ];
  return deciders.flatMap(([decider, name, sites]) => {
    const set = taken.get(decider);
    if (!set) return [];
    return branches(sites)
      .filter(([b]) => !set.has(b))
      .map(([b, to]) => ({ label: `the ${b.replace(':', ' ')} branch of ${name}`, to }));
  });
}

function leadsTo(model: Model, from: string, place: string): boolean {
  const seen = new Set<string>();
  const work = [from];
  while (work.length > 0) {
    const p = work.pop()!;
    if (p === place) return true;
    if (seen.has(p)) continue;
    seen.add(p);
    for (const t of successors(model, p)) work.push(placeOf(t));
  }
  return false;
}
