import { describe, expect, it } from 'vitest';
import { logGamma, samplePoissonFast } from './poisson.js';
import { createSeededRng } from './rng.js';

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
