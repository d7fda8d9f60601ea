/**
 * What a cluster's Prometheus would have seen of a simulated run: each sync's observation (the
 * pods, the readings the adapter served) and decision, captured by wrapping the engine's
 * `reconcile` that the simulator calls. Pure: the caller writes the frames out.
 */
import { reconcile, type Decision, type MetricReading, type Observation, type PodInfo, type ReconcileInput, type ReconcileResult } from '../engine/index.js';
import { runSimulation, type Scenario, type SimResult } from '../sim/index.js';

/** One sync of one HPA as the simulator ran it. */
export interface SyncFrame {
  /** Simulated milliseconds from the start of the run. */
  readonly tMs: number;
  readonly namespace: string;
  readonly hpa: string;
  readonly deployment: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** `spec.replicas` before the sync. */
  readonly specBefore: number;
  /** `status.replicas` of the scale subresource at the sync (live pods). */
  readonly statusReplicas: number;
  /** `spec.replicas` after the sync. */
  readonly specAfter: number;
  readonly decision: Pick<Decision, 'desiredReplicas' | 'status'>;
  readonly pods: readonly PodInfo[];
  /** The metric names of `spec.metrics`, same order as `readings`. */
  readonly metricNames: readonly string[];
  readonly readings: readonly MetricReading[];
}

/** A run and the frames of every sync. */
export interface CapturedRun {
  readonly result: SimResult;
  readonly frames: readonly SyncFrame[];
}

/** The metric name of one `spec.metrics` entry (`asr_active_requests`, `cpu`). */
export function specMetricName(m: { readonly type: string; readonly pods?: { readonly metric: { readonly name: string } }; readonly object?: { readonly metric: { readonly name: string } }; readonly external?: { readonly metric: { readonly name: string } }; readonly resource?: { readonly name: string }; readonly containerResource?: { readonly name: string } }): string {
  return m.pods?.metric.name ?? m.object?.metric.name ?? m.external?.metric.name ?? m.resource?.name ?? m.containerResource?.name ?? m.type;
}

/**
 * Runs the scenario and keeps every sync's frame.
 *
 * @example captureSimulation(scenario, { seed: 1 }).frames.length // -> syncs × HPAs
 */
export function captureSimulation(scenario: Scenario, options: { readonly seed: number; readonly onProgress?: (fraction: number) => void }): CapturedRun {
  const frames: SyncFrame[] = [];
  const wrapped = (input: ReconcileInput): ReconcileResult => {
    const out = reconcile(input);
    frames.push(frameOf(input, out));
    return out;
  };
  const result = runSimulation(scenario, { seed: options.seed, reconcile: wrapped, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  return { result, frames };
}

function frameOf(input: ReconcileInput, out: ReconcileResult): SyncFrame {
  const hpa = input.hpa;
  const obs: Observation = input.observation;
  const scale = 'error' in obs.scale ? undefined : obs.scale;
  const before = scale?.specReplicas ?? 0;
  const d = out.decision;
  return {
    tMs: input.nowMs,
    namespace: hpa.metadata.namespace ?? 'default',
    hpa: hpa.metadata.name,
    deployment: hpa.spec.scaleTargetRef.name,
    minReplicas: hpa.spec.minReplicas ?? 1,
    maxReplicas: hpa.spec.maxReplicas,
    specBefore: before,
    statusReplicas: scale?.statusReplicas ?? before,
    specAfter: d.scaleTo ?? before,
    decision: { desiredReplicas: d.desiredReplicas, status: d.status },
    pods: obs.pods,
    metricNames: (hpa.spec.metrics ?? []).map(specMetricName),
    readings: obs.metrics,
  };
}
