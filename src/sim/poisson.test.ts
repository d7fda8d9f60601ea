import { describe, expect, it } from 'vitest';
import { logFactorial, logGamma, PoissonSampler, samplePoissonFast } from './poisson.js';
import { createSeededRng } from '../core/index.js';

describe('logGamma()', () => {
  it.each([
    { x: 1, want: 0 },
    { x: 2, want: 0 },
    { x: 5, want: Math.log(24) },
    { x: 11, want: Math.log(3_628_800) },
    { x: 0.5, want: Math.log(Math.sqrt(Math.PI)) },
    { x: 101, want: 363.73937555556347 },
  ])('ln Γ($x)', ({ x, want }) => {
    expect(logGamma(x)).toBeCloseTo(want, 9);
  });
});

describe('samplePoissonFast()', () => {
  it.each([0.3, 3, 9.99, 10, 25, 120, 2000])('has mean and variance equal to %d', (mean) => {
    const rng = createSeededRng(42);
    const n = 40_000;
    let sum = 0;
    let sq = 0;
    let counts = true;
    for (let i = 0; i < n; i++) {
      const k = samplePoissonFast(rng, mean);
      counts &&= Number.isInteger(k) && k >= 0;
      sum += k;
      sq += k * k;
    }
    expect(counts).toBe(true);
    const m = sum / n;
    const v = sq / n - m * m;
    // Standard error of the mean is sqrt(mean / n); allow 5 of them.
    expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(mean / n) + 1e-9);
    expect(Math.abs(v - mean) / mean).toBeLessThan(0.05);
  });

  it('returns 0 for a mean of 0 or below without drawing', () => {
    let calls = 0;
    const rng = () => {
      calls++;
      return 0.5;
    };
    expect([samplePoissonFast(rng, 0), samplePoissonFast(rng, -1)]).toEqual([0, 0]);
    expect(calls).toBe(0);
  });

  it('is deterministic for a seed', () => {
    const draw = () => {
      const rng = createSeededRng(7);
      return Array.from({ length: 20 }, (_, i) => samplePoissonFast(rng, 5 + i * 3));
    };
    expect(draw()).toEqual(draw());
  });
});

describe('logFactorial()', () => {
  it('equals logGamma(k + 1) bit for bit, in and beyond the table', () => {
    for (const k of [0, 1, 2, 3, 10, 57, 1023, 1024, 5000]) expect(logFactorial(k)).toBe(logGamma(k + 1));
  });
});

describe('PoissonSampler', () => {
  it.each([
    { name: 'small means (Knuth)', means: [0.2, 1, 4.5, 9.999] },
    { name: 'large means (PTRS)', means: [10, 12.5, 45, 300, 5000] },
    { name: 'a diurnal sweep', means: Array.from({ length: 400 }, (_, i) => 25 + 20 * Math.cos(i / 30)) },
    { name: 'zero and negative means', means: [0, -1, 3, 0, 20] },
  ])('draws exactly what samplePoissonFast draws from createSeededRng: $name', ({ means }) => {
    for (const seed of [1, 7, 2 ** 32 + 5, -3]) {
      const rng = createSeededRng(seed);
      const sampler = new PoissonSampler(seed);
      const want: number[] = [];
      const got: number[] = [];
      for (let rep = 0; rep < 20; rep++) {
        for (const m of means) {
          want.push(samplePoissonFast(rng, m));
          got.push(sampler.draw(m));
        }
      }
      expect(got).toEqual(want);
      expect(sampler.uniform()).toBe(rng());
    }
  });

  it('agrees with samplePoissonFast over 200,000 draws of random means (both PTRS tests exercised)', () => {
    const pick = createSeededRng(123);
    const rng = createSeededRng(5);
    const sampler = new PoissonSampler(5);
    let mismatches = 0;
    for (let i = 0; i < 200_000; i++) {
      const r = pick();
      const mean = r < 0.3 ? r * 33 : r < 0.9 ? 10 + (r - 0.3) * 200 : (r - 0.9) * 1e5;
      const repeat = pick() < 0.2 ? 3 : 1; // the same mean again: the cached setup
      for (let j = 0; j < repeat; j++) if (sampler.draw(mean) !== samplePoissonFast(rng, mean)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('draws the same when the log form decides nearly every final test (wide band)', () => {
    const pick = createSeededRng(9);
    const rng = createSeededRng(11);
    const sampler = new PoissonSampler(11, { bandScale: 1e11 });
    let mismatches = 0;
    for (let i = 0; i < 50_000; i++) {
      const r = pick();
      const mean = 10 + r * 100;
      if (sampler.draw(mean) !== samplePoissonFast(rng, mean)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('rejects a non-finite seed as createSeededRng does', () => {
    expect(() => new PoissonSampler(Number.NaN)).toThrow(RangeError);
  });
});
