/**
 * `lint`: every rule over the cross-object model, findings sorted by file, line and rule.
 */
import { adapterRules } from './adapter-rules.js';
import { behaviorRules } from './behavior-rules.js';
import type { Finding, RuleInfo } from './finding.js';
import { buildLintModel, type LintInput, type LintModel } from './lint-model.js';
import { workloadRules } from './workload-rules.js';

/** Every rule, for `--rules`, the README and SARIF's rule table. */
export const LINT_RULES: readonly RuleInfo[] = [
  { id: 'HPA001', name: 'refused-by-api', severity: 'error', summary: 'the object fails the autoscaling/v2 schema or validation (other than the ranges below)' },
  { id: 'HPA101', name: 'window-shorter-than-sync', severity: 'warning', summary: 'a stabilization window shorter than one sync period (15 s) behaves as 0' },
  { id: 'HPA102', name: 'window-over-api-maximum', severity: 'error', summary: 'stabilizationWindowSeconds over 3600' },
  { id: 'HPA103', name: 'policy-period-over-api-maximum', severity: 'error', summary: 'a policy periodSeconds over 1800' },
  { id: 'HPA104', name: 'policy-never-applies', severity: 'warning', summary: 'a scaling policy selectPolicy never picks (engine rate limit at every size), or selectPolicy Disabled with policies' },
  { id: 'HPA105', name: 'scale-to-zero-without-object-or-external', severity: 'error', summary: 'minReplicas 0 without an Object or External metric' },
  { id: 'HPA106', name: 'scale-down-window-flaps', severity: 'warning', summary: "scale-down window shorter than the pipeline's lag (scrape + sync): the seeds' flapping" },
  { id: 'HPA201', name: 'metric-not-served', severity: 'error', summary: 'a Pods/Object metric no adapter rule produces (seriesQuery, name.matches/as)' },
  { id: 'HPA202', name: 'metric-served-for-other-resource', severity: 'error', summary: 'the rule producing the metric maps no label to the resource the HPA asks for (pods vs namespaces)' },
  { id: 'HPA203', name: 'external-metric-not-served', severity: 'error', summary: 'an External metric with no externalRules entry producing it' },
  { id: 'HPA204', name: 'rate-window-too-short', severity: 'warning', summary: 'a metricsQuery range window shorter than two scrape intervals' },
  { id: 'HPA205', name: 'relist-shorter-than-scrape', severity: 'warning', summary: "the adapter's metricsRelistInterval or --metrics-max-age shorter than the scrape interval" },
  { id: 'HPA301', name: 'servicemonitor-selects-no-service', severity: 'error', summary: "the ServiceMonitor's selector matches no Service's labels" },
  { id: 'HPA302', name: 'servicemonitor-port-name', severity: 'error', summary: "the ServiceMonitor's endpoint port is not a port name of the Service" },
  { id: 'HPA303', name: 'servicemonitor-not-selected', severity: 'error', summary: "kube-prometheus-stack's Prometheus ignores a ServiceMonitor without its release label unless serviceMonitorSelectorNilUsesHelmValues is false" },
  { id: 'HPA304', name: 'no-servicemonitor', severity: 'warning', summary: 'a Pods metric with no ServiceMonitor to scrape the pods' },
  { id: 'HPA401', name: 'utilization-without-request', severity: 'error', summary: 'a Utilization target on a workload without requests for that resource' },
  { id: 'HPA402', name: 'load-independent-fixed-point', severity: 'warning', summary: "a memory-like metric whose curve (engine's replicaCurve) is a fixed point: never scales down" },
  { id: 'HPA501', name: 'max-replicas-over-capacity', severity: 'warning', summary: 'maxReplicas above what the given nodes can hold' },
  { id: 'SCH001', name: 'refused-by-schema', severity: 'error', summary: 'a Service, Deployment, ServiceMonitor, PrometheusRule, ConfigMap or APIService fails its published schema (kubernetes-models, operator CRDs)' },
  { id: 'ADP001', name: 'adapter-config-refused', severity: 'error', summary: 'prometheus-adapter refuses the configuration' },
];

/**
 * Runs every rule over a model.
 *
 * @example lint(buildLintModel([{ file: 'values.yaml', text }])).map((f) => f.id) // -> ['HPA101']
 */
export function lint(model: LintModel): Finding[] {
  const findings = [...model.inputFindings, ...behaviorRules(model), ...adapterRules(model), ...workloadRules(model)];
  return findings.sort(
    (a, b) => a.location.file.localeCompare(b.location.file) || (a.location.line ?? 0) - (b.location.line ?? 0) || a.id.localeCompare(b.id),
  );
}

/** Builds the model from files and lints it. */
export function lintFiles(inputs: readonly LintInput[], options: { readonly adapterConfig?: LintInput } = {}): Finding[] {
  return lint(buildLintModel(inputs, options));
}
