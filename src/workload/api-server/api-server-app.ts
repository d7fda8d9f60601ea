import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { Registry } from 'prom-client';
import type { Clock } from '../../core/index.js';
import { HttpRequestError, jsonResponse, linkSignals, textResponse, toFetchHandler, type AppRequest, type AppResponse } from '../../platform/index.js';
import { ApiError, toResponse } from './api-error.js';
import { createApiMetrics } from './api-metrics.js';
import { type ListenInput, readListenRequest, tooLarge } from './read-listen-request.js';
import { isValidToken } from './is-valid-token.js';
import { type WorkerRegistry, createWorkerRegistry } from './worker-registry.js';
import { type WorkerReply, type WorkerTransport, createHttpWorkerTransport } from './worker-transport.js';

/** Where the API server serves its sample audio files (`GET /samples/test-audio.wav`). */
export const SAMPLES_PATH = '/samples/';

/** The transcription endpoint of the API server (seed 000's load test). */
export const LISTEN_PATH = '/v1/listen';

/** Defaults of {@link ApiServerOptions}. */
export const DEFAULT_API_SERVER_OPTIONS = {
  /** 100 MiB. */
  maxBodyBytes: 100 * 1024 * 1024,
  retryAfterSeconds: 5,
  workerTimeoutMs: 300_000,
  language: 'en',
} as const;

/** Confidence reported for the placeholder transcription (the worker is synthetic). */
export const PLACEHOLDER_CONFIDENCE = 0.9;

export interface ApiServerOptions {
  /** The license key clients send as `Authorization: Token <key>`. */
  readonly token: string;
  /** The workers to route to; an empty registry unless told. */
  readonly workers?: WorkerRegistry;
  /** Largest request body, 100 MiB unless told (422 FILE_TOO_LARGE above). */
  readonly maxBodyBytes?: number;
  /** `retry_after` of a 503, in seconds. */
  readonly retryAfterSeconds?: number;
  /** Time allowed to one worker call. */
  readonly workerTimeoutMs?: number;
  /** Language reported when the request has no `?language=`. */
  readonly language?: string;
  /**
   * Files served at `GET /samples/<name>` with no token (fixtures for the `{url}` form, such as
   * `test-audio.wav`); none unless told.
   */
  readonly samples?: ReadonlyMap<string, Uint8Array>;
  /** How workers are called; HTTP with the token unless told (tests call worker apps in-process). */
  readonly transport?: WorkerTransport;
  /** Makes `request_id`s; random UUIDs unless told. */
  readonly idGenerator?: () => string;
  /** For the latency histogram (entry points pass the system clock). */
  readonly clock: Clock;
  readonly registry?: Registry;
  /** Register prom-client's default process metrics too (true unless told). */
  readonly defaultMetrics?: boolean;
}

export interface ApiServerStats {
  readonly inFlight: number;
  readonly stopping: boolean;
  /** Second attempts after a worker failed before answering. */
  readonly retries: number;
}

export interface ApiServerApp {
  /** `POST /v1/listen`, `GET /health`, `GET /metrics`. */
  readonly handle: (request: AppRequest) => Promise<AppResponse>;
  /** `handle` with fetch types, for in-process callers and tests. */
  fetch(request: Request): Promise<Response>;
  readonly workers: WorkerRegistry;
  readonly registry: Registry;
  stats(): ApiServerStats;
  /**
   * Stops accepting (new `/v1/listen` get 503, `/health` 503 "shutting down"), waits for
   * in-flight requests up to `graceMs`, then aborts the rest (answered 503). Resolves with the
   * number aborted.
   */
  shutdown(options: { readonly graceMs: number }): Promise<number>;
}


/**
 * The API server as an app handler (no port; `handle` for the server, `fetch` for tests): checks
 * the license token in constant time, reads the body without ever holding more than the limit
 * (422 on a Content-Length over it before reading a byte), forwards it to the ready worker with the
 * fewest in-flight requests (counted here, not scraped), retries once on another worker when a
 * worker fails before answering (connection error or 503), and answers
 * `{request_id, text, confidence, duration, language, words}` or a flat `{error, code}`.
 *
 * @throws {RangeError} when `token` is empty
 * @example
 * const app = createApiServerApp({ token: 'secret', clock: systemClock });
 * app.workers.addWorker({ id: 'w1', url: 'http://127.0.0.1:2270' });
 * const res = await app.fetch(new Request('http://api/v1/listen', { method: 'POST', headers: { authorization: 'Token secret' }, body: makeWav(1) }));
 * (await res.json()).duration; // -> 1
 */
