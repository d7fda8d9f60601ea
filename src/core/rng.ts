/**
 * Seeded randomness for the simulator: a `Rng` has the contract of `Math.random` (a float in
 * [0, 1)), so code takes it as a capability and a run is reproducible from its seed.
 */

/** A source of uniform floats in [0, 1), same contract as `Math.random`. */
export type Rng = () => number;

/**
 * Creates a fast deterministic `Rng` (mulberry32: 32-bit state, period 2^32, passes
 * gjrand/PractRand up to 2^32 outputs, ~2 ns per call). The seed is truncated to an unsigned
 * 32-bit integer, so `1` and `1.5` give the same stream and `2 ** 32 + 1` equals `1`.
 *
 * @throws {RangeError} when `seed` is not a finite number
 * @example
 * const rng = createSeededRng(42);
 * rng(); // -> 0.6011037519201636 (always, for seed 42)
 * @see https://gist.github.com/tommyettinger/46a874533244883189143505d203312c (mulberry32)
 */
export function createSeededRng(seed: number): Rng {
  if (!Number.isFinite(seed)) {
    throw new RangeError(`Cannot create a seeded RNG as 'seed' must be a finite number: got ${seed}`);
  }
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Draws from a normal distribution (Box-Muller, two uniforms per draw, no cached spare so the
 * stream consumed per call is always the same).
 *
 * @example sampleNormal(createSeededRng(1), 10, 2); // -> a number around 10
 */
export function sampleNormal(rng: Rng, mean = 0, sd = 1): number {
  // 1 - u keeps the log argument in (0, 1].
  const u1 = 1 - rng();
  const u2 = rng();
  return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * Draws from an exponential distribution with the given mean (inter-arrival times of a Poisson
 * process with rate `1 / mean`). Returns 0 when `mean` is 0.
 *
 * @throws {RangeError} when `mean` is negative or not finite
 * @example sampleExponential(rng, 2); // -> e.g. 1.37, mean 2 over many draws
 */
export function sampleExponential(rng: Rng, mean: number): number {
  if (!(mean >= 0) || mean === Infinity) {
    throw new RangeError(`Cannot sample an exponential as 'mean' must be a finite number ≥ 0: got ${mean}`);
  }
  return -mean * Math.log(1 - rng());
}

/**
 * Draws from a log-normal distribution given its median (`e^mu`) and `sigma` (the standard
 * deviation of the underlying normal): a good model of service times with a long right tail.
 *
 * @throws {RangeError} when `median` is not > 0 or `sigma` is negative
 * @example sampleLogNormal(rng, 1.5, 0.4); // -> e.g. 1.21; half the draws are below 1.5
 */
export function sampleLogNormal(rng: Rng, median: number, sigma: number): number {
  if (!(median > 0) || median === Infinity) {
    throw new RangeError(`Cannot sample a log-normal as 'median' must be a finite number > 0: got ${median}`);
  }
  if (!(sigma >= 0) || sigma === Infinity) {
    throw new RangeError(`Cannot sample a log-normal as 'sigma' must be a finite number ≥ 0: got ${sigma}`);
  }
  return median * Math.exp(sigma * sampleNormal(rng));
}

/**
 * Mean above which `samplePoisson` switches from Knuth's exact method (O(mean) uniforms) to a
 * normal approximation (2 uniforms); at 30 the approximation's skew error is below 2%.
 */
export const POISSON_NORMAL_THRESHOLD = 30;

/**
 * Draws a Poisson-distributed integer with the given mean: exact (Knuth) below
 * `POISSON_NORMAL_THRESHOLD`, otherwise `round(N(mean, sqrt(mean)))` clamped at 0, which keeps the
 * cost constant for the large means of busy services (1000 rps).
 *
 * @throws {RangeError} when `mean` is negative or not finite
 * @example samplePoisson(createSeededRng(7), 4); // -> an integer, 4 on average
 * @see https://en.wikipedia.org/wiki/Poisson_distribution#Random_variate_generation
 */
export function samplePoisson(rng: Rng, mean: number): number {
  if (!(mean >= 0) || mean === Infinity) {
    throw new RangeError(`Cannot sample a Poisson count as 'mean' must be a finite number ≥ 0: got ${mean}`);
  }
  if (mean === 0) return 0;
  if (mean < POISSON_NORMAL_THRESHOLD) {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = rng();
    while (p > limit) {
      k++;
      p *= rng();
    }
    return k;
  }
  const k = Math.round(sampleNormal(rng, mean, Math.sqrt(mean)));
  return k < 0 ? 0 : k;
}
