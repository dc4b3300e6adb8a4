import { clamp } from './math.js';

/**
 * Counts over a sliding window, in buckets (a 24-hour window in minutes, a 30-day one in
 * quarter hours): live answers and abandoned calls, observed or estimated.
 */
export class WindowCounts {
  private readonly bucketMs: number;
  private readonly lives: Float64Array;
  private readonly abandons: Float64Array;
  private readonly stamp: Float64Array;
  totalLives = 0;
  totalAbandons = 0;

  constructor(readonly windowSeconds: number) {
    this.bucketMs = Math.max(60_000, Math.ceil((windowSeconds * 1000) / 2880 / 60_000) * 60_000);
    const n = Math.ceil((windowSeconds * 1000) / this.bucketMs) + 1;
    this.lives = new Float64Array(n);
    this.abandons = new Float64Array(n);
    this.stamp = new Float64Array(n).fill(-1);
  }

  add(at: number, lives: number, abandons: number): void {
    const b = Math.floor(at / this.bucketMs);
    const i = b % this.lives.length;
    if (this.stamp[i] !== b) {
      this.totalLives -= this.lives[i]!;
      this.totalAbandons -= this.abandons[i]!;
      this.lives[i] = 0;
      this.abandons[i] = 0;
      this.stamp[i] = b;
    }
    this.lives[i]! += lives;
    this.abandons[i]! += abandons;
    this.totalLives += lives;
    this.totalAbandons += abandons;
  }

  private expired = -Infinity;

  /** Drops buckets that left the window (call before reading the totals). */
  expire(now: number): void {
    const oldest = Math.floor((now - this.windowSeconds * 1000) / this.bucketMs);
    if (oldest === this.expired) return;
    this.expired = oldest;
    for (let i = 0; i < this.stamp.length; i++) {
      const s = this.stamp[i]!;
      if (s >= 0 && s < oldest) {
        this.totalLives -= this.lives[i]!;
        this.totalAbandons -= this.abandons[i]!;
        this.lives[i] = 0;
        this.abandons[i] = 0;
        this.stamp[i] = -1;
      }
    }
    // Floating sums drift by ulps; keep them from going below zero.
    if (this.totalLives < 1e-9) this.totalLives = 0;
    if (this.totalAbandons < 1e-9) this.totalAbandons = 0;
  }
}

export interface ControllerOptions {
  /** How sure the controller wants to be of ending under the limit (normal quantile). */
  z: number;
  /** How far ahead it plans its abandon budget (seconds). */
  planSeconds: number;
  /**
   * What it believes of the predictor before it has seen abandons: observed ÷ predicted. The
   * predictor leaves out some of what drops calls (an agent pausing with calls on their way, the
   * order in which answers and free agents come within a horizon), so it starts from "twice as many".
   */
  biasPrior: number;
  /** The weight of that belief, in abandons. */
  biasWeight: number;
}

export const DEFAULT_CONTROLLER: ControllerOptions = { z: 3, planSeconds: 3600, biasPrior: 2, biasWeight: 3 };

export interface ControllerState {
  lives: number;
  abandons: number;
  /** The rate the controller aims at for the calls it places now. */
  target: number;
  /** Its margin below the limit, in the same unit. */
  margin: number;
  /** Observed ÷ predicted abandons of recent calls (model bias). */
  bias: number;
  /** The marginal abandon risk a new call may carry. */
  theta: number;
}

/**
 * Keeps the abandon rate over the regulated window at or under the limit. It plans the next hour:
 * with L live answers and A abandons in the window so far and L' expected in the next hour, it
 * allows future abandons a such that A + a + z·√a ≤ limit · (L + L'); the z·√a term is the
 * chance that more calls than planned are dropped, and it shrinks relative to the budget as the
 * evidence (L + L') grows. The planned rate a / L' is never above the limit itself, and is turned
 * into the marginal risk a new call may carry by dividing by the bias of the predictor: how many
 * abandons actually happened per abandon it predicted over the last hours.
 */
export class AbandonController {
  readonly window: WindowCounts;
  private predicted = 0;
  private observed = 0;
  private last = -Infinity;
  private readonly tauMs = 2 * 3600 * 1000;

  constructor(
    readonly limit: number,
    windowSeconds: number,
    readonly options: ControllerOptions = DEFAULT_CONTROLLER,
  ) {
    this.window = new WindowCounts(windowSeconds);
  }

  private decay(at: number): void {
    if (this.last !== -Infinity && at > this.last) {
      const f = Math.exp(-(at - this.last) / this.tauMs);
      this.predicted *= f;
      this.observed *= f;
    }
    if (at > this.last) this.last = at;
  }

  /** A live answer (a person), abandoned or not. Estimated ones (AMD false positives) come as fractions. */
  live(at: number, lives: number, abandons: number, estimated = false): void {
    this.window.add(at, lives, abandons);
    if (!estimated) {
      this.decay(at);
      this.observed += abandons;
    }
  }

  /** The abandons the predictor expects from the calls it just placed. */
  expect(at: number, abandons: number): void {
    this.decay(at);
    this.predicted += abandons;
  }

  /**
   * The marginal risk allowed now; `liveRate` is live answers per second expected at full use of
   * the agents, `open` the contacts the list still has: no more persons than that can answer, so
   * a campaign near the end of its list (or a short one) does not spend abandons against answers
   * it will never have.
   */
  state(now: number, liveRate: number, open = Infinity): ControllerState {
    this.window.expire(now);
    this.decay(now);
    const L = this.window.totalLives;
    const A = this.window.totalAbandons;
    const future = Math.max(1, Math.min(Math.max(20, liveRate * this.options.planSeconds), open));
    const budget = this.limit * (L + future) - A;
    const z = this.options.z;
    let allowed = 0;
    if (budget > 0) {
      const x = (-z + Math.sqrt(z * z + 4 * budget)) / 2;
      allowed = x * x;
    }
    // Less than one abandoned call to spend in the coming hour: a small campaign where one
    // abandon could break the limit. Take no risk at all (only the calls ready agents are sure to take).
    if (allowed < 1) allowed = 0;
    const target = Math.min(this.limit, allowed / future);
    const { biasPrior, biasWeight } = this.options;
    const bias = clamp((this.observed + biasPrior * biasWeight) / (this.predicted + biasWeight), 0.25, 4);
    return { lives: L, abandons: A, target, margin: this.limit - target, bias, theta: target / bias };
  }
}
