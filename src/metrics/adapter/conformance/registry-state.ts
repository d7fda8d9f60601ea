/**
 * Builds the custom-metrics registry a `naming` registry/relist case describes (rules, RESTMapper
 * kinds, and the series per rule or the Prometheus series answers), as the naming and query
 * runners both need it.
 */
import { decodeAdapterConfig } from '../adapter-config.js';
import { createMetricNamer, type MetricNamer } from '../metric-namer.js';
import { assignRelistSeries, distinctSeriesQueries } from '../relist.js';
import { createResourceMapper, type KindMapping, type ResourceMapper } from '../resource-mapper.js';
import { buildSeriesRegistry, type SeriesRegistry } from '../series-registry.js';
import type { Series } from '../types.js';
import { arr, obj, str, type Json, type JsonObject } from './vector-case.js';

export interface RegistryState {
  readonly mapper: ResourceMapper;
  readonly namers: readonly MetricNamer[];
  readonly registry: SeriesRegistry;
}

function seriesList(value: Json | undefined, what: string): Series[] {
  return arr(value, what).map((s, k) => {
    const o = obj(s, `${what}[${k}]`);
    const labels = obj(o['labels'] ?? {}, `${what}[${k}].labels`);
    return { name: str(o['name'], `${what}[${k}].name`), labels: Object.fromEntries(Object.entries(labels).map(([l, v]) => [l, str(v, l)])) };
  });
}

/** The mapper a case's `mapper` list describes (the built-in kinds when absent). */
export function mapperFrom(value: Json | undefined): ResourceMapper {
  if (value === undefined || value === null) return createResourceMapper();
  const kinds: KindMapping[] = arr(value, 'mapper').map((m, k) => {
    const o = obj(m, `mapper[${k}]`);
    return {
      group: typeof o['group'] === 'string' ? o['group'] : '',
      version: str(o['version'], 'version'),
      kind: str(o['kind'], 'kind'),
      resource: str(o['resource'], 'resource'),
      namespaced: o['namespaced'] !== false,
    };
  });
  return createResourceMapper(kinds);
}

/**
 * Compiles the rules and runs the stage.
 *
 * @throws {Error} when the rules do not compile or a relist answer is missing
 */
export function registryStateFrom(input: JsonObject): RegistryState {
  const mapper = mapperFrom(input['mapper']);
  const config = decodeAdapterConfig({ rules: input['rules'] ?? [] }, { file: 'vector' });
  const namers = config.rules.map((rule) => createMetricNamer(rule, { mapper }));
  const stage = str(input['stage'], 'stage');
  let seriesPerRule: readonly (readonly Series[])[];
  if (stage === 'registry') {
    seriesPerRule = arr(input['seriesPerRule'], 'seriesPerRule').map((l, k) => seriesList(l, `seriesPerRule[${k}]`));
  } else if (stage === 'relist') {
    const responses = obj(input['seriesResponses'], 'seriesResponses');
    const byQuery = new Map(Object.entries(responses).map(([q, l]) => [q, seriesList(l, `seriesResponses[${JSON.stringify(q)}]`)]));
    const missing = distinctSeriesQueries(namers).filter((q) => !byQuery.has(q));
    if (missing.length > 0) throw new Error(`relist needs an answer for ${missing.map((q) => JSON.stringify(q)).join(', ')}`);
    const assigned = assignRelistSeries(namers, byQuery);
    if (!assigned.ok) throw new Error(assigned.message);
    seriesPerRule = assigned.seriesPerRule;
  } else {
    throw new Error(`unknown stage ${JSON.stringify(stage)}`);
  }
  return { mapper, namers, registry: buildSeriesRegistry(seriesPerRule, namers, mapper) };
}
