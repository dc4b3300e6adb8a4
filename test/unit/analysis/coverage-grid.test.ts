import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localTime } from '../../../src/callflow/site-state.js';
import { trace } from '../../../src/callflow/trace.js';
import { coverageGrid, RANK, reachOf, type Cell } from '../../../src/analysis/coverage.js';
import { weekText } from '../../../src/analysis/hours-text.js';
import type { Model } from '../../../src/model/types.js';
import { WEEKDAYS } from '../../../src/model/time.js';
import { checkProject } from '../../../src/project/check.js';
import { check } from '../../helpers/project.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** A model whose one number follows `open` (sites in order) to queue q, answered by 1001. */
function model(sites: string, open: string[], more = ''): Model {
  const result = check({
    'callplan.yaml': `version: 1
name: grid
sites:
${sites}
users:
  - { extension: "1001", name: Anna, site: ${open[0]}, devices: [{ type: softphone, name: desk }] }
queues:
  q: { extension: "600", members: { primary: [user:1001] } }
announcements:
  closed: { prompt: custom/closed }
inbound:
  - did: "+70000000000"
    open: [${open.map((s) => `{ site: ${s}, to: queue:q }`).join(', ')}]
${more}`,
  });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.model!;
}

const holes = (week: (Cell | undefined)[][]) => weekText(week.map((row) => row.map((c) => c?.reach === 'silence')));
const WINTER = new Date('2026-11-23T00:00+03:00');

describe('coverageGrid', () => {
  it('follows the sun from Sakhalin (UTC+11) to Yekaterinburg (UTC+5), in Sakhalin time', () => {
    const m = model(
      '  sakhalin: { timezone: Asia/Sakhalin, hours: { mon-fri: "09:00-18:00" } }\n  yekaterinburg: { timezone: Asia/Yekaterinburg, hours: { mon-fri: "09:00-18:00" } }',
      ['sakhalin', 'yekaterinburg'],
    );
    const grid = coverageGrid(m, 0, WINTER);
    expect(grid.timezone).toBe('Asia/Sakhalin');
    // Yekaterinburg's 09:00-18:00 is 15:00-24:00 in Sakhalin: the day is covered from 09:00 to midnight.
    expect(holes(grid.week)).toBe('mon-fri 00:00-09:00; sat-sun 00:00-24:00');
    expect(grid.week[0]![20]).toMatchObject({ reach: 'person' });
    expect(grid.week[0]![3]!.how).toContain('closed branch');
    expect(grid.taken.get('inbound:0')).toEqual(new Set(['open:sakhalin', 'open:yekaterinburg', 'closed']));
  });

  it('sees both sides of daylight saving time: Warsaw moves against Moscow, which has none', () => {
    // Moscow answers 09:00-10:00 only; Warsaw's 09:00-17:00 is 11:00-19:00 Moscow time in winter, 10:00-18:00 in summer.
    const m = model(
      '  moscow: { timezone: Europe/Moscow, hours: { mon-fri: "09:00-10:00" } }\n  warsaw: { timezone: Europe/Warsaw, hours: { mon-fri: "09:00-17:00" } }',
      ['moscow', 'warsaw'],
    );
    // 10:00-11:00 is a hole in winter only, 18:00-19:00 in summer only: the grid is the worse of both.
    expect(holes(coverageGrid(m, 0, WINTER).week)).toBe('mon-fri 00:00-09:00, 10:00-11:00, 18:00-24:00; sat-sun 00:00-24:00');
    expect(holes(coverageGrid(m, 0, new Date('2027-06-07T00:00+03:00')).week)).toBe('mon-fri 00:00-09:00, 10:00-11:00, 18:00-24:00; sat-sun 00:00-24:00');
  });

  it('finds a state change on an odd minute (a 08:50 opening)', () => {
    const m = model('  minsk: { timezone: Europe/Minsk, hours: { mon-fri: "08:50-17:10" } }', ['minsk']);
    const grid = coverageGrid(m, 0, WINTER);
    // 08:00-09:00 is partly closed, 17:00-18:00 too: both hours are holes.
    expect(holes(grid.week)).toBe('mon-fri 00:00-09:00, 17:00-24:00; sat-sun 00:00-24:00');
  });

  it('lists every holiday date of the coming year, hour by hour in the site zone (Minsk)', () => {
    const m = model(
      `  minsk:
    timezone: Europe/Minsk
    hours: { mon-fri: "09:00-18:00" }
    holidays:
      - { name: Christmas, date: "01-07" }
      - { name: New Year's Eve, date: "2026-12-31", hours: "09:00-14:00" }
      - { name: Past, date: "2025-05-09" }`,
      ['minsk'],
    );
    const grid = coverageGrid(m, 0, WINTER);
    expect(grid.holidays.map((h) => [h.date, h.holiday])).toEqual([
      ['2026-12-31', "New Year's Eve"],
      ['2027-01-07', 'Christmas'],
    ]);
    const eve = grid.holidays[0]!.hours.map((c) => c!.reach);
    expect(eve.slice(9, 14)).toEqual(Array(5).fill('person'));
    expect(eve[14]).toBe('silence');
    expect(grid.holidays[1]!.hours.every((c) => c!.reach === 'silence')).toBe(true);
    expect(grid.holidays[1]!.hours[12]!.how).toContain('holiday branch');
  });

  it('a holiday branch with a message is no hole', () => {
    const m = model('  minsk: { timezone: Europe/Minsk, holidays: [{ date: "01-07" }] }', ['minsk'], '    holiday: announcement:closed\n');
    const grid = coverageGrid(m, 0, WINTER);
    expect(grid.holidays[0]!.hours.every((c) => c!.reach === 'message')).toBe(true);
  });

  it('handles the days of the clock changes in Warsaw: 23 and 25 hours', () => {
    const m = model(
      '  warsaw: { timezone: Europe/Warsaw, hours: { mon-sun: "00:00-24:00" }, holidays: [{ date: "2027-03-28" }, { date: "2026-10-25" }] }',
      ['warsaw'],
    );
    const grid = coverageGrid(m, 0, new Date('2026-10-19T00:00+02:00'));
    const [autumn, spring] = grid.holidays;
    expect(autumn!.date).toBe('2026-10-25');
    expect(autumn!.hours.every((c) => c?.reach === 'silence')).toBe(true);
    expect(spring!.date).toBe('2027-03-28');
    // 02:00-03:00 does not exist that night.
    expect(spring!.hours[2]).toBeUndefined();
    expect(spring!.hours.filter((c) => c !== undefined)).toHaveLength(23);
  });

  it.each(['debt-collection-pl', 'payment-center-by', 'sales-ru-follow-the-sun'])('agrees with trace at every hour of a week without holidays (%s)', (name) => {
    const m = checkProject(path.join(REPO, 'examples', name)).model!;
    m.inbound.forEach((route, i) => {
      const grid = coverageGrid(m, i, WINTER);
      for (let t = WINTER.getTime(); t < WINTER.getTime() + 7 * 86_400_000; t += 3_600_000) {
        const at = new Date(t);
        const local = localTime(at, grid.timezone);
        const cell = grid.week[WEEKDAYS.indexOf(local.weekday)]![Math.floor(local.minute / 60)]!;
        // The cell is the worst of its hour; the call at its start is at least that good.
        expect(RANK[reachOf(trace(m, { to: route.dids[0]!, at }))], `${route.dids[0]} at ${at.toISOString()}`).toBeGreaterThanOrEqual(RANK[cell.reach]);
      }
    });
  });
});
