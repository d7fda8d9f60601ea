import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONTROLLER_CONFIG,
  DEFAULT_SCALE_DOWN_RULES,
  DEFAULT_SCALE_UP_RULES,
  applyHpaDefaults,
  createInitialState,
  describeStep,
  formatMilliQuantity,
  isWithinTolerance,
  parseQuantityMilli,
  parseSelector,
  matchesSelector,
  reconcile,
  type HorizontalPodAutoscaler,
  type MetricSpec,
  type Observation,
  type PodInfo,
} from './index.js';

describe('defaults', () => {
  it('pins the controller flags to kube-controller-manager defaults', () => {
    expect(DEFAULT_CONTROLLER_CONFIG).toMatchObject({
      tolerance: 0.1,
      downscaleStabilizationWindowSeconds: 300,
      cpuInitializationPeriodSeconds: 300,
      delayOfInitialReadinessStatusSeconds: 30,
      scaleUpLimitFactor: 2,
      scaleUpLimitMinimum: 4,
    });
  });
  it('pins the behavior defaults of autoscaling/v2', () => {
    expect(DEFAULT_SCALE_UP_RULES).toEqual({
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    });
    expect(DEFAULT_SCALE_DOWN_RULES).toEqual({ stabilizationWindowSeconds: null, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
  });
  it('applyHpaDefaults() fills minReplicas, the CPU metric and field-by-field behavior', () => {
    const hpa = applyHpaDefaults({
      metadata: { name: 'x' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, maxReplicas: 5, behavior: { scaleDown: { policies: [] } } },
    });
    expect(hpa.spec.minReplicas).toBe(1);
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    expect(hpa.spec.behavior?.scaleUp).toEqual(DEFAULT_SCALE_UP_RULES);
    expect(hpa.spec.behavior?.scaleDown).toEqual({ stabilizationWindowSeconds: null, selectPolicy: 'Max', policies: [] });
    expect(applyHpaDefaults(hpa)).toEqual(hpa);
  });
});

describe('parseQuantityMilli()', () => {
  it.each([
    { q: '500m', want: 500 },
    { q: '5', want: 5000 },
    { q: 5, want: 5000 },
    { q: '1.5', want: 1500 },
    { q: '1Mi', want: 1048576000 },
    { q: '1350Mi', want: 1415577600000 },
    { q: '1k', want: 1_000_000 },
    { q: '1e3', want: 1_000_000 },
    { q: '0.0001', want: 1 }, // MilliValue rounds up
    { q: '10m', want: 10 },
  ])('parses $q', ({ q, want }) => {
    expect(parseQuantityMilli(q)).toBe(want);
  });
  it('rejects text that is not a quantity with a SyntaxError naming it', () => {
    expect(() => parseQuantityMilli('5 pods')).toThrow(SyntaxError);
    expect(() => parseQuantityMilli('5 pods')).toThrow("Cannot parse quantity '5 pods'");
  });
  it.each([
    { milli: 1500, want: '1500m' },
    { milli: 5000, want: '5' },
    { milli: 5_000_000, want: '5k' },
  ])('formatMilliQuantity($milli) is $want', ({ milli, want }) => {
    expect(formatMilliQuantity(milli)).toBe(want);
  });
});

describe('isWithinTolerance()', () => {
  it.each([
    { ratio: 1.1, want: true, name: 'upper bound is inclusive (v1.33+)' },
    { ratio: 0.9, want: true, name: 'lower bound is inclusive' },
    { ratio: 1.1000001, want: false, name: 'just above the band scales' },
    { ratio: 0.8999, want: false, name: 'just below the band scales' },
  ])('$name', ({ ratio, want }) => {
    expect(isWithinTolerance(ratio, { scaleUp: 0.1, scaleDown: 0.1 })).toBe(want);
  });
});

describe('parseSelector()', () => {
  it.each([
    { sel: 'app=web', labels: { app: 'web' }, want: true },
    { sel: 'app=web,tier!=db', labels: { app: 'web', tier: 'db' }, want: false },
    { sel: 'tier in (a, b)', labels: { tier: 'b' }, want: true },
    { sel: 'tier notin (a,b)', labels: {}, want: true },
    { sel: '!legacy', labels: { legacy: 'x' }, want: false },
    { sel: 'app', labels: { app: '' }, want: true },
  ])('$sel matches $labels: $want', ({ sel, labels, want }) => {
    expect(matchesSelector(parseSelector(sel), labels)).toBe(want);
  });
  it('rejects a malformed term', () => {
    expect(() => parseSelector('app==')).not.toThrow();
    expect(() => parseSelector('a b c')).toThrow(SyntaxError);
  });
});

// --- The seeds' numbers -----------------------------------------------------------------------

function hpa(metrics: MetricSpec[], o: { min?: number; max: number; behavior?: HorizontalPodAutoscaler['spec']['behavior'] }): HorizontalPodAutoscaler {
  return applyHpaDefaults({
    metadata: { name: 'h', namespace: 'smallest' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'd', apiVersion: 'apps/v1' }, minReplicas: o.min ?? 1, maxReplicas: o.max, metrics, ...(o.behavior ? { behavior: o.behavior } : {}) },
  });
}

const ACTIVE: MetricSpec = { type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } };
const mk = (n: number, nowMs: number, extra: Partial<PodInfo> = {}): PodInfo[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `pod-${i}`,
    labels: { app: 'd' },
    phase: 'Running',
    startTimeMs: nowMs - 3_600_000,
    ready: { status: 'True', lastTransitionTimeMs: nowMs - 3_500_000 },
    containers: [{ name: 'app', requestsMilli: { cpu: 500, memory: 1350 * 1048576 * 1000 } }],
    ...extra,
  }));

