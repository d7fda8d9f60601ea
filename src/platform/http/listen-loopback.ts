import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopbackHost } from './loopback.js';

/** The only interface our servers bind (hpa-lab never listens beyond this machine). */
export const LOOPBACK_HOST = '127.0.0.1';

export interface ListenOptions {
  /** Loopback address to bind: 127.0.0.1 (the default), `localhost` or `::1`; any other is refused. */
  readonly host?: string;
  /** Port to listen on; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Closes the server (gracefully, as `close()`) when it aborts. */
  readonly signal?: AbortSignal;
  /** How long an idle keep-alive connection stays open; 10 s unless told. */
  readonly keepAliveTimeoutMs?: number;
}

/** A server bound to 127.0.0.1. */
export interface LoopbackServer {
  readonly server: Server;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Requests being handled or answered right now. */
  readonly pending: number;
  /**
   * Stops listening, waits until every request being handled has been answered and flushed (at
   * most `timeoutMs`, 5 s unless told), then closes every connection.
   */
  close(options?: { readonly timeoutMs?: number }): Promise<void>;
}

/** Handles one request; resolves once the answer is written (or the connection is gone). */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, baseUrl: string) => Promise<void>;

/**
 * Binds a node:http handler to 127.0.0.1 and tracks requests in progress, so `close()` can let
 * answers finish before dropping keep-alive connections.
 *
 * @throws {RangeError} when `host` is not a loopback address
 * @throws {Error} when the port is taken (`EADDRINUSE`)
 */
export async function listenLoopback(handler: NodeHandler, options: ListenOptions = {}): Promise<LoopbackServer> {
  const host = (options.host ?? LOOPBACK_HOST).replace(/^\[|\]$/g, '');
  if (!isLoopbackHost(host)) throw new RangeError(`Cannot listen on '${host}' as hpa-lab binds loopback only: use 127.0.0.1, localhost or ::1`);
  let pending = 0;
  let idleWaiters: (() => void)[] = [];
  let baseUrl = '';
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    pending++;
    handler(req, res, baseUrl)
      .catch(() => res.destroy())
      .finally(() => {
        pending--;
        if (pending === 0) {
          const waiters = idleWaiters;
          idleWaiters = [];
          for (const w of waiters) w();
        }
      });
  };
  const server = createServer(onRequest);
  // `Expect: 100-continue` (curl sends it for large uploads): the handler runs first and the
  // body is only invited (100 Continue) if it reads it, so a refused upload is never sent at all.
  server.on('checkContinue', onRequest);
  // Longer than clients' usual idle timeouts, so a pooled socket is not closed under a request.
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 10_000;
  server.listen(options.port ?? 0, host);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([e]) => Promise.reject(e as Error))]);
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  const loopback: LoopbackServer = {
    server,
    port,
    url: baseUrl,
    get pending() {
      return pending;
    },
    close(closeOptions = {}) {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (pending > 0) {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([
            new Promise<void>((resolve) => idleWaiters.push(resolve)),
            new Promise<void>((resolve) => {
              timer = setTimeout(resolve, closeOptions.timeoutMs ?? 5_000);
            }),
          ]);
          clearTimeout(timer);
        }
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
  const { signal } = options;
  if (signal !== undefined) {
    if (signal.aborted) void loopback.close();
    else signal.addEventListener('abort', () => void loopback.close(), { once: true });
  }
  return loopback;
}

/**
 * Writes a complete answer. When the request body was not read to its end (an early 401/422),
 * the answer carries `Connection: close` and the socket is ended once it is flushed, rather than
 * reading and discarding the rest of the upload.
 */
export async function writeAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  answer: { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: string | Uint8Array },
): Promise<void> {
  // The client went away while the answer was being prepared: nothing to write, and no 'close'
  // event would come to end the wait below.
  if (res.destroyed || res.socket === null || res.socket.destroyed) return;
  const unread = !req.complete;
  const body = answer.body;
  const headers: Record<string, string | number> = {
    ...answer.headers,
    'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
  };
  if (unread) headers['connection'] = 'close';
  res.writeHead(answer.status, headers);
  const finished = new Promise<void>((resolve) => {
    res.once('finish', resolve);
    res.once('close', resolve);
  });
  res.end(body);
  await finished;
  if (unread) {
    // Half-close, then drop the socket a little later: closing at once could reset the
    // connection before the client has read the answer.
    req.socket.end();
    setTimeout(() => req.socket.destroy(), 3_000).unref();
  }
}
