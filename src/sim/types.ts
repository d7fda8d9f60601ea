/**
 * Types of a simulation: the scenario it runs (pure data, every unit explicit) and the result it
 * returns. A scenario file (`src/input/scenario.ts`) is parsed and its file references resolved
 * into a `Scenario` before `runSimulation` sees it, so nothing here does I/O.
 */
import type { ControllerConfigInput, HorizontalPodAutoscaler, HorizontalPodAutoscalerStatus, ReconcileInput, ReconcileResult } from '../engine/index.js';
import type { TracePoint, TrafficSpec } from './traffic-schema.js';
import type { FleetSpec } from './fleet.js';

// ---------------------------------------------------------------------------------------------
// The service model

/** How long one request keeps a slot busy. */
export type ServiceTimeSpec =
  | { readonly distribution: 'fixed'; readonly meanSeconds: number }
  | { readonly distribution: 'exponential'; readonly meanSeconds: number }
  | { readonly distribution: 'lognormal'; readonly medianSeconds: number; readonly sigma: number };

/** How the Service spreads requests over ready pods. */
export type LoadBalancing = 'least-active' | 'round-robin';

/** What a per-pod gauge the service exports measures (`asr_active_requests` is `active`). */
export const POD_METRIC_SOURCES = ['active', 'in-service', 'queued', 'busy-percent', 'requests-per-second'] as const;
/** One of `POD_METRIC_SOURCES`. */
export type PodMetricSource = (typeof POD_METRIC_SOURCES)[number];

/** A custom metric a pod exports on `/metrics`, as the adapter serves it to the HPA. */
export interface ExportedMetric {
  readonly source: PodMetricSource;
  /** The adapter query averages the scraped gauge over this window (`avg_over_time`); 0 = last sample. */
  readonly averageOverSeconds: number;
}

/** Extra CPU while a container starts (JIT, model warm-up): the blog's staircase. */
export interface StartupSpike {
  /** Extra CPU on top of the idle usage from container start. */
  readonly extraMillicores: number;
  /** Seconds the extra CPU holds at its peak after the container starts. */
  readonly holdSeconds: number;
  /** Time constant of the exponential decay after the hold (0 = drops at once). */
  readonly decaySeconds: number;
}

/** The modelled deployment behind a scale target (the ASR workers, the API server). */
export interface ServiceModel {
  /** Requests one pod serves at once; more queue in the pod. */
  readonly concurrency: number;
  readonly serviceTime: ServiceTimeSpec;
  /** Requests a pod may queue beyond `concurrency`; more are dropped. `null` = unbounded. */
  readonly queueLimit: number | null;
  /** Seconds a new pod stays Pending (scheduling, image pull) before its container starts. */
  readonly schedulingDelaySeconds: number;
  /** Seconds from container start to Ready (`asr_model_load_time_seconds`). */
  readonly modelLoadSeconds: number;
  /** A deleted pod drains its in-flight requests for at most this long; the rest are dropped. */
  readonly terminationGracePeriodSeconds: number;
  /** Pods at t = 0; `null` = the HPA's `minReplicas` (1 without an HPA). */
  readonly initialReplicas: number | null;
  /** `ready`: the initial pods started long ago; `starting`: they start at t = 0 (the blog). */
  readonly initialState: 'ready' | 'starting';
  /** Fraction of the scenario's traffic this service receives (0 = none, 1 = all of it). */
  readonly trafficShare: number;
  readonly loadBalancing: LoadBalancing;
  /** Name of the container whose usage Resource metrics report. */
  readonly containerName: string;
  /** Container resource requests; absent ones make Utilization targets fail as upstream. */
  readonly requests: { readonly cpuMillicores?: number; readonly memoryBytes?: number };
  readonly cpu: {
    readonly idleMillicores: number;
    /** CPU per request in service. */
    readonly perRequestMillicores: number;
    readonly startup: StartupSpike | null;
  };
  readonly memory: {
    readonly idleBytes: number;
    /** Memory per active request (in service or queued). */
    readonly perRequestBytes: number;
  };
  /** Custom per-pod metrics the service exports, by metric name. */
  readonly metrics: Readonly<Record<string, ExportedMetric>>;
  /**
   * Extended resources one pod requests (`nvidia.com/gpu: 1`), read by the node pool's scheduler;
   * absent: 1 of the pool's resource when the scenario has a node pool.
   */
  readonly extendedResources?: Readonly<Record<string, number>>;
}

