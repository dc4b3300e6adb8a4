import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/provision/rate-limit.js';

describe('RateLimiter: a token bucket per address', () => {
  it('allows a burst, then refuses with the seconds until the next token', () => {
    const limiter = new RateLimiter({ perMinute: 60, burst: 3 });
    const results = [0, 1, 2, 3].map(() => limiter.take('10.0.0.1', 1_000));
    expect(results.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(results[3]).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at the rate, up to the burst and no more', () => {
    const limiter = new RateLimiter({ perMinute: 6, burst: 2 });
    limiter.take('a', 0);
    limiter.take('a', 0);
    expect(limiter.take('a', 0)).toEqual({ allowed: false, retryAfterSeconds: 10 });
    expect(limiter.take('a', 9_000).allowed).toBe(false);
    expect(limiter.take('a', 10_000).allowed).toBe(true);
    // An hour idle refills two tokens, not 360.
    expect([1, 2, 3].map(() => limiter.take('a', 3_600_000).allowed)).toEqual([true, true, false]);
  });

  it('keeps addresses apart', () => {
    const limiter = new RateLimiter({ perMinute: 1, burst: 1 });
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 0).allowed).toBe(false);
    expect(limiter.take('b', 0).allowed).toBe(true);
  });

  it('does not refill when the clock goes back', () => {
    const limiter = new RateLimiter({ perMinute: 60, burst: 1 });
    expect(limiter.take('a', 10_000).allowed).toBe(true);
    expect(limiter.take('a', 5_000).allowed).toBe(false);
  });

  it('forgets idle addresses first when it holds too many, and an address that is still limited last', () => {
    const limiter = new RateLimiter({ perMinute: 60, burst: 1, maxClients: 3 });
    limiter.take('busy', 0);
    limiter.take('idle-1', 0);
    limiter.take('idle-2', 0);
    limiter.take('new', 60_000);
    expect(limiter.size).toBe(3);
    limiter.take('busy', 60_000);
    limiter.take('busy', 60_000);
    for (let i = 0; i < 10; i++) limiter.take(`x${i}`, 60_000);
    expect(limiter.size).toBeLessThanOrEqual(3);
  });

  it('refuses a nonsense configuration', () => {
    expect(() => new RateLimiter({ perMinute: 0, burst: 1 })).toThrow();
    expect(() => new RateLimiter({ perMinute: 1, burst: 0 })).toThrow();
  });
});
