/**
 * The Prometheus Operator objects of the seeds' values: the ServiceMonitor for the ASR pods and
 * one PrometheusRule per `additionalPrometheusRulesMap` key (merged over the seeds' recording and
 * alerting rules, as kube-prometheus-stack renders them).
 */
import { parse } from 'yaml';
import { buildRuleFiles } from '../metrics/prometheus/index.js';
import type { ServiceMonitorSettings } from './chart-settings.js';
import type { KubeObject } from './kube-object.js';

/**
 * The ServiceMonitor selecting the ASR Service by its labels and scraping the named port.
 *
 * @example serviceMonitor(settings, 'smallest').spec.endpoints[0].port // -> 'metrics'
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitor
 */
export function serviceMonitor(settings: ServiceMonitorSettings, namespace: string): KubeObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: settings.name, namespace, labels: { ...settings.selector, ...settings.labels } },
    spec: {
      selector: { matchLabels: { ...settings.selector } },
      namespaceSelector: { matchNames: [namespace] },
      endpoints: [{ port: settings.port, path: settings.path, ...(settings.interval === undefined ? {} : { interval: settings.interval }) }],
    },
  };
}

/** Where the rules go and how the Prometheus selects them. */
export interface PrometheusRulesOptions {
  readonly namespace: string;
  /** kube-prometheus-stack's release: its `ruleSelector` matches `release: NAME` by default. */
  readonly release: string;
  readonly file?: string;
}

/**
 * One PrometheusRule per rules-map key (`asr-rules`, `asr-alerts` by default), named
 * `RELEASE-KEY` as kube-prometheus-stack names them.
 *
 * @throws {InputError} when a map key or entry is not usable (from `buildRuleFiles`)
 * @example prometheusRules(undefined, { namespace: 'default', release: 'stack' }).map((r) => r.metadata.name)
 * // -> ['stack-asr-rules', 'stack-asr-alerts']
 */
export function prometheusRules(rulesMap: Readonly<Record<string, unknown>> | undefined, options: PrometheusRulesOptions): (KubeObject & { spec: { groups: unknown[] } })[] {
  return buildRuleFiles(rulesMap, { ...(options.file === undefined ? {} : { file: options.file }) }).map((f) => {
    const key = f.path.replace(/^.*\//, '').replace(/\.yaml$/, '');
    const body = parse(f.text) as { groups: unknown[] };
    return {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: `${options.release}-${key}`, namespace: options.namespace, labels: { release: options.release, app: 'kube-prometheus-stack' } },
      spec: { groups: body.groups },
    };
  });
}
