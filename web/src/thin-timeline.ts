/**
 * A long run's timeline cut to what a chart can show: a 30-day run has 172,800 rows per series,
 * which costs the main thread ~0.6 s to receive and draw, while a chart is ~1,000 pixels wide.
 * Each stretch of rows keeps its first row and the rows of the extremes of the replica counts,
 * load, latency and metrics (so peaks and troughs survive).
 */
import type { SimResult } from '../../src/sim/index.js';

/** About this many rows are kept. */
export const THIN_ROWS = 3000;

/** Every `number[]` of length `n` inside `x`, re-indexed by `keep` (other values as they are). */
function reindex(x: unknown, n: number, keep: readonly number[]): unknown {
  if (Array.isArray(x)) {
    if (x.length === n && (n === 0 || typeof x[0] === 'number')) return keep.map((i) => x[i] as number);
    return x.map((v) => reindex(v, n, keep));
  }
  if (x !== null && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = reindex(v, n, keep);
    return out;
  }
  return x;
}

/**
 * The results with their timelines thinned to about `maxRows` rows, the same rows for every
 * result of the same length (so compare charts keep sharing their x values); unchanged when short.
 *
 * @example thinTimelines([thirtyDays])[0].timeline.t.length // -> ~6000 (of 172800)
 */
export function thinTimelines(results: readonly SimResult[], maxRows = THIN_ROWS): SimResult[] {
  const n = results[0]?.timeline.t.length ?? 0;
  if (n <= maxRows || results.some((r) => r.timeline.t.length !== n)) return results.length > 1 && results.some((r) => r.timeline.t.length !== n) ? results.map((r) => thinTimelines([r], maxRows)[0]!) : [...results];
  const peaks = results.flatMap((r) => [r.timeline.rps, ...r.timeline.hpas.flatMap((s) => [s.replicas, s.readyReplicas, s.load, s.latencyP99, ...s.metrics.map((m) => m.current)])]);
  // A bucket keeps ~2-12 rows (its first, and each column's extremes when they differ).
  const buckets = Math.max(1, Math.floor(maxRows / 6));
  const size = n / buckets;
  const keep = new Set<number>([0, n - 1]);
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(n, Math.floor((b + 1) * size));
    keep.add(from);
    for (const col of peaks) {
      let lo = -1;
      let hi = -1;
      for (let i = from; i < to; i++) {
        const v = col[i]!;
        if (!Number.isFinite(v)) continue;
        if (lo < 0 || v < col[lo]!) lo = i;
        if (hi < 0 || v > col[hi]!) hi = i;
      }
      if (lo >= 0) keep.add(lo);
      if (hi >= 0) keep.add(hi);
    }
  }
  const rows = [...keep].sort((a, b) => a - b);
  return results.map((r) => ({ ...r, timeline: reindex(r.timeline, n, rows) as SimResult['timeline'] }));
}
