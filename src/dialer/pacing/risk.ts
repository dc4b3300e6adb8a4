import { normalCdf } from './math.js';

/**
 * The distribution of X = (live answers needing an agent by some horizon) − (agents free by then):
 * a constant plus independent Bernoulli terms (+1 for a call that may go live, −1 for an agent who
 * may become free). A new call is dropped when it goes live and finds every free agent taken by
 * the others, so its risk of abandonment is P(X ≥ 0) over the other calls.
 *
 * Exact (a convolution over the integer support) while few terms are uncertain, a normal
 * approximation with continuity correction beyond: with hundreds of terms the central limit
 * theorem is good to a fraction of a percent, and the decision stays well under a millisecond.
 */
export class Balance {
  /** Deterministic part: calls certain to need an agent minus agents certain to be free. */
  private base = 0;
  private mean = 0;
  private variance = 0;
  private terms = 0;
  /** Exact distribution of the random part, offset by `lo` (index 0 ↔ value lo). */
  private dist: Float64Array;
  private lo = 0;
  private hi = 0;
  private exact = true;

  constructor(private readonly maxExactTerms = 48) {
    this.dist = new Float64Array(2 * maxExactTerms + 3);
    this.dist[0] = 1;
  }

  reset(): void {
    this.base = 0;
    this.mean = 0;
    this.variance = 0;
    this.terms = 0;
    this.lo = 0;
    this.hi = 0;
    this.exact = true;
    this.dist.fill(0);
    this.dist[0] = 1;
  }

  /** A certain part: +n calls that need an agent, or −n agents sure to be free. */
  constant(n: number): void {
    this.base += n;
  }

  /** +1 with probability p (a call that may need an agent). */
  demand(p: number): void {
    this.add(p, 1);
  }

  /** −1 with probability p (an agent who may become free). */
  supply(p: number): void {
    this.add(p, -1);
  }

  private add(p: number, sign: 1 | -1): void {
    if (p <= 1e-4) return;
    if (p >= 1 - 1e-4) {
      this.base += sign;
      return;
    }
    this.mean += sign * p;
    this.variance += p * (1 - p);
    this.terms++;
    if (!this.exact) return;
    if (this.terms > this.maxExactTerms) {
      this.exact = false;
      return;
    }
    // Convolve with the two-point distribution; the array holds values lo..hi at 0..hi-lo.
    const d = this.dist;
    const n = this.hi - this.lo + 1;
    if (sign === 1) {
      for (let i = n; i >= 1; i--) d[i] = d[i]! * (1 - p) + d[i - 1]! * p;
      d[0] = d[0]! * (1 - p);
      this.hi++;
    } else {
      // Shift everything up by one slot so the new lowest value (lo − 1) sits at index 0.
      for (let i = n; i >= 1; i--) d[i] = d[i]! * p + d[i - 1]! * (1 - p);
      d[0] = d[0]! * p;
      this.lo--;
    }
  }

  /** P(X ≥ 0): the chance that one more live answer finds no agent. */
  risk(): number {
    if (this.exact) {
      // X = base + Y with Y in lo..hi: P(Y ≥ -base).
      const from = -this.base - this.lo;
      if (from <= 0) return 1;
      let s = 0;
      const n = this.hi - this.lo + 1;
      for (let i = from; i < n; i++) s += this.dist[i]!;
      return Math.min(1, s);
    }
    const sd = Math.sqrt(this.variance);
    return 1 - normalCdf((-0.5 - this.base - this.mean) / sd);
  }

  /** Expected value of X (negative: agents to spare). */
  get expected(): number {
    return this.base + this.mean;
  }

  copyFrom(o: Balance): void {
    this.base = o.base;
    this.mean = o.mean;
    this.variance = o.variance;
    this.terms = o.terms;
    this.lo = o.lo;
    this.hi = o.hi;
    this.exact = o.exact;
    if (o.exact) this.dist.set(o.dist.subarray(0, o.hi - o.lo + 1));
  }
}