/** How long a new node takes from the cluster autoscaler's request to Ready. */
export type NodeProvisioningDelay =
  | { readonly distribution: 'fixed'; readonly seconds: number }
  | { readonly distribution: 'uniform'; readonly minSeconds: number; readonly maxSeconds: number }
  | { readonly distribution: 'lognormal'; readonly medianSeconds: number; readonly sigma: number };

/**
 * The cluster autoscaler's timing (its flags).
 *
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md (scan-interval, scale-down-unneeded-time, scale-down-delay-after-add)
 */
export interface ClusterAutoscalerSpec {
  /** `--scan-interval` (default 10 s): how often it looks for unschedulable pods and unneeded nodes. */
  readonly scanIntervalSeconds: number;
  readonly provisioning: NodeProvisioningDelay;
  /** `--scale-down-unneeded-time` (default 10 min): an empty node older than this is removed. */
  readonly scaleDownUnneededSeconds: number;
  /** `--scale-down-delay-after-add` (default 10 min): no scale-down this long after a scale-up. */
  readonly scaleDownDelayAfterAddSeconds: number;
}

/** The nodes the scenario's pods run on: one pool of identical nodes (a GPU node group). */
export interface NodePoolSpec {
  readonly name: string;
  /** The extended resource that limits pods (`nvidia.com/gpu`). */
  readonly resource: string;
  /** Of that resource per node (GPUs per node). */
  readonly perNode: number;
  /** Allocatable CPU and memory per node; `null`: not a constraint. */
  readonly cpuMillicores: number | null;
  readonly memoryBytes: number | null;
  /** Nodes at t = 0 (Ready). */
  readonly initialNodes: number;
  readonly minNodes: number;
  readonly maxNodes: number;
  /** `null`: a fixed pool (no cluster autoscaler). */
  readonly clusterAutoscaler: ClusterAutoscalerSpec | null;
}

/** What the node pool did over the run. */
export interface NodePoolSummary {
  readonly pool: string;
  readonly resource: string;
  /** Node-hours from each node's request (provisioning is billed) to its removal. */
  readonly nodeHours: number;
  /** `nodeHours` × the resource per node (GPU-hours). */
  readonly resourceHours: number;
  readonly peakNodes: number;
  readonly finalNodes: number;
  readonly nodesAdded: number;
  readonly nodesRemoved: number;
  /** Pod-seconds spent Pending because no node had room. */
  readonly podPendingSeconds: number;
  /** Most pods Pending for lack of a node at once. */
  readonly peakPendingPods: number;
  /** Requests dropped and SLO misses while pods waited for nodes. */
  readonly droppedWhileWaiting: number;
  readonly sloMissesWhileWaiting: number | null;
}

/** Where an Object or External metric's value comes from (`lightning_asr_replica_count`). */
export interface ServiceMetricSource {
  readonly source: 'replicas' | 'ready-replicas' | 'requests-per-second' | 'active' | 'queued';
  /** The service (deployment name) it describes. */
  readonly service: string;
}

/** Metric pipeline and controller timing. */
export interface PipelineConfig {
  /** HPA controller resync (`--horizontal-pod-autoscaler-sync-period`). */
  readonly syncPeriodSeconds: number;
  /** Prometheus scrape interval for custom and external metrics. */
  readonly scrapeIntervalSeconds: number;
  /** Extra delay before a scraped sample is visible to the adapter. */
  readonly adapterDelaySeconds: number;
  /** metrics-server `--metric-resolution` for CPU and memory. */
  readonly resourceMetricsResolutionSeconds: number;
  /** Prometheus lookback: older samples are stale and the pod has no value. */
  readonly lookbackSeconds: number;
}

