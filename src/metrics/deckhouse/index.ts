/**
 * Deckhouse Kubernetes Platform's metric objects (`ServiceMetric`, `PodMetric`, ...,
 * `CustomPrometheusRules` recording `kube_adapter_metric_<name>`): their schemas as data, the
 * reader that validates them, their prometheus-adapter rules, and the checks of HPAs that use them.
 */
export {
  DECKHOUSE_EXTERNAL_RULE,
  deckhouseAdapterConfig,
  deckhouseAdapterRules,
  renderDeckhouseAdapterConfig,
  type DeckhouseRules,
} from './deckhouse-adapter-rules.js';
export { DECKHOUSE_FINDING_IDS, deckhouseFindings, type DeckhouseFinding } from './deckhouse-findings.js';
export { looksLikeDeckhouse, parseDeckhouseObjects, type DeckhouseExternalMetric, type DeckhouseMetric, type DeckhouseObjects } from './deckhouse-objects.js';
export {
  DECKHOUSE_GROUP,
  DECKHOUSE_METRIC_KINDS,
  DECKHOUSE_METRIC_SCHEMA,
  DECKHOUSE_METRIC_VERSIONS,
  DECKHOUSE_SOURCES,
  deckhouseMetricKind,
  EXTERNAL_METRIC_PREFIX,
  type DeckhouseMetricKind,
} from './metric-kinds.js';
