/**
 * Engine throughput: reconciles per second on one core for a single-metric and a
 * three-metric HPA with default behavior, for the full pass (selector, pod grouping, proposal,
 * stabilization, policies, conditions, status, explanation) and for the fast path
 * (`reconcileFast`: the same decision and state, no explanation, statuses on demand).
 */
import {
  applyHpaDefaults,
  createInitialState,
  reconcile,
  reconcileFast,
  type AutoscalerState,
  type HorizontalPodAutoscaler,
  type MetricReading,
  type MetricSpec,
  type Observation,
  type PodInfo,
} from '../src/engine/index.js';

export interface EngineBenchResult {
  readonly name: string;
  /**
   * `today`: the full `reconcile` of the baseline commit (dist-bench/baseline, see
   * scripts/bench.mjs); `full`: this tree's `reconcile` with its explanation; `fast`: `reconcileFast`.
   */
  readonly mode: 'today' | 'full' | 'fast';
  readonly reconcilesPerSecond: number;
  readonly nsPerReconcile: number;
  readonly iterations: number;
}

const POD_COUNT = 3;

function fixture(metrics: MetricSpec[]): { hpa: HorizontalPodAutoscaler; observations: Observation[] } {
  const hpa = applyHpaDefaults({
    metadata: { name: 'lightning-asr', namespace: 'smallest' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'lightning-asr', apiVersion: 'apps/v1' }, minReplicas: 1, maxReplicas: 10, metrics, behavior: {} },
  });
  const pods: PodInfo[] = Array.from({ length: POD_COUNT }, (_, i) => ({
    name: `lightning-asr-${i}`,
    labels: { app: 'lightning-asr' },
    phase: 'Running',
    startTimeMs: -3_600_000,
    ready: { status: 'True', lastTransitionTimeMs: -3_500_000 },
    containers: [{ name: 'asr', requestsMilli: { cpu: 500, memory: 1_415_577_600_000 } }],
  }));
  // Alternate loads so the engine really moves between holding, scaling up and stabilizing.
  const observations = [3, 5, 6, 4, 2, 5].map((active): Observation => {
    const readings: MetricReading[] = metrics.map((m) =>
      m.type === 'Pods'
        ? { podValues: pods.map((p) => ({ podName: p.name, valueMilli: active * 1000, timestampMs: 0 })) }
        : { podMetrics: pods.map((p) => ({ podName: p.name, timestampMs: 0, windowSeconds: 60, containers: [{ name: 'asr', usageMilli: { cpu: 100 * active, memory: 1_153_433_600_000 } }] })) },
    );
    return { scale: { specReplicas: POD_COUNT, statusReplicas: POD_COUNT, selector: 'app=lightning-asr' }, pods, metrics: readings };
  });
  return { hpa, observations };
}

type ReconcileFn = (input: { hpa: HorizontalPodAutoscaler; observation: Observation; state: AutoscalerState; nowMs: number }) => { state: AutoscalerState };

function run(name: string, metrics: MetricSpec[], minMs: number, mode: EngineBenchResult['mode'], today: ReconcileFn | undefined): EngineBenchResult {
  const { hpa, observations } = fixture(metrics);
  const reconcileOf: ReconcileFn = mode === 'fast' ? reconcileFast : mode === 'today' ? today! : reconcile;
  let state: AutoscalerState = createInitialState();
  let nowMs = 0;
  let iterations = 0;
  // Warm up the JIT.
  for (let i = 0; i < 20_000; i++) {
    state = reconcileOf({ hpa, observation: observations[i % observations.length] as Observation, state, nowMs: (nowMs += 15_000) }).state;
  }
  const start = process.hrtime.bigint();
  let elapsedNs = 0n;
  const batch = 10_000;
  while (elapsedNs < BigInt(minMs) * 1_000_000n) {
    for (let i = 0; i < batch; i++) {
      state = reconcileOf({ hpa, observation: observations[i % observations.length] as Observation, state, nowMs: (nowMs += 15_000) }).state;
    }
    iterations += batch;
    elapsedNs = process.hrtime.bigint() - start;
  }
  const ns = Number(elapsedNs) / iterations;
  return { name, mode, reconcilesPerSecond: Math.round(1e9 / ns), nsPerReconcile: Math.round(ns), iterations };
}

/** The baseline engine's `reconcile`, when scripts/bench.mjs built it. */
export async function loadBaselineEngine(): Promise<ReconcileFn | undefined> {
  try {
    const url = new URL('../baseline/out/engine/index.js', import.meta.url);
    const mod = (await import(url.href)) as { reconcile: ReconcileFn };
    return mod.reconcile;
  } catch {
    return undefined;
  }
}

export function benchEngine(minMs = 1500, today?: ReconcileFn): EngineBenchResult[] {
  const active: MetricSpec = { type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } };
  const cpu: MetricSpec = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } };
  const memory: MetricSpec = { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } };
  const out: EngineBenchResult[] = [];
  for (const [name, metrics] of [
    ['single metric (Pods asr_active_requests)', [active]],
    ['three metrics (Pods + CPU + memory)', [active, cpu, memory]],
  ] as const) {
    // The paths alternate three times so a change in the machine's load hits all alike; best of three.
    const base: EngineBenchResult[] = [];
    const full: EngineBenchResult[] = [];
    const fast: EngineBenchResult[] = [];
    for (let k = 0; k < 3; k++) {
      if (today !== undefined) base.push(run(name, [...metrics], minMs / 3, 'today', today));
      full.push(run(name, [...metrics], minMs / 3, 'full', undefined));
      fast.push(run(name, [...metrics], minMs / 3, 'fast', undefined));
    }
    if (today !== undefined) out.push(best(base));
    out.push(best(full), best(fast));
  }
  return out;
}

function best(rs: readonly EngineBenchResult[]): EngineBenchResult {
  return rs.reduce((a, b) => (b.reconcilesPerSecond > a.reconcilesPerSecond ? b : a));
}