function podsObs(n: number, perPod: number, nowMs = 1_000_000): Observation {
  const pods = mk(n, nowMs);
  return {
    scale: { specReplicas: n, statusReplicas: n, selector: 'app=d' },
    pods,
    metrics: [{ podValues: pods.map((p) => ({ podName: p.name, valueMilli: perPod * 1000, timestampMs: nowMs })) }],
  };
}

describe('reconcile() on the seeds', () => {
  it.each([
    { name: 'seed 000: 2 pods at 3 active, target 5 → hold', n: 2, perPod: 3, want: 2 },
    { name: 'seed 000: 2 pods at 8 active → ceil(2 × 8/5) = 4', n: 2, perPod: 8, want: 4 },
    { name: 'no behavior: 2 pods at 12 active want 5 but the legacy cap max(2×2, 4) = 4 applies', n: 2, perPod: 12, want: 4 },
    { name: 'seed 000: a ratio inside ±10% does not scale', n: 4, perPod: 5.4, want: 4 },
  ])('$name', ({ n, perPod, want }) => {
    const r = reconcile({ hpa: hpa([ACTIVE], { max: 10 }), observation: podsObs(n, perPod), state: createInitialState(), nowMs: 1_000_000 });
    expect(r.decision.desiredReplicas).toBe(want);
  });

  it('emits the seed\'s SuccessfulRescale message and ScalingActive/ValidMetricFound', () => {
    const r = reconcile({ hpa: hpa([ACTIVE], { max: 10 }), observation: podsObs(1, 9), state: createInitialState(), nowMs: 1_000_000 });
    expect(r.decision.events).toEqual([{ type: 'Normal', reason: 'SuccessfulRescale', message: 'New size: 2; reason: pods metric asr_active_requests above target' }]);
    expect(r.decision.status.conditions?.map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual([
      'AbleToScale=True/SucceededRescale',
      'ScalingActive=True/ValidMetricFound',
      'ScalingLimited=False/DesiredWithinRange',
    ]);
  });

  it.each([
    { name: 'seed 001 default behavior: fewer than 4 pods gain up to 4 in 15 s', from: 1, want: 5 },
    { name: 'seed 001 default behavior: otherwise the count doubles in 15 s', from: 10, want: 20 },
  ])('$name', ({ from, want }) => {
    const r = reconcile({ hpa: hpa([ACTIVE], { max: 100, behavior: {} }), observation: podsObs(from, 500), state: createInitialState(), nowMs: 0 });
    expect(r.decision.desiredReplicas).toBe(want);
    expect(r.decision.status.conditions?.find((c) => c.type === 'ScalingLimited')?.reason).toBe('ScaleUpLimit');
  });

  it('holds a scale-down for the 300 s default window, then releases it', () => {
    const h = hpa([ACTIVE], { max: 10, behavior: {} });
    let state = reconcile({ hpa: h, observation: podsObs(4, 5), state: createInitialState(), nowMs: 0 }).state;
    const held = reconcile({ hpa: h, observation: podsObs(4, 1), state, nowMs: 60_000 });
    expect(held.decision.desiredReplicas).toBe(4);
    expect(held.decision.status.conditions?.find((c) => c.type === 'AbleToScale')?.reason).toBe('ScaleDownStabilized');
    state = held.state;
    const later = reconcile({ hpa: h, observation: podsObs(4, 1), state, nowMs: 301_000 });
    expect(later.decision.desiredReplicas).toBe(1);
  });

  it('blog: memory at ~1100Mi of a 1350Mi request holds 3 pods while CPU is idle (fixed point)', () => {
    const h = hpa(
      [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 90 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 90 } } },
      ],
      { max: 3 },
    );
    const nowMs = 10_000_000;
    const pods = mk(3, nowMs);
    const obs: Observation = {
      scale: { specReplicas: 3, statusReplicas: 3, selector: 'app=d' },
      pods,
      metrics: [0, 1].map(() => ({
        podMetrics: pods.map((p) => ({ podName: p.name, timestampMs: nowMs, windowSeconds: 60, containers: [{ name: 'app', usageMilli: { cpu: 80, memory: 1100 * 1048576 * 1000 } }] })),
      })),
    };
    const r = reconcile({ hpa: h, observation: obs, state: createInitialState(), nowMs });
    expect(r.decision.metrics.map((m) => [m.name, m.current, m.proposal])).toEqual([
      ['cpu resource utilization (percentage of request)', 16, 1],
      ['memory resource utilization (percentage of request)', 81, 3],
    ]);
    expect(r.decision.desiredReplicas).toBe(3);
  });

  it('a failing second metric forbids scale-down but not scale-up', () => {
    const h = hpa([ACTIVE, { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '10' } } }], { max: 10 });
    const down = podsObs(4, 1);
    const r1 = reconcile({ hpa: h, observation: { ...down, metrics: [...down.metrics, { error: 'no adapter' }] }, state: createInitialState(), nowMs: 1_000_000 });
    expect(r1.decision.scaleTo).toBeNull();
    expect(r1.decision.status.conditions?.find((c) => c.type === 'ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetExternalMetric' });
    expect(r1.decision.events.map((e) => e.reason)).toEqual(['FailedGetExternalMetric', 'FailedComputeMetricsReplicas']);
    const up = podsObs(2, 20);
    const r2 = reconcile({ hpa: h, observation: { ...up, metrics: [...up.metrics, { error: 'no adapter' }] }, state: createInitialState(), nowMs: 1_000_000 });
    expect(r2.decision.scaleTo).toBe(4); // 8 wanted, legacy cap max(2×2, 4)
  });

  it('explains every step in order', () => {
    const r = reconcile({ hpa: hpa([ACTIVE], { max: 10, behavior: {} }), observation: podsObs(2, 12), state: createInitialState(), nowMs: 1_000_000 });
    expect(r.decision.desiredReplicas).toBe(5);
    expect(r.decision.explanation.map((s) => s.kind)).toEqual(['version', 'scale', 'metric', 'combine', 'stabilize', 'limit', 'result']);
    expect(describeStep(r.decision.explanation[2]!)).toContain('ratio 2.4');
    expect(describeStep(r.decision.explanation[2]!)).toContain('ceil(2.4 × 2) = 5');
  });

  it('re-running with rescaleError gives upstream\'s FailedRescale outcome and keeps no scale event', () => {
    const h = hpa([ACTIVE], { max: 10, behavior: {} });
    const obs = podsObs(1, 9);
    const r = reconcile({ hpa: h, observation: { ...obs, rescaleError: 'conflict' }, state: createInitialState(), nowMs: 0 });
    expect(r.decision.scaleTo).toBeNull();
    expect(r.decision.events[0]).toEqual({ type: 'Warning', reason: 'FailedRescale', message: 'New size: 2; reason: pods metric asr_active_requests above target; error: conflict' });
    expect(r.state.scaleUpEvents).toEqual([]);
  });
});
