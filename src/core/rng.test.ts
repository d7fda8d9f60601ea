import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createSeededRng,
  POISSON_NORMAL_THRESHOLD,
  sampleExponential,
  sampleLogNormal,
  sampleNormal,
  samplePoisson,
  type Rng,
} from '../core/rng.js';

function draws(rng: Rng, n: number, sample: (rng: Rng) => number): number[] {
  return Array.from({ length: n }, () => sample(rng));
}
const meanOf = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const varianceOf = (xs: readonly number[]): number => {
  const m = meanOf(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};

describe('createSeededRng()', () => {
  it('returns the published mulberry32 stream for seed 42', () => {
    const rng = createSeededRng(42);
    expect(rng()).toBe(0.6011037519201636);
  });

  it('returns the same stream for the same seed and another for another seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const a = createSeededRng(seed);
        const b = createSeededRng(seed);
        const c = createSeededRng(seed + 1);
        const xs = [a(), a(), a()];
        expect([b(), b(), b()]).toEqual(xs);
        expect([c(), c(), c()]).not.toEqual(xs);
      }),
    );
  });

  it('returns floats in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rng = createSeededRng(seed);
        const xs = Array.from({ length: 100 }, rng);
        expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
      }),
    );
  });

  it('has a uniform mean and variance over many draws', () => {
    const xs = draws(createSeededRng(7), 100_000, (r) => r());
    expect(meanOf(xs)).toBeCloseTo(0.5, 2);
    expect(varianceOf(xs)).toBeCloseTo(1 / 12, 2);
  });

  it.each([
    { name: 'NaN', seed: Number.NaN },
    { name: 'Infinity', seed: Infinity },
  ])('throws a RangeError for a seed of $name', ({ seed }) => {
    expect(() => createSeededRng(seed)).toThrow(
      new RangeError(`Cannot create a seeded RNG as 'seed' must be a finite number: got ${seed}`),
    );
  });
});

describe('samplers', () => {
  it.each([
    { name: 'sampleNormal() has the given mean and sd', sample: (r: Rng) => sampleNormal(r, 10, 2), mean: 10, variance: 4 },
    { name: 'sampleExponential() has mean m and variance m²', sample: (r: Rng) => sampleExponential(r, 3), mean: 3, variance: 9 },
    {
      name: 'sampleLogNormal() has mean median·e^(σ²/2)',
      sample: (r: Rng) => sampleLogNormal(r, 2, 0.5),
      mean: 2 * Math.exp(0.125),
      variance: 4 * Math.exp(0.25) * (Math.exp(0.25) - 1),
    },
    { name: 'samplePoisson() with a small mean (exact)', sample: (r: Rng) => samplePoisson(r, 3.5), mean: 3.5, variance: 3.5 },
    { name: 'samplePoisson() just below the threshold', sample: (r: Rng) => samplePoisson(r, 29), mean: 29, variance: 29 },
    { name: 'samplePoisson() with a large mean (normal)', sample: (r: Rng) => samplePoisson(r, 1000), mean: 1000, variance: 1000 },
  ])('$name', ({ sample, mean, variance }) => {
    const xs = draws(createSeededRng(123), 50_000, sample);
    // 6 standard errors: deterministic for the seed, and far from flaky if the seed changes.
    expect(Math.abs(meanOf(xs) - mean)).toBeLessThan(6 * Math.sqrt(variance / xs.length));
    expect(varianceOf(xs) / variance).toBeGreaterThan(0.95);
    expect(varianceOf(xs) / variance).toBeLessThan(1.05);
  });

  it('sampleLogNormal() has half its draws below the median', () => {
    const xs = draws(createSeededRng(5), 20_000, (r) => sampleLogNormal(r, 1.5, 0.8));
    expect(xs.filter((x) => x < 1.5).length / xs.length).toBeCloseTo(0.5, 1);
  });

  it('samplePoisson() returns non-negative integers for any mean (property)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0, max: 1e6, noNaN: true }), (seed, mean) => {
        const k = samplePoisson(createSeededRng(seed), mean);
        expect(Number.isInteger(k)).toBe(true);
        expect(k).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('samplePoisson() mean ≈ rate within 5 standard errors (property)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0.1, max: 5000, noNaN: true }), (seed, mean) => {
        const rng = createSeededRng(seed);
        const n = 2000;
        let sum = 0;
        for (let i = 0; i < n; i++) sum += samplePoisson(rng, mean);
        // The normal approximation rounds; allow its 0.5 bias on top of sampling error.
        expect(Math.abs(sum / n - mean)).toBeLessThan(5 * Math.sqrt(mean / n) + (mean >= POISSON_NORMAL_THRESHOLD ? 0.05 : 0));
      }),
      { numRuns: 50 },
    );
  });

  it('samplePoisson() and sampleExponential() return 0 for a mean of 0', () => {
    const rng = createSeededRng(1);
    expect(samplePoisson(rng, 0)).toBe(0);
    expect(sampleExponential(rng, 0)).toBe(0);
  });

  it.each([
    { name: 'samplePoisson() with a negative mean', call: (r: Rng) => samplePoisson(r, -1), message: "Cannot sample a Poisson count as 'mean' must be a finite number ≥ 0: got -1" },
    { name: 'samplePoisson() with NaN', call: (r: Rng) => samplePoisson(r, Number.NaN), message: "Cannot sample a Poisson count as 'mean' must be a finite number ≥ 0: got NaN" },
    { name: 'sampleExponential() with Infinity', call: (r: Rng) => sampleExponential(r, Infinity), message: "Cannot sample an exponential as 'mean' must be a finite number ≥ 0: got Infinity" },
    { name: 'sampleLogNormal() with median 0', call: (r: Rng) => sampleLogNormal(r, 0, 1), message: "Cannot sample a log-normal as 'median' must be a finite number > 0: got 0" },
    { name: 'sampleLogNormal() with a negative sigma', call: (r: Rng) => sampleLogNormal(r, 1, -1), message: "Cannot sample a log-normal as 'sigma' must be a finite number ≥ 0: got -1" },
  ])('$name throws a RangeError', ({ call, message }) => {
    expect(() => call(createSeededRng(1))).toThrow(new RangeError(message));
  });
});
