import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { type ListenOptions, type LoopbackServer, listenLoopback, writeAnswer } from './listen-loopback.js';

/** A fetch-style handler. */
export type FetchHandler = (request: Request) => Promise<Response> | Response;

/**
 * Binds a fetch-style handler (`Request` in, `Response` out) to 127.0.0.1. Convenient for small
 * servers in tests and tools; the worker and API server use the cheaper `serveApp`.
 *
 * @example
 * const s = await serveFetch(() => new Response('ok'));
 * await (await fetch(s.url)).text(); // -> 'ok'
 * await s.close();
 */
export function serveFetch(handler: FetchHandler, options: ListenOptions = {}): Promise<LoopbackServer> {
  return listenLoopback(async (req, res, baseUrl) => {
    let response: Response;
    try {
      response = await handler(toRequest(req, res, baseUrl));
    } catch (error) {
      response = Response.json(
        { error: `Internal error: ${error instanceof Error ? error.message : String(error)}`, code: 'INTERNAL' },
        { status: 500 },
      );
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    await writeAnswer(req, res, { status: response.status, headers, body: new Uint8Array(await response.arrayBuffer()) });
  }, options);
}

function toRequest(req: IncomingMessage, res: ServerResponse, baseUrl: string): Request {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('Client closed the connection'));
  });
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: controller.signal };
  if (method !== 'GET' && method !== 'HEAD') {
    // A web stream pulls at once, so invite an `Expect: 100-continue` body up front.
    if ((req.headers.expect ?? '').toLowerCase() === '100-continue') res.writeContinue();
    init.body = Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
    init.duplex = 'half';
  }
  return new Request(new URL(req.url ?? '/', baseUrl), init);
}
