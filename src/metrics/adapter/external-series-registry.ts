/**
 * The external-metrics registry built by one relist: API metric name -> (series name, rule), the
 * last one processed winning. No resource association. Discovery lists every metric as namespaced,
 * even for rules with `resources.namespaced: false` (upstream issue #530).
 *
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/pkg/external-provider/external_series_registry.go
 */
import type { LabelSelector } from '../../core/index.js';
import type { MetricNamer } from './metric-namer.js';
import type { QueryResult } from './metrics-query.js';
import type { ExternalMetricInfo, Series } from './types.js';

export interface ExternalSeriesRegistry {
  listAllMetrics(): readonly ExternalMetricInfo[];
  /** `found: false` -> 404 NotFound; a failed query -> 500 "unable to fetch metrics". */
  queryForMetric(request: { readonly metric: string; readonly namespace: string; readonly metricSelector: LabelSelector }):
    | { readonly found: false }
    | { readonly found: true; readonly result: QueryResult; readonly seriesName: string; readonly namer: MetricNamer };
}

/**
 * Builds the external registry from the (already filtered) series of each external rule.
 *
 * @throws {RangeError} when `seriesPerRule` and `namers` differ in length
 */
export function buildExternalSeriesRegistry(seriesPerRule: readonly (readonly Series[])[], namers: readonly MetricNamer[]): ExternalSeriesRegistry {
  if (seriesPerRule.length !== namers.length) {
    throw new RangeError(`Cannot build the external registry: need one set of series per rule, got ${seriesPerRule.length} for ${namers.length}`);
  }
  const byName = new Map<string, { seriesName: string; namer: MetricNamer }>();
  seriesPerRule.forEach((seriesList, k) => {
    const namer = namers[k];
    if (!namer) return;
    for (const series of seriesList) {
      const metric = namer.metricNameForSeries(series);
      if (metric === undefined) continue;
      byName.delete(metric);
      byName.set(metric, { seriesName: series.name, namer });
    }
  });
  return {
    listAllMetrics: () => [...byName.keys()].map((metric) => ({ metric })),
    queryForMetric: ({ metric, namespace, metricSelector }) => {
      const hit = byName.get(metric);
      if (!hit) return { found: false };
      return { found: true, seriesName: hit.seriesName, namer: hit.namer, result: hit.namer.queryForExternalSeries({ series: hit.seriesName, namespace, metricSelector }) };
    },
  };
}
