import type { Clock } from '../../core/index.js';
import { serveApp, systemClock } from '../../platform/index.js';
import { type ApiServerApp, type ApiServerOptions, createApiServerApp } from './api-server-app.js';

/** The API server's port in the seeds (`api-server.smallest.svc.cluster.local:7100`). */
export const DEFAULT_API_PORT = 7100;

export interface ApiServerServeOptions extends Omit<ApiServerOptions, 'clock'> {
  /** The system clock unless told. */
  readonly clock?: Clock;
  /** Port on 127.0.0.1; 7100 unless told (0 picks a free one). */
  readonly port?: number;
}

export interface ApiServerHandle {
  readonly app: ApiServerApp;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /**
   * Graceful stop: new requests get 503, in-flight ones finish (up to `graceMs`, 30 s unless
   * told; the rest are answered 503), then the port closes. Resolves with the number cut off.
   */
  stop(options?: { readonly graceMs?: number }): Promise<number>;
}

/**
 * Starts the API server on 127.0.0.1 (`POST /v1/listen`, `GET /health`, `GET /metrics`).
 * Drive its workers through `handle.app.workers` (addWorker, setReady, markDraining, removeWorker).
 *
 * @example
 * const api = await startApiServer({ port: 0, token: 'secret' });
 * api.app.workers.addWorker({ id: 'w1', url: worker.url });
 * await api.stop({ graceMs: 5_000 });
 */
export async function startApiServer(options: ApiServerServeOptions): Promise<ApiServerHandle> {
  const app = createApiServerApp({ ...options, clock: options.clock ?? systemClock });
  const server = await serveApp(app.handle, { port: options.port ?? DEFAULT_API_PORT });
  let stopping: Promise<number> | undefined;
  return {
    app,
    port: server.port,
    url: server.url,
    stop(stopOptions = {}) {
      stopping ??= (async () => {
        const aborted = await app.shutdown({ graceMs: stopOptions.graceMs ?? 30_000 });
        await server.close();
        return aborted;
      })();
      return stopping;
    },
  };
}
