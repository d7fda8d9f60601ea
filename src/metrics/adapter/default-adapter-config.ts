/**
 * The adapter's built-in configuration (`config.DefaultConfig(rateInterval, labelPrefix)`, also what
 * `config-gen` writes): six discovery rules for cAdvisor and ordinary series, and resource rules for
 * metrics.k8s.io. The Helm chart's `rules.default: true` prepends the same six rules with a `5m`
 * window and no prefix ({@link HELM_DEFAULT_RULES}).
 *
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/pkg/config/default.go
 */
import type { AdapterConfig } from './adapter-config.js';
import type { DiscoveryRule } from './metric-namer.js';

/** Options of {@link defaultAdapterConfig}. */
export interface DefaultAdapterConfigOptions {
  /** Prometheus duration of the `rate()` windows and of `resourceRules.window`. Default `1m`. */
  readonly rateInterval?: string;
  /** Prefix of resource labels for non-cAdvisor series (`kube_` -> `kube_pod`). Default "". */
  readonly labelPrefix?: string;
}

const CADVISOR_QUERY = '{__name__=~"^container_.*",container!="POD",namespace!="",pod!=""}';
const CADVISOR_RESOURCES = { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } };

/**
 * Builds the default configuration.
 *
 * @example defaultAdapterConfig({ rateInterval: '5m' }).rules.length // -> 6
 */
export function defaultAdapterConfig(options: DefaultAdapterConfigOptions = {}): AdapterConfig {
  const rate = options.rateInterval ?? '1m';
  const prefix = options.labelPrefix ?? '';
  const plainQuery = `{${prefix}namespace!="",__name__!~"^container_.*"}`;
  const plainResources = { template: `${prefix}<<.Resource>>` };
  const rules: DiscoveryRule[] = [
    {
      seriesQuery: CADVISOR_QUERY,
      resources: CADVISOR_RESOURCES,
      name: { matches: '^container_(.*)_seconds_total$' },
      metricsQuery: `sum(rate(<<.Series>>{<<.LabelMatchers>>,container!="POD"}[${rate}])) by (<<.GroupBy>>)`,
    },
    {
      seriesQuery: CADVISOR_QUERY,
      seriesFilters: [{ isNot: '^container_.*_seconds_total$' }],
      resources: CADVISOR_RESOURCES,
      name: { matches: '^container_(.*)_total$' },
      metricsQuery: `sum(rate(<<.Series>>{<<.LabelMatchers>>,container!="POD"}[${rate}])) by (<<.GroupBy>>)`,
    },
    {
      seriesQuery: CADVISOR_QUERY,
      seriesFilters: [{ isNot: '^container_.*_total$' }],
      resources: CADVISOR_RESOURCES,
      name: { matches: '^container_(.*)$' },
      metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>,container!="POD"}) by (<<.GroupBy>>)',
    },
    {
      seriesQuery: plainQuery,
      seriesFilters: [{ isNot: '.*_total$' }],
      resources: plainResources,
      metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
    },
    {
      seriesQuery: plainQuery,
      seriesFilters: [{ isNot: '.*_seconds_total' }],
      name: { matches: '^(.*)_total$' },
      resources: plainResources,
      metricsQuery: `sum(rate(<<.Series>>{<<.LabelMatchers>>}[${rate}])) by (<<.GroupBy>>)`,
    },
    {
      seriesQuery: plainQuery,
      name: { matches: '^(.*)_seconds_total$' },
      resources: plainResources,
      metricsQuery: `sum(rate(<<.Series>>{<<.LabelMatchers>>}[${rate}])) by (<<.GroupBy>>)`,
    },
  ];
  const resources = { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' }, instance: { resource: 'node' } } };
  return {
    rules,
    externalRules: [],
    resourceRules: {
      cpu: {
        containerQuery: `sum(rate(container_cpu_usage_seconds_total{<<.LabelMatchers>>}[${rate}])) by (<<.GroupBy>>)`,
        nodeQuery: `sum(rate(container_cpu_usage_seconds_total{<<.LabelMatchers>>, id='/'}[${rate}])) by (<<.GroupBy>>)`,
        resources,
        containerLabel: 'container',
      },
      memory: {
        containerQuery: 'sum(container_memory_working_set_bytes{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
        nodeQuery: "sum(container_memory_working_set_bytes{<<.LabelMatchers>>,id='/'}) by (<<.GroupBy>>)",
        resources,
        containerLabel: 'container',
      },
      window: rate,
    },
    shape: 'config',
    paths: {
      rules: rules.map((_, k) => `default rule ${k + 1}`),
      externalRules: [],
      resourceRules: 'default resourceRules',
    },
  };
}

/** The six rules the Helm chart adds when `rules.default` is true (its `5m` rate window). */
export const HELM_DEFAULT_RULES: readonly DiscoveryRule[] = defaultAdapterConfig({ rateInterval: '5m' }).rules;
