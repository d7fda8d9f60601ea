/**
 * A tiny loopback HTTP endpoint of a running stack: `GET /status` answers the stack's status as
 * JSON (HPAs with status and events, the targets' pods), so `hpa-lab status` and
 * `hpa-lab describe` in other processes can print kubectl views of it.
 */
import { jsonResponse, serveApp, type AppRequest, type AppResponse, type LoopbackServer } from '../platform/index.js';

/** The status endpoint's path. */
export const STATUS_PATH = '/status';

/**
 * The status endpoint as a handler: `GET /status` → 200 JSON of `getStatus()`, `GET /health`
 * → 200, anything else 404; a failing `getStatus` is a 500 `{error}`.
 *
 * @example
 * const app = createStatusApp(async () => ({ hpas: [] }));
 * (await app({ method: 'GET', url: 'http://x/status', headers: { get: () => null }, body: null, signal })).status; // -> 200
 */
export function createStatusApp(getStatus: () => Promise<unknown>): (request: AppRequest) => Promise<AppResponse> {
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (request.method !== 'GET') return jsonResponse({ error: `Use GET for ${pathname}` }, 405);
    if (pathname === '/health') return jsonResponse({ status: 'ok' });
    if (pathname !== STATUS_PATH) return jsonResponse({ error: `No route for GET ${pathname}: try ${STATUS_PATH}` }, 404);
    try {
      return jsonResponse(await getStatus());
    } catch (error) {
      return jsonResponse({ error: error instanceof Error ? error.message : String(error) }, 500);
    }
  };
}

/**
 * Serves {@link createStatusApp} on 127.0.0.1 (`port` 0 unless told: a free port).
 *
 * @example
 * const server = await startStatusServer(() => stack.status());
 * server.url; // -> 'http://127.0.0.1:39121'
 */
export function startStatusServer(getStatus: () => Promise<unknown>, options: { readonly port?: number } = {}): Promise<LoopbackServer> {
  return serveApp(createStatusApp(getStatus), { port: options.port ?? 0 });
}
