import type { Clock } from '../../core/index.js';
import { serveApp, systemClock, type LoopbackServer } from '../../platform/index.js';
import { type DrainResult, type WorkerApp, type WorkerOptions, createWorkerApp } from './worker-app.js';

/** Lightning ASR's metrics port (seed 002: `targets: ['lightning-asr:2269']`). */
export const DEFAULT_METRICS_PORT = 2269;
/** Grace period for in-flight requests on stop, as Kubernetes' default terminationGracePeriodSeconds. */
export const DEFAULT_GRACE_MS = 30_000;

export interface WorkerServerOptions extends Omit<WorkerOptions, 'clock'> {
  /** The system clock unless told. */
  readonly clock?: Clock;
  /** API port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Metrics port on 127.0.0.1; 2269 unless told (0 picks a free one). */
  readonly metricsPort?: number;
}

export interface WorkerHandle {
  readonly app: WorkerApp;
  readonly port: number;
  readonly metricsPort: number;
  /** `http://127.0.0.1:<port>`: POST `/api/v1/lightning/get_text`, GET `/health`. */
  readonly url: string;
  /** `http://127.0.0.1:<metricsPort>/metrics` */
  readonly metricsUrl: string;
  /**
   * Graceful stop: new requests get 503 at once, in-flight ones finish (up to `graceMs`, 30 s
   * unless told; the rest are answered 503), then both ports close.
   */
  stop(options?: { readonly graceMs?: number }): Promise<DrainResult>;
}

/**
 * Starts an ASR-like worker on 127.0.0.1: the API on `port`, `/metrics` on `metricsPort`.
 * The model starts loading at once (`/health` is 503 until `app.ready` resolves).
 *
 * @example
 * const w = await startWorker({ port: 0, metricsPort: 0, rtf: 0.01, modelLoadMs: 0 });
 * await fetch(`${w.url}/health`); // -> 200 {"status":"ready"}
 * await w.stop({ graceMs: 5_000 });
 */
export async function startWorker(options: WorkerServerOptions = {}): Promise<WorkerHandle> {
  const app = createWorkerApp({ ...options, clock: options.clock ?? systemClock });
  const api = await serveApp(app.handle.bind(app), { port: options.port ?? 0 });
  let metrics: LoopbackServer;
  try {
    metrics = await serveApp(app.handleMetrics.bind(app), { port: options.metricsPort ?? DEFAULT_METRICS_PORT });
  } catch (error) {
    await app.drain({ graceMs: 0 });
    await api.close();
    throw error;
  }
  let stopping: Promise<DrainResult> | undefined;
  return {
    app,
    port: api.port,
    metricsPort: metrics.port,
    url: api.url,
    metricsUrl: `${metrics.url}/metrics`,
    stop(stopOptions = {}) {
      stopping ??= (async () => {
        const result = await app.drain({ graceMs: stopOptions.graceMs ?? DEFAULT_GRACE_MS });
        await Promise.all([api.close(), metrics.close()]);
        return result;
      })();
      return stopping;
    },
  };
}
