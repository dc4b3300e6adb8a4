import type { AgentStatus } from '../pacing/types.js';

/** What one simulated campaign under one policy came to. */
export interface SimResult {
  policy: string;
  label: string;
  callsPlaced: number;
  answered: number;
  /** Persons who answered (the denominator of the abandon rate). */
  liveAnswers: number;
  abandoned: number;
  /** abandoned / liveAnswers over the whole run. */
  abandonRate: number;
  /** Highest abandon rate of any regulated window (the run as a whole when shorter than one). */
  worstWindow: number;
  windows: number;
  windowsOverLimit: number;
  /** Persons put through to an agent. */
  connected: number;
  /** Machines AMD missed, found by an agent. */
  machinesToAgents: number;
  /** Talk time with persons / logged-in time (breaks excluded). */
  occupancy: number;
  waitMean: number;
  waitP95: number;
  reachedPerAgentHour: number;
  agentHours: number;
  callbacksDue: number;
  callbacksOnTime: number;
  trunkRejected: number;
  /** Mean calls in flight per working agent, sampled at every tick. */
  meanLevel: number;
  violations: { rule: string; count: number; first: string }[];
  series?: Series;
}

export interface Series {
  stepSeconds: number;
  /** Minutes since the first login, at the end of each step. */
  minutes: number[];
  occupancy: (number | null)[];
  /** Abandon rate of the regulated window ending at each step. */
  abandon: (number | null)[];
  level: (number | null)[];
  /** Live answers and abandoned calls within each step. */
  lives: number[];
  abandons: number[];
}

const MINUTE = 60_000;

/** Running totals of a simulated campaign, turned into a SimResult at the end. */
export class Metrics {
  callsPlaced = 0;
  answered = 0;
  lives = 0;
  abandoned = 0;
  connected = 0;
  machinesToAgents = 0;
  trunkRejected = 0;
  callbacksDue = 0;
  callbacksOnTime = 0;
  private talk = 0;
  private available = 0;
  private readonly waits: number[] = [];
  private levelSum = 0;
  private levelN = 0;
  private readonly perMinuteLives: Float64Array;
  private readonly perMinuteAbandons: Float64Array;
  private readonly stepTalk: Float64Array;
  private readonly stepAvailable: Float64Array;
  private readonly stepLevel: Float64Array;
  private readonly stepLevelN: Float64Array;
  private readonly violations = new Map<string, { count: number; first: string }>();
  private readonly stepMs: number;

  constructor(
    private readonly t0: number,
    private readonly t1: number,
    private readonly windowSeconds: number,
    private readonly limit: number,
    readonly stepSeconds = 300,
  ) {
    const minutes = Math.ceil((t1 - t0) / MINUTE) + 1;
    this.perMinuteLives = new Float64Array(minutes);
    this.perMinuteAbandons = new Float64Array(minutes);
    this.stepMs = stepSeconds * 1000;
    const steps = Math.ceil((t1 - t0) / this.stepMs) + 1;
    this.stepTalk = new Float64Array(steps);
    this.stepAvailable = new Float64Array(steps);
    this.stepLevel = new Float64Array(steps);
    this.stepLevelN = new Float64Array(steps);
  }

  live(at: number, abandoned: boolean): void {
    const m = Math.min(this.perMinuteLives.length - 1, Math.max(0, Math.floor((at - this.t0) / MINUTE)));
    this.lives++;
    this.perMinuteLives[m]! += 1;
    if (abandoned) {
      this.abandoned++;
      this.perMinuteAbandons[m]! += 1;
    }
  }

  wait(seconds: number): void {
    this.waits.push(seconds);
  }

  level(at: number, level: number): void {
    this.levelSum += level;
    this.levelN++;
    const s = Math.floor((at - this.t0) / this.stepMs);
    if (s >= 0 && s < this.stepLevel.length) {
      this.stepLevel[s]! += level;
      this.stepLevelN[s]! += 1;
    }
  }

  /** An agent spent [from, to) in a status; `person`: talking with a person. */
  span(status: AgentStatus, person: boolean, from: number, to: number): void {
    if (to <= from || status === 'paused' || status === 'offline') return;
    const talking = status === 'talking' && person;
    this.available += (to - from) / 1000;
    if (talking) this.talk += (to - from) / 1000;
    let t = from;
    while (t < to) {
      const s = Math.floor((t - this.t0) / this.stepMs);
      const end = Math.min(to, this.t0 + (s + 1) * this.stepMs);
      if (s >= 0 && s < this.stepAvailable.length) {
        this.stepAvailable[s]! += (end - t) / 1000;
        if (talking) this.stepTalk[s]! += (end - t) / 1000;
      }
      t = end;
    }
  }

  violation(rule: string, detail: string): void {
    const v = this.violations.get(rule);
    if (v) v.count++;
    else this.violations.set(rule, { count: 1, first: detail });
  }

