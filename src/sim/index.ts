/**
 * The simulator: the seeds' service and HPAs in virtual time. Pure (no I/O, no clock): scenario
 * files are loaded by `src/input/scenario-loader.ts`; traces and Prometheus imports are read by
 * the caller and passed as points.
 */
export * from './types.js';
export { runSimulation } from './run.js';
export { HpaSync, type HpaSyncOptions, type SyncPlan } from './hpa-sync.js';
export { DEFAULT_PIPELINE, DEFAULT_SERVICE_MODEL, DEFAULT_SLO_LATENCY_SECONDS, DEFAULT_STEP_SECONDS, PIPELINE_PRESETS, type PipelinePreset } from './defaults.js';
export { timelineRows, timelineColumns, type TimelineRow } from './timeline.js';
export { formatSeconds } from './findings.js';
export { metricShortName } from './summary.js';
export { createServiceTime, createErlangStep, erfc, inverseNormalCdf, type ServiceTime, type ErlangStep } from './service-time.js';
export { LatencyRecorder, type LatencyPercentiles } from './latency.js';
export { compareForDeletion, podName, toPodInfo, Pod } from './pods.js';
export { ServiceSim } from './service-sim.js';
export { spikeIntegral } from './pod-resources.js';
export { MetricsPipeline } from './pipeline.js';
// Traffic, randomness and clocks (written alongside, re-exported for one entry point).
export { createTraffic, sampleArrivals, type Traffic, type CreateTrafficOptions } from './traffic.js';
export {
  TRAFFIC_TYPES,
  TRAFFIC_DEFAULTS,
  trafficSpecSchema,
  parseTrafficSpec,
  parseDurationSeconds,
  type TrafficSpec,
  type TrafficSpecInput,
  type TrafficType,
  type TracePoint,
} from './traffic-schema.js';
export { createSeededRng, sampleExponential, sampleLogNormal, samplePoisson, sampleNormal, type Rng } from '../core/index.js';
export { parseTraceText } from './trace-file.js';
export { erlangC, maxTargetForSlo, MgcQueue, scaleServiceTime, type MaxTargetInput, type MaxTargetResult, type PodQueueModel, type QueuePoint } from './queueing.js';
export { confirmTarget, type ConfirmTargetInput, type ConfirmTargetResult } from './confirm-target.js';
export { CLUSTER_AUTOSCALER_DEFAULTS } from './cluster-autoscaler.js';
export {
  DEFAULT_FLEET,
  FleetAggregator,
  fleetMember,
  patchHpa,
  runFleetMember,
  summarizeMember,
  type FleetMember,
  type FleetMemberResult,
  type FleetMemberSummary,
  type FleetReport,
  type FleetSpec,
  type FleetTotals,
} from './fleet.js';
export type { PrometheusRangeSeries } from './trace-file.js';
export type { PrometheusTrafficSpec } from './traffic-schema.js';
export { sumPrometheusMatrix } from './trace-file.js';
export { resolvePrometheusWindow } from './traffic-schema.js';
export { warmedUpState } from './warm-up.js';
