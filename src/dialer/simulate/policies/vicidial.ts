import { localTime } from '../../../callflow/site-state.js';
import type { Pace, PacingPolicy, PacingView } from '../../pacing/policy.js';
import type { DialerEvent, PacingSettings } from '../../pacing/types.js';

export type AdaptMethod = 'ADAPT_HARD_LIMIT' | 'ADAPT_TAPERED' | 'ADAPT_AVERAGE';

export interface VicidialOptions {
  method: AdaptMethod;
  /** available_only_ratio_tally: multiply the dial level by READY agents only. */
  availableOnly: boolean;
  /** adaptive_maximum_level (default: the campaign's max_ratio). */
  maxLevel?: number;
  /** adaptive_dropped_percentage (default: the campaign's abandon target). */
  droppedPercent?: number;
  /** adaptive_intensity, -40..40 (default 0). */
  intensity?: number;
  /** adaptive_dl_diff_target (default 0). */
  diffTarget?: number;
  /** adaptive_latest_server_time, HHMM (default 2100). */
  latestServerTime?: number;
}

/**
 * A reference implementation of VICIdial's adaptive predictive dialing, written from its public
 * source (AGPL; no code copied): bin/AST_VDadapt.pl (sets the dial level) and bin/AST_VDauto_dial.pl
 * (places calls from it), as found in github.com/inktel/Vicidial at commit
 * 1278c1cacf738bc447e35bbb7c4fa1dae9d05013. What it follows:
 *
 * - Every second it samples READY agents, LIVE calls waiting for an agent and all agents of the
 *   campaign (AST_VDadapt.pl, count_agents_lines, lines 704-794); the "differential" is the mean of
 *   READY − waiting over the last 15 samples, and the agent count the mean of the last 15 (l. 750-779).
 * - Every 15 seconds (l. 472) it recomputes the level (calculate_dial_level, l. 1606-1840):
 *   differential_target = differential + dl_diff_target (l. 1693); mul = target / agents (l. 1696);
 *   the intensity scales a positive change by (1 + intensity/100) and a negative one by
 *   |intensity/100 − 1| (l. 1706-1714); new level = level × (1 + change) (l. 1723); capped at
 *   adaptive_maximum_level (l. 1754-1757).
 * - Drop rules (l. 1773-1805): over 20 calls in the last minute with more than 50 % dropped halves the
 *   level; over 50 calls today with drops above adaptive_dropped_percentage of answers today:
 *   ADAPT_HARD_LIMIT sets 1.0, ADAPT_AVERAGE halves, ADAPT_TAPERED multiplies by the share of the
 *   thousand HHMM units left before adaptive_latest_server_time (min(1, (latest − now) / 1000),
 *   l. 1727-1733), or sets 1.0 past it. Never below 1.0 (l. 1826-1830). Drop statistics are refreshed
 *   once a minute (calculate_drops, l. 466-469).
 * - Calls to place (AST_VDauto_dial.pl): agents counted are READY, QUEUE, INCALL and DONE
 *   (l. 356) — an agent in its disposition (our wrap-up) or paused is not; with available_only_ratio_tally
 *   only READY ones (l. 607-610), and the calls already with agents are added back (l. 669-683);
 *   goal = round(level × agents) (l. 667, 686); to place = goal − the campaign's calls SENT, RINGING,
 *   LIVE, XFER or CLOSER, i.e. ringing, waiting and connected ones (l. 742-767).
 */
export class VicidialPolicy implements PacingPolicy {
  readonly id: string;
  readonly label: string;
  level = 1;
  private readonly samples: { ready: number; waiting: number; total: number }[] = [];
  private lastSample = -Infinity;
  private lastAdapt = -Infinity;
  private lastDrops = -Infinity;
  /** Calls placed, and drops, per minute (for the last minute and today). */
  private readonly placed: number[] = [];
  private readonly dropsLog: number[] = [];
  private readonly answersLog: number[] = [];
  private stats = { callsOne: 0, dropsOne: 0, callsToday: 0, dropsToday: 0, answersToday: 0 };
  private readonly o: Required<VicidialOptions>;

  constructor(
    private readonly settings: PacingSettings,
    options: VicidialOptions,
  ) {
    this.o = {
      maxLevel: settings.predictive.maxRatio,
      droppedPercent: 100 * settings.abandonTarget,
      intensity: 0,
      diffTarget: 0,
      latestServerTime: 2100,
      ...options,
    };
    const m = options.method.replace('ADAPT_', '').toLowerCase().replace('_', '-');
    this.id = `vicidial-${m}${options.availableOnly ? '-avail' : ''}`;
    this.label = `VICIdial ${options.method}${options.availableOnly ? ', available only' : ''}`;
  }

