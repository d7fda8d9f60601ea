/**
 * `hpa-lab diagnose`: walks the metrics chain of each HPA metric (rules, Prometheus, targets,
 * series, rule discovery, labels, API answer, freshness) and the engine's decision, and names the
 * first broken link with its fix.
 */
export { diagnose } from './diagnose.js';
export type { DiagnoseInput } from './diagnose.js';
export { diagnoseMetricChain } from './metric-chain.js';
export type { MetricChainContext, MetricChainResult } from './metric-chain.js';
export { decisionCheck } from './decision-check.js';
export type { DecisionCheckInput } from './decision-check.js';
export { formatDiagnosis } from './format-diagnosis.js';
export type { Check, CheckId, CheckStatus, Diagnosis, HpaDiagnosis, MetricDiagnosis } from './types.js';