/** A scenario ready to run: every HPA inline, every scale target with a service model. */
export interface Scenario {
  readonly name: string;
  readonly description?: string;
  readonly durationSeconds: number;
  /**
   * Seconds the HPAs have been running before t = 0 at the initial replicas (see `warmedUpState`);
   * 0 or absent: t = 0 is their creation.
   */
  readonly warmUpSeconds?: number;
  /** autoscaling/v2 HPAs, synced in this order. */
  readonly hpas: readonly HorizontalPodAutoscaler[];
  /** Service models by deployment name; HPA targets missing here get `DEFAULT_SERVICE_MODEL`. */
  readonly services: Readonly<Record<string, ServiceModel>>;
  readonly traffic: TrafficSpec;
  /** Samples of a `trace` file or `prometheus` traffic, loaded by the caller. */
  readonly trafficPoints?: readonly TracePoint[];
  readonly pipeline: PipelineConfig;
  /** Object and External metric values by metric name (`*_replica_count` works without one). */
  readonly externalMetrics: Readonly<Record<string, ServiceMetricSource>>;
  /** kube-controller-manager flags for the engine. */
  readonly controller: ControllerConfigInput;
  /** Requests slower than this count as SLO misses; `null` = no SLO. */
  readonly sloLatencySeconds: number | null;
  /** Traffic resolution: the event loop's step. */
  readonly stepSeconds: number;
  /** Keep every Nth sync in the timeline (1 = all). */
  readonly timelineEverySyncs: number;
  /** `poisson`: integer arrivals drawn per step; `fluid`: the expected count. */
  readonly arrivals: 'poisson' | 'fluid';
  /** Nodes the pods need room on; absent: room is unlimited (pods never wait for a node). */
  readonly nodePool?: NodePoolSpec;
  /** A fleet generated from this scenario (`simulate` runs it across cores); absent: one run. */
  readonly fleet?: FleetSpec;
}

/** Options of `runSimulation`. */
export interface SimOptions {
  readonly seed: number;
  /** Called with the fraction done (0..1) about every 1 % of the run. */
  readonly onProgress?: (fraction: number) => void;
  /** The engine's `reconcileFast` (default: a run reads no explanation); a wrapper may time or trace it. */
  readonly reconcile?: (input: ReconcileInput) => ReconcileResult;
}

// ---------------------------------------------------------------------------------------------
// The result

/** One metric of one HPA over time (values in units, Utilization in %; NaN = unknown). */
export interface MetricSeries {
  readonly name: string;
  /** `Resource`, `Pods`, `Object`, `External`, `ContainerResource`. */
  readonly type: string;
  readonly targetType: string;
  readonly current: number[];
  readonly target: number[];
  /** Replicas this metric alone proposed at the sync (NaN when it failed). */
  readonly proposal: number[];
}

/** One HPA (and the service it scales) over time, one entry per kept sync. */
export interface HpaSeries {
  readonly hpa: string;
  /** `Deployment/lightning-asr`. */
  readonly reference: string;
  readonly service: string;
  /** `spec.replicas` after the sync: the size this sync's decision set (the size before is the previous row's). */
  readonly replicas: number[];
  readonly readyReplicas: number[];
  readonly desiredReplicas: number[];
  /** Pods that exist (pending, loading, ready, draining). */
  readonly pods: number[];
  readonly metrics: MetricSeries[];
  /** Requests per second offered to the service since the previous kept point. */
  readonly load: number[];
  /** Active requests (in service + queued) per ready pod, at the sync. */
  readonly activePerPod: number[];
  /** Requests queued over all pods, at the sync. */
  readonly queue: number[];
  /** Latency percentiles (seconds) of requests that arrived since the previous kept point. */
  readonly latencyP50: number[];
  readonly latencyP95: number[];
  readonly latencyP99: number[];
  /** Requests dropped since the previous kept point. */
  readonly dropped: number[];
}

/** Columns of the timeline: `t[i]` with every series' `[i]`. */
export interface Timeline {
  /** Seconds from the start. */
  readonly t: number[];
  /** Scenario traffic (requests per second, noise-free) at `t`. */
  readonly rps: number[];
  readonly hpas: HpaSeries[];
}

/** An HPA event, merged with identical repeats as Kubernetes does (`count`, `lastT`). */
export interface SimEvent {
  readonly t: number;
  readonly hpa: string;
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
  /** Rescale events (`SuccessfulRescale`, `FailedRescale`): `spec.replicas` before the sync. */
  readonly from?: number;
  /** Rescale events: the new size the controller set (or failed to set). */
  readonly to?: number;
  /** Rescale events: why, as the message's `reason:` says (`pods metric x above target`). */
  readonly rescaleReason?: string;
  count: number;
  lastT: number;
}

