import { type HistogramBucket, type LatencySummary, latencyHistogram, summarizeLatencies } from './latency-summary.js';
import type { LoadOutcome } from './load-target.js';

/** The result of a load run. */
export interface LoadResult {
  readonly url: string;
  /** Wall time from the first request to the last answer. */
  readonly elapsedMs: number;
  /** Requests that got an answer or failed (aborted ones excluded). */
  readonly requests: number;
  /** Answers with a 2xx status. */
  readonly ok: number;
  /** Answered requests per second of `elapsedMs`. */
  readonly throughputRps: number;
  /** Latency of answered requests (any status). */
  readonly latency: LatencySummary;
  readonly histogram: readonly HistogramBucket[];
  /** Answers by HTTP status: `{ "200": 950, "503": 3 }`. */
  readonly statusCodes: Readonly<Record<string, number>>;
  /** Requests without an answer, by cause: `{ "connect: ECONNREFUSED": 2 }`. */
  readonly errors: Readonly<Record<string, number>>;
  /** True when the signal stopped the run early. */
  readonly aborted: boolean;
}

/** Progress of a running load, reported every `progressIntervalMs`. */
export interface LoadProgress {
  readonly elapsedMs: number;
  readonly requests: number;
  readonly ok: number;
  readonly errors: number;
  readonly inFlight: number;
  /** Answers per second over the last interval. */
  readonly recentRps: number;
}

export interface LoadRecorder {
  record(outcome: LoadOutcome): void;
  readonly requests: number;
  readonly ok: number;
  readonly errorCount: number;
  result(input: { readonly url: string; readonly elapsedMs: number; readonly aborted: boolean }): LoadResult;
}

/** Collects outcomes of a run and summarises them. */
export function createLoadRecorder(): LoadRecorder {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let ok = 0;
  let errorCount = 0;
  return {
    record(outcome) {
      if (outcome.aborted) return;
      if (outcome.status === undefined) {
        const key = outcome.error ?? 'unknown';
        errors[key] = (errors[key] ?? 0) + 1;
        errorCount++;
        return;
      }
      latencies.push(outcome.latencyMs);
      const key = String(outcome.status);
      statusCodes[key] = (statusCodes[key] ?? 0) + 1;
      if (outcome.status >= 200 && outcome.status < 300) ok++;
    },
    get requests() {
      return latencies.length + errorCount;
    },
    get ok() {
      return ok;
    },
    get errorCount() {
      return errorCount;
    },
    result({ url, elapsedMs, aborted }) {
      return {
        url,
        elapsedMs,
        requests: latencies.length + errorCount,
        ok,
        throughputRps: elapsedMs > 0 ? (latencies.length * 1000) / elapsedMs : 0,
        latency: summarizeLatencies(latencies),
        histogram: latencyHistogram(latencies),
        statusCodes: { ...statusCodes },
        errors: { ...errors },
        aborted,
      };
    },
  };
}

/** Calls `onProgress` every `intervalMs` until the returned stop function is called. */
export function startProgress(
  onProgress: ((p: LoadProgress) => void) | undefined,
  intervalMs: number,
  read: () => Omit<LoadProgress, 'recentRps'>,
): () => void {
  if (onProgress === undefined) return () => undefined;
  let last = read();
  const timer = setInterval(() => {
    const p = read();
    const dtMs = p.elapsedMs - last.elapsedMs;
    const answered = p.requests - p.errors - (last.requests - last.errors);
    onProgress({ ...p, recentRps: dtMs > 0 ? (answered * 1000) / dtMs : 0 });
    last = p;
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
