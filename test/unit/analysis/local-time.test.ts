import { describe, expect, it } from 'vitest';
import { localTime } from '../../../src/callflow/site-state.js';

/** The wall clock straight from ICU, the reference the fast path must match. */
const formats = new Map<string, Intl.DateTimeFormat>();
function reference(at: Date, timeZone: string) {
  if (!formats.has(timeZone)) formats.set(timeZone, new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }));
  const f = formats.get(timeZone)!;
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), weekday: p.weekday!.toLowerCase().slice(0, 3), minute: Number(p.hour) * 60 + Number(p.minute) };
}

// Zones of the field notes, plus the awkward ones: half- and quarter-hour offsets, a 30-minute DST shift.
const ZONES = ['Europe/Warsaw', 'Europe/Moscow', 'Asia/Sakhalin', 'Asia/Yekaterinburg', 'Europe/Minsk', 'America/St_Johns', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/New_York', 'UTC'];

describe('localTime', () => {
  it.each(ZONES)('matches the ICU wall clock in %s, every 11 minutes across both 2026 DST changes', (zone) => {
    for (const [from, to] of [
      ['2026-03-27T00:00Z', '2026-04-07T00:00Z'],
      ['2026-09-30T00:00Z', '2026-11-03T00:00Z'],
    ] as const) {
      for (let t = Date.parse(from); t < Date.parse(to); t += 11 * 60_000) {
        const at = new Date(t);
        expect(localTime(at, zone), `${at.toISOString()} in ${zone}`).toEqual(reference(at, zone));
      }
    }
  });

  it('reads the wall clock at the exact minute of a change (Warsaw, 2026-03-29 01:00Z)', () => {
    expect(localTime(new Date('2026-03-29T00:59Z'), 'Europe/Warsaw').minute).toBe(1 * 60 + 59);
    expect(localTime(new Date('2026-03-29T01:00Z'), 'Europe/Warsaw').minute).toBe(3 * 60);
  });
});
