/**
 * `hpa-lab backtest`: what another HPA configuration would have done on the recorded demand.
 *
 * The demand is rebuilt from a load-proportional metric: the per-pod readings summed over ready
 * pods (per-pod reading × ready pods) give the service's total, which the service model turns
 * into requests per second (Little's law for active requests: rate = active / mean service
 * time). The simulator then runs the candidate on that traffic with its pod lifecycle
 * (scheduling, model load, readiness), so fewer replicas mean queueing and slower capacity.
 *
 * Open loop: the recorded readings came from the recorded replicas. For load-proportional
 * metrics the total does not depend on the replicas; CPU with a startup spike and memory do,
 * so the backtest refuses memory and CPU with a startup spike, and warns on other saturating
 * metrics (utilization).
 */
import {
  DEFAULT_PIPELINE,
  DEFAULT_SERVICE_MODEL,
  DEFAULT_SLO_LATENCY_SECONDS,
  parseTrafficSpec,
  runSimulation,
  type PodMetricSource,
  type Scenario,
  type ServiceModel,
  type SimResult,
  type TracePoint,
} from '../sim/index.js';
import type { HorizontalPodAutoscaler } from '../engine/index.js';
import { specMetricName } from './sim-capture.js';
import type { TraceHeader, TraceHpa, TraceSync } from './trace-format.js';

/** What the recorded HPA did, from the trace alone. */
export interface RecordedSummary {
  readonly durationSeconds: number;
  /** Pods that existed (any phase) × time. */
  readonly podHours: number;
  readonly peakReplicas: number;
  readonly meanReplicas: number;
  readonly scaleUps: number;
  readonly scaleDowns: number;
  /** Rescales reversing the previous one's direction within 2 × the scale-down window. */
  readonly flaps: number;
}

/** The demand rebuilt from a trace, and what happened. */
export interface RecordedDemand {
  readonly hpa: TraceHpa;
  /** Requests per second at `t` seconds from the start of the trace. */
  readonly points: TracePoint[];
  readonly recorded: RecordedSummary;
  /** The metric the demand came from. */
  readonly metric: string;
  readonly initialReplicas: number;
}

/** Why a metric can or cannot be backtested open loop. */
export interface Validity {
  readonly ok: boolean;
  readonly warnings: readonly string[];
  readonly refusals: readonly string[];
}

/** The mean of a service time distribution, seconds. */
export function meanServiceSeconds(model: ServiceModel): number {
  const s = model.serviceTime;
  return s.distribution === 'lognormal' ? s.medianSeconds * Math.exp((s.sigma * s.sigma) / 2) : s.meanSeconds;
}

/** The per-pod gauge source a metric name stands for in the service model (undefined: none). */
function sourceOf(model: ServiceModel, name: string): PodMetricSource | undefined {
  return model.metrics[name]?.source;
}

const LOAD_PROPORTIONAL: readonly PodMetricSource[] = ['active', 'in-service', 'queued', 'requests-per-second'];

/**
 * Whether an HPA's metrics can be backtested open loop on a service.
 *
 * @example checkBacktestValidity(hpa, DEFAULT_SERVICE_MODEL) // -> { ok: true, warnings: [], refusals: [] }
 */
export function checkBacktestValidity(hpa: HorizontalPodAutoscaler, model: ServiceModel): Validity {
  const warnings: string[] = [];
  const refusals: string[] = [];
  for (const m of hpa.spec.metrics ?? []) {
    const name = specMetricName(m);
    if (m.type === 'Resource' || m.type === 'ContainerResource') {
      if (name === 'memory') refusals.push(`metric memory: memory follows what the pods hold, not the load they get, so recorded readings say nothing of other replica counts`);
      else if (name === 'cpu' && model.cpu.startup !== null) refusals.push(`metric cpu: the startup spike (${model.cpu.startup.extraMillicores}m for ${model.cpu.startup.holdSeconds}s) depends on when pods start, which the candidate changes`);
      else warnings.push(`metric ${name}: utilization saturates at the recorded replicas; the rebuilt demand is a lower bound where pods were busy`);
    } else if (m.type === 'Pods') {
      const source = sourceOf(model, name);
      if (source === 'busy-percent') warnings.push(`metric ${name}: a utilization saturates at 100 %; the demand is read from a load-proportional metric instead`);
      else if (source === undefined) warnings.push(`metric ${name}: the service model does not export it; the candidate cannot be driven by it`);
    }
  }
  return { ok: refusals.length === 0, warnings, refusals };
}

/** The load-proportional metric of a trace's HPA the demand is rebuilt from. */
export function demandMetric(hpa: TraceHpa, model: ServiceModel): { index: number; name: string; source: PodMetricSource } | undefined {
  for (const [index, m] of hpa.metrics.entries()) {
    if (m.shape !== 'per-pod') continue;
    const source = sourceOf(model, m.name);
    if (source !== undefined && LOAD_PROPORTIONAL.includes(source)) return { index, name: m.name, source };
  }
  return undefined;
}

/**
 * Reads the trace's syncs of one HPA into demand points and the recorded summary.
 *
 * @throws {RangeError} when the HPA has no load-proportional metric
 */
