import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyHpaDefaults,
  createInitialState,
  reconcile,
  reconcileFast,
  type AutoscalerState,
  type ControllerConfigInput,
  type HorizontalPodAutoscaler,
  type HPAScalingRules,
  type MetricReading,
  type MetricSpec,
  type Observation,
  type PodInfo,
  type ReconcileInput,
  type ReconcileResult,
} from './index.js';

/** The fast path against the full pass on one input: every field but the explanation, and the next state. */
function expectSameOutcome(input: ReconcileInput): { full: ReconcileResult; fast: ReconcileResult } {
  const full = reconcile(input);
  const fast = reconcileFast(input);
  expect(fast.decision.desiredReplicas).toBe(full.decision.desiredReplicas);
  expect(fast.decision.scaleTo).toBe(full.decision.scaleTo);
  expect(fast.decision.statusChanged).toBe(full.decision.statusChanged);
  expect(fast.decision.error).toBe(full.decision.error);
  expect(fast.decision.events).toEqual(full.decision.events);
  expect(fast.decision.metrics).toEqual(full.decision.metrics);
  expect(fast.decision.status).toEqual(full.decision.status);
  expect(fast.state).toEqual(full.state);
  return { full, fast };
}

const SYNC_MS = 15_000;

const rulesArb: fc.Arbitrary<HPAScalingRules> = fc.record(
  {
    stabilizationWindowSeconds: fc.integer({ min: 0, max: 600 }),
    selectPolicy: fc.constantFrom('Max', 'Min', 'Disabled'),
    policies: fc.array(fc.record({ type: fc.constantFrom('Pods', 'Percent'), value: fc.integer({ min: 1, max: 200 }), periodSeconds: fc.integer({ min: 1, max: 300 }) }), {
      minLength: 0,
      maxLength: 3,
    }),
    tolerance: fc.constantFrom('0.05', '0.2', '0'),
  },
  { requiredKeys: [] },
);

const metricArb: fc.Arbitrary<MetricSpec> = fc.oneof(
  fc.integer({ min: 100, max: 20_000 }).map((m): MetricSpec => ({ type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: `${m}m` } } })),
  fc.integer({ min: 10, max: 150 }).map((u): MetricSpec => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: u } } })),
  fc.integer({ min: 50, max: 2_000 }).map((v): MetricSpec => ({ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: `${v}Mi` } } })),
  fc.integer({ min: 10, max: 150 }).map((u): MetricSpec => ({ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'asr', target: { type: 'Utilization', averageUtilization: u } } })),
  fc.integer({ min: 1, max: 500 }).map((v): MetricSpec => ({ type: 'Object', object: { describedObject: { kind: 'Service', name: 'asr' }, metric: { name: 'rps' }, target: { type: 'Value', value: v } } })),
  fc.integer({ min: 1, max: 500 }).map((v): MetricSpec => ({ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: v } } })),
);

const hpaArb: fc.Arbitrary<HorizontalPodAutoscaler> = fc
  .record({
    min: fc.integer({ min: 0, max: 6 }),
    span: fc.integer({ min: 0, max: 30 }),
    metrics: fc.array(metricArb, { minLength: 1, maxLength: 3 }),
    behavior: fc.option(fc.record({ scaleUp: rulesArb, scaleDown: rulesArb }, { requiredKeys: [] }), { nil: undefined }),
  })
  .map(({ min, span, metrics, behavior }) =>
    applyHpaDefaults({
      metadata: { name: 'asr', namespace: 'ns' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'asr', apiVersion: 'apps/v1' },
        minReplicas: min,
        maxReplicas: Math.max(1, min + span),
        metrics,
        ...(behavior ? { behavior } : {}),
      },
    }),
  );

/** Per pod: phase, readiness, age, and the load it reports (or none). */
const podArb = fc.record({
  phase: fc.constantFrom('Running', 'Running', 'Running', 'Pending', 'Failed', 'Succeeded'),
  ready: fc.constantFrom('True', 'True', 'False', 'none'),
  ageSeconds: fc.integer({ min: 0, max: 900 }),
  readyForSeconds: fc.integer({ min: 0, max: 900 }),
  deleting: fc.boolean(),
  load: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined, freq: 8 }),
  otherLabels: fc.boolean(),
});

