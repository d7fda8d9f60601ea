import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compressSteps, downsampleMinMax, downsampleSeries } from './downsample-min-max.js';

/** Ascending times from non-negative increments, and finite values of the same length. */
const seriesArb = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { maxLength: 3000 })
  .map((pairs) => {
    let now = 0;
    const t = pairs.map(([dt]) => (now += dt));
    return { t, y: pairs.map(([, v]) => v) };
  });

/** Output indices into the input, assuming the output is a subsequence of it. */
function subsequenceIndices(inT: number[], inY: number[], outT: number[], outY: number[]): number[] | undefined {
  const idx: number[] = [];
  let j = 0;
  for (let i = 0; i < outT.length; i++) {
    while (j < inT.length && !(inT[j] === outT[i] && Object.is(inY[j], outY[i]))) j++;
    if (j === inT.length) return undefined;
    idx.push(j++);
  }
  return idx;
}

describe('downsampleMinMax()', () => {
  it.each([
    { name: 'keeps each bucket min and max in order', t: [0, 1, 2, 3, 4, 5], y: [1, 9, 2, 8, 3, 7], max: 4, want: { t: [0, 1, 3, 4], y: [1, 9, 8, 3] } },
    { name: 'copies a series that already fits', t: [0, 1, 2], y: [5, 6, 7], max: 3, want: { t: [0, 1, 2], y: [5, 6, 7] } },
    { name: 'keeps one point for a flat bucket', t: [0, 1, 2, 3], y: [4, 4, 4, 4], max: 2, want: { t: [0], y: [4] } },
    { name: 'keeps an all-NaN bucket as a gap', t: [0, 1, 2, 3, 4, 5], y: [NaN, NaN, NaN, 1, 2, 3], max: 4, want: { t: [0, 3, 5], y: [NaN, 1, 3] } },
    { name: 'ignores NaN next to finite values', t: [0, 1, 2, 3], y: [NaN, 3, 1, NaN], max: 2, want: { t: [1, 2], y: [3, 1] } },
    { name: 'handles an empty series', t: [], y: [], max: 10, want: { t: [], y: [] } },
  ])('$name', ({ t, y, max, want }) => {
    expect(downsampleMinMax(t, y, max)).toEqual(want);
  });

  it.each([
    { name: 'lengths differ', t: [0, 1], y: [1], max: 10, message: "Cannot downsample as 't' and 'y' differ in length: 2 and 1" },
    { name: 'maxPoints < 2', t: [0], y: [1], max: 1, message: "Cannot downsample as 'maxPoints' must be an integer >= 2: current value is 1" },
    { name: 'maxPoints is fractional', t: [0], y: [1], max: 2.5, message: "Cannot downsample as 'maxPoints' must be an integer >= 2: current value is 2.5" },
  ])('throws a RangeError when $name', ({ t, y, max, message }) => {
    expect(() => downsampleMinMax(t, y, max)).toThrow(new RangeError(message));
  });

  it('accepts typed arrays and reduces 170k points to the budget', () => {
    const n = 172_800;
    const t = Float64Array.from({ length: n }, (_, i) => i * 15);
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 500) + (i === 123_456 ? 50 : 0));
    const out = downsampleMinMax(t, y, 2000);
    expect(out.t.length).toBeLessThanOrEqual(2000);
    expect(Math.max(...out.y)).toBe(y.reduce((a, b) => Math.max(a, b), -Infinity));
    expect(out.t).toContain(123_456 * 15);
  });

  it('returns at most maxPoints points, ascending in time, each one an input point', () => {
    fc.assert(
      fc.property(seriesArb, fc.integer({ min: 2, max: 400 }), ({ t, y }, maxPoints) => {
        const out = downsampleMinMax(t, y, maxPoints);
        expect(out.t.length).toBe(out.y.length);
        expect(out.t.length).toBeLessThanOrEqual(Math.max(maxPoints, 0));
        for (let i = 1; i < out.t.length; i++) expect(out.t[i]).toBeGreaterThanOrEqual(out.t[i - 1] as number);
        expect(subsequenceIndices(t, y, out.t, out.y)).toBeDefined();
      }),
    );
  });

  it('keeps the minimum and maximum of every bucket', () => {
    fc.assert(
      fc.property(seriesArb, fc.integer({ min: 2, max: 400 }), ({ t, y }, maxPoints) => {
        const out = downsampleMinMax(t, y, maxPoints);
        const n = t.length;
        if (n <= maxPoints) {
          expect(out).toEqual({ t, y });
          return;
        }
        const buckets = Math.floor(maxPoints / 2);
        const idx = subsequenceIndices(t, y, out.t, out.y) ?? [];
        for (let b = 0; b < buckets; b++) {
          const start = Math.floor((b * n) / buckets);
          const end = Math.floor(((b + 1) * n) / buckets);
          const slice = y.slice(start, end);
          const kept = idx.filter((i) => i >= start && i < end).map((i) => y[i] as number);
          expect(kept).toContain(Math.min(...slice));
          expect(kept).toContain(Math.max(...slice));
        }
        expect(Math.min(...out.y)).toBe(Math.min(...y));
        expect(Math.max(...out.y)).toBe(Math.max(...y));
      }),
    );
  });
});

