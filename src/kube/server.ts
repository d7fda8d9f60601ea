/**
 * Binds the API server app to 127.0.0.1 (plain HTTP: kubectl accepts `server: http://...`).
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

/** The port Kubernetes API servers listen on (`--api-port` default of `hpa-lab up`). */
export const DEFAULT_KUBE_API_PORT = 6443;

export interface KubeServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Stops listening and ends open watches. */
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1:`port` (0: a free port).
 *
 * @throws {Error} when the port is taken (EADDRINUSE), naming it
 * @example const server = await startKubeServer(createKubeApp({ store, clock }), { port: 0 });
 */
export async function startKubeServer(app: Hono, options: { readonly port?: number } = {}): Promise<KubeServer> {
  const wanted = options.port ?? DEFAULT_KUBE_API_PORT;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: wanted, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      const url = `http://127.0.0.1:${info.port}`;
      resolve({
        url,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            const s = server as unknown as { closeAllConnections?: () => void; close: (cb: () => void) => void };
            s.close(() => done());
            s.closeAllConnections?.();
          }),
      });
    });
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`Cannot serve the Kubernetes API on 127.0.0.1:${wanted}: ${error.code === 'EADDRINUSE' ? 'the port is in use (pass --api-port 0 for a free one)' : error.message}`)),
    );
  });
}
