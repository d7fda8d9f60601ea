import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benchTraffic } from '../../bench/traffic.js';
import { createSeededRng } from '../core/index.js';
import { createTraffic, sampleArrivals, type Traffic } from './traffic.js';
import type { TracePoint, TrafficSpecInput } from './traffic-schema.js';

interface ShapeCase {
  readonly name: string;
  readonly spec: TrafficSpecInput;
  readonly points?: readonly TracePoint[];
  readonly at: readonly (readonly [tSeconds: number, rps: number])[];
}

const HOUR = 3600;
const shapes: ShapeCase[] = [
  {
    name: 'traffic-spike: base, ramp, peak at start+ramp, hold, decay, base (defaults)',
    spec: { type: 'traffic-spike' },
    at: [[0, 10], [299, 10], [300, 10], [315, 25], [330, 40], [929, 40], [930, 40], [960, 25], [990, 10], [5000, 10]],
  },
  {
    name: 'traffic-spike: zero ramp and decay jump at once',
    spec: { type: 'traffic-spike', baseRps: 1, peakRps: 9, startSeconds: 10, rampSeconds: 0, holdSeconds: 5, decaySeconds: 0 },
    at: [[9.999, 1], [10, 9], [14.999, 9], [15, 1]],
  },
  {
    name: 'gradual-decline: linear from 45 to 5 over an hour (defaults)',
    spec: { type: 'gradual-decline' },
    at: [[0, 45], [300, 45], [300 + 1800, 25], [300 + HOUR, 5], [10 * HOUR, 5]],
  },
  {
    name: 'off-hours: night wraps midnight with 10 min transitions (defaults)',
    spec: { type: 'off-hours' },
    at: [[12 * HOUR, 30], [22 * HOUR, 30], [22 * HOUR + 300, 15], [22 * HOUR + 600, 0], [0, 0], [3 * HOUR, 0], [6 * HOUR, 0], [6 * HOUR + 300, 15], [6 * HOUR + 600, 30], [24 * HOUR + 3 * HOUR, 0], [48 * HOUR + 12 * HOUR, 30]],
  },
  {
    name: 'off-hours: a night inside the period, without transition',
    spec: { type: 'off-hours', dayRps: 8, nightRps: 2, nightStartSeconds: 100, nightEndSeconds: 200, periodSeconds: 1000, transitionSeconds: 0 },
    at: [[99, 8], [100, 2], [199, 2], [200, 8], [1100, 2], [-900, 2]],
  },
  {
    name: 'diurnal: max at peakAt, min half a period later, mid in between',
    spec: { type: 'diurnal', minRps: 10, maxRps: 30, peakAtSeconds: 14 * HOUR },
    at: [[14 * HOUR, 30], [2 * HOUR, 10], [8 * HOUR, 20], [20 * HOUR, 20], [38 * HOUR, 30]],
  },
  {
    name: 'step: 0 before the first step, then each step holds',
    spec: { type: 'step', steps: [{ atSeconds: 60, rps: 10 }, { atSeconds: 120, rps: 30 }, { atSeconds: 600, rps: 5 }] },
    at: [[0, 0], [59.9, 0], [60, 10], [119, 10], [120, 30], [599, 30], [600, 5], [1e6, 5]],
  },
  {
    name: 'step: initialRps before the first step',
    spec: { type: 'step', initialRps: 4, steps: [{ atSeconds: 10, rps: 8 }] },
    at: [[0, 4], [10, 8]],
  },
  {
    name: 'ramp: linear between start and start+duration',
    spec: { type: 'ramp', fromRps: 10, toRps: 20, startSeconds: 100, durationSeconds: 100 },
    at: [[0, 10], [150, 15], [200, 20], [500, 20]],
  },
  {
    name: 'trace (linear): interpolates, holds the ends',
    spec: { type: 'trace', points: [{ t: 10, rps: 0 }, { t: 20, rps: 10 }, { t: 40, rps: 30 }] },
    at: [[0, 0], [10, 0], [15, 5], [20, 10], [30, 20], [40, 30], [100, 30]],
  },
  {
    name: 'trace (step): holds each sample until the next',
    spec: { type: 'trace', interpolation: 'step', points: [{ t: 0, rps: 3 }, { t: 10, rps: 7 }] },
    at: [[5, 3], [9.99, 3], [10, 7], [99, 7]],
  },
  {
    name: 'trace with repeatSeconds: replays and closes the loop to the first value',
    spec: { type: 'trace', repeatSeconds: 100, points: [{ t: 0, rps: 10 }, { t: 50, rps: 60 }] },
    at: [[25, 35], [50, 60], [75, 35], [100, 10], [125, 35], [1050, 60]],
  },
  {
    name: 'trace from a file: uses options.points',
    spec: { type: 'trace', file: 'day.csv' },
    points: [{ t: 0, rps: 2 }, { t: 10, rps: 4 }],
    at: [[5, 3]],
  },
  {
    name: 'prometheus: uses options.points',
    spec: { type: 'prometheus', url: 'http://127.0.0.1:9090', query: 'up', interpolation: 'step' },
    points: [{ t: 0, rps: 2 }, { t: 60, rps: 4 }],
    at: [[59, 2], [60, 4]],
  },
  {
    name: 'scale multiplies every rate',
    spec: { type: 'traffic-spike', scale: 2 },
    at: [[0, 20], [330, 80]],
  },
];

