/** Small numeric helpers of the pacing core (no dependencies, deterministic). */

/**
 * Standard normal CDF. erfc by the rational Chebyshev fit of Numerical Recipes (`erfcc`,
 * fractional error below 1.2e-7 everywhere): accurate far enough into the tails for risks of
 * a few per thousand.
 */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r / 2 : r / 2;
}

/** P(X ≤ x) for log-normal X with log-mean mu and log-sd sigma. */
export function lognormalCdf(x: number, mu: number, sigma: number): number {
  if (x <= 0) return 0;
  return normalCdf((Math.log(x) - mu) / sigma);
}

/** P(X ≤ a + h | X > a) for log-normal X. */
export function lognormalConditional(a: number, h: number, mu: number, sigma: number): number {
  if (h <= 0) return 0;
  const fa = lognormalCdf(a, mu, sigma);
  const fb = lognormalCdf(a + h, mu, sigma);
  const tail = 1 - fa;
  if (tail < 1e-9) return 1; // far past every expected end: it ends any moment now
  return Math.min(1, Math.max(0, (fb - fa) / tail));
}

/** Log-normal parameters from a mean and a coefficient of variation. */
export function lognormalFromMean(mean: number, cv: number): { mu: number; sigma: number } {
  const sigma2 = Math.log(1 + cv * cv);
  return { mu: Math.log(mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
