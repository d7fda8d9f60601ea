import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { Registry } from 'prom-client';
import type { Clock } from '../../core/index.js';
import { AudioFormatError, type AudioInfo, readAudioInfo } from '../audio/audio-info.js';
import { isValidToken } from '../api-server/is-valid-token.js';
import { AUDIO_HEADER_BYTES, type AudioSourcePolicy, checkAudioSourcePolicy, readAudioSource } from './audio-source.js';
import { jsonResponse, linkSignals, readBodyLimited, textResponse, toFetchHandler, type AppRequest, type AppResponse } from '../../platform/index.js';
import { createFifoLimiter } from './fifo-limiter.js';
import { placeholderTranscript } from './placeholder-transcript.js';
import { createWorkerMetrics } from './worker-metrics.js';

/** Waits `ms`, rejecting with the signal's reason if it aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The transcription endpoint's path, as on Lightning ASR. */
export const GET_TEXT_PATH = '/api/v1/lightning/get_text';

/** Defaults of {@link WorkerOptions}; the CLI entry shows the same values in its help. */
export const DEFAULT_WORKER_OPTIONS = {
  /** Real-time factor: seconds of work per second of audio. */
  rtf: 0.1,
  overheadMs: 50,
  maxConcurrency: 4,
  modelLoadMs: 2_000,
  gpuMemoryBaseBytes: 4_000_000_000,
  gpuMemoryPerRequestBytes: 500_000_000,
  /** 100 MB, the API server's own limit. */
  maxBodyBytes: 100 * 1024 * 1024,
} as const;

;

export interface WorkerOptions extends AudioSourcePolicy {
  /**
   * The key callers of `get_text` send as `Authorization: Token <key>` (the API server forwards
   * the stack's); none unless told, which only in-process tests should do.
   */
  readonly token?: string | undefined;
  /** Real-time factor: a request waits `duration × rtf + overheadMs`. */
  readonly rtf?: number;
  readonly overheadMs?: number;
  /** Requests served at once; the rest wait in a FIFO queue. */
  readonly maxConcurrency?: number;
  /** How long the "model" takes to load before `/health` turns 200. */
  readonly modelLoadMs?: number;
  readonly gpuMemoryBaseBytes?: number;
  readonly gpuMemoryPerRequestBytes?: number;
  /** Largest raw audio body accepted (413 above). */
  readonly maxBodyBytes?: number;
  /** Timestamps for `asr_request_duration_seconds` and the model load time (entry points pass the system clock). */
  readonly clock: Clock;
  /** Used for model load, service time and grace period; real timers unless told. */
  readonly sleep?: Sleep;
  /** Registry for the metrics; a fresh one unless told (never the global one). */
  readonly registry?: Registry;
  /** Register prom-client's default process metrics too (true unless told). */
  readonly defaultMetrics?: boolean;
}

export type WorkerState = 'loading' | 'ready' | 'draining' | 'stopped';

export interface WorkerStats {
  readonly state: WorkerState;
  /** Accepted and not yet answered: in service + queued (the `asr_active_requests` value). */
  readonly activeRequests: number;
  readonly inService: number;
  readonly queued: number;
  readonly totalRequests: number;
  readonly failedRequests: number;
}

export interface DrainResult {
  /** True when every in-flight request finished within the grace period. */
  readonly drained: boolean;
  /** Requests cut off (answered 503) because the grace period ran out. */
  readonly abandoned: number;
}

export interface WorkerApp {
  /** The worker's API: `POST /api/v1/lightning/get_text`, `GET /health`. */
  handle(request: AppRequest): Promise<AppResponse>;
  /** The metrics port's handler: `GET /metrics`. */
  handleMetrics(request: AppRequest): Promise<AppResponse>;
  /** `handle` with fetch types, for in-process callers and tests. */
  fetch(request: Request): Promise<Response>;
  /** `handleMetrics` with fetch types. */
  metricsFetch(request: Request): Promise<Response>;
  readonly registry: Registry;
  /** Resolves once the model is loaded (rejects if the worker stops first). */
  readonly ready: Promise<void>;
  state(): WorkerState;
  stats(): WorkerStats;
  /**
   * Stops accepting (new requests get 503, `/health` turns 503 `draining`), waits for in-flight
   * requests up to `graceMs`, then cuts off the rest. The state is 'stopped' afterwards.
   */
  drain(options: { readonly graceMs: number }): Promise<DrainResult>;
}

const realSleep: Sleep = (ms, signal) => delay(ms, undefined, signal === undefined ? {} : { signal });

