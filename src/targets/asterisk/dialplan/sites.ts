import type { Holiday, Site, TimeRange, Weekday } from '../../../model/types.js';
import { formatClock, WEEKDAYS } from '../../../model/time.js';
import { step, type Context, type Step } from '../conf/dialplan.js';

export const siteContext = (site: string): string => `site-${site}`;

/** The AstDB family where a supervisor's open/closed override of a site is kept. */
export const OVERRIDE_FAMILY = 'callplan-override';

/**
 * site-NAME returns open, closed or holiday (in GOSUB_RETVAL), evaluated in the site's own time
 * zone: a supervisor override first, then holidays (dated ones compared as YYYYMMDD, yearly ones
 * as MMDD, since GotoIfTime has no year), then the weekly hours with GotoIfTime's zone argument.
 */
export function siteState(site: Site): Context {
  const tz = site.timezone;
  const steps: Step[] = [step(`Set(CP_TODAY=\${STRFTIME(\${EPOCH},${tz},%Y%m%d)})`)];
  if (site.override) {
    steps.push(
      step(`Set(CP_OVERRIDE=\${DB(${OVERRIDE_FAMILY}/${site.name})})`),
      step('GotoIf($["${CP_OVERRIDE}" = "open"]?open)'),
      step('GotoIf($["${CP_OVERRIDE}" = "closed"]?closed)'),
    );
  }
  const holidayLabels: Step[] = [];
  site.holidays.forEach((h, i) => {
    const label = `holiday-${i + 1}`;
    steps.push(step(`GotoIf(${holidayCondition(h)}?${label})`));
    holidayLabels.push(
      ...h.hours.map((r, j) => step(`GotoIfTime(${range(r)},*,*,*,${tz}?open)`, j === 0 ? label : undefined)),
      step('Return(holiday)', h.hours.length === 0 ? label : undefined),
    );
  });
  for (const [days, ranges] of groupDays(site.hours)) {
    for (const r of ranges) steps.push(step(`GotoIfTime(${range(r)},${days},*,*,${tz}?open)`));
  }
  steps.push(step('Return(closed)', 'closed'), step('Return(open)', 'open'), ...holidayLabels);
  return {
    name: siteContext(site.name),
    comment: `site ${site.name} (${tz}): open, closed or holiday now`,
    extensions: [{ pattern: 's', steps }],
  };
}

/** An Asterisk expression true on the holiday's days. Yearly ranges may run over New Year. */
function holidayCondition(h: Holiday): string {
  const md = (d: { month: number; day: number }) => `${String(d.month).padStart(2, '0')}${String(d.day).padStart(2, '0')}`;
  if (h.from.year !== undefined && h.to.year !== undefined) {
    const from = `${h.from.year}${md(h.from)}`;
    const to = `${h.to.year}${md(h.to)}`;
    return from === to ? `$[\${CP_TODAY} = ${from}]` : `$[\${CP_TODAY} >= ${from} & \${CP_TODAY} <= ${to}]`;
  }
  // MMDD compared as numbers: "0102" is 102 on both sides.
  const from = Number(md(h.from));
  const to = Number(md(h.to));
  if (from === to) return `$[\${CP_TODAY:4} = ${from}]`;
  return from <= to ? `$[\${CP_TODAY:4} >= ${from} & \${CP_TODAY:4} <= ${to}]` : `$[\${CP_TODAY:4} >= ${from} | \${CP_TODAY:4} <= ${to}]`;
}

/**
 * GotoIfTime's end is inclusive to the minute (09:00-17:00 matches 17:00:59), so a range that
 * closes at 17:00 is written 09:00-16:59.
 */
function range(r: TimeRange): string {
  return `${formatClock(r.start)}-${formatClock(Math.max(r.start, r.end - 1))}`;
}

/** Days that share the same ranges, as GotoIfTime weekday lists (mon-fri, or sat&sun). */
function groupDays(hours: Record<Weekday, TimeRange[]>): [string, TimeRange[]][] {
  const groups = new Map<string, Weekday[]>();
  for (const day of WEEKDAYS) {
    if (hours[day].length === 0) continue;
    const key = JSON.stringify(hours[day]);
    groups.set(key, [...(groups.get(key) ?? []), day]);
  }
  return [...groups].map(([key, days]) => [weekdayList(days), JSON.parse(key) as TimeRange[]]);
}

function weekdayList(days: Weekday[]): string {
  const idx = days.map((d) => WEEKDAYS.indexOf(d));
  const contiguous = idx.every((v, i) => i === 0 || v === idx[i - 1]! + 1);
  return contiguous && days.length > 1 ? `${days[0]}-${days[days.length - 1]}` : days.join('&');
}
