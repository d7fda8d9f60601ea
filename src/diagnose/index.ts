/**
 * `hpa-lab diagnose`: walks the metrics chain of each HPA metric (rules, Prometheus, targets,
 * series, rule discovery, labels, API answer, freshness) and the engine's decision, and names the
 * first broken link with its fix.
 */
export { diagnose } from './diagnose.js';
export type { MetricChainContext } from './metric-chain.js';
export { formatDiagnosis } from './format-diagnosis.js';
export type { Check, Diagnosis, HpaDiagnosis, MetricDiagnosis } from './types.js';
