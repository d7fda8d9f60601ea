/**
 * One discovery rule, compiled (`MetricNamer`): which series it claims (`seriesQuery`, filters and
 * the implicit `name.matches` filter), the API name of each series (`name.matches` / `name.as`
 * with Go's `Expand`), the resources a series describes, and the PromQL for a request.
 *
 * `name.as` defaults to `$0` when `matches` has no capture group, `$1` with exactly one, and is
 * required otherwise.
 *
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/pkg/naming/metric_namer.go
 */
import { compileGoRegexp, type GoRegexp } from './go-regexp.js';
import { goQuote } from '../../core/index.js';
import type { LabelSelector } from '../../core/index.js';
import { compileMetricsQuery, type MetricsQuery, type QueryResult } from './metrics-query.js';
import { expandGoTemplate } from './regexp-expand.js';
import { createResourceConverter, type ResourceConverter, type ResourceMapping } from './resource-converter.js';
import type { ResourceMapper } from './resource-mapper.js';
import { childPath, RuleError } from './rule-error.js';
import { createSeriesFilter, type RegexFilter, type SeriesFilter } from './series-filter.js';
import type { GroupResource, Series } from './types.js';

/** A `rules[]` / `externalRules[]` entry (config-file syntax; absent keys take upstream defaults). */
export interface DiscoveryRule {
  readonly seriesQuery?: string;
  readonly seriesFilters?: readonly RegexFilter[];
  readonly resources?: ResourceMapping & { readonly namespaced?: boolean };
  readonly name?: { readonly matches?: string; readonly as?: string };
  readonly metricsQuery?: string;
}

export interface MetricNamer {
  readonly rule: DiscoveryRule;
  /** Sent verbatim as `match[]` to `/api/v1/series`. */
  readonly seriesQuery: string;
  /** `name.as`, with the default applied. */
  readonly nameAs: string;
  /** `resources.namespaced` (default true): external queries add the namespace matcher only when true. */
  readonly namespaced: boolean;
  readonly converter: ResourceConverter;
  readonly metricsQuery: MetricsQuery;
  /** Explicit filters in order, then the implicit `name.matches` one. */
  readonly filters: readonly SeriesFilter[];
  /** The series that pass every filter, in order. */
  filterSeries(series: readonly Series[]): Series[];
  /** The API metric name of a series, or undefined when its name does not match `name.matches`. */
  metricNameForSeries(series: Series): string | undefined;
  /** PromQL for a custom-metrics request about `names` of `resource` (namespace "" = root-scoped). */
  queryForSeries(request: { readonly series: string; readonly resource: GroupResource; readonly namespace: string; readonly metricSelector: LabelSelector; readonly names: readonly string[] }): QueryResult;
  /** PromQL for an external-metrics request (the namespace is dropped for non-namespaced rules). */
  queryForExternalSeries(request: { readonly series: string; readonly namespace: string; readonly metricSelector: LabelSelector }): QueryResult;
}

/**
 * Compiles a rule. `RuleError.path` is relative to the rule (`name.matches`, `seriesFilters[0]`).
 *
 * @throws {RuleError} for everything that stops prometheus-adapter at startup
 * @example createMetricNamer({ name: { matches: '^(.*)_total$' } }, { mapper }).nameAs // -> '$1'
 */
export function createMetricNamer(rule: DiscoveryRule, options: { readonly mapper: ResourceMapper }): MetricNamer {
  const seriesQuery = rule.seriesQuery ?? '';
  let converter: ResourceConverter;
  try {
    converter = createResourceConverter(rule.resources ?? {}, options.mapper);
  } catch (err) {
    if (err instanceof RuleError) throw new RuleError(childPath('resources', err.path), err.detail, { cause: err });
    throw err;
  }
  let metricsQuery: MetricsQuery;
  try {
    metricsQuery = compileMetricsQuery(rule.metricsQuery ?? '', converter);
  } catch (err) {
    throw new RuleError('metricsQuery', `unable to parse metrics query template ${goQuote(rule.metricsQuery ?? '')}: ${(err as Error).message}`, { cause: err });
  }
  const filters: SeriesFilter[] = (rule.seriesFilters ?? []).map((f, k) => {
    try {
      return createSeriesFilter(f);
    } catch (err) {
      if (err instanceof RuleError) throw new RuleError(childPath(`seriesFilters[${k}]`, err.path), err.detail, { cause: err });
      throw err;
    }
  });
  const matches = rule.name?.matches ?? '';
  let nameMatches: GoRegexp;
  try {
    nameMatches = compileGoRegexp(matches === '' ? '.*' : matches);
  } catch (err) {
    throw new RuleError('name.matches', `unable to compile series name match expression ${goQuote(matches)}: ${(err as Error).message}`, { cause: err });
  }
  if (matches !== '') filters.push(createSeriesFilter({ is: matches }));
  let nameAs = rule.name?.as ?? '';
  if (nameAs === '') {
    if (nameMatches.numSubexp === 0) nameAs = '$0';
    else if (nameMatches.numSubexp === 1) nameAs = '$1';
    else throw new RuleError('name.as', `must specify an 'as' value for name matcher ${goQuote(matches)} (it has ${nameMatches.numSubexp} capture groups)`);
  }

  return {
    rule,
    seriesQuery,
    nameAs,
    namespaced: rule.resources?.namespaced ?? true,
    converter,
    metricsQuery,
    filters,
    filterSeries: (series) => (filters.length === 0 ? [...series] : series.filter((s) => filters.every((f) => f.matches(s.name)))),
    metricNameForSeries: (series) => {
      const m = nameMatches.findStringSubmatch(series.name);
      return m ? expandGoTemplate(nameMatches, nameAs, m) : undefined;
    },
    queryForSeries: (req) => metricsQuery.build(req),
    queryForExternalSeries: (req) =>
      metricsQuery.buildExternal({ series: req.series, namespace: rule.resources?.namespaced === false ? '' : req.namespace, metricSelector: req.metricSelector }),
  };
}
