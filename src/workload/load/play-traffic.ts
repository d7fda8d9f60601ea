import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { linkSignals } from '../../platform/index.js';
import { LOAD_LIMITS, checkOption } from './check-option.js';
import { type LoadProgress, type LoadResult, createLoadRecorder, startProgress } from './load-recorder.js';
import { type LoadRequestOptions, createLoadTarget } from './load-target.js';

export interface PlayTrafficOptions extends LoadRequestOptions {
  /** Target request rate (requests per second) at traffic time `tSeconds`, e.g. a simulator scenario's traffic function. */
  readonly rpsAt: (tSeconds: number) => number;
  /** Real time to play. */
  readonly durationMs: number;
  /**
   * Traffic seconds per real second (1 unless told): 60 plays an hour of traffic shape in a
   * minute. Rates are not scaled: at real time t the rate is `rpsAt(t × timeScale)`.
   */
  readonly timeScale?: number;
  /** Arrivals are released every `tickMs` (50 ms unless told), spread evenly inside the tick. */
  readonly tickMs?: number;
  /** Arrivals beyond this many requests in flight are not sent and counted as `dropped` (1000 unless told). */
  readonly maxInFlight?: number;
  readonly onProgress?: (progress: LoadProgress) => void;
  readonly progressIntervalMs?: number;
  /** Milliseconds for latencies and pacing; `performance.now` unless told. */
  readonly now?: () => number;
}

/** One real second of a played traffic function. */
export interface TrafficSecond {
  /** Real second index from the start. */
  readonly second: number;
  /** Traffic time at the start of this second (`second × timeScale`). */
  readonly tSeconds: number;
  /** `rpsAt` at the start of the second. */
  readonly targetRps: number;
  /** Requests sent during this second. */
  readonly sent: number;
  /** 2xx answers received during this second. */
  readonly ok: number;
}

export interface PlayTrafficResult extends LoadResult {
  /** Requests sent. */
  readonly sent: number;
  /** Arrivals not sent because `maxInFlight` requests were already waiting. */
  readonly dropped: number;
  readonly timeline: readonly TrafficSecond[];
}

/**
 * Replays a traffic function live (open loop, like real users): requests arrive at the rate
 * `rpsAt(t)` whatever the answers' speed, released every `tickMs` with the fractional remainder
 * carried over (deterministic, no randomness), so the count sent over a period matches the
 * integral of the rate. Waits for the last answers (up to their timeout) before returning.
 *
 * @throws {InputError} for a non-loopback URL or an out-of-range option
 * @example
 * const r = await playTraffic({ url, token, audio, durationMs: 60_000, timeScale: 60, rpsAt: scenario.rpsAt });
 * r.timeline[10]; // -> { second: 10, tSeconds: 600, targetRps: 42, sent: 42, ok: 42 }
 */
export async function playTraffic(options: PlayTrafficOptions): Promise<PlayTrafficResult> {
  checkOption('durationMs', options.durationMs, { min: 0, max: LOAD_LIMITS.maxDurationMs, exclusiveMin: true });
  const timeScale = options.timeScale ?? 1;
  checkOption('timeScale', timeScale, { min: 0, max: 1e6, exclusiveMin: true });
  const tickMs = options.tickMs ?? 50;
  checkOption('tickMs', tickMs, { min: 1, max: 10_000 });
  const maxInFlight = options.maxInFlight ?? 1_000;
  checkOption('maxInFlight', maxInFlight, { min: 1, max: LOAD_LIMITS.maxConcurrency, integer: true });
  const now = options.now ?? (() => performance.now());
  const target = createLoadTarget(options, maxInFlight, now);
  const recorder = createLoadRecorder();
  // One listener on the caller's signal; the requests in flight listen to this one.
  const linked = linkSignals(options.signal === undefined ? [] : [options.signal]);
  setMaxListeners(0, linked.signal);
  const { signal } = linked;
  const isAborted = (): boolean => signal?.aborted === true;
  const seconds = Math.ceil(options.durationMs / 1000);
  const timeline = Array.from({ length: seconds }, (_, s) => ({
    second: s,
    tSeconds: s * timeScale,
    targetRps: safeRate(options.rpsAt, s * timeScale),
    sent: 0,
    ok: 0,
  }));
  const startMs = now();
  const secondOf = (ms: number): number => Math.min(seconds - 1, Math.max(0, Math.floor((ms - startMs) / 1000)));
  let inFlight = 0;
  let sent = 0;
  let dropped = 0;
  const pending = new Set<Promise<void>>();
  const stopProgress = startProgress(options.onProgress, options.progressIntervalMs ?? 1_000, () => ({
    elapsedMs: now() - startMs,
    requests: recorder.requests,
    ok: recorder.ok,
    errors: recorder.errorCount,
    inFlight,
  }));

  const fire = (): void => {
    if (inFlight >= maxInFlight) {
      dropped++;
      return;
    }
    inFlight++;
    sent++;
    const row = timeline[secondOf(now())];
    if (row) row.sent++;
    const p = target.send(signal).then((outcome) => {
      inFlight--;
      recorder.record(outcome);
      if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) {
        const done = timeline[secondOf(now())];
        if (done) done.ok++;
      }
    });
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  let carry = 0;
  const ticks = Math.ceil(options.durationMs / tickMs);
  try {
    for (let tick = 0; tick < ticks && !isAborted(); tick++) {
      const tickStartMs = startMs + tick * tickMs;
      const tickLengthMs = Math.min(tickMs, options.durationMs - tick * tickMs);
      // Midpoint rule over the tick, in traffic time.
      const rate = safeRate(options.rpsAt, ((tick * tickMs + tickLengthMs / 2) / 1000) * timeScale);
      carry += (rate * tickLengthMs) / 1000;
      const n = Math.floor(carry);
      carry -= n;
      for (let k = 0; k < n && !isAborted(); k++) {
        const waitMs = tickStartMs + (k * tickLengthMs) / n - now();
        if (waitMs > 1) await delay(waitMs, undefined, signal === undefined ? {} : { signal }).catch(() => undefined);
        if (isAborted()) break;
        fire();
      }
      const nextMs = tickStartMs + tickLengthMs - now();
      if (nextMs > 0) await delay(nextMs, undefined, signal === undefined ? {} : { signal }).catch(() => undefined);
    }
    await Promise.all(pending);
  } finally {
    stopProgress();
    target.close();
    linked.dispose();
  }
  const result = recorder.result({ url: options.url, elapsedMs: now() - startMs, aborted: signal?.aborted === true });
  return { ...result, sent, dropped, timeline };
}

function safeRate(rpsAt: (tSeconds: number) => number, tSeconds: number): number {
  const r = rpsAt(tSeconds);
  return Number.isFinite(r) && r > 0 ? Math.min(r, LOAD_LIMITS.maxRps) : 0;
}
