import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calcFromHpa } from '../../web/src/calc-from-hpa.js';
import { buildCalculatorInputs, computeCalculator } from '../../web/src/calculator-model.js';
import { BLOG_CALC, type CalcMetric, type CalcState } from '../../web/src/state.js';

const cpu = BLOG_CALC.metrics[0]!;
const memory = BLOG_CALC.metrics[1]!;
const asr: CalcMetric = { kind: 'Pods', name: 'asr_active_requests', current: '12', targetType: 'AverageValue', target: '5', request: '' };

describe('computeCalculator()', () => {
  it.each([
    { name: 'CPU 600m of 500m at 90% takes 1 replica to 2, a staircase (blog Fig. 3-4)', calc: { ...BLOG_CALC, metrics: [cpu] }, desired: 2, pattern: 'staircase (f(x) = x + 1)' },
    { name: 'memory 1100Mi of 1350Mi at 90% holds 3 replicas, a fixed point (blog Fig. 5)', calc: { ...BLOG_CALC, replicas: 3, metrics: [memory] }, desired: 3, pattern: 'fixed point (f(x) = x)' },
    { name: 'memory alone at 1 replica stays at 1 (blog Fig. 2)', calc: { ...BLOG_CALC, replicas: 1, metrics: [memory] }, desired: 1, pattern: 'fixed point (f(x) = x)' },
    { name: 'both metrics at 12:18: CPU wins, the curve is a staircase', calc: BLOG_CALC, desired: 2, pattern: 'staircase (f(x) = x + 1)' },
    { name: 'both metrics at 12:20: memory holds 3 replicas', calc: { ...BLOG_CALC, replicas: 3, metrics: [{ ...cpu, current: '80m' }, memory] }, desired: 3, pattern: 'fixed point (f(x) = x)' },
    { name: "the seeds' 12 active requests per pod on 2 pods, target 5: 5 proposed, 4 allowed (no behavior: max(2 × 2, 4))", calc: { ...BLOG_CALC, replicas: 2, maxReplicas: 10, metrics: [asr] }, desired: 4, pattern: 'staircase (f(x) > x)' },
    { name: 'a utilization given in percent of the request', calc: { ...BLOG_CALC, metrics: [{ ...cpu, current: '120%' }] }, desired: 2, pattern: 'staircase (f(x) = x + 1)' },
  ])('$name', ({ calc, desired, pattern }) => {
    const r = computeCalculator(calc);
    expect(r.inputs.errors).toEqual([]);
    expect(r.desiredReplicas).toBe(desired);
    expect(r.patternName).toBe(pattern);
    expect(r.steps.length).toBeGreaterThan(3);
  });

  it('names the winning metric and each metric’s own pattern', () => {
    const r = computeCalculator(BLOG_CALC);
    expect(r.metrics.map((m) => [m.label, m.proposal, m.winner, m.pattern])).toEqual([
      ['cpu', 2, true, 'staircase'],
      ['memory', 1, false, 'fixed-point'],
    ]);
    expect(r.caption).toContain('cpu staircase, memory fixed point');
    expect(r.steps.join('\n')).toContain('Largest proposal wins: 2');
  });

  it('sweeps desired replicas against the metric value, stepping up past the tolerance band', () => {
    const r = computeCalculator({ ...BLOG_CALC, metrics: [cpu] });
    const sw = r.sweep!;
    expect(sw.xLabel).toBe('cpu per pod (m)');
    expect(sw.targetX).toBe(450);
    expect(sw.currentX).toBe(600);
    const at = (x: number): number => sw.desired[sw.x.findIndex((v) => v >= x)]!;
    expect(at(400)).toBe(1); // inside ±10 % of 450m
    expect(at(600)).toBe(2);
  });

  it.each([
    { name: 'an unparsable current value', patch: { current: 'lots' }, field: 'metrics[0].current' },
    { name: 'a missing request for a Utilization target', patch: { request: '' }, field: 'metrics[0].request' },
    { name: 'a fractional utilization target', patch: { target: '90.5' }, field: 'metrics[0].target' },
  ])('reports $name next to its field, and computes nothing', ({ patch, field }) => {
    const r = computeCalculator({ ...BLOG_CALC, metrics: [{ ...cpu, ...patch }] });
    expect(r.inputs.errors.map((e) => e.field)).toContain(field);
    expect(r.desiredReplicas).toBeUndefined();
  });

  it('desired replicas always lie within min and max (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 5000 }), (max, min, replicas, milli) => {
        fc.pre(min <= max);
        const calc: CalcState = { ...BLOG_CALC, minReplicas: min, maxReplicas: max, replicas: Math.max(1, replicas), metrics: [{ ...cpu, current: `${milli}m` }] };
        const r = computeCalculator(calc);
        return r.desiredReplicas! >= min && r.desiredReplicas! <= max && r.curve!.points.length === max;
      }),
      { numRuns: 150 },
    );
  });
});

describe('calcFromHpa()', () => {
  it("fills the calculator from the blog's HPA and Deployment requests, each metric at 1.5 × its target", () => {
    const { hpa } = buildCalculatorInputs(BLOG_CALC);
    const calc = calcFromHpa(hpa, { cpu: 500, memory: 1350 * 1048576 * 1000 });
    expect(calc.metrics).toEqual([
      { kind: 'Resource', name: 'cpu', current: '135%', targetType: 'Utilization', target: '90', request: '500m' },
      { kind: 'Resource', name: 'memory', current: '135%', targetType: 'Utilization', target: '90', request: '1350Mi' },
    ]);
    expect(computeCalculator(calc).desiredReplicas).toBe(2);
  });
});

describe('computeCalculator(): issue 15', () => {
  it("explains the seeds' 6: the formula's 8, then the scale-up limit", () => {
    const r = computeCalculator({ ...BLOG_CALC, replicas: 3, maxReplicas: 10, metrics: [asr] });
    expect(r.desiredReplicas).toBe(6);
    expect(r.why).toBe('ceil(3 × 12 / 5) = 8 by the formula → 6 this sync (scale-up limit)');
    expect(r.readings).toEqual({ formula: 8, nextSync: 6, eventually: 10, syncs: 2 });
    expect(r.cobweb).toEqual([3, 8, 10]);
  });

  it('behavior replaces the legacy limit: a Pods 10 per 15 s policy lets 3 go to 8', () => {
    const r = computeCalculator({ ...BLOG_CALC, replicas: 3, maxReplicas: 10, metrics: [asr], behavior: { scaleUp: { policies: [{ type: 'Pods', value: 10, periodSeconds: 15 }] } } });
    expect(r.desiredReplicas).toBe(8);
    expect(r.why).toBe('ceil(3 × 12 / 5) = 8 by the formula = 8 this sync');
  });

  it('samples the curve of maxReplicas 10000 (at most ~120 sizes) and still follows it to the end', () => {
    const r = computeCalculator({ ...BLOG_CALC, replicas: 1, maxReplicas: 10_000, metrics: [asr] });
    expect(r.curve!.points.length).toBeLessThanOrEqual(123);
    expect(r.curve!.points.at(-1)!.currentReplicas).toBe(10_000);
    expect(r.readings?.eventually).toBe(10_000);
  });

  it('names the HPA from the input, lightning-asr by default', () => {
    expect(buildCalculatorInputs(BLOG_CALC).hpa.metadata.name).toBe('lightning-asr');
    expect(buildCalculatorInputs({ ...BLOG_CALC, name: 'web' }).hpa.spec.scaleTargetRef.name).toBe('web');
  });
});
