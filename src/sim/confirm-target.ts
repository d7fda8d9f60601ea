/**
 * The simulator's check of a `targetActiveRequests` chosen by the queueing model: a steady load
 * that holds `pods` pods at the target, the seed's HPA on `asr_active_requests`, and the latency
 * the simulated users saw.
 */
import type { HorizontalPodAutoscaler } from '../engine/index.js';
import { DEFAULT_PIPELINE, DEFAULT_SERVICE_MODEL } from './defaults.js';
import { MgcQueue, type PodQueueModel } from './queueing.js';
import { runSimulation } from './run.js';
import { parseTrafficSpec } from './traffic-schema.js';
import type { LoadBalancing, Scenario, ServiceModel } from './types.js';

/** Input of `confirmTarget`. */
export interface ConfirmTargetInput extends PodQueueModel {
  /** The per-pod `targetActiveRequests` to check. */
  readonly target: number;
  /** Pods the steady load holds at the target (default 4). */
  readonly pods?: number;
  /** Simulated time (default 2 h). */
  readonly durationSeconds?: number;
  readonly seed?: number;
  /** A base service model (a scenario's) for the fields the queueing model does not set. */
  readonly base?: ServiceModel;
  /** How the Service spreads requests (default round-robin: every pod sees its own queue, as the model assumes). */
  readonly loadBalancing?: LoadBalancing;
}

/** What the simulator measured at one target. */
export interface ConfirmTargetResult {
  readonly target: number;
  /** Offered load, requests per second. */
  readonly rps: number;
  readonly meanReplicas: number;
  readonly requests: number;
  readonly dropped: number;
  readonly latencyP50Seconds: number | null;
  readonly latencyP95Seconds: number | null;
  readonly latencyP99Seconds: number | null;
  /** Mean active requests per ready pod at the syncs, as the HPA read them. */
  readonly meanActivePerPod: number;
}

/**
 * Runs the simulator on a constant load of `pods × λ(target)` requests per second (λ from the
 * M/G/c model: the per-pod rate whose mean active requests equal the target) with an HPA whose
 * target is `target`, starting at `pods` ready pods, and reports the latency percentiles.
 *
 * @example confirmTarget({ concurrency: 8, serviceTime: { distribution: 'exponential', meanSeconds: 1 }, target: 13 }).latencyP95Seconds
 */
export function confirmTarget(input: ConfirmTargetInput): ConfirmTargetResult {
  const pods = input.pods ?? 4;
  const queue = new MgcQueue(input);
  const rps = pods * queue.rateForActive(input.target);
  const name = 'sized-service';
  const hpa: HorizontalPodAutoscaler = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: 1,
      maxReplicas: Math.max(10, pods * 4),
      metrics: [{ type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: String(input.target) } } }],
    },
  };
  const base = input.base ?? DEFAULT_SERVICE_MODEL;
  const service: ServiceModel = {
    ...base,
    concurrency: input.concurrency,
    serviceTime: input.serviceTime,
    queueLimit: null,
    initialReplicas: pods,
    initialState: 'ready',
    loadBalancing: input.loadBalancing ?? 'round-robin',
    trafficShare: 1,
    metrics: { asr_active_requests: { source: 'active', averageOverSeconds: 0 } },
  };
  const scenario: Scenario = {
    name: `target-${input.target}`,
    durationSeconds: input.durationSeconds ?? 7200,
    hpas: [hpa],
    services: { [name]: service },
    traffic: parseTrafficSpec({ type: 'constant', rps }),
    pipeline: DEFAULT_PIPELINE,
    externalMetrics: {},
    controller: {},
    sloLatencySeconds: null,
    stepSeconds: 1,
    timelineEverySyncs: 1,
    arrivals: 'poisson',
  };
  const result = runSimulation(scenario, { seed: input.seed ?? 1 });
  const svc = result.summary.services[0]!;
  const h = result.timeline.hpas[0]!;
  const active = h.activePerPod.filter((v) => Number.isFinite(v));
  return {
    target: input.target,
    rps,
    meanReplicas: result.summary.hpas[0]!.meanReplicas,
    requests: svc.requests,
    dropped: svc.dropped,
    latencyP50Seconds: svc.latencyP50,
    latencyP95Seconds: svc.latencyP95,
    latencyP99Seconds: svc.latencyP99,
    meanActivePerPod: active.length === 0 ? 0 : active.reduce((a, b) => a + b, 0) / active.length,
  };
}
