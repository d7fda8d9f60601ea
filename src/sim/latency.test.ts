import { describe, expect, it } from 'vitest';
import { LatencyRecorder } from './latency.js';
import { createServiceTime } from './service-time.js';

const lognormal = createServiceTime({ distribution: 'lognormal', medianSeconds: 1, sigma: 0.5 });
const fixed = createServiceTime({ distribution: 'fixed', meanSeconds: 2 });

describe('LatencyRecorder', () => {
  it('gives the service time percentiles when nobody waited', () => {
    const r = new LatencyRecorder(lognormal, 5);
    r.record(100, 0);
    const p = r.flushWindow();
    expect(p.p50).toBeCloseTo(1, 9);
    expect(p.p95).toBeCloseTo(lognormal.quantile(0.95), 9);
    expect(p.p99).toBeCloseTo(lognormal.quantile(0.99), 9);
  });

  it('gives NaN percentiles for a window without requests', () => {
    const p = new LatencyRecorder(lognormal, null).flushWindow();
    expect([p.p50, p.p95, p.p99].every(Number.isNaN)).toBe(true);
  });

  it('adds the wait to a fixed service time (within the 5 % bucket width)', () => {
    const r = new LatencyRecorder(fixed, null);
    r.record(10, 3);
    const p = r.flushWindow();
    expect(p.p50).toBeGreaterThan(2 + 3 * 0.975);
    expect(p.p50).toBeLessThan(2 + 3 * 1.026);
  });

  it.each([
    { name: 'half the requests waited 10 s: p50 between, p95 after the wait', waited: 50, wait: 10, lowP50: 1, highP95: 10 },
    { name: 'a few waited: p50 is the service time', waited: 1, wait: 10, lowP50: 0.5, highP95: 0 },
  ])('mixes waits and service times: $name', ({ waited, wait, lowP50, highP95 }) => {
    const r = new LatencyRecorder(lognormal, null);
    r.record(100 - waited, 0);
    r.record(waited, wait);
    const p = r.flushWindow();
    expect(p.p50).toBeGreaterThan(lowP50);
    expect(p.p95).toBeGreaterThan(highP95);
    expect(p.p50).toBeLessThanOrEqual(p.p95);
    expect(p.p95).toBeLessThanOrEqual(p.p99);
  });

  it('counts SLO misses as the expected number of requests slower than the SLO', () => {
    const r = new LatencyRecorder(fixed, 5);
    r.record(30, 0); // 2 s: within
    r.record(20, 4); // 6 s: miss
    r.flushWindow();
    expect(r.sloMisses).toBeCloseTo(20, 6);
    expect(r.totalRequests).toBeCloseTo(50, 9);
    expect(new LatencyRecorder(fixed, null).sloMisses).toBeNull();
  });

  it('keeps totals over windows, and forgets them on reset()', () => {
    const r = new LatencyRecorder(fixed, null);
    r.record(10, 0);
    r.flushWindow();
    r.record(10, 100);
    r.flushWindow();
    const t = r.totals();
    expect(t.p50).toBeGreaterThan(1.9);
    expect(t.p99).toBeGreaterThan(95);
    r.reset();
    expect(r.totalRequests).toBe(0);
    expect(Number.isNaN(r.totals().p50)).toBe(true);
  });
});