/**
 * The ASR-like worker as an app handler (no port; `handle` for the server, `fetch` for tests): it
 * does not transcribe, it spends the time a model would. A request's audio duration comes from its WAV header (or byteLength / 32000 for
 * raw PCM); it then waits for a slot (at most `maxConcurrency` at once, FIFO) and for
 * `duration × rtf + overheadMs`, and answers a deterministic placeholder transcription.
 * With `token`, `get_text` answers 401 without `Authorization: Token <token>`. A WAV header that
 * lies (see `readAudioInfo`) is a 400; a JSON `{"url"}` is read only under `audioDir` /
 * `audioOrigin` (see `readAudioSource`), else 400.
 *
 * @throws {RangeError} when an option is out of range (negative times, non-integer concurrency,
 *   a relative `audioDir`, a non-loopback `audioOrigin`, an empty `token`)
 * @example
 * const app = createWorkerApp({ clock: systemClock, modelLoadMs: 0, rtf: 0 });
 * const res = await app.fetch(new Request('http://w/api/v1/lightning/get_text', { method: 'POST', body: makeWav(1) }));
 * (await res.json()).metadata; // -> { duration: 1, fileSize: 32044 }
 */
export function createWorkerApp(options: WorkerOptions): WorkerApp {
  const o = { ...DEFAULT_WORKER_OPTIONS, ...definedOnly(options) };
  checkNonNegative('rtf', o.rtf);
  checkNonNegative('overheadMs', o.overheadMs);
  checkNonNegative('modelLoadMs', o.modelLoadMs);
  checkNonNegative('gpuMemoryBaseBytes', o.gpuMemoryBaseBytes);
  checkNonNegative('gpuMemoryPerRequestBytes', o.gpuMemoryPerRequestBytes);
  checkNonNegative('maxBodyBytes', o.maxBodyBytes);
  const { clock } = options;
  const policy = checkAudioSourcePolicy(options);
  if (options.token === '') throw new RangeError("Cannot create the worker as 'token' must be a non-empty string: got ''");
  const sleep = options.sleep ?? realSleep;
  const limiter = createFifoLimiter(o.maxConcurrency);
  const shutdown = new AbortController();
  setMaxListeners(0, shutdown.signal); // one listener per request in flight

  let state: WorkerState = 'loading';
  let modelLoadSeconds = 0;
  let active = 0;
  let total = 0;
  let failed = 0;
  let idleWaiters: (() => void)[] = [];

  const metrics = createWorkerMetrics({
    registry: options.registry ?? new Registry(),
    gpuMemoryBaseBytes: o.gpuMemoryBaseBytes,
    gpuMemoryPerRequestBytes: o.gpuMemoryPerRequestBytes,
    ...(options.defaultMetrics === undefined ? {} : { defaultMetrics: options.defaultMetrics }),
    source: {
      activeRequests: () => active,
      inService: () => limiter.inUse,
      maxConcurrency: o.maxConcurrency,
      loaded: () => state === 'ready' || state === 'draining',
      modelLoadSeconds: () => modelLoadSeconds,
    },
  });

  const loadStartMs = clock.now();
  const markLoaded = (): void => {
    if (state !== 'loading') return;
    state = 'ready';
    modelLoadSeconds = Math.max(0, (clock.now() - loadStartMs) / 1000);
  };
  let ready: Promise<void>;
  if (o.modelLoadMs === 0) {
    markLoaded();
    ready = Promise.resolve();
  } else {
    ready = sleep(o.modelLoadMs, shutdown.signal).then(() => {
      markLoaded();
      if (state !== 'ready') throw new Error('Worker stopped before the model was loaded');
    });
    ready.catch(() => undefined); // observed by callers that await it; not an unhandled rejection
  }

  const finishOne = (ok: boolean, startMs: number): void => {
    total++;
    metrics.totalRequests.inc();
    if (!ok) {
      failed++;
      metrics.failedRequests.inc();
    }
    metrics.requestDuration.observe(Math.max(0, (clock.now() - startMs) / 1000));
  };

  const rejectEarly = (status: number, message: string): AppResponse => {
    total++;
    failed++;
    metrics.totalRequests.inc();
    metrics.failedRequests.inc();
    return errorJson(status, message);
  };

  async function getText(request: AppRequest): Promise<AppResponse> {
    if (state === 'loading') return rejectEarly(503, 'Model is loading');
    if (state !== 'ready') return rejectEarly(503, 'Worker is shutting down');
    const startMs = clock.now();
    active++;
    const linked = linkSignals([request.signal, shutdown.signal]);
    const { signal } = linked;
    try {
      const read = await readAudio(request, signal, o.maxBodyBytes, policy);
      if (!read.ok) {
        finishOne(false, startMs);
        return read.response;
      }
      const audio = read.info;
      const release = await limiter.acquire(signal);
      try {
        await sleep(audio.durationSeconds * o.rtf * 1000 + o.overheadMs, signal);
      } finally {
        release();
      }
      const transcript = placeholderTranscript(audio.durationSeconds);
      finishOne(true, startMs);
      return jsonResponse({
        status: 'success',
        transcription: transcript.transcription,
        words: transcript.words,
        metadata: { duration: audio.durationSeconds, fileSize: audio.fileSizeBytes },
      });
    } catch (error) {
      finishOne(false, startMs);
      if (shutdown.signal.aborted) return errorJson(503, 'Worker stopped before finishing the request');
      if (request.signal.aborted) return errorJson(499, 'Client closed the request');
      return errorJson(500, `Cannot process the request: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      linked.dispose();
      active--;
      if (active === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }

  const whenIdle = (): Promise<void> =>
    active === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));

  const handle = async (request: AppRequest): Promise<AppResponse> => {
    const { pathname } = new URL(request.url);
    if (pathname === GET_TEXT_PATH) {
      if (request.method !== 'POST') return errorJson(405, `Use POST for ${GET_TEXT_PATH}`);
      if (options.token !== undefined && !isValidToken(request.headers.get('authorization'), options.token)) {
        return rejectEarly(401, "Invalid or missing key: send 'Authorization: Token <key>' (the API server forwards it)");
      }
      return getText(request);
    }
    if (pathname === '/health') {
      if (state === 'ready') return jsonResponse({ status: 'ready' });
      return jsonResponse({ status: state }, 503);
    }
    return errorJson(404, `No route for ${request.method} ${pathname}`);
  };
  const handleMetrics = async (request: AppRequest): Promise<AppResponse> => {
    const { pathname } = new URL(request.url);
    if (pathname !== '/metrics') return errorJson(404, `No route for ${request.method} ${pathname}`);
    return textResponse(await metrics.registry.metrics(), metrics.registry.contentType);
  };

  return {
    handle,
    handleMetrics,
    fetch: toFetchHandler(handle),
    metricsFetch: toFetchHandler(handleMetrics),
    registry: metrics.registry,
    ready,
    state: () => state,
    stats: () => ({
      state,
      activeRequests: active,
      inService: limiter.inUse,
      queued: limiter.waiting,
      totalRequests: total,
      failedRequests: failed,
    }),
    async drain({ graceMs }): Promise<DrainResult> {
      checkNonNegative('graceMs', graceMs);
      if (state === 'stopped') return { drained: true, abandoned: 0 };
      state = 'draining';
      if (active > 0) {
        const grace = new AbortController();
        await Promise.race([whenIdle(), sleep(graceMs, grace.signal).catch(() => undefined)]);
        grace.abort();
      }
      const abandoned = active;
      shutdown.abort(new Error('Worker stopped'));
      await whenIdle();
      state = 'stopped';
      return { drained: abandoned === 0, abandoned };
    },
  };
}

/** Audio read from a request, or the error answer to send instead. */
type AudioRead = { readonly ok: true; readonly info: AudioInfo } | { readonly ok: false; readonly response: AppResponse };

const fail = (status: number, message: string): AudioRead => ({ ok: false, response: errorJson(status, message) });
const found = (info: AudioInfo): AudioRead => ({ ok: true, info });

async function readAudio(request: AppRequest, signal: AbortSignal, maxBodyBytes: number, policy: AudioSourcePolicy): Promise<AudioRead> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') {
    const body = await readBodyLimited(request, { maxBytes: AUDIO_HEADER_BYTES });
    if (!body.ok) return fail(413, `JSON body is larger than ${AUDIO_HEADER_BYTES} bytes`);
    let url: unknown;
    try {
      url = (JSON.parse(new TextDecoder().decode(body.bytes)) as { url?: unknown } | null)?.url;
    } catch (error) {
      return fail(400, `Cannot parse the JSON body: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (typeof url !== 'string' || url === '') return fail(400, "Missing 'url': expected a non-empty string");
    const source = await readAudioSource(url, policy, signal);
    return source.ok ? found(source.info) : fail(400, source.message);
  }
  const body = await readBodyLimited(request, { maxBytes: maxBodyBytes, keepBytes: AUDIO_HEADER_BYTES });
  if (!body.ok) return fail(413, `Audio is larger than ${maxBodyBytes} bytes`);
  if (body.totalBytes === 0) return fail(400, 'Request body is empty: expected audio bytes or JSON {"url"}');
  try {
    return found(readAudioInfo(body.bytes, { totalBytes: body.totalBytes }));
  } catch (error) {
    if (error instanceof AudioFormatError) return fail(400, error.message);
    throw error;
  }
}

function errorJson(status: number, message: string): AppResponse {
  return jsonResponse({ status: 'error', message }, status);
}

function checkNonNegative(field: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(`Cannot create the worker as '${field}' must be a finite number >= 0: got ${value}`);
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
