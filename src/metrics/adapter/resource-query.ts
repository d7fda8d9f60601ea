/**
 * One `resourceRules` entry compiled (`resourceQuery` upstream): its label converter and its
 * container and node metrics-query templates. Pod queries group by the pod label and the
 * container label; node queries by the node label. `Series` is always "".
 *
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/pkg/resourceprovider/provider.go
 */
import type { ResourceRule } from './adapter-config.js';
import type { QueryResult } from './metrics-query.js';
import { compileMetricsQuery, type MetricsQuery } from './metrics-query.js';
import { createResourceConverter, type ResourceConverter } from './resource-converter.js';
import type { ResourceMapper } from './resource-mapper.js';
import { childPath, RuleError } from './rule-error.js';

export interface ResourceQuery {
  readonly converter: ResourceConverter;
  readonly containerQuery: MetricsQuery;
  readonly nodeQuery: MetricsQuery;
  readonly containerLabel: string;
}

const PODS = { group: '', resource: 'pods' } as const;
const NODES = { group: '', resource: 'nodes' } as const;

/**
 * Compiles a resource rule.
 *
 * @throws {RuleError} (paths `resources...`, `containerQuery`, `nodeQuery`) when upstream would refuse to start
 */
export function createResourceQuery(rule: ResourceRule, mapper: ResourceMapper): ResourceQuery {
  let converter: ResourceConverter;
  try {
    converter = createResourceConverter(rule.resources, mapper);
  } catch (err) {
    if (err instanceof RuleError) throw new RuleError(childPath('resources', err.path), err.detail, { cause: err });
    throw err;
  }
  const compile = (field: 'containerQuery' | 'nodeQuery'): MetricsQuery => {
    try {
      return compileMetricsQuery(rule[field], converter);
    } catch (err) {
      throw new RuleError(field, `unable to construct ${field === 'nodeQuery' ? 'node' : 'container'} metrics query: ${(err as Error).message}`, { cause: err });
    }
  };
  return { converter, containerQuery: compile('containerQuery'), nodeQuery: compile('nodeQuery'), containerLabel: rule.containerLabel };
}

/**
 * The query for the pods of one namespace.
 *
 * @example podResourceQuery(cpu, 'some-ns', ['pod1', 'pod3']) // -> { ok: true, query: 'sum(rate(container_cpu_usage_seconds_total{namespace="some-ns",pod=~"pod1|pod3"}[1m])) by (pod,container)' }
 */
export function podResourceQuery(q: ResourceQuery, namespace: string, names: readonly string[]): QueryResult {
  return q.containerQuery.build({ series: '', resource: PODS, namespace, names, metricSelector: [], extraGroupBy: [q.containerLabel] });
}

/** The query for a set of nodes. */
export function nodeResourceQuery(q: ResourceQuery, names: readonly string[]): QueryResult {
  return q.nodeQuery.build({ series: '', resource: NODES, namespace: '', names, metricSelector: [] });
}
