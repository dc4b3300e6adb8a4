import { describe, expect, it, vi } from 'vitest';
import { releasePorts, reservePorts } from './harness/ports.js';

describe('loopback port reservations', () => {
  it('never hand out a port this process already holds (servers of one file started in parallel)', async () => {
    // Both reservations look at the same block first; the first one's server has not bound yet.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const bases: number[] = [];
    try {
      bases.push(await reservePorts(64));
      bases.push(await reservePorts(64));
      expect(Math.abs(bases[0]! - bases[1]!)).toBeGreaterThanOrEqual(64);
    } finally {
      vi.restoreAllMocks();
      for (const base of bases) releasePorts(base, 64);
    }
  });
});
