import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The seven metric names Lightning ASR exports (seed 002, "Available Metrics"), in its order. */
export const ASR_METRIC_NAMES = [
  'asr_active_requests',
  'asr_total_requests',
  'asr_failed_requests',
  'asr_request_duration_seconds',
  'asr_model_load_time_seconds',
  'asr_gpu_utilization',
  'asr_gpu_memory_used_bytes',
] as const;

/** Buckets of `asr_request_duration_seconds`, in seconds (queue wait included). */
export const ASR_DURATION_BUCKETS_SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] as const;

/** What the gauges read at scrape time. */
export interface WorkerGaugeSource {
  /** Requests accepted and not yet answered (in service + queued). */
  activeRequests(): number;
  /** Requests holding a concurrency slot. */
  inService(): number;
  readonly maxConcurrency: number;
  /** Whether the model is loaded (GPU memory is 0 before). */
  loaded(): boolean;
  /** Seconds the model took to load, 0 until loaded. */
  modelLoadSeconds(): number;
}

export interface WorkerMetricsOptions {
  readonly registry: Registry;
  readonly source: WorkerGaugeSource;
  /** Modelled GPU memory of the loaded model, in bytes. */
  readonly gpuMemoryBaseBytes: number;
  /** Modelled GPU memory each in-service request adds, in bytes. */
  readonly gpuMemoryPerRequestBytes: number;
  /** Also register prom-client's default process metrics (true unless told). */
  readonly defaultMetrics?: boolean;
}

export interface WorkerMetrics {
  readonly registry: Registry;
  readonly totalRequests: Counter;
  readonly failedRequests: Counter;
  readonly requestDuration: Histogram;
}

/**
 * Registers the seeds' seven `asr_*` metrics, with the seeds' types, on the worker's own
 * registry (never the global one, so several workers can live in one process). Gauges are
 * computed at scrape time from `source`; GPU figures are modelled since there is no GPU:
 * utilization = 100 × inService / maxConcurrency, memory = base + perRequest × inService
 * (queued requests wait in host memory). No `pod` label: the scraper attaches it.
 *
 * @example
 * const m = createWorkerMetrics({ registry: new Registry(), source, gpuMemoryBaseBytes: 4e9, gpuMemoryPerRequestBytes: 5e8 });
 * await m.registry.metrics(); // -> '# HELP asr_active_requests ...'
 */
export function createWorkerMetrics(options: WorkerMetricsOptions): WorkerMetrics {
  const { registry, source } = options;
  const registers = [registry];
  new Gauge({
    name: 'asr_active_requests',
    help: 'Current number of active transcription requests (in service + queued)',
    registers,
    collect() {
      this.set(source.activeRequests());
    },
  });
  const totalRequests = new Counter({
    name: 'asr_total_requests',
    help: 'Total requests processed',
    registers,
  });
  const failedRequests = new Counter({
    name: 'asr_failed_requests',
    help: 'Total failed requests',
    registers,
  });
  const requestDuration = new Histogram({
    name: 'asr_request_duration_seconds',
    help: 'Request processing time',
    buckets: [...ASR_DURATION_BUCKETS_SECONDS],
    registers,
  });
  new Gauge({
    name: 'asr_model_load_time_seconds',
    help: 'Time to load model on startup',
    registers,
    collect() {
      this.set(source.modelLoadSeconds());
    },
  });
  new Gauge({
    name: 'asr_gpu_utilization',
    help: 'GPU utilization percentage (modelled: 100 x in-service requests / max concurrency)',
    registers,
    collect() {
      this.set((100 * source.inService()) / source.maxConcurrency);
    },
  });
  new Gauge({
    name: 'asr_gpu_memory_used_bytes',
    help: 'GPU memory used (modelled: model size + per-request memory x in-service requests)',
    registers,
    collect() {
      this.set(source.loaded() ? options.gpuMemoryBaseBytes + options.gpuMemoryPerRequestBytes * source.inService() : 0);
    },
  });
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return { registry, totalRequests, failedRequests, requestDuration };
}
