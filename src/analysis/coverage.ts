/**
 * The 7×24 coverage grid of an inbound number: for every hour of the week, in the time zone of
 * the number's first site, what a caller reaches when everyone answers and nobody presses a key.
 * Computed by `trace` itself at sampled instants, so it means exactly what the dialplan does.
 */
import { localTime, siteState, type SiteState } from '../callflow/site-state.js';
import { trace, type Trace } from '../callflow/trace.js';
import type { Holiday, InboundRoute, Model, Site } from '../model/types.js';
import { WEEKDAYS } from '../model/time.js';
import { branchFor, inboundDecider, timeDependence, type Branch, type Decider } from './flow.js';
import type { OpenSites } from '../model/types.js';

/**
 * What a caller gets, from worst to best, when everyone answers and nobody presses a key: a menu
 * counts as its own class, since its options (judged by the dead-end analysis) lead on.
 */
export type Reach = 'silence' | 'message' | 'menu' | 'voicemail' | 'person';
export const RANK: Readonly<Record<Reach, number>> = { silence: 0, message: 1, menu: 2, voicemail: 3, person: 4 };

export function reachOf(t: Trace): Reach {
  switch (t.outcome.kind) {
    case 'answered':
    case 'conference':
    case 'outbound':
      return 'person';
    case 'voicemail':
      return 'voicemail';
    case 'waiting':
      // Waiting for a queue none of whose members can answer is a dead end, whatever was played before.
      return 'silence';
    default:
      if (t.reached.some((p) => p.startsWith('ivr:'))) return 'menu';
      return t.reached.some((p) => p.startsWith('announcement:')) ? 'message' : 'silence';
  }
}

/** How a call that reached nobody ended, in words. */
export function deadEndReason(t: Trace): string {
  switch (t.outcome.kind) {
    case 'waiting':
      return `the caller waits in queue ${t.outcome.queue} for ever: no member can answer`;
    case 'hangup':
    case 'refused':
      return t.outcome.reason === 'hangup' ? 'the call is hung up' : t.outcome.reason;
    default:
      return t.outcome.kind;
  }
}

/** One hour of the grid: the worst the caller gets in it, and how that happens. */
export interface Cell {
  reach: Reach;
  /** The last steps of the worst call, e.g. "no site open: closed branch → hang up". */
  how: string;
}

export interface HolidayHours {
  site: string;
  timezone: string;
  holiday?: string;
  /** YYYY-MM-DD in the site's zone. */
  date: string;
  /** The 24 local hours of that date. */
  hours: (Cell | undefined)[];
}

export interface CoverageGrid {
  route: InboundRoute;
  timezone: string;
  /** [mon … sun][0 … 23], holidays left out; an hour skipped by a clock change stays undefined. */
  week: (Cell | undefined)[][];
  /** Each holiday date of the involved sites in the coming year, hour by hour. */
  holidays: HolidayHours[];
  /** The branches each decision (the route's own, site routers') took at some sampled instant. */
  taken: Map<Decider, Set<Branch>>;
}

const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A second week half a year on sees the other side of daylight saving time. */
const SECOND_WEEK = 26 * 7 * DAY;
const HORIZON_DAYS = 366;
/** A holiday spanning longer than this is sampled on its first days only. */
const MAX_HOLIDAY_DAYS = 31;

const withoutHolidaysCache = new WeakMap<Model, Model>();

/** The model with every holiday removed: the regular week. */
function withoutHolidays(model: Model): Model {
  let m = withoutHolidaysCache.get(model);
  if (!m) withoutHolidaysCache.set(model, (m = { ...model, sites: model.sites.map((s) => ({ ...s, holidays: [] })) }));
  return m;
}

/**
 * The grid of one inbound route, from the week starting at `from` and the same week half a
 * year later (both sides of DST), plus every holiday date of the coming year.
 */