export async function reconstructDemand(header: TraceHeader, hpaName: string, syncs: AsyncIterable<TraceSync> | Iterable<TraceSync>, model: ServiceModel): Promise<RecordedDemand> {
  const hpa = header.hpas.find((h) => `${h.namespace}/${h.name}` === hpaName);
  if (hpa === undefined) throw new RangeError(`Cannot backtest as the trace has no HPA '${hpaName}': it has ${header.hpas.map((h) => `${h.namespace}/${h.name}`).join(', ')}`);
  const metric = demandMetric(hpa, model);
  if (metric === undefined) {
    throw new RangeError(`Cannot backtest ${hpaName} as none of its metrics (${hpa.metrics.map((m) => m.name).join(', ')}) is load-proportional (active or queued requests, a request rate) in the service model`);
  }
  const perRequest = metric.source === 'requests-per-second' ? 1 : 1 / meanServiceSeconds(model);
  const stepS = header.stepSeconds;
  const downWindowS = hpa.spec.spec.behavior?.scaleDown?.stabilizationWindowSeconds ?? 300;
  const points: TracePoint[] = [];
  let podSeconds = 0;
  let replicaSum = 0;
  let n = 0;
  let peak = 0;
  let ups = 0;
  let downs = 0;
  let flaps = 0;
  let last: number | undefined;
  let lastDir = 0;
  let lastDirT = Number.NEGATIVE_INFINITY;
  let initial: number | undefined;
  let lastQueued = 0;
  for await (const s of syncs) {
    if (s.hpa !== hpaName) continue;
    const t = (s.tMs - header.fromMs) / 1000;
    const r = s.metrics[metric.index];
    // Per-pod reading × ready pods; for active requests, the part beyond the pod's concurrency
    // queues: it adds to the rate only by its growth (Little's law on the slots, not the queue).
    let inService = 0;
    let queued = 0;
    if (r !== undefined && 'podValues' in r) {
      for (const p of s.pods) {
        const v = r.podValues[p.name];
        if (p.ready !== 'True' || p.deleting === true || v === undefined) continue;
        if (metric.source === 'active') {
          inService += Math.min(v, model.concurrency);
          queued += Math.max(0, v - model.concurrency);
        } else inService += v;
      }
    }
    const growth = Math.max(0, queued - lastQueued) / stepS;
    lastQueued = queued;
    points.push({ t, rps: inService * perRequest + growth });
    podSeconds += s.pods.length * stepS;
    const size = s.specReplicas ?? last ?? 0;
    initial ??= size;
    replicaSum += size;
    n++;
    if (size > peak) peak = size;
    if (last !== undefined && size !== last) {
      const dir = size > last ? 1 : -1;
      if (dir > 0) ups++;
      else downs++;
      if (lastDir !== 0 && dir !== lastDir && t - lastDirT <= 2 * downWindowS) flaps++;
      lastDir = dir;
      lastDirT = t;
    }
    last = size;
  }
  const durationSeconds = points.length === 0 ? 0 : points[points.length - 1]!.t + stepS;
  return {
    hpa,
    points,
    metric: metric.name,
    initialReplicas: initial ?? 1,
    recorded: { durationSeconds, podHours: podSeconds / 3600, peakReplicas: peak, meanReplicas: n === 0 ? 0 : replicaSum / n, scaleUps: ups, scaleDowns: downs, flaps },
  };
}

/** Options of {@link backtestScenario}. */
export interface BacktestScenarioOptions {
  /** The service model (default: the seeds' worker). */
  readonly service?: ServiceModel;
  /** A scenario whose pipeline, SLO and controller settings to use. */
  readonly base?: Pick<Scenario, 'pipeline' | 'sloLatencySeconds' | 'controller' | 'stepSeconds' | 'arrivals'>;
  readonly kubernetesVersion?: string;
}

/** The scenario that runs `candidate` on the recorded demand. */
export function backtestScenario(demand: RecordedDemand, candidate: HorizontalPodAutoscaler, options: BacktestScenarioOptions = {}): Scenario {
  const model: ServiceModel = { ...(options.service ?? DEFAULT_SERVICE_MODEL), initialReplicas: demand.initialReplicas, initialState: 'ready' };
  const deployment = candidate.spec.scaleTargetRef.name;
  const points = demand.points.length > 0 ? demand.points : [{ t: 0, rps: 0 }];
  const version = options.kubernetesVersion;
  return {
    name: `backtest-${demand.hpa.name}`,
    durationSeconds: Math.max(demand.recorded.durationSeconds, 1),
    hpas: [candidate],
    services: { [deployment]: model },
    traffic: parseTrafficSpec({ type: 'trace', points, interpolation: 'linear' }),
    trafficPoints: points,
    pipeline: options.base?.pipeline ?? DEFAULT_PIPELINE,
    externalMetrics: {},
    controller: { ...(options.base?.controller ?? {}), ...(version === undefined ? {} : { kubernetesVersion: version }) },
    sloLatencySeconds: options.base === undefined ? DEFAULT_SLO_LATENCY_SECONDS : options.base.sloLatencySeconds,
    stepSeconds: options.base?.stepSeconds ?? 1,
    timelineEverySyncs: 1,
    arrivals: options.base?.arrivals ?? 'poisson',
  };
}

/** Runs a candidate on the recorded demand. */
export function runBacktest(demand: RecordedDemand, candidate: HorizontalPodAutoscaler, options: BacktestScenarioOptions & { readonly seed: number }): SimResult {
  return runSimulation(backtestScenario(demand, candidate, options), { seed: options.seed });
}