  /** Abandon rates of every regulated window: sliding by 15 minutes, or the run as a whole when shorter. */
  windowRates(): number[] {
    const W = Math.round(this.windowSeconds / 60);
    const n = this.perMinuteLives.length;
    const rate = (l: number, a: number) => (l > 0 ? a / l : 0);
    if (n <= W) {
      let l = 0;
      let a = 0;
      for (let i = 0; i < n; i++) {
        l += this.perMinuteLives[i]!;
        a += this.perMinuteAbandons[i]!;
      }
      return [rate(l, a)];
    }
    const cumL = new Float64Array(n + 1);
    const cumA = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      cumL[i + 1] = cumL[i]! + this.perMinuteLives[i]!;
      cumA[i + 1] = cumA[i]! + this.perMinuteAbandons[i]!;
    }
    const out: number[] = [];
    for (let end = W; end <= n; end += 15) out.push(rate(cumL[end]! - cumL[end - W]!, cumA[end]! - cumA[end - W]!));
    if ((n - W) % 15 !== 0) out.push(rate(cumL[n]! - cumL[n - W]!, cumA[n]! - cumA[n - W]!));
    return out;
  }

  result(policy: string, label: string, agentHours: number, withSeries: boolean): SimResult {
    const windows = this.windowRates();
    const over = windows.filter((x) => x > this.limit + 1e-12).length;
    if (over > 0) this.violations.set('abandon-limit', { count: over, first: `${over} of ${windows.length} regulated window(s) over ${(100 * this.limit).toFixed(1)} %, the worst at ${(100 * Math.max(...windows)).toFixed(2)} %` });
    const waits = [...this.waits].sort((a, b) => a - b);
    const p95 = waits.length > 0 ? waits[Math.min(waits.length - 1, Math.floor(0.95 * waits.length))]! : 0;
    const r: SimResult = {
      policy,
      label,
      callsPlaced: this.callsPlaced,
      answered: this.answered,
      liveAnswers: this.lives,
      abandoned: this.abandoned,
      abandonRate: this.lives > 0 ? this.abandoned / this.lives : 0,
      worstWindow: Math.max(0, ...windows),
      windows: windows.length,
      windowsOverLimit: over,
      connected: this.connected,
      machinesToAgents: this.machinesToAgents,
      occupancy: this.available > 0 ? this.talk / this.available : 0,
      waitMean: waits.length > 0 ? waits.reduce((s, x) => s + x, 0) / waits.length : 0,
      waitP95: p95,
      reachedPerAgentHour: agentHours > 0 ? this.connected / agentHours : 0,
      agentHours,
      callbacksDue: this.callbacksDue,
      callbacksOnTime: this.callbacksOnTime,
      trunkRejected: this.trunkRejected,
      meanLevel: this.levelN > 0 ? this.levelSum / this.levelN : 0,
      violations: [...this.violations].map(([rule, v]) => ({ rule, ...v })).sort((a, b) => (a.rule < b.rule ? -1 : 1)),
    };
    if (withSeries) r.series = this.series();
    return r;
  }

  private series(): Series {
    const steps = this.stepAvailable.length;
    const W = Math.round(this.windowSeconds / 60);
    const minutes: number[] = [];
    const occupancy: (number | null)[] = [];
    const abandon: (number | null)[] = [];
    const level: (number | null)[] = [];
    const lives: number[] = [];
    const abandons: number[] = [];
    const cumL = new Float64Array(this.perMinuteLives.length + 1);
    const cumA = new Float64Array(this.perMinuteLives.length + 1);
    for (let i = 0; i < this.perMinuteLives.length; i++) {
      cumL[i + 1] = cumL[i]! + this.perMinuteLives[i]!;
      cumA[i + 1] = cumA[i]! + this.perMinuteAbandons[i]!;
    }
    const stepMinutes = this.stepSeconds / 60;
    for (let s = 0; s < steps; s++) {
      const end = Math.min(this.perMinuteLives.length, Math.round((s + 1) * stepMinutes));
      minutes.push(Math.round((s + 1) * stepMinutes));
      const avail = this.stepAvailable[s]!;
      occupancy.push(avail > 0 ? round4(this.stepTalk[s]! / avail) : null);
      const start = Math.min(end, Math.round(s * stepMinutes));
      lives.push(cumL[end]! - cumL[start]!);
      abandons.push(cumA[end]! - cumA[start]!);
      const from = Math.max(0, end - W);
      const l = cumL[end]! - cumL[from]!;
      abandon.push(l > 0 ? round4((cumA[end]! - cumA[from]!) / l) : null);
      level.push(this.stepLevelN[s]! > 0 ? round4(this.stepLevel[s]! / this.stepLevelN[s]!) : null);
    }
    return { stepSeconds: this.stepSeconds, minutes, occupancy, abandon, level, lives, abandons };
  }
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