describe('createTraffic()', () => {
  it.each(shapes)('$name', ({ spec, points, at }) => {
    const traffic = createTraffic(spec, points === undefined ? {} : { points });
    for (const [t, want] of at) expect([t, traffic.rpsAt(t)]).toEqual([t, expect.closeTo(want, 9)]);
  });

  it.each([
    { name: 'a trace file', spec: { type: 'trace', file: 'day.csv' } as const, message: "Cannot create 'trace' traffic from file 'day.csv': the caller must load it and pass 'options.points'" },
    {
      name: 'a prometheus query',
      spec: { type: 'prometheus', url: 'http://p:9090', query: 'sum(up)' } as const,
      message: "Cannot create 'prometheus' traffic from query 'sum(up)': the caller must load it and pass 'options.points'",
    },
  ])('throws a TypeError for $name without points', ({ spec, message }) => {
    expect(() => createTraffic(spec)).toThrow(new TypeError(message));
  });

  it.each([
    { name: 'no points', points: [], message: "Cannot create trace traffic as 'points' must list at least one sample: got none" },
    { name: 'repeated times', points: [{ t: 0, rps: 1 }, { t: 0, rps: 2 }], message: "Cannot create trace traffic as 'points[1].t' must be finite and > 0: got 0" },
    { name: 'a negative rate', points: [{ t: 0, rps: -1 }], message: "Cannot create trace traffic as 'points[0].rps' must be a finite number ≥ 0: got -1" },
  ])('throws a RangeError for $name', ({ points, message }) => {
    expect(() => createTraffic({ type: 'trace', file: 'x.csv' }, { points })).toThrow(new RangeError(message));
  });

  it('throws an InputError for an invalid spec', () => {
    expect(() => createTraffic({ type: 'ramp', toRps: -1 })).toThrow("Cannot load 'traffic' at 'toRps': must be a number from 0 to 1000000 rps (a limit of hpa-lab's workload model): got -1");
  });

  it('returns the mean rate from rpsAt without an rng, even with noise', () => {
    const traffic = createTraffic({ type: 'ramp', fromRps: 7, toRps: 7, noise: { type: 'poisson' } });
    expect(traffic.rpsAt(3.5)).toBe(7);
    expect(traffic.noise).toEqual({ type: 'poisson' });
  });

  it.each([
    { name: 'poisson', noise: { type: 'poisson' } as const },
    { name: 'gaussian', noise: { type: 'gaussian', cv: 0.3 } as const },
  ])('draws $name noise once per second with an rng, averaging to the mean', ({ noise }) => {
    const traffic = createTraffic({ type: 'ramp', fromRps: 50, toRps: 50, noise }, { rng: createSeededRng(9) });
    expect(traffic.rpsAt(10.2)).toBe(traffic.rpsAt(10.7));
    let sum = 0;
    const seconds = 20_000;
    let negatives = 0;
    for (let s = 0; s < seconds; s++) {
      const rps = traffic.rpsAt(s);
      if (rps < 0) negatives++;
      sum += rps;
    }
    expect(negatives).toBe(0);
    expect(sum / seconds).toBeCloseTo(50, 0);
    expect(traffic.meanRpsAt?.(10.2)).toBe(50);
  });
});

