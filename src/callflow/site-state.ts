import type { Holiday, Site } from '../model/types.js';
import { WEEKDAYS, type Weekday } from '../model/time.js';

export type SiteState = 'open' | 'closed' | 'holiday';

/** The wall clock of a site at an instant, in the site's own time zone. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  weekday: Weekday;
  /** Minutes since local midnight. */
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock read from the ICU time-zone data: exact, and the slow part of a trace. */
function exactLocalTime(at: Date, timezone: string): LocalTime {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    formatters.set(timezone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: parts.weekday!.toLowerCase().slice(0, 3) as Weekday,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const HOUR = 3_600_000;
const BY_UTC_DAY: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** Offsets from UTC in minutes, per zone, at the start of each UTC hour (hours since the epoch). */
const offsets = new Map<string, Map<number, number>>();

function offsetAtHour(timezone: string, hour: number): number {
  let byHour = offsets.get(timezone);
  if (!byHour || byHour.size > 200_000) offsets.set(timezone, (byHour = new Map()));
  let offset = byHour.get(hour);
  if (offset === undefined) {
    const t = exactLocalTime(new Date(hour * HOUR), timezone);
    offset = (Date.UTC(t.year, t.month - 1, t.day) + t.minute * 60_000 - hour * HOUR) / 60_000;
    byHour.set(hour, offset);
  }
  return offset;
}

/**
 * The wall clock of a site. Zones change their offset at most once an hour, so a day or an
 * hour whose start and end share an offset is read by arithmetic (a coverage grid asks tens of
 * thousands of times); an hour with a change in it is read exactly.
 */
export function localTime(at: Date, timezone: string): LocalTime {
  const hour = Math.floor(at.getTime() / HOUR);
  // Whole UTC days first: no zone changes its offset and back within a day, so a day that
  // starts and ends on one offset keeps it throughout.
  const dayStart = hour - (hour % 24);
  let offset = offsetAtHour(timezone, dayStart);
  if (offset !== offsetAtHour(timezone, dayStart + 24)) {
    offset = offsetAtHour(timezone, hour);
    if (offset !== offsetAtHour(timezone, hour + 1)) return exactLocalTime(at, timezone);
  }
  const wall = new Date(at.getTime() + offset * 60_000);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    weekday: BY_UTC_DAY[wall.getUTCDay()]!,
    minute: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
  };
}

/**
 * Open, closed or holiday, decided exactly as the generated site-NAME context does: an override
 * first, then holidays (a short day is open in its hours), then the weekly hours.
 */
export function siteState(site: Site, at: Date, override?: 'open' | 'closed'): { state: SiteState; local: LocalTime; holiday?: Holiday } {
  const local = localTime(at, site.timezone);
  if (override) return { state: override, local };
  const holiday = site.holidays.find((h) => onHoliday(h, local));
  if (holiday) {
    const open = holiday.hours.some((r) => local.minute >= r.start && local.minute < r.end);
    return { state: open ? 'open' : 'holiday', local, holiday };
  }
  const open = site.hours[local.weekday].some((r) => local.minute >= r.start && local.minute < r.end);
  return { state: open ? 'open' : 'closed', local };
}

function onHoliday(h: Holiday, t: LocalTime): boolean {
  if (h.from.year !== undefined && h.to.year !== undefined) {
    const today = t.year * 10000 + t.month * 100 + t.day;
    return today >= h.from.year * 10000 + h.from.month * 100 + h.from.day && today <= h.to.year * 10000 + h.to.month * 100 + h.to.day;
  }
  const md = t.month * 100 + t.day;
  const from = h.from.month * 100 + h.from.day;
  const to = h.to.month * 100 + h.to.day;
  return from <= to ? md >= from && md <= to : md >= from || md <= to;
}

export function formatLocal(t: LocalTime): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${t.year}-${pad(t.month)}-${pad(t.day)} ${WEEKDAYS.includes(t.weekday) ? t.weekday : ''} ${pad(Math.floor(t.minute / 60))}:${pad(t.minute % 60)}`;
}
