/**
 * Rules across HPAs and the prometheus-adapter configuration: is each metric served (name, `as`,
 * `seriesQuery`), for the right resource, by the right kind of rule; are the rules' range windows
 * and the adapter's relist settings long enough for the scrape interval.
 */
import { compileAdapterConfig, type CompiledAdapterConfig, type MetricNamer } from '../metrics/adapter/index.js';
import { producesMetric } from '../render/index.js';
import { InputError, parsePrometheusDuration } from '../core/index.js';
import type { Finding, Location } from './finding.js';
import type { HpaEntry, LintModel } from './lint-model.js';

/** Range functions whose `[window]` needs at least two samples. */
const RANGE_RE = /\b(rate|irate|increase|delta|idelta|deriv|resets|changes|[a-z]+_over_time)\s*\(([^()[\]]|\([^()]*\))*\[([0-9a-z]+)\]/g;

/** Resource the HPA metric is read for, by metric type. */
function resourceFor(entry: HpaEntry, i: number): { group: string; resource: string } | undefined {
  const m = entry.hpa.spec.metrics?.[i];
  if (m?.type === 'Pods') return { group: '', resource: 'pods' };
  if (m?.type === 'Object' && m.object) {
    const kind = m.object.describedObject.kind.toLowerCase();
    const group = (m.object.describedObject.apiVersion ?? '').includes('/') ? (m.object.describedObject.apiVersion ?? '').split('/')[0] ?? '' : '';
    return { group, resource: kind.endsWith('s') ? `${kind}es` : `${kind}s` };
  }
  return undefined;
}

/** HPA201–HPA205 (only when an adapter configuration is known). */
export function adapterRules(model: LintModel): Finding[] {
  const adapter = model.adapter;
  if (!adapter) return [];
  let compiled: CompiledAdapterConfig;
  try {
    compiled = compileAdapterConfig(adapter.config, { file: adapter.file });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return [
      {
        id: 'ADP001',
        severity: 'error',
        location: { file: error.file, path: error.path, ...(error.line === undefined ? {} : { line: error.line }) },
        message: error.detail,
        why: 'prometheus-adapter refuses to start with this rule: every custom and external metric is <unknown>',
        fix: 'correct the rule as the message says',
      },
    ];
  }
  const out: Finding[] = [];
  for (const entry of model.hpas) {
    (entry.hpa.spec.metrics ?? []).forEach((m, i) => {
      if (m.type !== 'Pods' && m.type !== 'Object' && m.type !== 'External') return;
      const metric = (m.pods ?? m.object ?? m.external)?.metric.name ?? '';
      const at = entry.locate(`spec.metrics[${i}]`);
      const external = m.type === 'External';
      const served = (list: readonly MetricNamer[]): MetricNamer[] => list.filter((n) => producesMetric(n, metric) !== undefined);
      // Only a rule naming the series literally is evidence that the metric was meant for the other API.
      const own = (external ? compiled.rules : compiled.externalRules).filter((n) => producesMetric(n, metric) === 'literal');
      const right = served(external ? compiled.externalRules : compiled.rules);
      if (right.length === 0) {
        const wrongKind = own.length > 0;
        out.push({
          id: external ? 'HPA203' : 'HPA201',
          severity: 'error',
          location: at,
          message: external
            ? `HPA '${entry.hpa.metadata.name}': External metric '${metric}' is produced by no externalRules entry${wrongKind ? ' (a custom rule produces it: custom rules serve custom.metrics.k8s.io only)' : compiled.externalRules.length === 0 ? ' (the adapter has no externalRules at all)' : ''}`
            : `HPA '${entry.hpa.metadata.name}': ${m.type} metric '${metric}' is produced by no adapter rule (no seriesQuery selects a series that name.matches/as turn into '${metric}')${wrongKind ? ': only an externalRules entry does, and external rules serve external.metrics.k8s.io only' : ''}`,
          why: `the HPA shows <unknown> for this metric and events say 'unable to get metric ${metric}' (FailedGet${m.type === 'Pods' ? 'Pods' : m.type}Metric): it never scales on it`,
          fix: external
            ? `add an entry under 'externalRules' (Helm: prometheus-adapter.rules.external) with seriesQuery selecting the series and name.as: "${metric}"`
            : `add a rule with seriesQuery "${metric}" (or fix name.as to produce '${metric}'), resources mapping 'pod' and 'namespace' labels, and metricsQuery using <<.LabelMatchers>>`,
        });
        return;
      }
      const resource = resourceFor(entry, i);
      if (resource) {
        const mapping = right.filter((n) => n.converter.labelForResource(resource).ok);
        if (mapping.length === 0) {
          out.push({
            id: 'HPA202',
            severity: 'error',
            location: at,
            message: `HPA '${entry.hpa.metadata.name}': metric '${metric}' is produced, but for no '${resource.resource}' resource (the rule's resources map no label to ${resource.resource})`,
            why: `the HPA asks /apis/custom.metrics.k8s.io/v1beta1/namespaces/NS/${resource.resource}/*/${metric}; the adapter lists the metric for other resources only (e.g. namespaces), so the request is 404 and the target is <unknown>`,
            fix: `map the label holding the ${resource.resource === 'pods' ? 'pod name' : 'object name'} in the rule's resources (overrides: {${resource.resource === 'pods' ? 'pod' : resource.resource.replace(/s$/, '')}: {resource: "${resource.resource.replace(/s$/, '')}"}}, or template: "<<.Resource>>")`,
          });
        }
      }
    });
  }
  // Range windows in metricsQuery shorter than two scrape intervals.
  const scrape = model.scrapeIntervalSeconds;
  const check = (list: readonly MetricNamer[], paths: readonly string[]): void => {
    list.forEach((n, i) => {
      for (const match of n.metricsQuery.template.matchAll(RANGE_RE)) {
        let seconds: number;
        try {
          seconds = parsePrometheusDuration(match[3] as string) / 1000;
        } catch {
          continue;
        }
        if (seconds >= 2 * scrape) continue;
        out.push({
          id: 'HPA204',
          severity: seconds < scrape ? 'error' : 'warning',
          location: adapter.locate(`${paths[i] ?? ''}.metricsQuery`),
          message: `${match[1]}() over [${match[3]}] is shorter than two scrape intervals (${scrape} s each)`,
          why: `${match[1]}() needs two samples inside its window; with a ${scrape} s scrape a ${match[3]} window holds ${seconds < scrape ? 'at most one' : 'sometimes only one'}, so the query returns nothing and the metric goes <unknown> intermittently`,
          fix: `use a window of at least ${2 * scrape} s (four scrape intervals, ${4 * scrape} s, is the usual advice)`,
        });
      }
    });
  };
  check(compiled.rules, adapter.config.paths.rules);
  check(compiled.externalRules, adapter.config.paths.externalRules);
  // Relist and max age against the scrape interval.
  const rel: [number | undefined, Location | undefined, string][] = [
    [adapter.relistIntervalSeconds, adapter.relistLocation, 'metricsRelistInterval'],
    [adapter.maxAgeSeconds, adapter.maxAgeLocation, '--metrics-max-age'],
  ];
  for (const [seconds, location, name] of rel) {
    if (seconds === undefined || !location || seconds >= scrape) continue;
    out.push({
      id: 'HPA205',
      severity: 'warning',
      location,
      message: `prometheus-adapter ${name} ${seconds} s is shorter than the scrape interval (${scrape} s)`,
      why: `a relist looks back ${name === '--metrics-max-age' ? 'this far' : 'one relist interval'} for series; shorter than a scrape, it can miss a series between two scrapes and drop the metric from discovery: the HPA then shows <unknown>`,
      fix: `set it to at least the scrape interval (${scrape} s); the chart's default relist is 1m`,
    });
  }
  return out;
}