/** Reference: the rate at t by linear scan, as the spec defines it. */
function referenceTrace(points: readonly TracePoint[], interpolation: 'step' | 'linear', t: number): number {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (t < first.t) return first.rps;
  if (t >= last.t) return last.rps;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    if (t >= a.t && t < b.t) return interpolation === 'step' ? a.rps : a.rps + ((b.rps - a.rps) * (t - a.t)) / (b.t - a.t);
  }
  throw new Error('unreachable');
}

const traceArbitrary = fc
  .array(fc.record({ dt: fc.double({ min: 0.01, max: 1000, noNaN: true }), rps: fc.double({ min: 0, max: 1e5, noNaN: true }) }), { minLength: 1, maxLength: 60 })
  .map((rows) => {
    let t = -50;
    return rows.map(({ dt, rps }) => ({ t: (t += dt), rps }));
  });

const anySpecArbitrary: fc.Arbitrary<TrafficSpecInput> = fc.oneof(
  fc.record({
    type: fc.constant('traffic-spike' as const),
    baseRps: fc.double({ min: 0, max: 1e4, noNaN: true }),
    peakRps: fc.double({ min: 0, max: 1e4, noNaN: true }),
    startSeconds: fc.double({ min: -1e4, max: 1e4, noNaN: true }),
    rampSeconds: fc.double({ min: 0, max: 1e3, noNaN: true }),
    holdSeconds: fc.double({ min: 0, max: 1e3, noNaN: true }),
    decaySeconds: fc.double({ min: 0, max: 1e3, noNaN: true }),
  }),
  fc.record({
    type: fc.constant('gradual-decline' as const),
    fromRps: fc.double({ min: 0, max: 1e4, noNaN: true }),
    toRps: fc.double({ min: 0, max: 1e4, noNaN: true }),
    declineSeconds: fc.double({ min: 0, max: 1e5, noNaN: true }),
  }),
  fc.record({
    type: fc.constant('off-hours' as const),
    dayRps: fc.double({ min: 0, max: 1e4, noNaN: true }),
    nightRps: fc.double({ min: 0, max: 1e4, noNaN: true }),
    nightStartSeconds: fc.integer({ min: 0, max: 40_000 }),
    nightEndSeconds: fc.integer({ min: 50_000, max: 70_000 }),
    transitionSeconds: fc.integer({ min: 0, max: 9_000 }),
  }),
  fc.record({ type: fc.constant('diurnal' as const), minRps: fc.constant(0), maxRps: fc.double({ min: 0, max: 1e4, noNaN: true }), peakAtSeconds: fc.double({ min: -1e5, max: 1e5, noNaN: true }) }),
  fc.record({
    type: fc.constant('ramp' as const),
    fromRps: fc.double({ min: 0, max: 1e4, noNaN: true }),
    toRps: fc.double({ min: 0, max: 1e4, noNaN: true }),
    durationSeconds: fc.double({ min: 0, max: 1e5, noNaN: true }),
  }),
  fc.record({ type: fc.constant('trace' as const), points: traceArbitrary, interpolation: fc.constantFrom('step' as const, 'linear' as const) }),
);

