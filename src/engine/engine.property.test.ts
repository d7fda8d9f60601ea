import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyHpaDefaults,
  createInitialState,
  reconcile,
  stabilize,
  type AutoscalerState,
  type HorizontalPodAutoscaler,
  type HPAScalingRules,
  type Observation,
  type PodInfo,
} from './index.js';

const SYNC_MS = 15_000;

function podsHpa(o: { min: number; max: number; targetMilli: number; behavior?: HorizontalPodAutoscaler['spec']['behavior'] }): HorizontalPodAutoscaler {
  return applyHpaDefaults({
    metadata: { name: 'asr', namespace: 'ns' },
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: 'asr', apiVersion: 'apps/v1' },
      minReplicas: o.min,
      maxReplicas: o.max,
      metrics: [{ type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: `${o.targetMilli}m` } } }],
      ...(o.behavior ? { behavior: o.behavior } : {}),
    },
  });
}

function observe(replicas: number, perPodMilli: (i: number) => number, nowMs: number): Observation {
  const pods: PodInfo[] = [];
  const values = [];
  for (let i = 0; i < replicas; i++) {
    pods.push({ name: `p${i}`, labels: { app: 'asr' }, phase: 'Running', startTimeMs: nowMs - 600_000, ready: { status: 'True', lastTransitionTimeMs: nowMs - 500_000 } });
    values.push({ podName: `p${i}`, valueMilli: perPodMilli(i), timestampMs: nowMs });
  }
  return { scale: { specReplicas: replicas, statusReplicas: replicas, selector: 'app=asr' }, pods, metrics: [{ podValues: values }] };
}

const rulesArb: fc.Arbitrary<HPAScalingRules> = fc.record({
  stabilizationWindowSeconds: fc.integer({ min: 0, max: 600 }),
  selectPolicy: fc.constantFrom('Max', 'Min', 'Disabled'),
  policies: fc.array(
    fc.record({ type: fc.constantFrom('Pods', 'Percent'), value: fc.integer({ min: 1, max: 200 }), periodSeconds: fc.integer({ min: 1, max: 300 }) }),
    { minLength: 1, maxLength: 3 },
  ),
});

const hpaArb = fc
  .record({
    min: fc.integer({ min: 1, max: 10 }),
    span: fc.integer({ min: 0, max: 40 }),
    targetMilli: fc.integer({ min: 100, max: 20_000 }),
    behavior: fc.option(fc.record({ scaleUp: rulesArb, scaleDown: rulesArb }), { nil: undefined }),
  })
  .map(({ min, span, targetMilli, behavior }) => podsHpa({ min, max: min + span, targetMilli, ...(behavior ? { behavior } : {}) }));

describe('reconcile() invariants', () => {
  it('keeps desired replicas within [minReplicas, maxReplicas] whenever current is within them', () => {
    fc.assert(
      fc.property(
        hpaArb,
        fc.array(fc.integer({ min: 0, max: 200_000 }), { minLength: 1, maxLength: 30 }),
        fc.nat(),
        (hpa, loads, startSeed) => {
          const min = hpa.spec.minReplicas ?? 1;
          const max = hpa.spec.maxReplicas;
          let replicas = min + (startSeed % (max - min + 1));
          let state: AutoscalerState = createInitialState();
          loads.forEach((load, step) => {
            const nowMs = step * SYNC_MS;
            const r = reconcile({ hpa, observation: observe(replicas, () => load, nowMs), state, nowMs });
            state = r.state;
            expect(r.decision.desiredReplicas).toBeGreaterThanOrEqual(min);
            expect(r.decision.desiredReplicas).toBeLessThanOrEqual(max);
            if (r.decision.scaleTo !== null) replicas = r.decision.scaleTo;
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never adds more pods within a period than a lone Pods scale-up policy allows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 15, max: 120 }),
        fc.array(fc.integer({ min: 0, max: 500_000 }), { minLength: 2, maxLength: 40 }),
        (value, periodSeconds, loads) => {
          const hpa = podsHpa({
            min: 1,
            max: 100,
            targetMilli: 5000,
            behavior: {
              scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value, periodSeconds }] },
              scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
            },
          });
          let replicas = 1;
          let state: AutoscalerState = createInitialState();
          const history: { t: number; delta: number }[] = [];
          loads.forEach((load, step) => {
            const nowMs = step * SYNC_MS;
            const r = reconcile({ hpa, observation: observe(replicas, () => load, nowMs), state, nowMs });
            state = r.state;
            if (r.decision.scaleTo === null) return;
            const delta = r.decision.scaleTo - replicas;
            history.push({ t: nowMs, delta });
            replicas = r.decision.scaleTo;
            if (delta <= 0) return;
            // At a scale-up, the size is at most the size at the period's start plus the policy's
            // value: the net change over (now - period, now] (scale-downs in the period give room back).
            const net = history.filter((h) => h.t > nowMs - periodSeconds * 1000).reduce((sum, h) => sum + h.delta, 0);
            expect(net).toBeLessThanOrEqual(value);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('holds the current size when every pod is within the tolerance band', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1000, max: 20_000 }),
        fc.double({ min: 0.9, max: 1.1, noNaN: true }),
        fc.boolean(),
        (replicas, targetMilli, ratio, withBehavior) => {
          const hpa = podsHpa({ min: 1, max: 50, targetMilli, ...(withBehavior ? { behavior: {} } : {}) });
          const perPod = Math.round(targetMilli * ratio);
          fc.pre(perPod / targetMilli >= 0.9 && perPod / targetMilli <= 1.1);
          const r = reconcile({ hpa, observation: observe(replicas, () => perPod, 0), state: createInitialState(), nowMs: 0 });
          expect(r.decision.scaleTo).toBeNull();
          expect(r.decision.desiredReplicas).toBe(replicas);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is deterministic and does not mutate its inputs', () => {
    fc.assert(
      fc.property(hpaArb, fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 8 }), (hpa, perPod) => {
        const obs = observe(perPod.length, (i) => perPod[i] ?? 0, 30_000);
        const state: AutoscalerState = { recommendations: [{ recommendation: 3, timestampMs: 0 }], scaleUpEvents: [], scaleDownEvents: [] };
        const frozen = JSON.stringify({ hpa, obs, state });
        const a = reconcile({ hpa, observation: obs, state, nowMs: 30_000 });
        const b = reconcile({ hpa, observation: obs, state, nowMs: 30_000 });
        expect(b).toEqual(a);
        expect(JSON.stringify({ hpa, obs, state })).toBe(frozen);
        expect(JSON.parse(JSON.stringify(a.state))).toEqual(a.state); // state is plain data
      }),
      { numRuns: 200 },
    );
  });
});

describe('stabilize() invariants', () => {
  it('returns the maximum of the desired value and every recommendation inside the window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ recommendation: fc.integer({ min: 0, max: 100 }), timestampMs: fc.integer({ min: -1_000_000, max: 0 }) }), { maxLength: 20 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 900 }),
        (recommendations, desiredReplicas, windowSeconds) => {
          const r = stabilize({ recommendations, desiredReplicas, nowMs: 0, windowSeconds });
          const inWindow = recommendations.filter((x) => x.timestampMs >= -windowSeconds * 1000).map((x) => x.recommendation);
          expect(r.replicas).toBe(Math.max(desiredReplicas, ...inWindow));
          expect(r.recommendations.length).toBeLessThanOrEqual(recommendations.length + 1);
        },
      ),
      { numRuns: 500 },
    );
  });
});
