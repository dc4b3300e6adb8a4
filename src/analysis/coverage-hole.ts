import type { Analysis } from './analysis.js';
import type { Cell, CoverageGrid } from './coverage.js';
import { coverageGrids } from './grids.js';
import { hourRuns, weekText } from './hours-text.js';

const SHOWN_HOLIDAYS = 3;
const HINT = 'Send the branch taken then to a message, a voicemail or people (closed:, holiday:, a queue\'s overflow), give the members who should answer a device, or change the hours.';

const silent = (c: Cell | undefined) => c?.reach === 'silence';

/** The number as the route names it: its first DID, and the route's own name when it has one. */
function label(grid: CoverageGrid): string {
  const did = grid.route.dids[0]!;
  return grid.route.name === did ? did : `${did} (route "${grid.route.name}")`;
}

export const coverageHole: Analysis = {
  id: 'coverage-hole',
  description:
    "Every inbound number reaches a person, a voicemail or at least a message at every hour of the week and on every holiday of the coming year, and reaches a person, a menu or a voicemail at some hour (a 7×24 grid per number, in its first site's time zone, on both sides of daylight saving time).",
  severity: 'warning',
  check(ctx) {
    coverageGrids(ctx.model, ctx.now).forEach((grid, i) => {
      const where = { at: ctx.raw.inbound![i]!, path: ['did'] };
      const holes = grid.week.map((row) => row.map(silent));
      if (holes.some((row) => row.some(Boolean))) {
        const how = grid.week.flat().find(silent)!.how;
        ctx.report(where, `${label(grid)} reaches nobody and the caller hears nothing at ${weekText(holes)} (${grid.timezone}): ${how}`, HINT);
      }
      const days = grid.holidays.filter((d) => d.hours.some(silent));
      if (days.length > 0) {
        const shown = days.slice(0, SHOWN_HOLIDAYS).map((d) => `${d.date} ${hourRuns(d.hours.map(silent))} (${d.holiday ?? 'holiday'}, site ${d.site}, ${d.timezone})`);
        const more = days.length > SHOWN_HOLIDAYS ? ` and ${days.length - SHOWN_HOLIDAYS} more days` : '';
        const how = days[0]!.hours.find(silent)!.how;
        ctx.report(where, `${label(grid)} reaches nobody and the caller hears nothing on ${shown.join('; ')}${more}: ${how}`, HINT);
      }
      const cells = grid.week.flat();
      if (!cells.some((c) => c !== undefined && c.reach !== 'silence' && c.reach !== 'message')) {
        ctx.report(
          where,
          `${label(grid)} never reaches a person, a menu or a voicemail, at any hour of the week: ${cells.find((c) => c !== undefined)?.how ?? ''}`,
          'Route it to a queue, a user or a voicemail in some branch, or check the hours of its sites.',
        );
      }
    });
  },
};