describe('Traffic properties', () => {
  it('rpsAt() is never negative nor NaN for any spec and time', () => {
    fc.assert(
      fc.property(anySpecArbitrary, fc.array(fc.double({ min: -1e7, max: 1e7, noNaN: true }), { maxLength: 50 }), (spec, times) => {
        const traffic = createTraffic(spec);
        for (const t of times) expect(traffic.rpsAt(t)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('step traffic is constant between consecutive steps', () => {
    fc.assert(
      fc.property(traceArbitrary, fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 1, maxLength: 10 }), (points, fractions) => {
        const traffic = createTraffic({ type: 'step', steps: points.map((p) => ({ atSeconds: p.t, rps: p.rps })) });
        for (let i = 0; i + 1 < points.length; i++) {
          const a = points[i]!;
          const b = points[i + 1]!;
          for (const f of fractions) expect(traffic.rpsAt(a.t + f * (b.t - a.t))).toBe(a.rps);
        }
      }),
    );
  });

  it('linear trace interpolation stays between the neighbouring samples', () => {
    fc.assert(
      fc.property(traceArbitrary, fc.double({ min: 0, max: 1, noNaN: true }), (points, f) => {
        const traffic = createTraffic({ type: 'trace', points });
        for (let i = 0; i + 1 < points.length; i++) {
          const a = points[i]!;
          const b = points[i + 1]!;
          const rps = traffic.rpsAt(a.t + f * (b.t - a.t));
          expect(rps).toBeGreaterThanOrEqual(Math.min(a.rps, b.rps) * (1 - 1e-12));
          expect(rps).toBeLessThanOrEqual(Math.max(a.rps, b.rps) * (1 + 1e-12));
        }
      }),
    );
  });

  it('the trace cursor gives the reference answer for increasing, decreasing and random times', () => {
    fc.assert(
      fc.property(
        traceArbitrary,
        fc.constantFrom('step' as const, 'linear' as const),
        fc.array(fc.double({ min: -100, max: 60_000, noNaN: true }), { maxLength: 80 }),
        fc.constantFrom('sorted', 'reversed', 'random'),
        (points, interpolation, times, order) => {
          const sorted = [...times].sort((a, b) => a - b);
          const queries = order === 'sorted' ? sorted : order === 'reversed' ? sorted.reverse() : times;
          const traffic = createTraffic({ type: 'trace', points, interpolation });
          for (const t of queries) expect(traffic.rpsAt(t)).toBeCloseTo(referenceTrace(points, interpolation, t), 6);
        },
      ),
    );
  });

  it('diurnal traffic follows the exact cosine within 1e-7 of the amplitude', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.double({ min: -1e7, max: 1e7, noNaN: true }),
        (a, b, peakAtSeconds, periodSeconds, t) => {
          const [minRps, maxRps] = a < b ? [a, b] : [b, a];
          const traffic = createTraffic({ type: 'diurnal', minRps, maxRps, peakAtSeconds, periodSeconds });
          const exact = minRps + ((maxRps - minRps) * (1 + Math.cos((2 * Math.PI * (t - peakAtSeconds)) / periodSeconds))) / 2;
          expect(Math.abs(traffic.rpsAt(t) - exact)).toBeLessThanOrEqual(1e-7 * (maxRps - minRps) + 1e-9 * maxRps + 1e-300);
        },
      ),
    );
  });

  it('a repeated trace equals the trace shifted by whole periods', () => {
    fc.assert(
      fc.property(traceArbitrary, fc.integer({ min: 1, max: 20 }), fc.double({ min: 0, max: 1, noNaN: true }), (points, k, f) => {
        const span = points[points.length - 1]!.t - points[0]!.t;
        const repeatSeconds = span + 10;
        const traffic = createTraffic({ type: 'trace', points, repeatSeconds });
        const t = points[0]!.t + f * span;
        expect(traffic.rpsAt(t + k * repeatSeconds)).toBeCloseTo(traffic.rpsAt(t), 3);
      }),
    );
  });
});

describe('sampleArrivals()', () => {
  const arrivals = (traffic: Traffic, seed: number, seconds: number): number[] => {
    const rng = createSeededRng(seed);
    return Array.from({ length: seconds }, (_, s) => sampleArrivals(traffic, s, 1, rng));
  };

  it('returns the same arrivals for the same seed, and others for another seed', () => {
    const traffic = createTraffic({ type: 'traffic-spike' });
    expect(arrivals(traffic, 42, 1200)).toEqual(arrivals(traffic, 42, 1200));
    expect(arrivals(traffic, 42, 1200)).not.toEqual(arrivals(traffic, 43, 1200));
  });

  it.each([
    { name: 'poisson (default), small rate', spec: { type: 'ramp', fromRps: 3, toRps: 3 } as const, dt: 1, mean: 3, variance: 3 },
    { name: 'poisson (default), large rate', spec: { type: 'ramp', fromRps: 800, toRps: 800 } as const, dt: 1, mean: 800, variance: 800 },
    { name: 'poisson over a 15 s window', spec: { type: 'ramp', fromRps: 2, toRps: 2 } as const, dt: 15, mean: 30, variance: 30 },
    { name: 'poisson over half a second', spec: { type: 'ramp', fromRps: 4, toRps: 4 } as const, dt: 0.5, mean: 2, variance: 2 },
    {
      name: 'gaussian with cv 0.2',
      spec: { type: 'ramp', fromRps: 100, toRps: 100, noise: { type: 'gaussian', cv: 0.2 } } as const,
      dt: 1,
      mean: 100,
      variance: 400 + 1 / 4, // + the stochastic rounding's variance, at most 1/4
    },
    {
      name: 'gaussian over 4 s averages the per-second noise',
      spec: { type: 'ramp', fromRps: 100, toRps: 100, noise: { type: 'gaussian', cv: 0.2 } } as const,
      dt: 4,
      mean: 400,
      variance: (0.2 * 400) ** 2 / 4,
    },
  ])('draws integer arrivals with mean ≈ rate·dt: $name', ({ spec, dt, mean, variance }) => {
    const traffic = createTraffic(spec);
    const rng = createSeededRng(2024);
    const n = 20_000;
    const xs = Array.from({ length: n }, (_, i) => sampleArrivals(traffic, i * dt, dt, rng));
    expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    const m = xs.reduce((a, b) => a + b, 0) / n;
    const v = xs.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1);
    expect(Math.abs(m - mean)).toBeLessThan(6 * Math.sqrt(variance / n) + 0.05);
    expect(v / variance).toBeGreaterThan(0.9);
    expect(v / variance).toBeLessThan(1.1);
  });

  it('integrates the rate over the window (a ramp over 10 s)', () => {
    const traffic: Traffic = { rpsAt: (t) => t }; // hand-written: no meanRpsAt, no noise
    const rng = createSeededRng(1);
    let sum = 0;
    const n = 5_000;
    for (let i = 0; i < n; i++) sum += sampleArrivals(traffic, 0, 10, rng);
    expect(sum / n).toBeCloseTo(50, 0); // ∫0..10 t dt = 50
  });

  it('does not add noise twice when the traffic has an rng of its own', () => {
    const traffic = createTraffic({ type: 'ramp', fromRps: 1000, toRps: 1000, noise: { type: 'gaussian', cv: 0.5 } }, { rng: createSeededRng(3) });
    const rng = createSeededRng(4);
    const xs = Array.from({ length: 5_000 }, (_, i) => sampleArrivals(traffic, i, 1, rng));
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length);
    expect(sd / 1000).toBeCloseTo(0.5, 1);
  });

  it.each([
    { name: 'zero rate', traffic: createTraffic({ type: 'step', steps: [{ atSeconds: 1e9, rps: 1 }] }), dt: 1 },
    { name: 'an empty window', traffic: createTraffic({ type: 'ramp' }), dt: 0 },
  ])('returns 0 for $name', ({ traffic, dt }) => {
    expect(sampleArrivals(traffic, 5, dt, createSeededRng(1))).toBe(0);
  });

  it('throws a RangeError for a negative window', () => {
    expect(() => sampleArrivals(createTraffic({ type: 'ramp' }), 0, -1, createSeededRng(1))).toThrow(
      new RangeError("Cannot sample arrivals as 'dtSeconds' must be a finite number ≥ 0: got -1"),
    );
  });
});

describe('benchTraffic()', () => {
  it('returns a positive ns/call figure for every shape (speed is not asserted)', () => {
    const results = benchTraffic({ calls: 10_000 });
    expect(results.map((r) => r.name)).toContain('trace (1440 points, linear)');
    for (const r of results) expect(r.nsPerCall).toBeGreaterThan(0);
  });
});
