/**
 * PromQL from a rule's `metricsQuery` template (`Build` / `BuildExternal` of prometheus-adapter).
 * The template sees `.Series`, `.LabelMatchers`, `.LabelValuesByName`, `.GroupBy`, `.GroupBySlice`.
 * `LabelMatchers` is built in a fixed order: metric-selector requirements (sorted by key), then the
 * namespace, then the resource (`=` for one name, `=~"a|b"` for several); every value is Go-quoted,
 * so object names and selector values cannot inject PromQL.
 *
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/pkg/naming/metrics_query.go
 */
import { executeGoTemplate, goStringMap, goStruct } from './go-template-exec.js';
import { GoTemplateError, parseGoTemplate, type GoTemplateTree } from './go-template-parse.js';
import type { LabelSelector, SelectorOperator } from '../../core/index.js';
import { labelEq, labelMatches, labelNeq, labelNotMatches } from './promql-matchers.js';
import { NAMESPACE_RESOURCE, type ResourceConverter } from './resource-converter.js';
import type { GroupResource } from './types.js';

/** Why a query could not be built (the request then fails: 404 for custom, 500 for external). */
export type QueryErrorCode =
  | 'unsupportedOperator'
  | 'malformedQuery'
  | 'unsupportedValues'
  | 'labelNotSpecified'
  | 'labelForResource'
  | 'templateExecution'
  | 'emptyQuery';

export type QueryResult =
  | { readonly ok: true; readonly query: string }
  | { readonly ok: false; readonly code: QueryErrorCode; readonly message: string };

/** The arguments of `Build`: a custom-metrics query over objects of one resource. */
export interface CustomQueryRequest {
  /** The Prometheus series name (not the API metric name); resource metrics pass "". */
  readonly series: string;
  readonly resource: GroupResource;
  /** "" for root-scoped objects. */
  readonly namespace: string;
  readonly names: readonly string[];
  readonly metricSelector: LabelSelector;
  /** Extra group-by labels after the resource label (the container label for resource metrics). */
  readonly extraGroupBy?: readonly string[];
}

/** The arguments of `BuildExternal`. */
export interface ExternalQueryRequest {
  readonly series: string;
  /** "" when the rule is not namespaced. */
  readonly namespace: string;
  readonly metricSelector: LabelSelector;
  /** Always "" / [] in production; settable for upstream's unit tests. */
  readonly groupBy?: string;
  readonly groupBySlice?: readonly string[];
}

export interface MetricsQuery {
  readonly template: string;
  readonly tree: GoTemplateTree;
  build(request: CustomQueryRequest): QueryResult;
  buildExternal(request: ExternalQueryRequest): QueryResult;
}

/** The fields a metrics-query template may reference. */
export const METRICS_QUERY_FIELDS: readonly string[] = ['Series', 'LabelMatchers', 'LabelValuesByName', 'GroupBy', 'GroupBySlice'];

const ERRORS = {
  unsupportedOperator: 'operator not supported by prometheus',
  malformedQuery: 'operator requires values',
  unsupportedValues: 'operator does not support values',
  labelNotSpecified: 'label not specified',
  emptyQuery: 'empty query produced by metrics query template',
} as const;

interface QueryPart {
  readonly label: string;
  readonly values: readonly string[];
  readonly operator: SelectorOperator;
}

type Matcher = (label: string, value: string) => string;

function fail(code: QueryErrorCode, message?: string): QueryResult & { ok: false } {
  return { ok: false, code, message: message ?? ERRORS[code as keyof typeof ERRORS] };
}

function selectMatcher(op: SelectorOperator, count: number): Matcher | QueryErrorCode {
  if (count === 0) {
    if (op === 'exists') return labelNeq;
    if (op === '!') return labelEq;
    return 'malformedQuery';
  }
  if (count === 1) {
    if (op === '=' || op === '==') return labelEq;
    if (op === '!=') return labelNeq;
    if (op === 'in' || op === 'exists') return labelMatches;
    return labelNotMatches;
  }
  if (op === '=' || op === '==' || op === 'in' || op === 'exists') return labelMatches;
  return labelNotMatches;
}

