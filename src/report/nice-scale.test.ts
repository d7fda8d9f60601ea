import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { niceScale } from './nice-scale.js';

describe('niceScale()', () => {
  it.each([
    { name: 'replicas up to 10.5', lo: 0, hi: 10.5, options: { integer: true }, want: { min: 0, max: 12, interval: 2 } },
    { name: 'a fractional range', lo: 0, hi: 0.93, options: {}, want: { min: 0, max: 1, interval: 0.2 } },
    { name: 'an empty range at zero', lo: 0, hi: 0, options: {}, want: { min: 0, max: 1, interval: 0.2 } },
    { name: 'an empty integer range', lo: 3, hi: 3, options: { integer: true }, want: { min: 2, max: 4, interval: 1 } },
    { name: 'a denormal point', lo: 5e-324, hi: 5e-324, options: {}, want: { min: 0, max: 1, interval: 0.2 } },
    { name: 'non-finite bounds', lo: NaN, hi: Infinity, options: {}, want: { min: 0, max: 1, interval: 0.2 } },
  ])('$name', ({ lo, hi, options, want }) => {
    expect(niceScale(lo, hi, options)).toEqual(want);
  });

  it('covers the range with a whole number of intervals', () => {
    fc.assert(
      fc.property(
        // Chart-like magnitudes: thousandths up to millions.
        fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 1000),
        fc.integer({ min: 0, max: 1e9 }).map((n) => n / 1000),
        fc.boolean(),
        (lo, width, integer) => {
          const a = integer ? Math.round(lo) : lo;
          const b = integer ? Math.round(lo + width) : lo + width;
          const s = niceScale(a, b, { integer });
          // Ends are rounded to 12 significant digits, so they may miss the data by float noise.
          const noise = 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
          expect(s.min).toBeLessThanOrEqual(a + noise);
          expect(s.max).toBeGreaterThanOrEqual(b - noise);
          const count = (s.max - s.min) / s.interval;
          expect(Math.abs(count - Math.round(count))).toBeLessThan(1e-6);
          expect(count).toBeLessThanOrEqual(12);
          if (integer) expect(Number.isInteger(s.interval)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
