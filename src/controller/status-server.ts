/**
 * A tiny loopback HTTP endpoint of a running stack: `GET /status` answers the stack's status as
 * JSON (HPAs with status and events, the targets' pods), so `hpa-lab status` and
 * `hpa-lab describe` in other processes can print kubectl views of it.
 */
import type { Hono } from 'hono';
import { createHttpApp, HttpError, serve, type LoopbackServer } from '../platform/index.js';

/** The status endpoint's path. */
export const STATUS_PATH = '/status';

/**
 * The status endpoint as a hono app: `GET /status` → 200 JSON of `getStatus()`, `GET /health`
 * → 200, another method 405, another path 404; a failing `getStatus` is a 500 `{error}`.
 *
 * @example
 * const app = createStatusApp(async () => ({ hpas: [] }));
 * (await app.request('/status')).status; // -> 200
 */
export function createStatusApp(getStatus: () => Promise<unknown>): Hono {
  const app = createHttpApp({ notFound: (_method, path) => new HttpError(404, `No route for GET ${path}: try ${STATUS_PATH}`) });
  app.use(async (c, next) => {
    if (c.req.method !== 'GET') throw new HttpError(405, `Use GET for ${c.req.path}`, { headers: { allow: 'GET' } });
    await next();
  });
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get(STATUS_PATH, async (c) => c.json(await getStatus()));
  return app;
}

/**
 * Serves {@link createStatusApp} on 127.0.0.1 (`port` 0 unless told: a free port).
 *
 * @example
 * const server = await startStatusServer(() => stack.status());
 * server.url; // -> 'http://127.0.0.1:39121'
 */
export function startStatusServer(getStatus: () => Promise<unknown>, options: { readonly port?: number } = {}): Promise<LoopbackServer> {
  return serve(createStatusApp(getStatus), { port: options.port ?? 0 });
}
