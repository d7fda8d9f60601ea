import { getRequestListener } from '@hono/node-server';
import { type ListenOptions, type LoopbackServer, listenLoopback } from './listen-loopback.js';

/** What {@link serve} serves: a hono app, or anything with a fetch-style `fetch`. */
export interface FetchApp {
  fetch(request: Request): Response | Promise<Response>;
}

/**
 * Serves a hono app (any fetch-style app) on loopback through @hono/node-server: binds
 * 127.0.0.1 unless told another loopback host, resolves once listening with the bound port, and
 * closes gracefully (stops listening, lets requests in progress be answered, then drops
 * keep-alive connections) on `close()` or when `signal` aborts.
 *
 * @throws {RangeError} when `host` is not a loopback address
 * @example
 * const app = createHttpApp();
 * app.get('/health', (c) => c.json({ status: 'ok' }));
 * const s = await serve(app, { port: 0 });
 * (await fetch(`${s.url}/health`)).status; // -> 200
 * await s.close();
 */
export function serve(app: FetchApp, options: ListenOptions = {}): Promise<LoopbackServer> {
  // Leave the process' global Request/Response alone (measured: no cost on the adapter's path).
  const listener = getRequestListener((request) => app.fetch(request), { overrideGlobalObjects: false });
  return listenLoopback(async (req, res) => {
    // Our apps take small bodies or none: invite an `Expect: 100-continue` body at once.
    if ((req.headers.expect ?? '').toLowerCase() === '100-continue') res.writeContinue();
    await listener(req, res);
    if (!res.writableFinished && !res.destroyed) {
      await new Promise<void>((resolve) => {
        res.once('finish', resolve);
        res.once('close', resolve);
      });
    }
  }, options);
}