/** The value a staircase (each value holding until the next point) shows at time `at`. */
function stepValueAt(t: readonly number[], y: readonly number[], at: number): number | undefined {
  let value: number | undefined;
  for (let i = 0; i < t.length && (t[i] as number) <= at; i++) value = y[i];
  return value;
}

describe('compressSteps()', () => {
  it.each([
    { name: 'keeps change points and both ends', t: [0, 15, 30, 45, 60], y: [2, 2, 3, 3, 3], want: { t: [0, 30, 60], y: [2, 3, 3] } },
    { name: 'treats NaN runs as one value', t: [0, 1, 2, 3], y: [NaN, NaN, 1, 1], want: { t: [0, 2, 3], y: [NaN, 1, 1] } },
    { name: 'keeps a single point', t: [7], y: [1], want: { t: [7], y: [1] } },
  ])('$name', ({ t, y, want }) => {
    expect(compressSteps(t, y)).toEqual(want);
  });
});

describe('downsampleSeries()', () => {
  const stepArb = fc
    .array(fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 10 })), {
      minLength: 1,
      maxLength: 80,
    })
    .map((runs) => {
      const t: number[] = [];
      const y: number[] = [];
      let now = 0;
      for (const [dt, length, value] of runs) {
        for (let k = 0; k < length; k++) {
          t.push(now);
          y.push(value);
          now += dt;
        }
      }
      return { t, y };
    });

  it('draws a step series exactly when its changes fit the budget', () => {
    fc.assert(
      fc.property(stepArb, ({ t, y }) => {
        const out = downsampleSeries(t, y, { maxPoints: 200, step: true });
        expect(out.t.length).toBeLessThanOrEqual(200);
        for (let i = 0; i < t.length; i++) expect(stepValueAt(out.t, out.y, t[i] as number)).toBe(y[i]);
        expect(out.t[out.t.length - 1]).toBe(t[t.length - 1]);
      }),
    );
  });

  it('bounds a flapping step series and keeps its last point', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 300 }), fc.integer({ min: 500, max: 5000 }), (maxPoints, n) => {
        const t = Array.from({ length: n }, (_, i) => i * 15);
        const y = t.map((_, i) => 3 + (i % 2));
        const out = downsampleSeries(t, y, { maxPoints, step: true });
        expect(out.t.length).toBeLessThanOrEqual(maxPoints);
        expect(out.t[out.t.length - 1]).toBe(t[n - 1]);
        expect(new Set(out.y)).toEqual(new Set([3, 4]));
      }),
    );
  });
});
