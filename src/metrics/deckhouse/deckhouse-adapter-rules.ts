/**
 * Deckhouse metric objects as prometheus-adapter rules (`src/metrics/adapter` config shapes).
 *
 * DKP's module renders one custom rule per metric object whose series query is the described
 * resource's `kube_<resource>_created` (kube-state-metrics: one series per object, with its
 * `namespace` and `<resource>` labels), so the metric is listed for every object of that
 * resource; a reverse proxy in front of Prometheus then swaps a placeholder metricsQuery for the
 * object's `spec.query` (the namespaced object's when one exists, else the Cluster one). hpa-lab's
 * adapter has no proxy: the rule carries `spec.query` itself, and the override is done in the
 * series query (a namespaced object's rule lists only its namespace's objects; a Cluster
 * object's rule excludes the namespaces that override it). The External rule is DKP's fixed one:
 * `kube_adapter_metric_<name>` served as `<name>`.
 *
 * @see https://github.com/deckhouse/deckhouse/blob/main/modules/301-prometheus-metrics-adapter/templates/config-map.yaml
 */
import { stringify } from 'yaml';
import { compileAdapterConfig, parseAdapterConfig, type AdapterConfig, type CompiledAdapterConfig, type DiscoveryRule } from '../adapter/index.js';
import type { DeckhouseMetric } from './deckhouse-objects.js';
import { EXTERNAL_METRIC_PREFIX } from './metric-kinds.js';

/** DKP's external rule: every `kube_adapter_metric_<name>` series is the External metric `<name>`. */
const DECKHOUSE_EXTERNAL_RULE: DiscoveryRule = {
  seriesQuery: `{__name__=~"${EXTERNAL_METRIC_PREFIX}.+"}`,
  resources: { namespaced: false },
  name: { matches: `^${EXTERNAL_METRIC_PREFIX}(.+)$`, as: '${1}' },
  metricsQuery: `label_replace(<<.Series>>{<<.LabelMatchers>>}, "__name__", "$1", "__name__", "^${EXTERNAL_METRIC_PREFIX}(.*)$")`,
};

/** The adapter rules of some metric objects (custom) plus DKP's external rule. */
export interface DeckhouseRules {
  readonly rules: readonly DiscoveryRule[];
  readonly externalRules: readonly DiscoveryRule[];
}

function escapeRegexp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One prometheus-adapter rule per metric object (sorted by kind, name, namespace), and DKP's
 * External rule.
 *
 * @example deckhouseAdapterRules(objects.metrics).rules[0].seriesQuery // -> 'kube_service_created{namespace="mynamespace"}'
 */
export function deckhouseAdapterRules(metrics: readonly DeckhouseMetric[]): DeckhouseRules {
  const sorted = [...metrics].sort((a, b) => a.kind.resource.localeCompare(b.kind.resource) || a.name.localeCompare(b.name) || (a.namespace ?? '').localeCompare(b.namespace ?? ''));
  const rules = sorted.map((m): DiscoveryRule => {
    const resource = m.kind.resource;
    const overrides: Record<string, { resource: string }> = { namespace: { resource: 'namespace' } };
    if (resource !== 'namespace') overrides[resource] = { resource };
    let selector = '';
    if (m.namespace !== null) selector = `{namespace="${m.namespace}"}`;
    else {
      const overriding = [...new Set(metrics.filter((o) => o.namespace !== null && o.name === m.name && o.kind.resource === resource).map((o) => o.namespace!))].sort();
      if (overriding.length > 0) selector = `{namespace!~"${overriding.map(escapeRegexp).join('|')}"}`;
    }
    return {
      seriesQuery: `kube_${resource}_created${selector}`,
      resources: { overrides },
      name: { matches: '.*', as: m.name },
      metricsQuery: m.query,
    };
  });
  return { rules, externalRules: [DECKHOUSE_EXTERNAL_RULE] };
}

/**
 * The rules as a prometheus-adapter config file (`rules:` and `externalRules:`), with a header
 * naming the objects they came from.
 */
function renderDeckhouseAdapterConfig(metrics: readonly DeckhouseMetric[]): string {
  const { rules, externalRules } = deckhouseAdapterRules(metrics);
  const header = [
    '# prometheus-adapter rules for Deckhouse metric objects (hpa-lab):',
    ...metrics.map((m) => `#   ${m.kind.kind} ${m.namespace === null ? '' : `${m.namespace}/`}${m.name}`),
    `#   + DKP's external rule: ${EXTERNAL_METRIC_PREFIX}<name> served as <name>`,
  ].join('\n');
  return `${header}\n${stringify({ rules, externalRules }, { lineWidth: 0 })}`;
}

/**
 * The adapter configuration of Deckhouse objects, parsed and compiled as a config file would be,
 * optionally appended to another configuration (`--config` beside `--deckhouse`).
 *
 * @throws {InputError} when a query does not compile as a prometheus-adapter template
 */
export function deckhouseAdapterConfig(metrics: readonly DeckhouseMetric[], options: { readonly file: string; readonly base?: AdapterConfig }): { readonly config: AdapterConfig; readonly compiled: CompiledAdapterConfig } {
  const own = parseAdapterConfig(renderDeckhouseAdapterConfig(metrics), { file: options.file });
  const base = options.base;
  const config: AdapterConfig =
    base === undefined
      ? own
      : {
          rules: [...base.rules, ...own.rules],
          externalRules: [...base.externalRules, ...own.externalRules],
          ...(base.resourceRules === undefined ? {} : { resourceRules: base.resourceRules }),
          shape: base.shape,
          paths: {
            rules: [...base.paths.rules, ...own.paths.rules.map((p) => `${options.file}: ${p}`)],
            externalRules: [...base.paths.externalRules, ...own.paths.externalRules.map((p) => `${options.file}: ${p}`)],
            ...(base.paths.resourceRules === undefined ? {} : { resourceRules: base.paths.resourceRules }),
          },
        };
  return { config, compiled: compileAdapterConfig(config, { file: options.file }) };
}
