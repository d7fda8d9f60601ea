import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AppHandler, type AppRequest, type AppResponse, jsonResponse } from './app-types.js';
import { type ListenOptions, type LoopbackServer, listenLoopback, writeAnswer } from './listen-loopback.js';

/**
 * Binds an app handler to 127.0.0.1 with node:http, without web streams: headers are read from
 * the IncomingMessage, and the body is a lazy async iterable over it, so a handler that answers
 * early (401, 422) never reads the upload, and one that stops reading at a limit leaves the
 * socket intact to send its answer. The request's `signal` aborts when the client goes away.
 *
 * @example
 * const s = await serveApp(async () => jsonResponse({ status: 'ready' }));
 * (await fetch(`${s.url}/health`)).status; // -> 200
 * await s.close();
 */
export function serveApp(handler: AppHandler, options: ListenOptions = {}): Promise<LoopbackServer> {
  return listenLoopback(async (req, res, baseUrl) => {
    let answer: AppResponse;
    try {
      answer = await handler(toAppRequest(req, res, baseUrl));
    } catch (error) {
      answer = jsonResponse({ error: `Internal error: ${error instanceof Error ? error.message : String(error)}`, code: 'INTERNAL' }, 500);
    }
    await writeAnswer(req, res, answer);
  }, options);
}

function toAppRequest(req: IncomingMessage, res: ServerResponse, baseUrl: string): AppRequest {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('Client closed the connection'));
  });
  const method = req.method ?? 'GET';
  return {
    method,
    url: `${baseUrl}${req.url ?? '/'}`,
    headers: {
      get(name: string): string | null {
        const value = req.headers[name.toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(', ') : value;
      },
    },
    body: method === 'GET' || method === 'HEAD' ? null : bodyOf(req, res),
    signal: controller.signal,
  };
}

/** The request body as chunks, read in paused mode; stopping early pauses instead of destroying the socket. */
function bodyOf(req: IncomingMessage, res: ServerResponse): AsyncIterable<Uint8Array> {
  let failure: Error | undefined;
  // With `Expect: 100-continue` the client sends the body only once invited: invite it on first read.
  let invite = (req.headers.expect ?? '').toLowerCase() === '100-continue';
  req.on('error', (error) => {
    failure = error;
  });
  const waitForData = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const done = (): void => {
        req.off('readable', done);
        req.off('end', done);
        req.off('close', done);
        req.off('error', done);
        resolve();
      };
      req.on('readable', done);
      req.on('end', done);
      req.on('close', done);
      req.on('error', done);
    });
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          if (invite) {
            invite = false;
            res.writeContinue();
          }
          for (;;) {
            if (failure) throw failure;
            const chunk = req.read() as Buffer | null;
            if (chunk !== null) return { done: false, value: chunk };
            if (req.readableEnded) return { done: true, value: undefined };
            if (req.destroyed) throw new Error('Request body aborted by the client');
            await waitForData();
          }
        },
        return(): Promise<IteratorResult<Uint8Array>> {
          return Promise.resolve({ done: true, value: undefined });
        },
      };
    },
  };
}
