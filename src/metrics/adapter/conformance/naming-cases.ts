/** Runner for `naming` vectors: filters, `name.as` expansion, and whole registry / relist runs. */
import { createMetricNamer } from '../metric-namer.js';
import { createResourceMapper } from '../resource-mapper.js';
import { createSeriesFilter } from '../series-filter.js';
import { EMPTY_SERIES_REGISTRY } from '../series-registry.js';
import { registryStateFrom } from './registry-state.js';
import { arr, compareAsSet, compareSubset, obj, str, strings, type CaseRunner, type JsonObject } from './vector-case.js';

function attempt<T>(fn: () => T): { ok: true; value: T } | { ok: false; error: string } {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

function compareMetrics(expected: JsonObject, actual: readonly unknown[], key: 'metrics' | 'metricsBeforeFirstRelist', out: string[]): void {
  const want = expected[key];
  if (want === undefined) return;
  const list = arr(want, key);
  if (expected['compare'] === 'set') compareAsSet(key, list, actual, out);
  else compareSubset(key, list, actual, out);
}

export const runNamingCase: CaseRunner = (c) => {
  const out: string[] = [];
  const { input, expected } = c;
  if (input['filter'] !== undefined) {
    const filter = obj(input['filter'], 'filter');
    const built = attempt(() => createSeriesFilter({ ...(typeof filter['is'] === 'string' ? { is: filter['is'] } : {}), ...(typeof filter['isNot'] === 'string' ? { isNot: filter['isNot'] } : {}) }));
    if (!built.ok) {
      if (expected['configError'] !== true) out.push(`unexpected config error: ${built.error}`);
      return out;
    }
    if (expected['configError'] === true) return ['expected a config error, the filter compiled'];
    const names = strings(input['names'], 'names');
    compareSubset('', { matches: expected['matches'] }, { matches: names.map((n) => built.value.matches(n)) }, out);
    return out;
  }
  if (input['name'] !== undefined) {
    const name = obj(input['name'], 'name');
    const rule = { name: { matches: typeof name['matches'] === 'string' ? name['matches'] : '', as: typeof name['as'] === 'string' ? name['as'] : '' } };
    const built = attempt(() => createMetricNamer(rule, { mapper: createResourceMapper() }));
    if (!built.ok) {
      if (expected['configError'] !== true) out.push(`unexpected config error: ${built.error}`);
      return out;
    }
    if (expected['configError'] === true) return ['expected a config error, the rule compiled'];
    const series = { name: str(input['seriesName'], 'seriesName'), labels: {} };
    const noMatch = built.value.filterSeries([series]).length === 0;
    const actual = { noMatch, metricName: noMatch ? undefined : built.value.metricNameForSeries(series), effectiveAs: built.value.nameAs, configError: false };
    compareSubset('', expected, actual, out);
    return out;
  }
  if (input['rules'] !== undefined) {
    compareMetrics(expected, EMPTY_SERIES_REGISTRY.listAllMetrics(), 'metricsBeforeFirstRelist', out);
    const state = registryStateFrom(input);
    compareMetrics(expected, state.registry.listAllMetrics(), 'metrics', out);
    return out;
  }
  return ['unrecognised naming case: expected input.filter, input.name or input.rules'];
};
