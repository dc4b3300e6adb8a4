import { localTime } from '../../callflow/site-state.js';
import { WEEKDAYS } from '../../model/time.js';
import type { PacingSettings } from './types.js';

const MINUTE = 60_000;

/**
 * The calling window in each callee's local time. Zones are numbered once (a contact store keeps
 * a zone index per number); whether a zone is open is computed once per zone and minute, so a
 * decision over a million contacts reads the time zone data a handful of times.
 */
export class CallingWindow {
  private readonly zones: string[] = [];
  private readonly byName = new Map<string, number>();
  private minuteOf = new Float64Array(8).fill(NaN);
  private openAt = new Uint8Array(8);
  readonly from: number;
  readonly to: number;

  constructor(private readonly settings: Pick<PacingSettings, 'window' | 'profile' | 'timezone'>) {
    const hours = settings.profile.callingHours;
    // The campaign's window, narrowed to the profile's legal hours unless the campaign overrides them.
    this.from = hours ? Math.max(settings.window.from, hours.from) : settings.window.from;
    this.to = hours ? Math.min(settings.window.to, hours.to) : settings.window.to;
    this.zone(settings.timezone);
  }

  /** The index of a time zone (IANA name), registering it on first use. */
  zone(name: string | undefined): number {
    const tz = name ?? this.settings.timezone;
    let z = this.byName.get(tz);
    if (z === undefined) {
      z = this.zones.length;
      this.zones.push(tz);
      this.byName.set(tz, z);
      if (z >= this.minuteOf.length) {
        const m = new Float64Array(this.minuteOf.length * 2).fill(NaN);
        m.set(this.minuteOf);
        this.minuteOf = m;
        const o = new Uint8Array(this.openAt.length * 2);
        o.set(this.openAt);
        this.openAt = o;
      }
    }
    return z;
  }

  zoneName(z: number): string {
    return this.zones[z]!;
  }

  get zoneCount(): number {
    return this.zones.length;
  }

  /** May a callee in zone z be called at `now`? */
  isOpen(z: number, now: number): boolean {
    const minute = Math.floor(now / MINUTE);
    if (this.minuteOf[z] !== minute) {
      this.minuteOf[z] = minute;
      this.openAt[z] = this.compute(this.zones[z]!, now) ? 1 : 0;
    }
    return this.openAt[z] === 1;
  }

  private compute(tz: string, now: number): boolean {
    const t = localTime(new Date(now), tz);
    if (t.minute < this.from || t.minute >= this.to) return false;
    if (!this.settings.window.days[WEEKDAYS.indexOf(t.weekday)]) return false;
    const md = `${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
    const holidays = this.settings.window.holidays;
    return !(holidays.has(md) || holidays.has(`${t.year}-${md}`));
  }
}
