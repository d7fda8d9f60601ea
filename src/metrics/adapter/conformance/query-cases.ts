/** Runner for `query` vectors: `Build` / `BuildExternal` of a metrics query, and registry lookups. */
import { labelSelectorFromRequirements, parseLabelSelector, type LabelSelector } from '../../../core/index.js';
import { compileMetricsQuery, type QueryResult } from '../metrics-query.js';
import type { ResourceConverter } from '../resource-converter.js';
import { formatGroupResource, type GroupResource } from '../types.js';
import { registryStateFrom } from './registry-state.js';
import { compareSubset, isObject, obj, selectorInput, str, strings, type CaseRunner, type Json, type RunContext } from './vector-case.js';

function selector(value: Json | undefined): LabelSelector {
  const s = selectorInput(value);
  return 'string' in s ? parseLabelSelector(s.string) : labelSelectorFromRequirements(s.requirements);
}

/** The converter a case describes: a map of group-resource -> label, or upstream's identity mock. */
function converterFrom(value: Json | undefined): ResourceConverter {
  const noForm = (gr: GroupResource): { ok: false; message: string } => ({
    ok: false,
    message: `unable to convert resource ${formatGroupResource(gr)} into label: no generic resource label form specified for this metric`,
  });
  if (value === 'mock-identity') {
    return { labelForResource: (gr) => ({ ok: true, label: gr.resource }), resourcesForSeries: () => ({ resources: [], namespaced: false }) };
  }
  const labels = obj(value ?? {}, 'labelForResource');
  return {
    labelForResource: (gr) => {
      const label = labels[formatGroupResource(gr)];
      return typeof label === 'string' ? { ok: true, label } : noForm(gr);
    },
    resourcesForSeries: () => ({ resources: [], namespaced: false }),
  };
}

const ERROR_CODES: Readonly<Record<string, string>> = { 'template-execution': 'templateExecution', 'label-for-resource': 'labelForResource' };

function compareQuery(expected: Readonly<Record<string, Json>>, result: QueryResult, out: string[]): void {
  if (expected['query'] !== undefined) {
    if (!result.ok) out.push(`query: expected ${JSON.stringify(expected['query'])}, got error ${result.code}: ${result.message}`);
    else compareSubset('query', expected['query'], result.query, out);
  }
  const error = expected['error'];
  if (typeof error === 'string') {
    if (result.ok) out.push(`error: expected ${JSON.stringify(error)}, got query ${JSON.stringify(result.query)}`);
    else if (ERROR_CODES[error] !== undefined ? result.code !== ERROR_CODES[error] : result.message !== error) {
      out.push(`error: expected ${JSON.stringify(error)}, got ${result.code}: ${JSON.stringify(result.message)}`);
    }
  }
}

function registryCase(input: Readonly<Record<string, Json>>, expected: Readonly<Record<string, Json>>, ctx: RunContext, out: string[]): void {
  const ref = str(input['registryState'], 'registryState');
  const [fileName = '', caseId = ''] = ref.split('#');
  const file = ctx.resolveFile(fileName);
  const cases = isObject(file) && Array.isArray(file['cases']) ? (file['cases'] as unknown[]) : undefined;
  const target = cases?.find((k) => isObject(k) && k['id'] === caseId);
  if (!isObject(target) || !isObject(target['input'])) {
    out.push(`registryState ${JSON.stringify(ref)} not found`);
    return;
  }
  const { registry } = registryStateFrom(target['input']);
  const request = obj(input['request'], 'request');
  const info = obj(request['metricInfo'], 'request.metricInfo');
  const result = registry.queryForMetric(
    { group: typeof info['group'] === 'string' ? info['group'] : '', resource: str(info['resource'], 'resource'), namespaced: info['namespaced'] === true, metric: str(info['metric'], 'metric') },
    { namespace: typeof request['namespace'] === 'string' ? request['namespace'] : '', names: strings(request['names'], 'names'), metricSelector: selector(request['metricSelector']) },
  );
  if (expected['found'] !== undefined) compareSubset('found', expected['found'], result.found, out);
  if (result.found) compareQuery(expected, { ok: true, query: result.query }, out);
  else if (result.query) compareQuery(expected, result.query, out);
  else if (expected['query'] !== undefined) out.push(`query: expected ${JSON.stringify(expected['query'])}, metric not found (${result.message})`);
}

export const runQueryCase: CaseRunner = (c, ctx) => {
  const out: string[] = [];
  const { input, expected } = c;
  const mode = str(input['mode'], 'mode');
  if (mode === 'registry') {
    registryCase(input, expected, ctx, out);
    return out;
  }
  if (mode !== 'custom' && mode !== 'external') return [`unknown query mode ${JSON.stringify(mode)}`];
  const request = obj(input['request'], 'request');
  let query;
  try {
    query = compileMetricsQuery(str(input['template'], 'template'), converterFrom(input['labelForResource']));
  } catch (err) {
    compareQuery(expected, { ok: false, code: 'templateExecution', message: (err as Error).message }, out);
    return out;
  }
  const series = typeof request['series'] === 'string' ? request['series'] : '';
  const namespace = typeof request['namespace'] === 'string' ? request['namespace'] : '';
  const metricSelector = selector(request['metricSelector']);
  let result: QueryResult;
  if (mode === 'custom') {
    const resource = obj(request['resource'], 'request.resource');
    result = query.build({
      series,
      resource: { group: typeof resource['group'] === 'string' ? resource['group'] : '', resource: str(resource['resource'], 'resource') },
      namespace,
      names: strings(request['names'], 'names'),
      metricSelector,
      extraGroupBy: strings(request['extraGroupBy'], 'extraGroupBy'),
    });
  } else {
    result = query.buildExternal({
      series,
      namespace: input['namespacedRule'] === false ? '' : namespace,
      metricSelector,
      groupBy: typeof request['groupBy'] === 'string' ? request['groupBy'] : '',
      groupBySlice: strings(request['groupBySlice'], 'groupBySlice'),
    });
  }
  compareQuery(expected, result, out);
  return out;
};
