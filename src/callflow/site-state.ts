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

export function localTime(at: Date, timezone: string): LocalTime {
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
