/**
 * Defaults of the simulator. The service defaults model the seeds' Lightning ASR worker: about
 * 1 s of mean service time per request (the traffic defaults assume the same: 5 rps ≈ 5 active
 * requests ≈ one pod at the seed's `targetActiveRequests: 5`), 8 requests at once per pod.
 */
import type { PipelineConfig, ServiceModel } from './types.js';

const MI = 1024 * 1024;

/**
 * Pipeline timing presets, after seed 002's "Balance responsiveness vs storage": fast
 * autoscaling 15 s, normal 30 s, cost-optimized 60 s scrape interval.
 */
export const PIPELINE_PRESETS = {
  fast: { scrapeIntervalSeconds: 15 },
  default: { scrapeIntervalSeconds: 30 },
  'cost-optimized': { scrapeIntervalSeconds: 60 },
} as const satisfies Record<string, Partial<PipelineConfig>>;

/** Preset names of `PIPELINE_PRESETS`. */
export type PipelinePreset = keyof typeof PIPELINE_PRESETS;

/**
 * The seeds' pipeline: HPA sync 15 s (kube-controller-manager default), Prometheus scrape 30 s
 * (seed 002), metrics-server resolution 15 s, Prometheus' 5 min lookback.
 */
export const DEFAULT_PIPELINE: PipelineConfig = {
  syncPeriodSeconds: 15,
  scrapeIntervalSeconds: 30,
  adapterDelaySeconds: 0,
  resourceMetricsResolutionSeconds: 15,
  lookbackSeconds: 300,
};

/** A Lightning ASR-like worker (see the module comment). */
export const DEFAULT_SERVICE_MODEL: ServiceModel = {
  concurrency: 8,
  // Mean = median × e^(σ²/2) = 0.88 × 1.133 ≈ 1.0 s.
  serviceTime: { distribution: 'lognormal', medianSeconds: 0.88, sigma: 0.5 },
  queueLimit: 100,
  schedulingDelaySeconds: 5,
  modelLoadSeconds: 30,
  terminationGracePeriodSeconds: 30,
  initialReplicas: null,
  initialState: 'ready',
  trafficShare: 1,
  loadBalancing: 'least-active',
  containerName: 'asr',
  requests: { cpuMillicores: 1000, memoryBytes: 4096 * MI },
  cpu: { idleMillicores: 100, perRequestMillicores: 60, startup: null },
  memory: { idleBytes: 2048 * MI, perRequestBytes: 64 * MI },
  metrics: {
    asr_active_requests: { source: 'active', averageOverSeconds: 0 },
    asr_gpu_utilization: { source: 'busy-percent', averageOverSeconds: 0 },
  },
};

/** Default SLO: requests slower than this miss it. */
export const DEFAULT_SLO_LATENCY_SECONDS = 5;
/** Default traffic resolution. */
export const DEFAULT_STEP_SECONDS = 1;
