/**
 * The routing as a graph over the normalized model: which places a call can move on to, with the
 * time-of-day decisions (an inbound route's or site router's open / closed / holiday branches)
 * as labelled edges so analyses can leave out branches that are never taken.
 */
import type { InboundRoute, Model, OpenSites, Target } from '../model/types.js';
import type { SiteState } from '../callflow/site-state.js';

/** `open:SITE`, `closed` or `holiday`. */
export type Branch = string;

/** Who decides between branches: `inbound:INDEX` or `site-router:NAME`. */
export type Decider = string;

/** Branches a decider may take; when absent for a decider, every branch counts. */
export type TakenBranches = ReadonlyMap<Decider, ReadonlySet<Branch>>;

export function placeOf(t: Target): string {
  return t.kind === 'hangup' ? 'hangup' : `${t.kind}:${t.id}`;
}

/** The branch a call takes given each site's state: the first open site, else holiday if the first site has one, else closed (as trace and the dialplan decide). */
export function branchFor(sites: OpenSites, state: (site: string) => SiteState): Branch {
  const open = sites.open.find((s) => state(s.site) === 'open');
  if (open) return `open:${open.site}`;
  return state(sites.open[0]!.site) === 'holiday' ? 'holiday' : 'closed';
}

export function branches(sites: OpenSites): [Branch, Target][] {
  return [...sites.open.map((s): [Branch, Target] => [`open:${s.site}`, s.to]), ['closed', sites.closed], ['holiday', sites.holiday]];
}

export function inboundDecider(index: number): Decider {
  return `inbound:${index}`;
}

/** Where a carrier's call to the route goes first. */
export function entryTargets(route: InboundRoute, index: number, taken?: TakenBranches): Target[] {
  if (route.route.kind === 'direct') return [route.route.to];
  return takenOf(inboundDecider(index), route.route, taken);
}

function takenOf(decider: Decider, sites: OpenSites, taken?: TakenBranches): Target[] {
  const allowed = taken?.get(decider);
  return branches(sites).filter(([b]) => !allowed || allowed.has(b)).map(([, t]) => t);
}

interface Index {
  ivr: Map<string, Model['ivr'][number]>;
  queues: Map<string, Model['queues'][number]>;
  announcements: Map<string, Model['announcements'][number]>;
  users: Map<string, Model['users'][number]>;
  siteRouters: Map<string, Model['siteRouters'][number]>;
}

const indexes = new WeakMap<Model, Index>();

/** Entities by name, built once per model: analyses walk the graph of a 10,000-user project many times. */
function indexOf(model: Model): Index {
  let index = indexes.get(model);
  if (!index) {
    index = {
      ivr: new Map(model.ivr.map((m) => [m.name, m])),
      queues: new Map(model.queues.map((q) => [q.name, q])),
      announcements: new Map(model.announcements.map((a) => [a.name, a])),
      users: new Map(model.users.map((u) => [u.extension, u])),
      siteRouters: new Map(model.siteRouters.map((r) => [r.name, r])),
    };
    indexes.set(model, index);
  }
  return index;
}

/** Places a call at `place` can move on to (menu options, overflow, follow-ups, no-answer steps, a router's branches). */
export function successors(model: Model, place: string, taken?: TakenBranches): Target[] {
  const colon = place.indexOf(':');
  const kind = place.slice(0, colon);
  const id = place.slice(colon + 1);
  const index = indexOf(model);
  switch (kind) {
    case 'ivr': {
      const menu = index.ivr.get(id);
      if (!menu) return [];
      const options = menu.options.flatMap((o) => (o.to.kind === 'repeat' ? [] : [o.to]));
      return [...options, menu.onTimeout, menu.onInvalid];
    }
    case 'queue': {
      const q = index.queues.get(id);
      return q?.maxWait !== undefined ? [q.overflow ?? { kind: 'hangup' }] : [];
    }
    case 'announcement': {
      const a = index.announcements.get(id);
      return a ? [a.then] : [];
    }
    case 'user':
      return index.users.get(id)?.noAnswer?.then ?? [];
    case 'site-router': {
      const router = index.siteRouters.get(id);
      return router ? takenOf(place, router, taken) : [];
    }
    default:
      return [];
  }
}

/** Every place reachable from the inbound routes, each with the places it was reached from. */
export function reachableFromInbound(model: Model, taken?: TakenBranches): Set<string> {
  const seen = new Set<string>();
  const work = model.inbound.flatMap((r, i) => entryTargets(r, i, taken)).map(placeOf);
  while (work.length > 0) {
    const place = work.pop()!;
    if (seen.has(place)) continue;
    seen.add(place);
    for (const t of successors(model, place, taken)) work.push(placeOf(t));
  }
  return seen;
}

/** What can change where calls to the route go: the sites of its own decision and of every site router it can reach. */
export function timeDependence(model: Model, route: InboundRoute, index: number): { sites: string[]; routers: string[] } {
  const sites = new Set<string>();
  const routers: string[] = [];
  if (route.route.kind === 'sites') route.route.open.forEach((s) => sites.add(s.site));
  const seen = new Set<string>();
  const work = entryTargets(route, index).map(placeOf);
  while (work.length > 0) {
    const place = work.pop()!;
    if (seen.has(place)) continue;
    seen.add(place);
    const router = place.startsWith('site-router:') ? indexOf(model).siteRouters.get(place.slice('site-router:'.length)) : undefined;
    if (router) {
      routers.push(router.name);
      router.open.forEach((s) => sites.add(s.site));
    }
    for (const t of successors(model, place)) work.push(placeOf(t));
  }
  return { sites: [...sites].sort(), routers: routers.sort() };
}
