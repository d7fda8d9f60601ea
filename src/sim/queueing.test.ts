import { describe, expect, it } from 'vitest';
import { confirmTarget } from './confirm-target.js';
import { erlangC, maxTargetForSlo, MgcQueue, scaleServiceTime } from './queueing.js';

/** Erlang C by its textbook sum, for comparison with the recurrence. */
function erlangCBySum(c: number, a: number): number {
  let sum = 0;
  let term = 1;
  for (let k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  const top = (term * c) / (c - a);
  return top / (sum + top);
}

describe('erlangC()', () => {
  it.each([
    { name: 'M/M/1 waits with probability ρ', c: 1, a: 0.5, want: 0.5 },
    { name: 'two servers at one erlang', c: 2, a: 1, want: 1 / 3 },
    { name: 'three servers at two erlangs', c: 3, a: 2, want: 4 / 9 },
    { name: 'five servers at four erlangs (tables: 0.5541)', c: 5, a: 4, want: 0.554113 },
    { name: 'ten servers at eight erlangs (tables: 0.4092)', c: 10, a: 8, want: 0.409180 },
    { name: 'no load never waits', c: 4, a: 0, want: 0 },
    { name: 'an unstable queue always waits', c: 4, a: 4, want: 1 },
  ])('$name', ({ c, a, want }) => {
    expect(erlangC(c, a)).toBeCloseTo(want, 5);
  });

  it('agrees with the textbook sum up to 100 servers', () => {
    for (const c of [1, 2, 7, 20, 100]) for (const rho of [0.1, 0.5, 0.9, 0.99]) expect(erlangC(c, c * rho)).toBeCloseTo(erlangCBySum(c, c * rho), 10);
  });

  it('rejects a non-integer server count with the field named', () => {
    expect(() => erlangC(1.5, 1)).toThrow(new RangeError("Cannot compute Erlang C as 'servers' must be an integer ≥ 1: current value is 1.5"));
  });
});

describe('MgcQueue', () => {
  const exp1 = { distribution: 'exponential', meanSeconds: 1 } as const;

  it('gives the exact M/M/1 response-time percentile (exponential with rate μ − λ)', () => {
    const p = new MgcQueue({ concurrency: 1, serviceTime: exp1 }).at(0.5, 0.95);
    expect(p.latencySeconds).toBeCloseTo(Math.log(20) / 0.5, 3);
    expect(p.meanActive).toBeCloseTo(1, 10); // ρ / (1 − ρ)
  });

  it('gives the M/M/c mean in system by Little (c = 2, a = 1: L = a + C·a/(c − a))', () => {
    const p = new MgcQueue({ concurrency: 2, serviceTime: exp1 }).at(1, 0.5);
    expect(p.meanActive).toBeCloseTo(1 + (1 / 3) * 1, 10);
  });

  it('inverts the mean active requests into an arrival rate', () => {
    const q = new MgcQueue({ concurrency: 8, serviceTime: { distribution: 'lognormal', medianSeconds: 0.88, sigma: 0.5 } });
    for (const l of [1, 5, 8, 20]) expect(q.at(q.rateForActive(l), 0.95).meanActive).toBeCloseTo(l, 6);
  });
});

describe('maxTargetForSlo()', () => {
  it.each([
    { name: 'exponential 1 s, 8 at once, p95 ≤ 5 s', serviceTime: { distribution: 'exponential', meanSeconds: 1 } as const, want: 13 },
    { name: 'the seed worker (lognormal, mean 1 s), p95 ≤ 5 s', serviceTime: { distribution: 'lognormal', medianSeconds: 0.88, sigma: 0.5 } as const, want: 16 },
  ])('$name', ({ serviceTime, want }) => {
    const r = maxTargetForSlo({ concurrency: 8, serviceTime, percentile: 0.95, sloSeconds: 5 });
    expect(r.target).toBe(want);
    expect(r.at!.latencySeconds).toBeLessThanOrEqual(5);
    expect(r.next.latencySeconds).toBeGreaterThan(5);
  });

  it('returns null when the service time alone misses the SLO', () => {
    expect(maxTargetForSlo({ concurrency: 8, serviceTime: { distribution: 'fixed', meanSeconds: 6 }, percentile: 0.95, sloSeconds: 5 }).target).toBeNull();
  });

  it('lowers the target for slower models (the seed: larger models, lower target)', () => {
    const base = { distribution: 'lognormal', medianSeconds: 0.88, sigma: 0.5 } as const;
    const targets = [0.5, 1, 2].map((f) => maxTargetForSlo({ concurrency: 8, serviceTime: scaleServiceTime(base, f), percentile: 0.95, sloSeconds: 5 }).target!);
    expect(targets[0]).toBeGreaterThan(targets[1]!);
    expect(targets[1]).toBeGreaterThan(targets[2]!);
  });
});

describe('confirmTarget()', () => {
  it('the simulator keeps the SLO at the target the model gives for a slow model', () => {
    // Mean 2 s, 8 at once, p95 ≤ 5 s: the model's target stays at the concurrency, where the
    // simulator's pods are not saturated.
    const serviceTime = { distribution: 'lognormal', medianSeconds: 1.76, sigma: 0.5 } as const;
    const model = maxTargetForSlo({ concurrency: 8, serviceTime, percentile: 0.95, sloSeconds: 5 });
    expect(model.target).toBe(8);
    const sim = confirmTarget({ concurrency: 8, serviceTime, target: model.target!, durationSeconds: 3600 });
    expect(sim.latencyP95Seconds).toBeLessThanOrEqual(5);
    expect(sim.dropped).toBe(0);
  });
});
