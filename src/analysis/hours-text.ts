import { formatClock, WEEKDAYS } from '../model/time.js';

/** Runs of consecutive hours for which `pick` holds, as "00:00-08:00, 17:00-24:00". */
export function hourRuns(hours: readonly boolean[]): string {
  const runs: string[] = [];
  for (let h = 0; h < hours.length; h++) {
    if (!hours[h]) continue;
    const start = h;
    while (h + 1 < hours.length && hours[h + 1]) h++;
    runs.push(`${formatClock(start * 60)}-${formatClock((h + 1) * 60)}`);
  }
  return runs.join(', ');
}

/**
 * Hours of the week in the model's own notation: weekdays with the same hours grouped into
 * ranges, "mon-fri 00:00-08:00, 17:00-24:00; sat-sun 00:00-24:00".
 */
export function weekText(week: readonly (readonly boolean[])[]): string {
  const perDay = week.map(hourRuns);
  const parts: string[] = [];
  for (let d = 0; d < perDay.length; d++) {
    if (perDay[d] === '') continue;
    const start = d;
    while (d + 1 < perDay.length && perDay[d + 1] === perDay[start]) d++;
    const days = start === d ? WEEKDAYS[start] : `${WEEKDAYS[start]}-${WEEKDAYS[d]}`;
    parts.push(`${days} ${perDay[start]}`);
  }
  return parts.join('; ');
}
