import { describe, expect, it } from 'vitest';
import { applyHpaDefaults, type HorizontalPodAutoscaler, type Observation, type PodInfo } from '../engine/index.js';
import { HpaSync } from './hpa-sync.js';

const hpa: HorizontalPodAutoscaler = {
  metadata: { name: 'lightning-asr' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'lightning-asr' },
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [{ type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } }],
    behavior: { scaleUp: { stabilizationWindowSeconds: 0 } },
  },
};

/** Two ready pods with `perPod` active requests each, at `nowMs`. */
function observation(perPod: number, nowMs: number, specReplicas = 2): Observation {
  const pods: PodInfo[] = [0, 1].map((i) => ({ name: `p${i}`, labels: { app: 'lightning-asr' }, phase: 'Running', startTimeMs: 0, ready: { status: 'True', lastTransitionTimeMs: 0 } }));
  return {
    scale: { specReplicas, statusReplicas: specReplicas, selector: 'app=lightning-asr' },
    pods,
    metrics: [{ podValues: pods.map((p) => ({ podName: p.name, valueMilli: perPod * 1000, timestampMs: nowMs })) }],
  };
}

describe('HpaSync', () => {
  it.each([
    { name: 'asks for the scale the engine decides', perPod: 10, scaleTo: 4, reason: 'SuccessfulRescale' },
    { name: 'asks for none within tolerance', perPod: 5, scaleTo: null, reason: undefined },
  ])('$name', ({ perPod, scaleTo, reason }) => {
    const sync = new HpaSync(hpa);
    const plan = sync.plan(observation(perPod, 60_000), 60_000);
    expect(plan.scaleTo).toBe(scaleTo);
    expect(sync.lastDecision).toBeUndefined(); // nothing kept before commit
    const decision = sync.commit(plan);
    expect(sync.lastDecision).toBe(decision);
    expect(sync.lastSyncMs).toBe(60_000);
    expect(decision.events[0]?.reason).toBe(reason);
    expect(sync.state).toBe(plan.result.state);
  });

  it('keeps the FailedRescale outcome when writing the scale failed', () => {
    const sync = new HpaSync(hpa);
    const failed = sync.replan(sync.plan(observation(10, 60_000), 60_000), 'conflict');
    expect(failed.scaleTo).toBeNull();
    const decision = sync.commit(failed);
    expect(decision.events.map((e) => e.reason)).toEqual(['FailedRescale']);
    expect(sync.state.status?.conditions?.find((c) => c.type === 'AbleToScale')?.reason).toBe('FailedUpdateScale');
  });

  it('applies the API defaults and restores a saved state', () => {
    const sync = new HpaSync(hpa);
    expect(sync.hpa).toEqual(applyHpaDefaults(hpa));
    const saved = sync.commit(sync.plan(observation(10, 1_000), 1_000)).desiredReplicas;
    const other = new HpaSync(hpa);
    other.restore(sync.state);
    expect(other.state.status?.desiredReplicas).toBe(saved);
  });
});
