import { Counter, Gauge, Histogram, type Registry, collectDefaultMetrics } from 'prom-client';
import type { WorkerRegistry } from './worker-registry.js';

/** Buckets of `api_server_request_duration_seconds`, in seconds. */
export const API_DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;

export interface ApiMetrics {
  readonly registry: Registry;
  /** `/v1/listen` answers by HTTP status and error code ('OK' for 200). */
  readonly requests: Counter<'status' | 'code'>;
  readonly duration: Histogram;
  readonly inFlight: Gauge;
  /** Attempts repeated on another worker after a connection failure or a worker 503. */
  readonly retries: Counter;
}

/**
 * The API server's own metrics on its registry: `api_server_requests_total{status,code}`,
 * `api_server_request_duration_seconds`, `api_server_requests_in_flight`,
 * `api_server_worker_retries_total`, and per worker `api_server_worker_requests_in_flight{worker}`
 * and `api_server_workers{state}` read from the registry at scrape time.
 *
 * @example
 * const m = createApiMetrics(new Registry(), createWorkerRegistry());
 * m.requests.inc({ status: '200', code: 'OK' });
 */
export function createApiMetrics(registry: Registry, workers: WorkerRegistry, options: { readonly defaultMetrics?: boolean } = {}): ApiMetrics {
  const registers = [registry];
  const requests = new Counter({
    name: 'api_server_requests_total',
    help: 'Requests to /v1/listen by HTTP status and error code',
    labelNames: ['status', 'code'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'api_server_request_duration_seconds',
    help: 'Time from receiving a /v1/listen request to answering it',
    buckets: [...API_DURATION_BUCKETS_SECONDS],
    registers,
  });
  const inFlight = new Gauge({
    name: 'api_server_requests_in_flight',
    help: 'Requests to /v1/listen being handled',
    registers,
  });
  const retries = new Counter({
    name: 'api_server_worker_retries_total',
    help: 'Requests sent to a second worker after the first failed before answering',
    registers,
  });
  new Gauge({
    name: 'api_server_worker_requests_in_flight',
    help: 'Requests sent to each worker and not yet answered (what least-active routing reads)',
    labelNames: ['worker'] as const,
    registers,
    collect() {
      this.reset();
      for (const w of workers.list()) this.set({ worker: w.id }, w.inFlight);
    },
  });
  new Gauge({
    name: 'api_server_workers',
    help: 'Workers known to the router by state',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const counts = { ready: 0, unready: 0, draining: 0 };
      for (const w of workers.list()) counts[w.draining ? 'draining' : w.ready ? 'ready' : 'unready']++;
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return { registry, requests, duration, inFlight, retries };
}
