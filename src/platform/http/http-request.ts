import { Agent, type IncomingHttpHeaders, request as httpRequestRaw } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequestRaw } from 'node:https';

/** Where a request failed: before any response byte arrived (safe to retry elsewhere), or later. */
export type HttpFailurePhase = 'connect' | 'response' | 'timeout' | 'aborted';

/** A request that produced no complete response. `phase` tells a router whether a retry is safe. */
export class HttpRequestError extends Error {
  override name = 'HttpRequestError';
  readonly phase: HttpFailurePhase;
  constructor(phase: HttpFailurePhase, message: string, options?: ErrorOptions) {
    super(message, options);
    this.phase = phase;
  }
}

export interface HttpRequestOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | string;
  readonly signal?: AbortSignal;
  /** Whole-request timeout; none unless told. */
  readonly timeoutMs?: number;
  /** Connection pool; a shared keep-alive agent unless told ({@link sharedAgent}, or {@link sharedHttpsAgent} for https:). */
  readonly agent?: Agent;
  /**
   * Keep only the first `keepBytes` of the response body (the rest is counted, not stored), for
   * reading an audio header from a large download.
   */
  readonly keepBytes?: number;
}

export interface HttpResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body, or its first `keepBytes` bytes. */
  readonly body: Buffer;
  /** Size of the whole body in bytes. */
  readonly bodyBytes: number;
}

/** Keep-alive pool used when no agent is given. */
export const sharedAgent = new Agent({ keepAlive: true, maxSockets: 1024 });

/** Keep-alive pool for https: URLs (a Prometheus behind TLS) when no agent is given. */
export const sharedHttpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 256 });

/**
 * hpa-lab's one HTTP client: one HTTP/1.1 request with node:http (node:https for https: URLs) over
 * a keep-alive pool (faster than the global fetch for many small loopback calls; a `fetch` over it
 * is `createHttpFetch`). Rejects
 * with {@link HttpRequestError}: phase 'connect' when the connection failed or closed before any
 * response arrived, 'response' when it broke mid-answer, 'timeout', or 'aborted' by the signal.
 *
 * @example
 * const r = await httpRequest('http://127.0.0.1:2269/metrics');
 * r.status; // -> 200
 */
export function httpRequest(url: string | URL, options: HttpRequestOptions = {}): Promise<HttpResult> {
  const target = typeof url === 'string' ? new URL(url) : url;
  return new Promise<HttpResult>((resolve, reject) => {
    let settled = false;
    let responded = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error: HttpRequestError | undefined, result?: HttpResult): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(result as HttpResult);
    };
    const onAbort = (): void => finish(new HttpRequestError('aborted', 'Request aborted', { cause: options.signal?.reason }));
    const headers: Record<string, string> = { ...options.headers };
    const body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
    if (body !== undefined) headers['content-length'] = String(body.byteLength);
    const secure = target.protocol === 'https:';
    const req = (secure ? httpsRequestRaw : httpRequestRaw)(
      {
        protocol: target.protocol,
        hostname: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        agent: options.agent ?? (secure ? sharedHttpsAgent : sharedAgent),
      },
      (res) => {
        responded = true;
        const keep = options.keepBytes ?? Number.POSITIVE_INFINITY;
        const chunks: Buffer[] = [];
        let kept = 0;
        let total = 0;
        res.on('data', (chunk: Buffer) => {
          total += chunk.byteLength;
          if (kept < keep) {
            const part = kept + chunk.byteLength <= keep ? chunk : chunk.subarray(0, keep - kept);
            chunks.push(part);
            kept += part.byteLength;
          }
        });
        res.on('end', () =>
          finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), bodyBytes: total }),
        );
        res.on('error', (error) => finish(new HttpRequestError('response', `Response broke: ${error.message}`, { cause: error })));
        res.on('aborted', () => finish(new HttpRequestError('response', 'Response aborted by the server')));
      },
    );
    req.on('error', (error) =>
      finish(
        new HttpRequestError(responded ? 'response' : 'connect', `Request to ${target.host} failed: ${error.message}`, {
          cause: error,
        }),
      ),
    );
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(
        () => finish(new HttpRequestError('timeout', `Request to ${target.host} timed out after ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
    }
    req.end(body);
  });
}