const syncArb = fc.record({
  pods: fc.array(podArb, { minLength: 0, maxLength: 12 }),
  specReplicas: fc.integer({ min: 0, max: 40 }),
  failing: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  external: fc.integer({ min: 0, max: 50_000 }),
  scaleError: fc.option(fc.constant('scale subresource unavailable'), { nil: undefined, freq: 20 }),
  rescaleError: fc.option(fc.constant('conflict'), { nil: undefined, freq: 10 }),
});

type Sync = typeof syncArb extends fc.Arbitrary<infer T> ? T : never;

function observation(hpa: HorizontalPodAutoscaler, s: Sync, nowMs: number): Observation {
  const pods: PodInfo[] = s.pods.map((p, i) => ({
    name: `asr-${i}`,
    labels: { app: p.otherLabels && i === 0 ? 'other' : 'asr' },
    phase: p.phase,
    ...(p.deleting ? { deleting: true } : {}),
    startTimeMs: nowMs - p.ageSeconds * 1000,
    ...(p.ready === 'none' ? {} : { ready: { status: p.ready, lastTransitionTimeMs: nowMs - p.readyForSeconds * 1000 } }),
    containers: [{ name: 'asr', requestsMilli: { cpu: 500, memory: 1_048_576_000 } }],
  }));
  const metrics: MetricReading[] = (hpa.spec.metrics ?? []).map((m, k): MetricReading => {
    if (s.failing[k]) return { error: 'the server could not find the requested resource' };
    const loaded = s.pods.flatMap((p, i) => (p.load === undefined ? [] : [{ name: `asr-${i}`, load: p.load }]));
    switch (m.type) {
      case 'Pods':
        return { podValues: loaded.map((p) => ({ podName: p.name, valueMilli: p.load, timestampMs: nowMs - 5_000 })) };
      case 'Resource':
      case 'ContainerResource':
        return {
          podMetrics: loaded.map((p) => ({
            podName: p.name,
            timestampMs: nowMs - 10_000,
            windowSeconds: 30,
            containers: [{ name: 'asr', usageMilli: { cpu: Math.round(p.load / 20), memory: p.load * 100_000_000 } }],
          })),
        };
      case 'Object':
        return { valueMilli: s.external };
      default:
        return { valuesMilli: [s.external, Math.round(s.external / 3)] };
    }
  });
  return {
    scale: s.scaleError !== undefined ? { error: s.scaleError } : { specReplicas: s.specReplicas, statusReplicas: pods.length, selector: 'app=asr' },
    pods,
    metrics,
    ...(s.rescaleError !== undefined ? { rescaleError: s.rescaleError } : {}),
  };
}

const configArb: fc.Arbitrary<ControllerConfigInput | undefined> = fc.option(
  fc.record({
    kubernetesVersion: fc.constantFrom('1.30', '1.33', '1.35', '1.36', '1.38'),
    featureGates: fc.record({ HPAScaleToZero: fc.boolean(), HPAConfigurableTolerance: fc.boolean() }, { requiredKeys: [] }),
  }),
  { nil: undefined },
);

describe('reconcileFast() is reconcile() without the explanation', () => {
  it('gives the same decision and next state over random sync sequences', () => {
    fc.assert(
      fc.property(hpaArb, fc.array(syncArb, { minLength: 1, maxLength: 12 }), configArb, (hpa, syncs, config) => {
        let state: AutoscalerState = createInitialState();
        syncs.forEach((s, step) => {
          const nowMs = step * SYNC_MS;
          const input: ReconcileInput = { hpa, observation: observation(hpa, s, nowMs), state, nowMs, ...(config ? { config } : {}) };
          const { full } = expectSameOutcome(input);
          state = full.state;
        });
      }),
      { numRuns: 400 },
    );
  });

  it('explains on demand exactly as the full pass does, and keeps no own explanation', () => {
    fc.assert(
      fc.property(hpaArb, fc.array(syncArb, { minLength: 1, maxLength: 6 }), (hpa, syncs) => {
        let state: AutoscalerState = createInitialState();
        syncs.forEach((s, step) => {
          const nowMs = step * SYNC_MS;
          const input: ReconcileInput = { hpa, observation: observation(hpa, s, nowMs), state, nowMs };
          const full = reconcile(input);
          const fast = reconcileFast(input);
          expect(Object.keys(fast.decision)).not.toContain('explanation');
          expect(fast.decision.explanation).toEqual(full.decision.explanation);
          // The fast path's own state chain gives the same results as the full one.
          state = fast.state;
        });
      }),
      { numRuns: 100 },
    );
  });
});
