/**
 * Serves a prom-client registry's exposition on `GET /metrics`, bound to 127.0.0.1: the stack
 * exporter, and synthetic exporters in tests and benchmarks.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

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

/**
 * Starts serving `registry` (port 0, the default, picks a free one).
 *
 * @example
 * const s = await serveRegistry(registry);
 * await (await fetch(s.url)).text(); // -> '# HELP kube_deployment_status_replicas ...'
 * await s.close();
 */
export async function serveRegistry(registry: Registry, options: { readonly port?: number } = {}): Promise<RegistryServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`),
    );
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    address: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/metrics`,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
