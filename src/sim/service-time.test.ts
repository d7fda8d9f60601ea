import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createErlangStep, createServiceTime, erfc, inverseNormalCdf, MAX_ERLANG_STAGES } from './service-time.js';

describe('erfc() and inverseNormalCdf()', () => {
  it.each([
    { name: 'erfc(0) is 1', got: () => erfc(0), want: 1 },
    { name: 'erfc(1)', got: () => erfc(1), want: 0.157299207 },
    { name: 'erfc(-1) = 2 - erfc(1)', got: () => erfc(-1), want: 1.842700793 },
    { name: 'the 97.5th percentile is 1.96', got: () => inverseNormalCdf(0.975), want: 1.959963985 },
    { name: 'the median is 0', got: () => inverseNormalCdf(0.5), want: 0 },
    { name: 'a low tail', got: () => inverseNormalCdf(0.001), want: -3.090232306 },
  ])('$name', ({ got, want }) => {
    expect(got()).toBeCloseTo(want, 6);
  });

  it('inverseNormalCdf() throws a RangeError outside (0, 1)', () => {
    expect(() => inverseNormalCdf(1)).toThrow(RangeError);
    expect(() => inverseNormalCdf(0)).toThrow("Cannot invert the normal CDF as 'p' must be in (0, 1): got 0");
  });
});

describe('createServiceTime()', () => {
  it.each([
    { name: 'fixed: no variance, the most stages', spec: { distribution: 'fixed', meanSeconds: 2 } as const, mean: 2, cv: 0, stages: MAX_ERLANG_STAGES },
    { name: 'exponential: CV 1, one stage', spec: { distribution: 'exponential', meanSeconds: 1.5 } as const, mean: 1.5, cv: 1, stages: 1 },
    { name: 'lognormal σ 0.5: mean = median e^(σ²/2), 4 stages', spec: { distribution: 'lognormal', medianSeconds: 1, sigma: 0.5 } as const, mean: Math.exp(0.125), cv: Math.sqrt(Math.expm1(0.25)), stages: 4 },
    { name: 'lognormal σ 1: CV > 1 still one stage', spec: { distribution: 'lognormal', medianSeconds: 1, sigma: 1 } as const, mean: Math.exp(0.5), cv: Math.sqrt(Math.expm1(1)), stages: 1 },
  ])('$name', ({ spec, mean, cv, stages }) => {
    const st = createServiceTime(spec);
    expect(st.meanSeconds).toBeCloseTo(mean, 9);
    expect(st.cv).toBeCloseTo(cv, 9);
    expect(st.stages).toBe(stages);
  });

  it('gives lognormal quantiles and a tabulated CDF that agree', () => {
    const st = createServiceTime({ distribution: 'lognormal', medianSeconds: 0.88, sigma: 0.5 });
    expect(st.quantile(0.5)).toBeCloseTo(0.88, 9);
    for (const p of [0.1, 0.5, 0.9, 0.99]) expect(st.cdf(st.quantile(p))).toBeCloseTo(p, 3);
    expect(st.cdf(-1)).toBe(0);
    expect(st.cdf(1e9)).toBe(1);
  });

  it('gives a fixed service time a step CDF', () => {
    const st = createServiceTime({ distribution: 'fixed', meanSeconds: 2 });
    expect([st.cdf(1.999), st.cdf(2), st.quantile(0.99)]).toEqual([0, 1, 2]);
  });

  it.each([
    { name: 'a zero mean', spec: { distribution: 'fixed', meanSeconds: 0 } as const, message: "'meanSeconds' must be a finite number > 0: got 0" },
    { name: 'a negative sigma', spec: { distribution: 'lognormal', medianSeconds: 1, sigma: -1 } as const, message: "'sigma' must be a finite number ≥ 0: got -1" },
  ])('throws a RangeError for $name', ({ spec, message }) => {
    expect(() => createServiceTime(spec)).toThrow(RangeError);
    expect(() => createServiceTime(spec)).toThrow(message);
  });
});

describe('createErlangStep()', () => {
  it('keeps mass: what stays in the chain plus what leaves is 1, for held and for new requests', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 60, noNaN: true }), fc.double({ min: 0.05, max: 2, noNaN: true }), fc.integer({ min: 0, max: 2 }), (mean, dt, kind) => {
        const spec = kind === 0 ? ({ distribution: 'fixed', meanSeconds: mean } as const) : kind === 1 ? ({ distribution: 'exponential', meanSeconds: mean } as const) : ({ distribution: 'lognormal', medianSeconds: mean, sigma: 0.5 } as const);
        const e = createErlangStep(createServiceTime(spec), dt);
        // b is a fraction of one request: between 0 and 1.
        expect(e.bSum).toBeGreaterThanOrEqual(0);
        expect(e.bSum).toBeLessThanOrEqual(1 + 1e-12);
        // p[0] is the chance to stay in the same stage: a probability.
        expect(e.p[0]).toBeGreaterThan(0);
        expect(e.p[0]).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('holds a request in service for one mean on average (exponential: e^-1 left after one mean)', () => {
    const e = createErlangStep(createServiceTime({ distribution: 'exponential', meanSeconds: 1 }), 1);
    expect(e.p[0]).toBeCloseTo(Math.exp(-1), 12);
    // Uniform arrivals over one second, exponential(1): (1 - e^-1) of them are still in service.
    expect(e.bSum).toBeCloseTo(1 - Math.exp(-1), 12);
  });
});
