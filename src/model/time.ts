/** Parsing of the clock, day and date notations used in sites, holidays and campaigns. */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Minutes since midnight; "24:00" is allowed as the end of a day. */
export function parseClock(text: string): number | undefined {
  const m = /^([01][0-9]|2[0-4]):([0-5][0-9])$/.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 24 * 60 ? minutes : undefined;
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export interface TimeRange {
  start: number;
  end: number;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** "08:00-12:00,13:00-17:00" or "closed" (no ranges). Ranges must be ordered and not overlap. */
export function parseHours(text: string): ParseResult<TimeRange[]> {
  if (text.trim() === 'closed') return { ok: true, value: [] };
  const ranges: TimeRange[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^(\S+?)\s*-\s*(\S+)$/.exec(part);
    if (!m) return { ok: false, error: `"${part}" is not a time range like 08:00-18:00` };
    const start = parseClock(m[1]!);
    const end = parseClock(m[2]!);
    if (start === undefined) return { ok: false, error: `"${m[1]}" is not a time of day (HH:MM, 24 h)` };
    if (end === undefined) return { ok: false, error: `"${m[2]}" is not a time of day (HH:MM, 24 h)` };
    if (end <= start) return { ok: false, error: `range ${part} ends before it starts` };
    const previous = ranges[ranges.length - 1];
    if (previous && start < previous.end) return { ok: false, error: `range ${part} overlaps or precedes the one before it` };
    ranges.push({ start, end });
  }
  return { ok: true, value: ranges };
}

/** "mon-fri", "sat", "mon,wed,fri", "mon-fri,sun". */
export function parseDays(text: string): ParseResult<Weekday[]> {
  const days = new Set<Weekday>();
  for (const part of text.split(',').map((p) => p.trim().toLowerCase())) {
    const [from, to, extra] = part.split('-');
    const a = WEEKDAYS.indexOf(from as Weekday);
    const b = to === undefined ? a : WEEKDAYS.indexOf(to as Weekday);
    if (a < 0 || b < 0 || extra !== undefined) {
      return { ok: false, error: `"${part}" is not a weekday or range of weekdays (mon, tue, wed, thu, fri, sat, sun; e.g. mon-fri)` };
    }
    if (b < a) return { ok: false, error: `day range "${part}" runs backwards (write the days from Monday on, e.g. mon-fri)` };
    for (let i = a; i <= b; i++) days.add(WEEKDAYS[i]!);
  }
  return { ok: true, value: WEEKDAYS.filter((d) => days.has(d)) };
}

export interface CalendarDate {
  year?: number;
  month: number;
  day: number;
}

/** "2026-12-25" or, for every year, "12-25". Checks the day exists (no 2026-02-29). */
export function parseDate(text: string): ParseResult<CalendarDate> {
  const m = /^(?:([0-9]{4})-)?([0-9]{2})-([0-9]{2})$/.exec(text);
  if (!m) return { ok: false, error: `"${text}" is not a date (YYYY-MM-DD, or MM-DD for every year)` };
  const year = m[1] === undefined ? undefined : Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  // A yearly date is checked against a leap year, so 02-29 is accepted.
  const probe = new Date(Date.UTC(year ?? 2024, month - 1, day));
  if (month < 1 || month > 12 || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    return { ok: false, error: `"${text}" is not a day of the calendar` };
  }
  return { ok: true, value: year === undefined ? { month, day } : { year, month, day } };
}


const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** "90s", "10m", "2h", "30d" → seconds (the schema already checked the form). */
export function parseDuration(text: string): number {
  const unit = text.slice(-1) as keyof typeof UNIT_SECONDS;
  return Number(text.slice(0, -1)) * UNIT_SECONDS[unit];
}

/** Whether the runtime's ICU knows this IANA zone (Node ships full ICU). */
export function isValidTimezone(zone: string): boolean {
  // tz database names capitalise each part (Europe/Warsaw, Etc/GMT-3, America/Port-au-Prince); ICU
  // also takes etc/utc or us/eastern, which the PBX's tz database would not find.
  if (!/^[A-Z][A-Za-z_]*(\/[A-Z][A-Za-z0-9_+-]*)*$/.test(zone) && !/^[A-Z0-9+-]+$/.test(zone)) return false;
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
    // ICU ignores case, the tz database on the PBX does not: europe/warsaw would not load there.
    return resolved === zone || resolved.toLowerCase() !== zone.toLowerCase();
  } catch {
    return false;
  }
}
