/**
 * A static file server for the built page (hono, 127.0.0.1 only). `GET /` can redirect to
 * the page with a state in its hash, so `hpa-lab serve FILE` prints a short address that opens
 * the page on that file; the hash is computed per request, so a reload picks up edits.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { Hono } from 'hono';
import { createHttpApp, HttpError, serve } from '../platform/index.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
};

/** Options of `startStaticServer`. */
export interface StaticServerOptions {
  /** Folder with `index.html` (the Vite build). */
  readonly root: string;
  /** Port on 127.0.0.1; 0 picks a free one. Default 7300. */
  readonly port?: number;
  /** Computes the hash `GET /` redirects to (without `#`), or undefined to serve the page as is. */
  readonly initialHash?: () => Promise<string | undefined>;
}

/** A running server. */
export interface StaticServer {
  /** `http://127.0.0.1:PORT/`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The default port of `hpa-lab serve`. */
export const DEFAULT_SERVE_PORT = 7300;

const plain = (status: number, body: string, headers: Record<string, string> = {}): Response =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers } });

/** One mapping of refusals to answers: a plain-text line, never cached. */
function toTextResponse(error: unknown): Response {
  if (error instanceof HttpError) return plain(error.status, `${error.message}\n`, { ...error.headers });
  return plain(500, `Internal error: ${error instanceof Error ? error.message : String(error)}\n`);
}

/**
 * The page server as a hono app: GET/HEAD of files under `root` (`/` is `index.html`, or a
 * redirect to the page with `initialHash()`), 405 for other methods, 403 outside `root`, 404
 * for a missing file.
 *
 * @example (await createStaticApp({ root: 'web-dist' }).request('/')).status // -> 200
 */
export function createStaticApp(options: StaticServerOptions): Hono {
  const root = normalize(options.root);
  const app = createHttpApp({ toResponse: toTextResponse });
  app.all('*', async (c) => {
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD') {
      throw new HttpError(405, 'Method not allowed: this server only serves the page', { headers: { allow: 'GET, HEAD' } });
    }
    const url = new URL(c.req.url);
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      throw new HttpError(400, 'Bad request: the path is not valid percent-encoding');
    }
    if (path === '/' && options.initialHash) {
      let hash: string | undefined;
      try {
        hash = await options.initialHash();
      } catch (error) {
        throw new HttpError(500, `Cannot open the page on the file: ${(error as Error).message}`);
      }
      if (hash !== undefined) return new Response(null, { status: 302, headers: { location: `/index.html#${hash}`, 'cache-control': 'no-store' } });
    }
    const relative = path.endsWith('/') ? `${path}index.html` : path;
    const file = normalize(join(root, relative));
    if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) throw new HttpError(403, 'Forbidden: outside the page folder');
    let size: number;
    try {
      const s = await stat(file);
      if (!s.isFile()) throw new Error('not a file');
      size = s.size;
    } catch {
      throw new HttpError(404, `Not found: ${path}`);
    }
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const immutable = relative.startsWith('/assets/');
    const headers = {
      'content-type': type,
      'content-length': String(size),
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    };
    if (method === 'HEAD') return new Response(null, { status: 200, headers });
    return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, { status: 200, headers });
  });
  return app;
}

/**
 * Serves `root` on 127.0.0.1.
 *
 * @throws {Error} when the port is taken (`EADDRINUSE`)
 * @example const server = await startStaticServer({ root: 'web-dist', port: 0 }); server.url // -> 'http://127.0.0.1:41235/'
 */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const served = await serve(createStaticApp(options), { port: options.port ?? DEFAULT_SERVE_PORT });
  return {
    url: `${served.url}/`,
    port: served.port,
    close: () => served.close({ timeoutMs: 1_000 }),
  };
}
