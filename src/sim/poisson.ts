/**
 * An exact Poisson sampler fast enough for the event loop (one draw per simulated second):
 * Knuth's product of uniforms below a mean of 10, Hörmann's PTRS (transformed rejection with
 * squeeze, about 2.5 uniforms per draw whatever the mean) from 10 up.
 *
 * @see W. Hörmann, "The transformed rejection method for generating Poisson random variables",
 *   Insurance: Mathematics and Economics 12 (1993); numpy's `random_poisson_ptrs`
 */
import type { Rng } from '../core/index.js';

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

/** ln k! for small k, filled on demand with `logGamma(k + 1)` (so identical to it). */
const LOG_FACTORIAL_SIZE = 1024;
const logFactorialTable = new Float64Array(LOG_FACTORIAL_SIZE).fill(Number.NaN);

/**
 * ln k! for an integer k ≥ 0: `logGamma(k + 1)`, bit for bit, from a table below 1024.
 *
 * @example logFactorial(4); // -> 3.1780538 (ln 24)
 */
export function logFactorial(k: number): number {
  if (k >= LOG_FACTORIAL_SIZE) return logGamma(k + 1);
  let v = logFactorialTable[k]!;
  if (v !== v) {
    v = logGamma(k + 1);
    logFactorialTable[k] = v;
  }
  return v;
}

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
  // needed only after the squeeze fails (about 2 draws in 5), so they are computed then.
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
    if (Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b) <= -mean + k * logLam - logFactorial(k)) return k;
  }
}

const TWO_POW_MINUS_32 = 1 / 4294967296;

/** mulberry32's output for the (already advanced) state `s`, as `createSeededRng` computes it. */
function mulberry32(s: number): number {
  let t = Math.imul(s ^ (s >>> 15), 1 | s);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  // × 2^-32 is exact, so this equals createSeededRng's `/ 4294967296`, without a division.
  return ((t ^ (t >>> 14)) >>> 0) * TWO_POW_MINUS_32;
}

/**
 * `samplePoissonFast` fused with its own mulberry32 stream (the generator of `createSeededRng`):
 * `new PoissonSampler(seed).draw(mean)` returns exactly what
 * `samplePoissonFast(createSeededRng(seed), mean)` would, call for call. Faster: no closure
 * call per uniform, and PTRS's final test takes one `Math.exp` where `samplePoissonFast` takes
 * up to four logs (see `#accept`). The event loop draws one count per
 * simulated second with it.
 */
export class PoissonSampler {
  /** mulberry32's state: an Int32Array keeps it unboxed (a class field holding int32 is slower). */
  readonly #state = new Int32Array(1);
  // PTRS setup of the last mean ≥ 10 (traffic often holds one rate for a while); NaN: not yet.
  #mean = Number.NaN;
  #a = 0;
  #b = 0;
  #vr = 0;
  #invAlpha = Number.NaN;
  #logLam = Number.NaN;
  #logInvAlpha = Number.NaN;
  // Knuth's exp(−mean) of the last mean below 10.
  #knuthMean = Number.NaN;
  #limit = 0;
  /** Multiplies the band within which the log form decides (tests widen it). */
  readonly #bandScale: number;

  /**
   * @param options.bandScale widens (> 1) the band where PTRS's test falls back to the log form
   *   of `samplePoissonFast`; the draws are the same for any value ≥ 1 (tests use this to
   *   exercise that path)
   * @throws {RangeError} when `seed` is not a finite number (as `createSeededRng`)
   */
  constructor(seed: number, options: { bandScale?: number } = {}) {
    if (!Number.isFinite(seed)) {
      throw new RangeError(`Cannot create a seeded RNG as 'seed' must be a finite number: got ${seed}`);
    }
    this.#state[0] = Math.trunc(seed) >>> 0;
    this.#bandScale = Math.max(1, options.bandScale ?? 1);
  }

  /** The next uniform in [0, 1) of the stream (mulberry32, as `createSeededRng`). */
  uniform(): number {
    const state = this.#state;
    const s = (state[0]! + 0x6d2b79f5) | 0;
    state[0] = s;
    return mulberry32(s);
  }

  /**
   * Draws a Poisson count with the given mean (0 for a mean ≤ 0).
   *
   * @example new PoissonSampler(1).draw(20); // -> a count around 20
   */
  draw(mean: number): number {
    if (!(mean > 0)) return 0;
    // The generator's state stays in a local for the draw (stored back before returning).
    const state = this.#state;
    let s = state[0]!;
    if (mean < 10) {
      let limit = this.#limit;
      if (mean !== this.#knuthMean) {
        limit = Math.exp(-mean);
        this.#knuthMean = mean;
        this.#limit = limit;
      }
      let k = 0;
      s = (s + 0x6d2b79f5) | 0;
      let p = mulberry32(s);
      while (p > limit) {
        k++;
        s = (s + 0x6d2b79f5) | 0;
        p *= mulberry32(s);
      }
      state[0] = s;
      return k;
    }
    if (mean !== this.#mean) {
      this.#mean = mean;
      const b = 0.931 + 2.53 * Math.sqrt(mean);
      this.#b = b;
      this.#a = -0.059 + 0.02483 * b;
      this.#vr = 0.9277 - 3.6224 / (b - 2);
      this.#invAlpha = Number.NaN;
      this.#logLam = Number.NaN;
      this.#logInvAlpha = Number.NaN;
    }
    const a = this.#a;
    const b = this.#b;
    const vr = this.#vr;
    for (;;) {
      s = (s + 0x6d2b79f5) | 0;
      const u = mulberry32(s) - 0.5;
      s = (s + 0x6d2b79f5) | 0;
      const v = mulberry32(s);
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) {
        state[0] = s;
        return k;
      }
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (this.#accept(mean, k, v, us)) {
        state[0] = s;
        return k;
      }
    }
  }

  /**
   * PTRS's final test `ln v + ln(1/α) − ln(a/us² + b) ≤ rhs` with `rhs = −mean + k ln mean − ln k!`
   * computed as `samplePoissonFast` does, decided in the linear domain
   * (`v/α / (a/us² + b)` against `e^rhs`: one `Math.exp`) when the sides differ by more than
   * 1e-12 relative, far beyond the ~1e-14 rounding of the left side's logs; inside that band the
   * log form decides, so the answer is always the one `samplePoissonFast` gives.
   */
  #accept(mean: number, k: number, v: number, us: number): boolean {
    let invAlpha = this.#invAlpha;
    if (invAlpha !== invAlpha) {
      invAlpha = 1.1239 + 1.1328 / (this.#b - 3.4);
      this.#invAlpha = invAlpha;
    }
    let logLam = this.#logLam;
    if (logLam !== logLam) {
      logLam = Math.log(mean);
      this.#logLam = logLam;
    }
    const rhs = -mean + k * logLam - logFactorial(k);
    const x = this.#a / (us * us) + this.#b;
    const y = (v * invAlpha) / x;
    const e = Math.exp(rhs);
    const band = 1e-12 * this.#bandScale;
    if (y < e * (1 - band)) return true;
    if (y > e * (1 + band)) return false;
    let logInvAlpha = this.#logInvAlpha;
    if (logInvAlpha !== logInvAlpha) {
      logInvAlpha = Math.log(invAlpha);
      this.#logInvAlpha = logInvAlpha;
    }
    return Math.log(v) + logInvAlpha - Math.log(x) <= rhs;
  }
}