export function coverageGrid(model: Model, routeIndex: number, from: Date): CoverageGrid {
  const route = model.inbound[routeIndex]!;
  const depends = timeDependence(model, route, routeIndex);
  const firstSite = route.route.kind === 'sites' ? route.route.open[0]!.site : depends.sites[0];
  const timezone = model.sites.find((s) => s.name === firstSite)?.timezone ?? 'UTC';
  const deciders: [Decider, OpenSites][] = [
    ...(route.route.kind === 'sites' ? [[inboundDecider(routeIndex), route.route] as [Decider, OpenSites]] : []),
    ...depends.routers.map((name): [Decider, OpenSites] => [`site-router:${name}`, model.siteRouters.find((r) => r.name === name)!]),
  ];
  const grid: CoverageGrid = { route, timezone, week: WEEKDAYS.map(() => new Array(24).fill(undefined)), holidays: [], taken: new Map() };
  const line = timeline(model, depends.sites, timezone, from);

  const regular = new Sampler(withoutHolidays(model), route, depends.sites, deciders, grid.taken);
  for (const sample of line.week) {
    const row = grid.week[Math.floor(sample.slot / 24)]!;
    row[sample.slot % 24] = worse(row[sample.slot % 24], regular.cell(sample));
  }
  const withHolidays = new Sampler(model, route, depends.sites, deciders, grid.taken);
  for (const day of line.holidays) {
    const hours: (Cell | undefined)[] = new Array(24).fill(undefined);
    for (const sample of day.samples) hours[sample.slot] = worse(hours[sample.slot], withHolidays.cell(sample));
    grid.holidays.push({ site: day.site.name, timezone: day.site.timezone, ...(day.holiday.name !== undefined && { holiday: day.holiday.name }), date: isoDate(day.date), hours });
  }
  return grid;
}

/** A sampled instant: the hour of the grid it falls in, and the state of each involved site then. */
interface Sample {
  /** Milliseconds since the epoch. */
  at: number;
  /** weekday × 24 + hour in a week; the local hour on a holiday. */
  slot: number;
  /** The states of the involved sites, in their order, joined by commas. */
  key: string;
}

/** The samples of a set of sites seen from a zone: shared by every route that depends on the same sites. */
interface Timeline {
  week: Sample[];
  holidays: { site: Site; holiday: Holiday; date: YMD; samples: Sample[] }[];
}

const timelines = new WeakMap<Model, Map<string, Timeline>>();

function timeline(model: Model, siteNames: string[], timezone: string, from: Date): Timeline {
  let byKey = timelines.get(model);
  if (!byKey) timelines.set(model, (byKey = new Map()));
  const key = `${siteNames.join(',')}|${timezone}|${from.getTime()}`;
  let line = byKey.get(key);
  if (line) return line;

  const sites = siteNames.map((name) => model.sites.find((s) => s.name === name)!);
  const regular = withoutHolidays(model).sites.filter((s) => siteNames.includes(s.name));
  const regularSites = siteNames.map((name) => regular.find((s) => s.name === name)!);
  const residues = sampleResidues(sites);
  const sampleAt = (at: Date, slot: number, states: SiteState[]): Sample => ({ at: at.getTime(), slot, key: states.join() });
  line = { week: [], holidays: [] };

  const start = Math.floor(from.getTime() / QUARTER) * QUARTER;
  for (const weekStart of [start, start + SECOND_WEEK]) {
    for (const at of instants(weekStart, 7 * DAY, residues)) {
      const local = localTime(at, timezone);
      const slot = WEEKDAYS.indexOf(local.weekday) * 24 + Math.floor(local.minute / 60);
      line.week.push(sampleAt(at, slot, regularSites.map((s) => siteState(s, at).state)));
    }
  }
  for (const site of sites) {
    for (const holiday of site.holidays) {
      for (const date of holidayDates(holiday, localTime(from, site.timezone))) {
        const samples: Sample[] = [];
        // An hour either side: the offset of a day with a clock change is off by one at one end;
        // instants of other days are left out.
        for (const at of instants(localMidnight(date, site.timezone) - HOUR, DAY + 2 * HOUR, residues)) {
          const local = localTime(at, site.timezone);
          if (local.year !== date.year || local.month !== date.month || local.day !== date.day) continue;
          samples.push(sampleAt(at, Math.floor(local.minute / 60), sites.map((s) => siteState(s, at).state)));
        }
        line.holidays.push({ site, holiday, date, samples });
      }
    }
  }
  line.holidays.sort((a, b) => isoDate(a.date).localeCompare(isoDate(b.date)) || a.site.name.localeCompare(b.site.name));
  byKey.set(key, line);
  return line;
}