export function createApiServerApp(options: ApiServerOptions): ApiServerApp {
  if (options.token === '') throw new RangeError("Cannot create the API server as 'token' must be a non-empty string: got ''");
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_API_SERVER_OPTIONS.maxBodyBytes;
  const retryAfterSeconds = options.retryAfterSeconds ?? DEFAULT_API_SERVER_OPTIONS.retryAfterSeconds;
  const workerTimeoutMs = options.workerTimeoutMs ?? DEFAULT_API_SERVER_OPTIONS.workerTimeoutMs;
  const workers = options.workers ?? createWorkerRegistry();
  const transport = options.transport ?? createHttpWorkerTransport({ token: options.token });
  const newId = options.idGenerator ?? randomUUID;
  const { clock } = options;
  const metrics = createApiMetrics(options.registry ?? new Registry(), workers, {
    ...(options.defaultMetrics === undefined ? {} : { defaultMetrics: options.defaultMetrics }),
  });
  const shutdownController = new AbortController();
  setMaxListeners(0, shutdownController.signal); // one listener per request in flight
  let stopping = false;
  let inFlight = 0;
  let retries = 0;
  let idleWaiters: (() => void)[] = [];

  const unavailable = (message: string): ApiError =>
    new ApiError('SERVICE_UNAVAILABLE', message, { retryAfterSeconds });

  async function callWorkers(input: ListenInput, signal: AbortSignal): Promise<WorkerReply> {
    const tried = new Set<string>();
    let lastError: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      // A second attempt prefers another worker; with none left it may reuse the first (a stale
      // keep-alive socket is the usual cause of a failure before any answer).
      const worker = workers.pick(tried) ?? (attempt > 0 ? workers.pick() : undefined);
      if (worker === undefined) break;
      if (attempt > 0) {
        retries++;
        metrics.retries.inc();
      }
      tried.add(worker.id);
      const done = workers.begin(worker.id);
      try {
        const reply = await transport(worker, {
          body: input.body,
          contentType: input.contentType,
          signal,
          timeoutMs: workerTimeoutMs,
        });
        // 503 means the worker did not take the request (loading or stopping): safe to resend.
        if (reply.status === 503 && attempt === 0) {
          lastError = new ApiError('SERVICE_UNAVAILABLE', `Worker '${worker.id}' is not accepting requests`);
          continue;
        }
        return reply;
      } catch (error) {
        if (signal.aborted) throw error;
        if (error instanceof HttpRequestError && error.phase === 'timeout') {
          throw new ApiError('WORKER_TIMEOUT', `Worker '${worker.id}' did not answer within ${workerTimeoutMs} ms`, { cause: error });
        }
        if (!(error instanceof HttpRequestError && error.phase === 'connect')) {
          throw new ApiError('WORKER_ERROR', `Worker '${worker.id}' failed: ${messageOf(error)}`, { cause: error });
        }
        lastError = error;
      } finally {
        done();
      }
    }
    if (lastError === undefined) throw unavailable('No worker is ready');
    if (lastError instanceof ApiError) throw unavailable(lastError.message);
    throw new ApiError('WORKER_ERROR', `No worker could take the request: ${messageOf(lastError)}`, { cause: lastError });
  }

  async function listen(request: AppRequest): Promise<AppResponse> {
    if (stopping) throw unavailable('API server is shutting down');
    if (!isValidToken(request.headers.get('authorization'), options.token)) {
      throw new ApiError('INVALID_LICENSE', "Invalid or missing license key: send 'Authorization: Token <key>'");
    }
    const declared = request.headers.get('content-length');
    if (declared !== null && Number(declared) > maxBodyBytes) throw tooLarge(maxBodyBytes);
    // Refuse before reading the body when nobody could serve it.
    if (workers.routableCount() === 0) throw unavailable('No worker is ready');
    const input = await readListenRequest(request, { maxBodyBytes });
    const linked = linkSignals([request.signal, shutdownController.signal]);
    let reply: WorkerReply;
    try {
      reply = await callWorkers(input, linked.signal);
      linked.signal.throwIfAborted(); // a transport may answer (499) instead of throwing when aborted
    } catch (error) {
      if (shutdownController.signal.aborted) throw unavailable('API server stopped before the worker answered');
      throw error;
    } finally {
      linked.dispose();
    }
    return toListenResponse(reply, {
      requestId: newId(),
      language: new URL(request.url).searchParams.get('language') ?? options.language ?? DEFAULT_API_SERVER_OPTIONS.language,
      maxBodyBytes,
      retryAfterSeconds,
    });
  }

  async function handleListen(request: AppRequest): Promise<AppResponse> {
    const startMs = clock.now();
    inFlight++;
    metrics.inFlight.inc();
    let response: AppResponse;
    let code = 'OK';
    try {
      response = await listen(request);
    } catch (error) {
      response = toResponse(error);
      code = error instanceof ApiError ? error.code : 'INTERNAL';
    } finally {
      inFlight--;
      metrics.inFlight.dec();
      if (inFlight === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const w of waiters) w();
      }
    }
    metrics.requests.inc({ status: String(response.status), code });
    metrics.duration.observe(Math.max(0, (clock.now() - startMs) / 1000));
    return response;
  }

  const handle = async (request: AppRequest): Promise<AppResponse> => {
    const { pathname } = new URL(request.url);
    try {
      if (pathname === LISTEN_PATH) {
        if (request.method !== 'POST') throw new ApiError('METHOD_NOT_ALLOWED', `Use POST for ${LISTEN_PATH}`);
        return await handleListen(request);
      }
      if (pathname === '/health') {
        if (stopping) return jsonResponse({ status: 'unhealthy', reason: 'shutting down' }, 503);
        if (workers.routableCount() === 0) return jsonResponse({ status: 'unhealthy', reason: 'no ready worker' }, 503);
        return jsonResponse({ status: 'healthy' });
      }
      if (pathname === '/metrics') return textResponse(await metrics.registry.metrics(), metrics.registry.contentType);
      const sample = pathname.startsWith(SAMPLES_PATH) ? options.samples?.get(pathname.slice(SAMPLES_PATH.length)) : undefined;
      if (sample !== undefined) {
        if (request.method !== 'GET' && request.method !== 'HEAD') throw new ApiError('METHOD_NOT_ALLOWED', `Use GET for ${pathname}`);
        return { status: 200, headers: { 'content-type': 'audio/wav' }, body: request.method === 'HEAD' ? new Uint8Array(0) : sample };
      }
      throw new ApiError('NOT_FOUND', `No route for ${request.method} ${pathname}`);
    } catch (error) {
      return toResponse(error);
    }
  };

  return {
    handle,
    fetch: toFetchHandler(handle),
    workers,
    registry: metrics.registry,
    stats: () => ({ inFlight, stopping, retries }),
    async shutdown({ graceMs }) {
      stopping = true;
      if (inFlight > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => idleWaiters.push(resolve)),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, graceMs);
          }),
        ]);
        clearTimeout(timer);
      }
      const aborted = inFlight;
      if (aborted > 0) {
        shutdownController.abort(new Error('API server stopped'));
        await new Promise<void>((resolve) => (inFlight === 0 ? resolve() : idleWaiters.push(resolve)));
      }
      return aborted;
    },
  };
}

