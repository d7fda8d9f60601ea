/**
 * Cross-object checks of HPA configurations (Helm values, manifests, prometheus-adapter config):
 * what no single schema catches, each finding with an ID, severity, file and field path, why and fix.
 */
export type { LintInput } from './lint-model.js';
export { lintFiles, LINT_RULES } from './lint.js';
export { formatFindingsJson, formatFindingsSarif, formatFindingsText } from './format-findings.js';
