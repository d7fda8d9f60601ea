import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latencyHistogram, percentile, summarizeLatencies } from './latency-summary.js';

describe('percentile()', () => {
  it.each([
    { name: 'is 0 for no values', values: [], p: 50, want: 0 },
    { name: 'takes the nearest rank for p50', values: [1, 2, 3, 4], p: 50, want: 2 },
    { name: 'takes the nearest rank for p90 of 10 values', values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 90, want: 9 },
    { name: 'takes the maximum for p99 of few values', values: [1, 2, 3], p: 99, want: 3 },
    { name: 'takes the minimum for p0', values: [5, 6], p: 0, want: 5 },
  ])('$name', ({ values, p, want }) => {
    expect(percentile(values, p)).toBe(want);
  });
});

describe('summarizeLatencies()', () => {
  it('summarises unsorted values', () => {
    expect(summarizeLatencies([30, 10, 20])).toEqual({ count: 3, minMs: 10, meanMs: 20, p50Ms: 20, p90Ms: 30, p99Ms: 30, maxMs: 30 });
  });

  it('is all zeros for no values', () => {
    expect(summarizeLatencies([])).toEqual({ count: 0, minMs: 0, meanMs: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0 });
  });

  it('orders min <= p50 <= p90 <= p99 <= max and keeps the mean inside (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e5, noNaN: true }), { minLength: 1, maxLength: 200 }), (values) => {
        const s = summarizeLatencies(values);
        expect(s.minMs).toBeLessThanOrEqual(s.p50Ms);
        expect(s.p50Ms).toBeLessThanOrEqual(s.p90Ms);
        expect(s.p90Ms).toBeLessThanOrEqual(s.p99Ms);
        expect(s.p99Ms).toBeLessThanOrEqual(s.maxMs);
        expect(s.meanMs).toBeGreaterThanOrEqual(s.minMs - 1e-9);
        expect(s.meanMs).toBeLessThanOrEqual(s.maxMs + 1e-9);
      }),
    );
  });
});

describe('latencyHistogram()', () => {
  it.each([
    { name: 'is empty for no values', values: [], buckets: 10, want: [] },
    { name: 'has one bucket when all values are equal', values: [5, 5, 5], buckets: 10, want: [{ upperMs: 5, count: 3 }] },
    { name: 'has one bucket when the spread is too small to divide', values: [5e-324, 0], buckets: 10, want: [{ upperMs: 5e-324, count: 2 }] },
    { name: 'splits min..max into equal buckets', values: [1, 2, 3, 4], buckets: 2, want: [{ upperMs: 2.5, count: 2 }, { upperMs: 4, count: 2 }] },
  ])('$name', ({ values, buckets, want }) => {
    expect(latencyHistogram(values, buckets)).toEqual(want);
  });

  it('counts every value exactly once (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { maxLength: 300 }), (values) => {
        const total = latencyHistogram(values).reduce((n, b) => n + b.count, 0);
        expect(total).toBe(values.length);
      }),
    );
  });
});
