/**
 * Cross-object checks of HPA configurations (Helm values, manifests, prometheus-adapter config):
 * what no single schema catches, each finding with an ID, severity, file and field path, why and fix.
 */
export type { Finding, Location, RuleInfo, Severity } from './finding.js';
export { buildLintModel, MAX_PERIOD_SECONDS, MAX_WINDOW_SECONDS, type HpaEntry, type LintInput, type LintModel } from './lint-model.js';
export { lint, lintFiles, LINT_RULES } from './lint.js';
export { formatFindingsJson, formatFindingsSarif, formatFindingsText } from './format-findings.js';