function toListenResponse(
  reply: WorkerReply,
  context: {
    readonly requestId: string;
    readonly language: string;
    readonly maxBodyBytes: number;
    readonly retryAfterSeconds: number;
  },
): AppResponse {
  const body = (typeof reply.body === 'object' && reply.body !== null ? reply.body : {}) as {
    status?: unknown;
    message?: unknown;
    transcription?: unknown;
    words?: unknown;
    metadata?: { duration?: unknown };
  };
  if (reply.status === 413) throw tooLarge(context.maxBodyBytes);
  if (reply.status === 400) {
    throw new ApiError('INVALID_REQUEST', typeof body.message === 'string' ? body.message : 'Worker refused the request');
  }
  if (reply.status === 503) {
    throw new ApiError('SERVICE_UNAVAILABLE', 'No worker could take the request', {
      retryAfterSeconds: context.retryAfterSeconds,
    });
  }
  if (reply.status !== 200 || body.status !== 'success' || typeof body.transcription !== 'string') {
    const detail = typeof body.message === 'string' ? body.message : `status ${reply.status}`;
    throw new ApiError('WORKER_ERROR', `Worker failed: ${detail}`);
  }
  const words = Array.isArray(body.words)
    ? (body.words as { word?: unknown; start?: unknown; end?: unknown }[]).map((w) => ({
        word: w.word,
        start: w.start,
        end: w.end,
        confidence: PLACEHOLDER_CONFIDENCE,
      }))
    : [];
  return jsonResponse({
    request_id: context.requestId,
    text: body.transcription,
    confidence: PLACEHOLDER_CONFIDENCE,
    duration: typeof body.metadata?.duration === 'number' ? body.metadata.duration : 0,
    language: context.language,
    words,
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
