/**
 * Seeded randomness for the simulator, written out rather than taken from a package: a change in a
 * dependency's stream would silently change every simulated campaign, and "same seed, same output,
 * byte for byte" is a promise the tests keep. Two standard algorithms, a few lines each:
 *
 * - xoshiro128** (Blackman and Vigna, 2018; https://prng.di.unimi.it/xoshiro128starstar.c), seeded
 *   through splitmix32, for sequences (building a scenario).
 * - A counter-based hash (the 32-bit finalizer of MurmurHash3, applied in a chain) for draws named by
 *   what they are about — "the 3rd attempt on contact 1041, its ring time" — so every policy meets
 *   the same callees and the same talk times in the same order (common random numbers: the
 *   comparison between policies is not drowned by luck).
 */

function splitmix32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    const sm = splitmix32(seed);
    this.s0 = sm();
    this.s1 = sm();
    this.s2 = sm();
    this.s3 = sm();
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r >>> 0;
  }

  /** Uniform in (0, 1). */
  next(): number {
    return (this.nextU32() + 0.5) / 4294967296;
  }

  normal(): number {
    return boxMuller(this.next(), this.next());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform in (0, 1) named by the seed and up to three integers. */
export function draw(seed: number, a: number, b: number, c: number): number {
  let h = fmix(seed ^ 0x9e3779b9);
  h = fmix(h ^ Math.imul(a | 0, 0xcc9e2d51));
  h = fmix(h ^ Math.imul(b | 0, 0x1b873593));
  h = fmix((h + Math.imul(c | 0, 0xe6546b64)) | 0);
  return (h + 0.5) / 4294967296;
}

/** A standard normal from two uniforms (Box-Muller). */
export function boxMuller(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A log-normal draw with the given mean and coefficient of variation, from two uniforms. */
export function lognormal(mean: number, cv: number, u1: number, u2: number): number {
  if (cv <= 0) return mean;
  const s2 = Math.log(1 + cv * cv);
  return Math.exp(Math.log(mean) - s2 / 2 + Math.sqrt(s2) * boxMuller(u1, u2));
}