/** A time the offered load exceeded what ready pods could serve, until they could. */
export interface CapacityEpisode {
  readonly service: string;
  /** When the load first exceeded ready capacity. */
  readonly t: number;
  /** Seconds until ready capacity covered the load again (`null`: never, within the run). */
  readonly seconds: number | null;
  /** The largest load / capacity ratio in the episode. */
  readonly peakRatio: number;
}

/** Per-metric figures of an HPA summary. */
export interface MetricSummary {
  readonly name: string;
  readonly type: string;
  /** Seconds the metric's average (as the HPA read it) was above its target. */
  readonly secondsAboveTarget: number;
  /** Syncs whose reading failed. */
  readonly failedSyncs: number;
  readonly meanCurrent: number | null;
  readonly target: number | null;
}

/** What one HPA did over the run. */
export interface HpaSummary {
  readonly hpa: string;
  readonly service: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Pod-hours of every pod that existed (pending, loading, ready, draining): the cost. */
  readonly podHours: number;
  readonly peakReplicas: number;
  readonly meanReplicas: number;
  readonly finalReplicas: number;
  readonly scaleUps: number;
  readonly scaleDowns: number;
  /** Rescales that reversed the previous one's direction within 2 × the scale-down window. */
  readonly flaps: number;
  readonly secondsAtMaxReplicas: number;
  /** Seconds with at least one metric's average above its target. */
  readonly secondsAboveTarget: number;
  readonly metrics: MetricSummary[];
}

/** What the users of one service felt. */
export interface ServiceSummary {
  readonly service: string;
  readonly requests: number;
  readonly dropped: number;
  /** Requests slower than the SLO (`null` without an SLO). */
  readonly sloMisses: number | null;
  readonly latencyP50: number | null;
  readonly latencyP95: number | null;
  readonly latencyP99: number | null;
  /** The first 1000 capacity episodes (load above ready capacity until it was covered). */
  readonly capacityEpisodes: CapacityEpisode[];
  /** All of them. */
  readonly capacityEpisodeCount: number;
  /** The longest time to capacity of the episodes that ended, seconds (`null`: none ended). */
  readonly maxTimeToCapacitySeconds: number | null;
  readonly meanTimeToCapacitySeconds: number | null;
}

/** Totals of the run. */
export interface Summary {
  readonly durationSeconds: number;
  readonly podHours: number;
  readonly hpas: HpaSummary[];
  readonly services: ServiceSummary[];
  /** With a node pool only. */
  readonly nodes?: NodePoolSummary;
}

/** The traps the seeds and their users hit. */
export const FINDING_KINDS = ['staircase', 'fixed-usage', 'flapping', 'scale-down-frozen', 'pinned-at-max', 'node-capacity', 'waiting-for-nodes', 'nodes-scale-to-zero'] as const;
/** One of `FINDING_KINDS`. */
export type FindingKind = (typeof FINDING_KINDS)[number];

/** A trap the run fell into, with the evidence and the knob that fixes it. */
export interface Finding {
  readonly kind: FindingKind;
  readonly hpa: string;
  readonly severity: 'info' | 'warning' | 'critical';
  readonly title: string;
  readonly evidence: string;
  readonly fix: string;
  /** The metric concerned, when there is one. */
  readonly metric?: string;
  /** When it first showed, seconds. */
  readonly t: number;
}

/**
 * One line of `kubectl get hpa -w`: an HPA's status when its replicas or desired replicas
 * changed (format it with `src/controller/kubectl-view.ts`).
 */
export interface WatchLine {
  /** Seconds from the start (the HPA's AGE). */
  readonly t: number;
  readonly hpa: string;
  /** Replicas after the sync (what the next `kubectl get` shows). */
  readonly replicas: number;
  readonly desiredReplicas: number;
  readonly status: HorizontalPodAutoscalerStatus;
}

/** Everything a run produced; a pure function of the scenario and the seed. */
export interface SimResult {
  readonly scenario: string;
  readonly seed: number;
  readonly durationSeconds: number;
  readonly stepSeconds: number;
  readonly syncPeriodSeconds: number;
  /** The HPAs as run (API-server defaults applied). */
  readonly hpas: readonly HorizontalPodAutoscaler[];
  readonly timeline: Timeline;
  readonly events: SimEvent[];
  /** `kubectl get hpa -w`: a line per HPA whenever its replicas or desired replicas change. */
  readonly watch: WatchLine[];
  readonly summary: Summary;
  readonly findings: Finding[];
}
