/**
 * The pure half of a relist: which `/api/v1/series` calls to make (one per distinct `seriesQuery`,
 * byte-identical strings share a call) and how their answers become per-rule series lists
 * (explicit `seriesFilters` in order, then the implicit `name.matches` filter). Any missing answer
 * fails the whole relist, so the previous registry stays in place.
 *
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/pkg/custom-provider/provider.go (updateMetrics)
 */
import type { MetricNamer } from './metric-namer.js';
import type { Series } from './types.js';

/**
 * The distinct series queries of the rules, in first-use order.
 *
 * @example distinctSeriesQueries([a, b, a2]) // -> ['{__name__=~"^container_.*"}', 'asr_active_requests']
 */
export function distinctSeriesQueries(namers: readonly MetricNamer[]): string[] {
  return [...new Set(namers.map((n) => n.seriesQuery))];
}

export type AssignSeriesResult =
  | { readonly ok: true; readonly seriesPerRule: readonly (readonly Series[])[] }
  | { readonly ok: false; readonly message: string };

/**
 * Hands each rule the filtered answer to its series query.
 *
 * @example assignRelistSeries(namers, new Map([['up', [{ name: 'up', labels: {} }]]]))
 */
export function assignRelistSeries(namers: readonly MetricNamer[], responses: ReadonlyMap<string, readonly Series[]>): AssignSeriesResult {
  const seriesPerRule: Series[][] = [];
  for (const namer of namers) {
    const series = responses.get(namer.seriesQuery);
    if (!series) return { ok: false, message: `unable to update list of all metrics: no metrics retrieved for query ${JSON.stringify(namer.seriesQuery)}` };
    seriesPerRule.push(namer.filterSeries(series));
  }
  return { ok: true, seriesPerRule };
}
