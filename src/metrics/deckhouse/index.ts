/**
 * Deckhouse Kubernetes Platform's metric objects (`ServiceMetric`, `PodMetric`, ...,
 * `CustomPrometheusRules` recording `kube_adapter_metric_<name>`): their schemas as data, the
 * reader that validates them, their prometheus-adapter rules, and the checks of HPAs that use them.
 */
export { deckhouseAdapterConfig, deckhouseAdapterRules,  } from './deckhouse-adapter-rules.js';
export { DECKHOUSE_FINDING_IDS, deckhouseFindings,  } from './deckhouse-findings.js';
export { looksLikeDeckhouse, parseDeckhouseObjects,    } from './deckhouse-objects.js';
export { DECKHOUSE_METRIC_KINDS, DECKHOUSE_METRIC_SCHEMA, DECKHOUSE_SOURCES,  } from './metric-kinds.js';
