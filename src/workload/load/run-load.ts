import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { linkSignals } from '../../platform/index.js';
import { LOAD_LIMITS, checkOption } from './check-option.js';
import { type LoadProgress, type LoadResult, createLoadRecorder, startProgress } from './load-recorder.js';
import { type LoadRequestOptions, createLoadTarget } from './load-target.js';

export interface RunLoadOptions extends LoadRequestOptions {
  /** How long to keep sending; requests in flight at the end are awaited (up to their timeout). */
  readonly durationMs: number;
  /** Requests in flight at once (closed loop: each connection sends its next request after an answer). */
  readonly concurrency: number;
  /** Cap on the total send rate, requests per second, spread evenly; none unless told. */
  readonly rps?: number;
  /** Stop after this many requests even if time remains. */
  readonly maxRequests?: number;
  readonly onProgress?: (progress: LoadProgress) => void;
  /** 1000 ms unless told. */
  readonly progressIntervalMs?: number;
  /** Milliseconds for latencies; `performance.now` unless told. */
  readonly now?: () => number;
}

/**
 * A bounded load generator like `hey -z DURATION -c CONCURRENCY [-q RPS]`, for this machine
 * only: `concurrency` loops each send a request, wait for the answer and send the next, until
 * `durationMs` has passed (or `maxRequests`, or the signal); with `rps`, sends are also paced
 * to a global schedule of `rps` per second.
 *
 * @throws {InputError} when the URL's host is not 127.0.0.1, localhost or ::1, or an option is out of range
 * @example
 * const r = await runLoad({ url: `${api.url}/v1/listen`, token, audio: makeWav(1), durationMs: 2_000, concurrency: 8 });
 * r.statusCodes; // -> { '200': 1530 }
 * r.latency.p99Ms; // -> 14.2
 */
export async function runLoad(options: RunLoadOptions): Promise<LoadResult> {
  checkOption('durationMs', options.durationMs, { min: 0, max: LOAD_LIMITS.maxDurationMs, exclusiveMin: true });
  checkOption('concurrency', options.concurrency, { min: 1, max: LOAD_LIMITS.maxConcurrency, integer: true });
  if (options.rps !== undefined) checkOption('rps', options.rps, { min: 0, max: LOAD_LIMITS.maxRps, exclusiveMin: true });
  if (options.maxRequests !== undefined) checkOption('maxRequests', options.maxRequests, { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true });
  const now = options.now ?? (() => performance.now());
  const target = createLoadTarget(options, options.concurrency, now);
  const recorder = createLoadRecorder();
  // One listener on the caller's signal; the requests in flight listen to this one.
  const linked = linkSignals(options.signal === undefined ? [] : [options.signal]);
  setMaxListeners(0, linked.signal);
  const { signal } = linked;
  const startMs = now();
  const endMs = startMs + options.durationMs;
  let issued = 0;
  let slot = 0;
  let inFlight = 0;
  const stopProgress = startProgress(options.onProgress, options.progressIntervalMs ?? 1_000, () => ({
    elapsedMs: now() - startMs,
    requests: recorder.requests,
    ok: recorder.ok,
    errors: recorder.errorCount,
    inFlight,
  }));

  const loop = async (): Promise<void> => {
    while (signal?.aborted !== true) {
      if (options.maxRequests !== undefined && issued >= options.maxRequests) return;
      if (options.rps !== undefined) {
        const atMs = startMs + (slot++ * 1000) / options.rps;
        if (atMs >= endMs) return;
        const waitMs = atMs - now();
        if (waitMs > 0) {
          try {
            await delay(waitMs, undefined, signal === undefined ? {} : { signal });
          } catch {
            return; // aborted
          }
        }
      } else if (now() >= endMs) {
        return;
      }
      issued++;
      inFlight++;
      const outcome = await target.send(signal);
      inFlight--;
      recorder.record(outcome);
    }
  };

  try {
    await Promise.all(Array.from({ length: options.concurrency }, loop));
  } finally {
    stopProgress();
    target.close();
    linked.dispose();
  }
  return recorder.result({ url: options.url, elapsedMs: now() - startMs, aborted: signal?.aborted === true });
}
