/**
 * Requests per client address: a token bucket per address holding up to `burst` requests,
 * refilled at `perMinute`. A phone that boots fetches a handful of files; a burst of hundreds is
 * someone guessing, and gets 429 until its bucket refills.
 */
export interface RateLimitOptions {
  perMinute: number;
  burst: number;
  /** Addresses remembered at most; idle ones (full buckets) are forgotten first. Default 10,000. */
  maxClients?: number;
}

export type Admission = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly maxClients: number;

  constructor(private readonly o: RateLimitOptions) {
    if (!(o.perMinute > 0) || !(o.burst >= 1)) throw new Error('rate limit: perMinute must be > 0 and burst >= 1');
    this.perMs = o.perMinute / 60_000;
    this.maxClients = o.maxClients ?? 10_000;
  }

  /** Takes one request's token from `key`'s bucket at time `now` (ms). */
  take(key: string, now: number): Admission {
    const bucket = this.refilled(key, now);
    // Most recently used last: the first entries are the ones to forget.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxClients) this.forget(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
  }

  /** How many addresses are remembered (for tests). */
  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, now: number): Bucket {
    const b = this.buckets.get(key);
    if (!b) return { tokens: this.o.burst, at: now };
    const elapsed = Math.max(0, now - b.at);
    return { tokens: Math.min(this.o.burst, b.tokens + elapsed * this.perMs), at: Math.max(now, b.at) };
  }

  private forget(now: number): void {
    for (const [key, b] of this.buckets) {
      if (this.buckets.size <= this.maxClients) return;
      if (b.tokens + (now - b.at) * this.perMs >= this.o.burst) this.buckets.delete(key);
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.maxClients) return;
      this.buckets.delete(key);
    }
  }
}