  observe(e: DialerEvent): void {
    if (e.type !== 'ended' || e.reserved) return;
    // VICIdial logs a call at its start; drops and human answers count by call date too, which
    // we approximate by the end of the call (seconds apart).
    if (e.outcome === 'abandoned') {
      this.dropsLog.push(e.at);
      this.answersLog.push(e.at);
    } else if (e.outcome === 'connected' && !e.machine) this.answersLog.push(e.at);
  }

  pace(view: PacingView, explain: boolean): Pace {
    const now = view.now;
    let ready = 0;
    let incall = 0;
    let total = 0;
    for (const a of view.agents) {
      if (a.status === 'offline') continue;
      total++;
      if (view.reserved.has(a.id)) continue;
      if (a.status === 'ready') ready++;
      else if (a.status === 'talking') incall++;
    }
    let waiting = 0;
    let ringing = 0;
    for (const c of view.calls) {
      if (c.phase === 'waiting') waiting++;
      else ringing++;
    }
    if (now - this.lastSample >= 1000) {
      this.lastSample = now;
      this.samples.push({ ready, waiting, total });
      if (this.samples.length > 15) this.samples.shift();
    }
    if (now - this.lastDrops >= 60_000) {
      this.lastDrops = now;
      this.refreshDrops(now);
    }
    if (now - this.lastAdapt >= 15_000 && this.samples.length > 0) {
      this.lastAdapt = now;
      this.adapt(now);
    }
    const agents = this.o.availableOnly ? ready : ready + incall;
    let goal = Math.round(this.level * agents);
    if (this.o.availableOnly) goal += view.connected;
    const existing = ringing + waiting + view.connected;
    const calls = Math.max(0, goal - existing);
    for (let i = 0; i < calls; i++) this.placed.push(now);
    const pace: Pace = { calls, level: this.level };
    if (explain) pace.reasons = [{ code: 'vicidial', text: `level ${this.level.toFixed(3)} × ${agents} agents = ${goal} goal − ${existing} calls` }];
    return pace;
  }

  private refreshDrops(now: number): void {
    const minuteAgo = now - 60_000;
    const midnight = this.localMidnight(now);
    const count = (xs: number[], from: number) => {
      let n = 0;
      for (let i = xs.length - 1; i >= 0 && xs[i]! > from; i--) n++;
      return n;
    };
    // Keep only today.
    for (const xs of [this.placed, this.dropsLog, this.answersLog]) while (xs.length > 0 && xs[0]! <= midnight) xs.shift();
    this.stats = {
      callsOne: count(this.placed, minuteAgo),
      dropsOne: count(this.dropsLog, minuteAgo),
      callsToday: this.placed.length,
      dropsToday: this.dropsLog.length,
      answersToday: this.answersLog.length,
    };
  }

  private adapt(now: number): void {
    const n = this.samples.length;
    let diff = 0;
    let agents = 0;
    for (const s of this.samples) {
      diff += s.ready - s.waiting;
      agents += s.total;
    }
    diff /= n;
    agents /= n;
    const target = diff + this.o.diffTarget;
    const mul = target !== 0 && agents !== 0 ? target / agents : 0;
    const pct = mul * 100;
    const intensity = this.o.intensity / 100;
    const change = pct < 0 ? pct * Math.abs(intensity - 1) : pct * (intensity + 1);
    let level = this.level * (change / 100 + 1);
    if (level > this.o.maxLevel) level = this.o.maxLevel;
    if (level < 1) level = 1;
    const st = this.stats;
    if (st.callsOne > 20 && (100 * st.dropsOne) / st.callsOne > 50) level /= 2;
    const answers = Math.max(1, st.answersToday);
    if (st.callsToday > 50 && (100 * st.dropsToday) / answers > this.o.droppedPercent) {
      if (this.o.method === 'ADAPT_HARD_LIMIT') level = 1;
      else if (this.o.method === 'ADAPT_AVERAGE') level /= 2;
      else {
        const t = localTime(new Date(now), this.settings.timezone);
        const hhmm = Math.floor(t.minute / 60) * 100 + (t.minute % 60);
        const left = this.o.latestServerTime - hhmm;
        level = left < 0 ? 1 : level * Math.min(1, left / 1000);
      }
    }
    this.level = Math.max(1, level);
  }

  private localMidnight(now: number): number {
    const t = localTime(new Date(now), this.settings.timezone);
    return now - t.minute * 60_000 - (now % 60_000);
  }
}
