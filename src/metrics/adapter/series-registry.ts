/**
 * The custom-metrics registry built by one relist: every (group, resource, namespaced, metric) key
 * that the rules' series produce, pointing at the series name and the rule that serves it. Built
 * as an immutable value, so a relist swaps registries atomically. Collisions: the series/rule
 * processed last wins (rules in config order, series in Prometheus order).
 *
 * `namespaces`, `nodes` and `persistentvolumes` are listed as root-scoped; every other resource as
 * namespaced.
 *
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/pkg/custom-provider/series_registry.go
 */
import type { LabelSelector } from '../../core/index.js';
import type { MetricNamer } from './metric-namer.js';
import type { QueryResult } from './metrics-query.js';
import type { ResourceMapper } from './resource-mapper.js';
import type { CustomMetricInfo, PromSample, Series } from './types.js';

export interface SeriesRegistryEntry {
  readonly info: CustomMetricInfo;
  readonly seriesName: string;
  readonly namer: MetricNamer;
}

/** A query for a custom-metrics request, or why the metric is not served (the API answers 404). */
export type RegistryQueryResult =
  | { readonly found: true; readonly query: string; readonly entry: SeriesRegistryEntry }
  | { readonly found: false; readonly reason: 'noNames' | 'unknownResource' | 'notRegistered' | 'queryFailed'; readonly message: string; readonly query?: QueryResult };

export interface SeriesRegistry {
  /** Every served metric (discovery); order is insertion order of the keys. */
  listAllMetrics(): readonly CustomMetricInfo[];
  /** The entry for a metric as requested (its resource is normalised through the mapper first). */
  lookup(info: CustomMetricInfo): SeriesRegistryEntry | undefined;
  queryForMetric(info: CustomMetricInfo, request: { readonly namespace: string; readonly names: readonly string[]; readonly metricSelector: LabelSelector }): RegistryQueryResult;
  /** Object name -> sample value, by the resource label of each sample; the last sample per name wins. */
  matchValuesToNames(info: CustomMetricInfo, samples: readonly PromSample[]): ReadonlyMap<string, number> | undefined;
}

const ROOT_SCOPED = new Set(['namespaces', 'nodes', 'persistentvolumes']);

function keyOf(info: CustomMetricInfo): string {
  return JSON.stringify([info.group, info.resource, info.namespaced, info.metric]);
}

/**
 * Builds the registry from the (already filtered) series of each rule.
 *
 * @throws {RangeError} when `seriesPerRule` and `namers` differ in length
 * @example buildSeriesRegistry([[{ name: 'asr_active_requests', labels: { namespace: 'ns', pod: 'p' } }]], [namer], mapper).listAllMetrics()
 * // -> [{ group: '', resource: 'pods', namespaced: true, metric: 'asr_active_requests' }, { ..., resource: 'namespaces', namespaced: false }]
 */
export function buildSeriesRegistry(seriesPerRule: readonly (readonly Series[])[], namers: readonly MetricNamer[], mapper: ResourceMapper): SeriesRegistry {
  if (seriesPerRule.length !== namers.length) {
    throw new RangeError(`Cannot build the series registry: need one set of series per rule, got ${seriesPerRule.length} for ${namers.length}`);
  }
  const entries = new Map<string, SeriesRegistryEntry>();
  seriesPerRule.forEach((seriesList, k) => {
    const namer = namers[k];
    if (!namer) return;
    for (const series of seriesList) {
      const { resources, namespaced } = namer.converter.resourcesForSeries(series);
      const metric = namer.metricNameForSeries(series);
      if (metric === undefined) continue; // upstream logs "unable to name series" and skips it
      for (const gr of resources) {
        const info: CustomMetricInfo = { ...gr, namespaced: gr.group === '' && ROOT_SCOPED.has(gr.resource) ? false : namespaced, metric };
        const key = keyOf(info);
        entries.delete(key);
        entries.set(key, { info, seriesName: series.name, namer });
      }
    }
  });

  const normalize = (info: CustomMetricInfo): CustomMetricInfo | undefined => {
    const gr = mapper.resourceFor(info);
    if (!gr || mapper.singularize(gr.resource) === undefined) return undefined;
    return { ...info, group: gr.group, resource: gr.resource };
  };
  const lookup = (info: CustomMetricInfo): SeriesRegistryEntry | undefined => {
    const normalized = normalize(info);
    return normalized ? entries.get(keyOf(normalized)) : undefined;
  };

  return {
    listAllMetrics: () => [...entries.values()].map((e) => e.info),
    lookup,
    queryForMetric: (info, request) => {
      if (request.names.length === 0) return { found: false, reason: 'noNames', message: `no resource names requested while producing a query for metric ${info.metric}` };
      const normalized = normalize(info);
      if (!normalized) return { found: false, reason: 'unknownResource', message: `unable to normalize group resource ${info.resource}` };
      const entry = entries.get(keyOf(normalized));
      if (!entry) return { found: false, reason: 'notRegistered', message: `metric ${info.metric} not registered` };
      const query = entry.namer.queryForSeries({
        series: entry.seriesName,
        resource: { group: normalized.group, resource: normalized.resource },
        namespace: request.namespace,
        metricSelector: request.metricSelector,
        names: request.names,
      });
      if (!query.ok) return { found: false, reason: 'queryFailed', message: `unable to construct query for metric ${info.metric}: ${query.message}`, query };
      return { found: true, query: query.query, entry };
    },
    matchValuesToNames: (info, samples) => {
      const normalized = normalize(info);
      const entry = normalized && entries.get(keyOf(normalized));
      if (!normalized || !entry) return undefined;
      const label = entry.namer.converter.labelForResource(normalized);
      if (!label.ok) return undefined;
      const out = new Map<string, number>();
      for (const s of samples) out.set(s.labels[label.label] ?? '', s.value);
      return out;
    },
  };
}

/** The registry before the first relist completes: it serves nothing. */
export const EMPTY_SERIES_REGISTRY: SeriesRegistry = {
  listAllMetrics: () => [],
  lookup: () => undefined,
  queryForMetric: (info) => ({ found: false, reason: 'notRegistered', message: `metric ${info.metric} not registered` }),
  matchValuesToNames: () => undefined,
};
