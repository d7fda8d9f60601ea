import type { Agent } from 'node:http';
import { HttpRequestError, httpRequest } from './http-request.js';

/** Options of {@link createHttpFetch}. */
export interface HttpFetchOptions {
  /** Connection pool; the shared keep-alive agents of `httpRequest` unless told. */
  readonly agent?: Agent;
}

/** The request body as bytes, and the content type a fetch would add for it. */
async function bodyOf(body: BodyInit | null | undefined): Promise<{ bytes?: Uint8Array | string; type?: string }> {
  if (body === undefined || body === null) return {};
  if (typeof body === 'string') return { bytes: body, type: 'text/plain;charset=UTF-8' };
  if (body instanceof URLSearchParams) return { bytes: body.toString(), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
  if (body instanceof Uint8Array) return { bytes: body };
  // Blobs, forms, streams: let the platform encode them.
  const request = new Request('http://body.invalid/', { method: 'POST', body, duplex: 'half' } as RequestInit);
  const type = request.headers.get('content-type');
  return { bytes: new Uint8Array(await request.arrayBuffer()), ...(type === null ? {} : { type }) };
}

/**
 * A `fetch` over hpa-lab's one client (`httpRequest`: node:http/https with a keep-alive pool),
 * for code written against `fetch` (the Prometheus client, the adapter metrics source). It
 * rejects as the global fetch does: a `TypeError('fetch failed')` whose `cause` is the socket
 * error, or the signal's reason when aborted. Bodies are read whole (these are API answers).
 *
 * @example
 * const fetchFn = createHttpFetch();
 * (await fetchFn('http://127.0.0.1:9090/-/ready')).status; // -> 200
 */
export function createHttpFetch(options: HttpFetchOptions = {}): typeof fetch {
  const httpFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const request = typeof input === 'string' || input instanceof URL ? undefined : input;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = new Headers(init.headers ?? request?.headers);
    const signal = init.signal ?? request?.signal ?? undefined;
    const body = init.body !== undefined ? await bodyOf(init.body) : request?.body ? { bytes: new Uint8Array(await request.arrayBuffer()) } : {};
    if (body.type !== undefined && !headers.has('content-type')) headers.set('content-type', body.type);
    const flat: Record<string, string> = {};
    headers.forEach((value, key) => {
      flat[key] = value;
    });
    try {
      const r = await httpRequest(url, {
        method: init.method ?? request?.method ?? 'GET',
        headers: flat,
        ...(body.bytes === undefined ? {} : { body: body.bytes }),
        ...(signal === undefined ? {} : { signal }),
        ...(options.agent === undefined ? {} : { agent: options.agent }),
      });
      const responseHeaders = new Headers();
      for (const [k, v] of Object.entries(r.headers)) {
        if (typeof v === 'string') responseHeaders.set(k, v);
        else if (Array.isArray(v)) for (const one of v) responseHeaders.append(k, one);
      }
      const empty = r.status === 204 || r.status === 205 || r.status === 304;
      return new Response(empty ? null : (r.body as Uint8Array<ArrayBuffer>), { status: r.status, headers: responseHeaders });
    } catch (error) {
      if (error instanceof HttpRequestError && error.phase === 'aborted') throw signal?.reason ?? error;
      // eslint-disable-next-line preserve-caught-error -- as undici's fetch: the cause is the socket error itself, unwrapped from ours
      throw new TypeError('fetch failed', { cause: error instanceof HttpRequestError && error.cause !== undefined ? error.cause : error });
    }
  };
  return httpFetch;
}

/** The shared `fetch` over {@link httpRequest}'s keep-alive pools. */
export const httpFetch: typeof fetch = createHttpFetch();
