import { Agent } from 'node:http';
import { InputError } from '../../core/index.js';
import { HttpRequestError, httpRequest, isLoopbackHost } from '../../platform/index.js';

/** What every load request sends; shared by `runLoad` and `playTraffic`. */
export interface LoadRequestOptions {
  /** Target URL; only http on 127.0.0.1, localhost or ::1 is accepted. */
  readonly url: string;
  /** POST when a body or audio is given, else GET. */
  readonly method?: string;
  /** Sent as `Authorization: Token <token>`. */
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Request body; with `contentType` (application/json for a string, application/octet-stream for bytes, unless told). */
  readonly body?: Uint8Array | string;
  readonly contentType?: string;
  /** Shorthand for an audio body sent as `audio/wav` (see `makeWav`). */
  readonly audio?: Uint8Array;
  /** Per-request timeout; 30 s unless told. */
  readonly requestTimeoutMs?: number;
  /** Stops the run early; the result is returned with `aborted: true`. */
  readonly signal?: AbortSignal;
}

/** One request's outcome. */
export interface LoadOutcome {
  /** HTTP status, undefined when no answer came. */
  readonly status: number | undefined;
  readonly latencyMs: number;
  /** Why no answer came (`connect: ECONNREFUSED`, `timeout`, ...). */
  readonly error: string | undefined;
  /** True when the run's signal aborted the request (not counted as an error). */
  readonly aborted: boolean;
}

export interface LoadTarget {
  readonly url: URL;
  send(signal: AbortSignal | undefined): Promise<LoadOutcome>;
  /** Closes the run's pooled connections. */
  close(): void;
}

/**
 * Checks that a load URL points at this machine.
 *
 * @throws {InputError} when the URL does not parse, is not http, or its host is not 127.0.0.1,
 *   localhost or ::1
 * @example
 * parseLoopbackUrl('http://127.0.0.1:7100/v1/listen').port; // -> '7100'
 * parseLoopbackUrl('http://example.com/'); // throws: host 'example.com' is not loopback
 */
export function parseLoopbackUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError('schema', url, 'url', 'not a valid URL: expected http://127.0.0.1:PORT/PATH');
  }
  if (parsed.protocol !== 'http:') {
    throw new InputError('schema', url, 'url', `protocol '${parsed.protocol}' is not supported: use http://`);
  }
  if (!isLoopbackHost(parsed.hostname)) {
    throw new InputError(
      'semantic',
      url,
      'url',
      `host '${parsed.hostname}' is not loopback: the load generator only targets 127.0.0.1, localhost or ::1`,
    );
  }
  return parsed;
}

/**
 * Prepares the request a load run repeats: validates the URL, builds headers and body once, and
 * keeps a keep-alive pool of `maxSockets` connections for the run.
 *
 * @throws {InputError} for a non-loopback URL (see {@link parseLoopbackUrl})
 */
export function createLoadTarget(options: LoadRequestOptions, maxSockets: number, now: () => number): LoadTarget {
  const url = parseLoopbackUrl(options.url);
  const body = options.audio ?? options.body;
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['authorization'] = `Token ${options.token}`;
  if (body !== undefined) {
    headers['content-type'] =
      options.contentType ??
      (options.audio !== undefined ? 'audio/wav' : typeof body === 'string' ? 'application/json' : 'application/octet-stream');
  }
  const method = options.method ?? (body === undefined ? 'GET' : 'POST');
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const agent = new Agent({ keepAlive: true, maxSockets });
  return {
    url,
    async send(signal) {
      const startMs = now();
      try {
        const r = await httpRequest(url, {
          method,
          headers,
          timeoutMs,
          agent,
          ...(body === undefined ? {} : { body }),
          ...(signal === undefined ? {} : { signal }),
        });
        return { status: r.status, latencyMs: now() - startMs, error: undefined, aborted: false };
      } catch (error) {
        const aborted = error instanceof HttpRequestError && error.phase === 'aborted';
        return { status: undefined, latencyMs: now() - startMs, error: describeError(error), aborted };
      }
    },
    close: () => agent.destroy(),
  };
}

function describeError(error: unknown): string {
  if (error instanceof HttpRequestError) {
    const code = (error.cause as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? `${error.phase}: ${code}` : error.phase === 'timeout' ? 'timeout' : `${error.phase}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
