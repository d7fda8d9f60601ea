/**
 * Serves a prom-client registry's exposition on `GET /metrics`, bound to 127.0.0.1: the stack
 * exporter, and synthetic exporters in tests and benchmarks.
 */
import type { Server } from 'node:http';
import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { createHttpApp, HttpError, serve } from '../../platform/index.js';

/** A registry served on loopback. */
export interface RegistryServer {
  readonly port: number;
  /** `127.0.0.1:<port>`, as a scrape target. */
  readonly address: string;
  /** `http://127.0.0.1:<port>/metrics` */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

const textError = (error: unknown): Response =>
  new Response(error instanceof HttpError ? `${error.message}\n` : `${String(error)}\n`, {
    status: error instanceof HttpError ? error.status : 500,
    headers: { 'content-type': 'text/plain' },
  });

/**
 * The exposition as a hono app: `GET /metrics` answers the registry's text, anything else 404
 * `not found`, a failing collect 500 with the error.
 *
 * @example (await createRegistryApp(registry).request('/metrics')).status // -> 200
 */
export function createRegistryApp(registry: Registry): Hono {
  const app = createHttpApp({ toResponse: textError, notFound: () => new HttpError(404, 'not found') });
  app.get('/metrics', async (c) => c.body(await registry.metrics(), 200, { 'content-type': registry.contentType }));
  return app;
}

/**
 * Starts serving `registry` (port 0, the default, picks a free one).
 *
 * @example
 * const s = await serveRegistry(registry);
 * await (await fetch(s.url)).text(); // -> '# HELP kube_deployment_status_replicas ...'
 * await s.close();
 */
export async function serveRegistry(registry: Registry, options: { readonly port?: number } = {}): Promise<RegistryServer> {
  const served = await serve(createRegistryApp(registry), { port: options.port ?? 0 });
  return {
    port: served.port,
    address: `127.0.0.1:${served.port}`,
    url: `${served.url}/metrics`,
    server: served.server,
    close: () => served.close({ timeoutMs: 1_000 }),
  };
}
