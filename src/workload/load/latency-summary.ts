/** Latency figures of a load run, in milliseconds (0 when nothing was measured). */
export interface LatencySummary {
  readonly count: number;
  readonly minMs: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** One bar of the latency histogram: answers slower than the previous bound and at most `upperMs`. */
export interface HistogramBucket {
  readonly upperMs: number;
  readonly count: number;
}

/**
 * The p-th percentile by nearest rank (the smallest value with at least p% of values at or
 * below it) of values sorted ascending; 0 for none.
 *
 * @example
 * percentile([1, 2, 3, 4], 50); // -> 2
 */
export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sortedMs.length);
  return sortedMs[Math.min(sortedMs.length, Math.max(1, rank)) - 1] as number;
}

/**
 * Min, mean, p50/p90/p99 and max of a set of latencies.
 *
 * @example
 * summarizeLatencies([10, 20, 30]).p50Ms; // -> 20
 */
export function summarizeLatencies(latenciesMs: readonly number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { count: 0, minMs: 0, meanMs: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0 };
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: n,
    minMs: sorted[0] as number,
    meanMs: sum / n,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[n - 1] as number,
  };
}

/**
 * A histogram of `bucketCount` equal-width buckets from the fastest to the slowest answer (the
 * layout `hey` prints). Empty for no values; one bucket when all values are equal.
 *
 * @example
 * latencyHistogram([1, 2, 3, 4], 2); // -> [{ upperMs: 2.5, count: 2 }, { upperMs: 4, count: 2 }]
 */
export function latencyHistogram(latenciesMs: readonly number[], bucketCount = 10): HistogramBucket[] {
  if (latenciesMs.length === 0) return [];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of latenciesMs) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const width = (max - min) / bucketCount;
  // Equal values (or a spread too small to divide) make one bucket.
  if (!(width > 0)) return [{ upperMs: max, count: latenciesMs.length }];
  const counts = new Array<number>(bucketCount).fill(0);
  for (const v of latenciesMs) {
    const i = Math.min(bucketCount - 1, Math.max(0, Math.floor((v - min) / width)));
    counts[i] = (counts[i] as number) + 1;
  }
  return counts.map((count, i) => ({ upperMs: i === bucketCount - 1 ? max : min + (i + 1) * width, count }));
}