function processParts(parts: readonly QueryPart[]): { exprs: string[]; valuesByName: Map<string, string> } | (QueryResult & { ok: false }) {
  const exprs: string[] = [];
  const valuesByName = new Map<string, string>();
  for (const part of parts) {
    if (part.label === '') return fail('labelNotSpecified');
    if (part.operator === 'gt' || part.operator === 'lt') return fail('unsupportedOperator');
    const matcher = selectMatcher(part.operator, part.values.length);
    if (typeof matcher === 'string') return fail(matcher);
    const exists = part.operator === 'exists' || part.operator === '!';
    if (part.values.length === 0 && !exists) return fail('malformedQuery');
    if (part.values.length > 0 && exists) return fail('unsupportedValues');
    exprs.push(matcher(part.label, part.values.join('|')));
    valuesByName.set(part.label, part.values.join('|'));
  }
  return { exprs, valuesByName };
}

function selectorParts(selector: LabelSelector): QueryPart[] {
  return selector.map((r) => ({ label: r.key, values: r.values, operator: r.operator }));
}

function render(tree: GoTemplateTree, args: { series: string; exprs: readonly string[]; valuesByName: ReadonlyMap<string, string>; groupBy: string; groupBySlice: readonly string[] }): QueryResult {
  let query: string;
  try {
    query = executeGoTemplate(
      tree,
      goStruct('naming.queryTemplateArgs', {
        Series: args.series,
        LabelMatchers: args.exprs.join(','),
        LabelValuesByName: goStringMap(Object.fromEntries(args.valuesByName)),
        GroupBy: args.groupBy,
        GroupBySlice: [...args.groupBySlice],
      }),
    );
  } catch (err) {
    if (err instanceof GoTemplateError) return fail('templateExecution', err.message);
    throw err;
  }
  return query === '' ? fail('emptyQuery') : { ok: true, query };
}

/**
 * Compiles a `metricsQuery` template against a rule's resource converter.
 *
 * @throws {GoTemplateError} when the template does not parse (a startup error upstream)
 * @example compileMetricsQuery('<<.Series>>{<<.LabelMatchers>>}', conv).build({ series: 'x', resource: { group: '', resource: 'pods' }, namespace: 'ns', names: ['a', 'b'], metricSelector: [] })
 * // -> { ok: true, query: 'x{namespace="ns",pod=~"a|b"}' }
 */
export function compileMetricsQuery(template: string, converter: ResourceConverter): MetricsQuery {
  const tree = parseGoTemplate(template, { name: 'metrics-query' });

  const namespacePart = (namespace: string): QueryPart | (QueryResult & { ok: false }) => {
    const ns = converter.labelForResource(NAMESPACE_RESOURCE);
    if (!ns.ok) return fail('labelForResource', ns.message);
    return { label: ns.label, values: [namespace], operator: '=' };
  };

  return {
    template,
    tree,
    build: (req) => {
      const parts = selectorParts(req.metricSelector);
      if (req.namespace !== '') {
        const ns = namespacePart(req.namespace);
        if ('ok' in ns) return ns;
        parts.push(ns);
      }
      const processed = processParts(parts);
      if ('ok' in processed) return processed;
      const resourceLabel = converter.labelForResource(req.resource);
      if (!resourceLabel.ok) return fail('labelForResource', resourceLabel.message);
      const target = req.names.join('|');
      processed.exprs.push(req.names.length > 1 ? labelMatches(resourceLabel.label, target) : labelEq(resourceLabel.label, target));
      processed.valuesByName.set(resourceLabel.label, target);
      const groupBy = [resourceLabel.label, ...(req.extraGroupBy ?? [])];
      return render(tree, { series: req.series, ...processed, groupBy: groupBy.join(','), groupBySlice: groupBy });
    },
    buildExternal: (req) => {
      const parts = selectorParts(req.metricSelector);
      if (req.namespace !== '') {
        const ns = namespacePart(req.namespace);
        if ('ok' in ns) return ns;
        parts.push(ns);
      }
      const processed = processParts(parts);
      if ('ok' in processed) return processed;
      return render(tree, { series: req.series, ...processed, groupBy: req.groupBy ?? '', groupBySlice: req.groupBySlice ?? [] });
    },
  };
}
