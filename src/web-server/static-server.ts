/**
 * A static file server for the built page (node:http, 127.0.0.1 only). `GET /` can redirect to
 * the page with a state in its hash, so `hpa-lab serve FILE` prints a short address that opens
 * the page on that file; the hash is computed per request, so a reload picks up edits.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

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

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(body);
}

async function handle(req: IncomingMessage, res: ServerResponse, options: StaticServerOptions): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'Method not allowed: this server only serves the page\n', { allow: 'GET, HEAD' });
    return;
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    send(res, 400, 'Bad request: the path is not valid percent-encoding\n');
    return;
  }
  if (path === '/' && options.initialHash) {
    let hash: string | undefined;
    try {
      hash = await options.initialHash();
    } catch (error) {
      send(res, 500, `Cannot open the page on the file: ${(error as Error).message}\n`);
      return;
    }
    if (hash !== undefined) {
      res.writeHead(302, { location: `/index.html#${hash}`, 'cache-control': 'no-store' });
      res.end();
      return;
    }
  }
  const relative = path.endsWith('/') ? `${path}index.html` : path;
  const file = normalize(join(options.root, relative));
  if (file !== options.root && !file.startsWith(options.root.endsWith(sep) ? options.root : options.root + sep)) {
    send(res, 403, 'Forbidden: outside the page folder\n');
    return;
  }
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error('not a file');
    size = s.size;
  } catch {
    send(res, 404, `Not found: ${path}\n`);
    return;
  }
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const immutable = relative.startsWith('/assets/');
  res.writeHead(200, {
    'content-type': type,
    'content-length': String(size),
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}

/**
 * Serves `root` on 127.0.0.1.
 *
 * @throws {Error} when the port is taken (`EADDRINUSE`)
 * @example const server = await startStaticServer({ root: 'web-dist', port: 0 }); server.url // -> 'http://127.0.0.1:41235/'
 */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = normalize(options.root);
  const server = createServer((req, res) => {
    handle(req, res, { ...options, root }).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, `Internal error: ${(error as Error).message}\n`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_SERVE_PORT, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
