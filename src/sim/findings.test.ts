import { describe, expect, it } from 'vitest';
import type { HorizontalPodAutoscaler, MetricSpec } from '../engine/index.js';
import { DEFAULT_PIPELINE, DEFAULT_SERVICE_MODEL } from './defaults.js';
import { formatSeconds } from './findings.js';
import { runSimulation } from './run.js';
import { parseTrafficSpec, type TrafficSpecInput } from './traffic-schema.js';
import type { FindingKind, Scenario, ServiceModel } from './types.js';

const active: MetricSpec = { type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } };

function run(input: { metrics?: MetricSpec[]; spec?: Partial<HorizontalPodAutoscaler['spec']>; traffic: TrafficSpecInput; model?: Partial<ServiceModel>; durationSeconds?: number }) {
  const hpa: HorizontalPodAutoscaler = {
    metadata: { name: 'asr' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'asr' }, minReplicas: 1, maxReplicas: 10, metrics: input.metrics ?? [active], ...input.spec },
  };
  const scenario: Scenario = {
    name: 'findings',
    durationSeconds: input.durationSeconds ?? 3600,
    hpas: [hpa],
    services: { asr: { ...DEFAULT_SERVICE_MODEL, ...input.model } },
    traffic: parseTrafficSpec(input.traffic),
    pipeline: DEFAULT_PIPELINE,
    externalMetrics: {},
    controller: {},
    sloLatencySeconds: 5,
    stepSeconds: 1,
    timelineEverySyncs: 1,
    arrivals: 'poisson',
  };
  return runSimulation(scenario, { seed: 1 });
}

const kinds = (r: ReturnType<typeof run>): FindingKind[] => r.findings.map((f) => f.kind);

describe('findings', () => {
  it('flapping: load that swings every 4 minutes against a 60 s scale-down window', () => {
    const steps = Array.from({ length: 14 }, (_, i) => ({ atSeconds: 240 * (i + 1), rps: i % 2 === 0 ? 40 : 8 }));
    const r = run({
      traffic: { type: 'step', initialRps: 8, steps },
      spec: { behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
    });
    const f = r.findings.find((x) => x.kind === 'flapping');
    expect(f).toBeDefined();
    expect(r.summary.hpas[0]!.flaps).toBeGreaterThanOrEqual(4);
    expect(f!.fix).toContain('stabilizationWindowSeconds (60 s now');
  });

  it('scale-down frozen: a metric the pods do not export keeps the replicas up after the load fell', () => {
    const missing: MetricSpec = { type: 'Pods', pods: { metric: { name: 'asr_gpu_memory_used_bytes' }, target: { type: 'AverageValue', averageValue: '1G' } } };
    const r = run({ metrics: [active, missing], traffic: { type: 'step', initialRps: 40, steps: [{ atSeconds: 600, rps: 5 }] }, spec: { minReplicas: 1 }, model: { initialReplicas: 8 } });
    const f = r.findings.find((x) => x.kind === 'scale-down-frozen');
    expect(f).toMatchObject({ metric: 'asr_gpu_memory_used_bytes', severity: 'critical' });
    expect(f!.evidence).toContain('the server could not find the metric asr_gpu_memory_used_bytes');
    // It may still scale up (noise at 40 rps), never down.
    expect(r.summary.hpas[0]!.scaleDowns).toBe(0);
    expect(r.summary.hpas[0]!.finalReplicas).toBeGreaterThanOrEqual(8);
  });

  it('pinned at maxReplicas: load above what maxReplicas can serve at the target', () => {
    const r = run({ traffic: { type: 'step', initialRps: 10, steps: [{ atSeconds: 300, rps: 100 }] }, spec: { maxReplicas: 6 } });
    const f = r.findings.find((x) => x.kind === 'pinned-at-max');
    expect(f).toBeDefined();
    expect(f!.title).toBe('asr pinned at maxReplicas 6 with load above target');
    expect(f!.evidence).toMatch(/requests dropped/);
  });

  it('staircase and fixed usage: the blog’s startup CPU spike and constant memory', () => {
    const r = run({
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 90 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 90 } } },
      ],
      spec: { maxReplicas: 3 },
      traffic: { type: 'ramp', fromRps: 0.5, toRps: 0.5 },
      model: {
        initialReplicas: 1,
        initialState: 'starting',
        modelLoadSeconds: 20,
        serviceTime: { distribution: 'fixed', meanSeconds: 0.2 },
        requests: { cpuMillicores: 500, memoryBytes: 1350 * 1024 * 1024 },
        cpu: { idleMillicores: 50, perRequestMillicores: 100, startup: { extraMillicores: 550, holdSeconds: 240, decaySeconds: 60 } },
        memory: { idleBytes: 1100 * 1024 * 1024, perRequestBytes: 0 },
        metrics: {},
      },
    });
    expect(kinds(r)).toEqual(['staircase', 'fixed-usage']);
    expect(r.findings[1]).toMatchObject({ metric: 'memory', severity: 'warning' });
  });

  it('finds nothing in a calm run', () => {
    expect(run({ traffic: { type: 'ramp', fromRps: 10, toRps: 10 }, model: { serviceTime: { distribution: 'fixed', meanSeconds: 1 } }, durationSeconds: 1800 }).findings).toEqual([]);
  });
});

describe('formatSeconds()', () => {
  it.each([
    { s: 45, want: '45s' },
    { s: 270, want: '4m 30s' },
    { s: 3600, want: '1h' },
    { s: 3720, want: '1h 2m' },
    { s: 90_000, want: '1d 1h' },
  ])('$s s is $want', ({ s, want }) => {
    expect(formatSeconds(s)).toBe(want);
  });
});
