/**
 * An exact Poisson sampler fast enough for the event loop (one draw per simulated second):
 * Knuth's product of uniforms below a mean of 10, Hörmann's PTRS (transformed rejection with
 * squeeze, about 2.5 uniforms per draw whatever the mean) from 10 up.
 *
 * @see W. Hörmann, "The transformed rejection method for generating Poisson random variables",
 *   Insurance: Mathematics and Economics 12 (1993); numpy's `random_poisson_ptrs`
 */
import type { Rng } from './rng.js';

const LOGGAM_A = [
  8.333333333333333e-2, -2.777777777777778e-3, 7.936507936507937e-4, -5.952380952380952e-4, 8.417508417508418e-4,
  -1.917526917526918e-3, 6.41025641025641e-3, -2.955065359477124e-2, 1.796443723688307e-1, -1.3924322169059,
] as const;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Γ(x) for x > 0 (Stirling series with upward recurrence below 7, as numpy's `loggam`).
 *
 * @example logGamma(5); // -> 3.1780538 (ln 24)
 */
export function logGamma(x: number): number {
  if (x === 1 || x === 2) return 0;
  let x0 = x;
  let n = 0;
  if (x <= 7) {
    n = Math.floor(7 - x);
    x0 = x + n;
  }
  const x2 = 1 / (x0 * x0);
  let gl0 = LOGGAM_A[9];
  for (let k = 8; k >= 0; k--) gl0 = gl0 * x2 + LOGGAM_A[k]!;
  let gl = gl0 / x0 + HALF_LOG_2PI + (x0 - 0.5) * Math.log(x0) - x0;
  for (let k = 1; k <= n; k++) {
    gl -= Math.log(x0 - 1);
    x0 -= 1;
  }
  return gl;
}

const cache = { mean: Number.NaN, logLam: 0, a: 0, b: 0, logInvAlpha: 0, vr: 0 };

/**
 * Draws a Poisson count with the given mean (0 for a mean ≤ 0).
 *
 * @example samplePoissonFast(createSeededRng(1), 20); // -> a count around 20
 */
export function samplePoissonFast(rng: Rng, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean < 10) {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = rng();
    while (p > limit) {
      k++;
      p *= rng();
    }
    return k;
  }
  // The setup depends on the mean only; traffic often holds one rate for a while. The logs are
  // needed only after the squeeze fails (about 1 draw in 7), so they are computed then.
  if (mean !== cache.mean) {
    cache.mean = mean;
    const b = 0.931 + 2.53 * Math.sqrt(mean);
    cache.b = b;
    cache.a = -0.059 + 0.02483 * b;
    cache.vr = 0.9277 - 3.6224 / (b - 2);
    cache.logLam = Number.NaN;
  }
  const { a, b, vr } = cache;
  for (;;) {
    const u = rng() - 0.5;
    const v = rng();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (cache.logLam !== cache.logLam) {
      cache.logLam = Math.log(mean);
      cache.logInvAlpha = Math.log(1.1239 + 1.1328 / (b - 3.4));
    }
    const { logLam, logInvAlpha } = cache;
    if (Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b) <= -mean + k * logLam - logGamma(k + 1)) return k;
  }
}
