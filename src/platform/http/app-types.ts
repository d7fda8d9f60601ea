/**
 * The request an app handler reads. A fetch `Request` fits it as is (so tests pass
 * `new Request(...)`), and the node:http adapter builds one without web streams (they cost more
 * than the rest of a loopback request put together in Node 20).
 */
export interface AppRequest {
  readonly method: string;
  /** Absolute URL: `http://127.0.0.1:7100/v1/listen?language=en`. */
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  /** Read lazily: a handler that answers early (401, 422) never pulls it. */
  readonly body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null;
  /** Aborts when the client goes away. */
  readonly signal: AbortSignal;
}

/** An app handler's answer: status, headers and a complete (small) body. */
export interface AppResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array;
}

/** The `app.ts` half of a server: request in, response out, no port. */
export type AppHandler = (request: AppRequest) => Promise<AppResponse>;

/**
 * A JSON answer.
 *
 * @example
 * jsonResponse({ status: 'ready' }).headers['content-type']; // -> 'application/json; charset=utf-8'
 */
export function jsonResponse(value: unknown, status = 200, headers: Readonly<Record<string, string>> = {}): AppResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}

/** A text answer with the given content type. */
export function textResponse(text: string, contentType: string, status = 200): AppResponse {
  return { status, headers: { 'content-type': contentType }, body: text };
}

/**
 * Wraps an app handler as a fetch handler (`Request` in, `Response` out) for in-process tests and
 * callers that speak fetch.
 *
 * @example
 * const fetchLike = toFetchHandler(app.handle);
 * (await fetchLike(new Request('http://w/health'))).status; // -> 200
 */
export function toFetchHandler(handler: AppHandler): (request: Request) => Promise<Response> {
  return async (request) => {
    const r = await handler(request);
    return new Response(r.body as BodyInit, { status: r.status, headers: r.headers });
  };
}