/** Traces the route once per distinct combination of site states (the only thing its path depends on). */
class Sampler {
  private readonly byStates = new Map<string, Cell>();

  constructor(
    private readonly model: Model,
    private readonly route: InboundRoute,
    private readonly siteNames: string[],
    private readonly deciders: [Decider, OpenSites][],
    private readonly taken: Map<Decider, Set<Branch>>,
  ) {}

  cell(sample: Sample): Cell {
    let cell = this.byStates.get(sample.key);
    if (!cell) {
      const t = trace(this.model, { to: this.route.dids[0]!, at: new Date(sample.at) });
      cell = { reach: reachOf(t), how: t.steps.slice(-2).join(' → ') };
      this.byStates.set(sample.key, cell);
      const states = sample.key.split(',') as SiteState[];
      const state = (name: string) => states[this.siteNames.indexOf(name)]!;
      for (const [decider, openSites] of this.deciders) {
        let set = this.taken.get(decider);
        if (!set) this.taken.set(decider, (set = new Set()));
        set.add(branchFor(openSites, state));
      }
    }
    return cell;
  }
}

function worse(a: Cell | undefined, b: Cell): Cell {
  return a === undefined || RANK[b.reach] < RANK[a.reach] ? b : a;
}

/**
 * Hours open and close on minute boundaries, and every zone's offset is a whole number of
 * quarter hours: sampling each quarter hour, shifted by each boundary's minute within its quarter,
 * sees every change of state.
 */
function sampleResidues(sites: Site[]): number[] {
  const residues = new Set([0]);
  const add = (minute: number) => residues.add(minute % 15);
  for (const site of sites) {
    for (const ranges of Object.values(site.hours)) for (const r of ranges) (add(r.start), add(r.end));
    for (const h of site.holidays) for (const r of h.hours) (add(r.start), add(r.end));
  }
  return [...residues].sort((a, b) => a - b);
}

function* instants(start: number, span: number, residues: number[]): Generator<Date> {
  for (let t = start; t < start + span; t += QUARTER) for (const r of residues) yield new Date(t + r * MINUTE);
}

interface YMD {
  year: number;
  month: number;
  day: number;
}

/** The dates (local) a holiday falls on within the horizon, starting at `today`. */
function holidayDates(h: Holiday, today: YMD): YMD[] {
  const todayMs = Date.UTC(today.year, today.month - 1, today.day);
  const until = todayMs + HORIZON_DAYS * DAY;
  const spans: [number, number][] = [];
  if (h.from.year !== undefined && h.to.year !== undefined) {
    spans.push([Date.UTC(h.from.year, h.from.month - 1, h.from.day), Date.UTC(h.to.year, h.to.month - 1, h.to.day)]);
  } else {
    for (const year of [today.year - 1, today.year, today.year + 1]) {
      const first = Date.UTC(year, h.from.month - 1, h.from.day);
      let last = Date.UTC(year, h.to.month - 1, h.to.day);
      if (last < first) last = Date.UTC(year + 1, h.to.month - 1, h.to.day);
      spans.push([first, last]);
    }
  }
  const dates: YMD[] = [];
  for (const [first, last] of spans) {
    let days = 0;
    for (let t = Math.max(first, todayMs); t <= Math.min(last, until) && days < MAX_HOLIDAY_DAYS; t += DAY, days++) {
      const d = new Date(t);
      dates.push({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
    }
  }
  return dates;
}

/** The instant a local date begins in a zone, within an hour (the offset is read at noon UTC that day). */
function localMidnight(date: YMD, timezone: string): number {
  const noon = Date.UTC(date.year, date.month - 1, date.day, 12);
  const local = localTime(new Date(noon), timezone);
  const offset = Date.UTC(local.year, local.month - 1, local.day) + local.minute * MINUTE - noon;
  return Date.UTC(date.year, date.month - 1, date.day) - offset;
}

function isoDate(d: YMD): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}
