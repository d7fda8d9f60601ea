/**
 * `migrate --to keda`: KEDA ScaledObjects for HPAs served by prometheus-adapter rules. KEDA serves
 * only External metrics, so each HPA metric becomes a Prometheus trigger whose query is the
 * adapter rule's `metricsQuery` with the label matchers resolved for the target's pods, summed to
 * one number, with `metricType: AverageValue` (the HPA divides it by the ready pod count).
 *
 * @see https://keda.sh/docs/2.16/scalers/prometheus/
 * @see https://keda.sh/docs/2.16/reference/scaledobject-spec/
 */
import type { HorizontalPodAutoscaler, MetricSpec } from '../engine/index.js';
import { compileGoRegexp, type CompiledAdapterConfig, type MetricNamer } from '../metrics/adapter/index.js';
import type { KubeObject } from './kube-object.js';

/** One HPA metric's migration: the trigger and what changes in meaning. */
export interface MigrationNote {
  readonly hpa: string;
  readonly metric: string;
  /** `rules[0]` / `externalRules[0]`, or undefined when no rule serves the metric. */
  readonly rule?: string;
  readonly query?: string;
  readonly notes: readonly string[];
}

/** What `migrateToKeda()` returns. */
export interface KedaMigration {
  readonly scaledObjects: readonly KubeObject[];
  readonly notes: readonly MigrationNote[];
  /** The HPAs KEDA will create (External metrics `s{i}-prometheus`), for `simulate --compare`. */
  readonly kedaHpas: readonly HorizontalPodAutoscaler[];
}

const PLACEHOLDER = '__hpa_lab_pods__';

/** A regex for the pods of a Deployment (`NAME-<pod-template-hash>-<5 chars>`). */
export function deploymentPodRegex(name: string): string {
  return `${name.replace(/[.]/g, '\\\\.')}-[a-z0-9]{1,10}-[a-z0-9]{5}`;
}

/** The first rule serving `metric` (literal matches first), with its path in the config. */
export function ruleFor(compiled: CompiledAdapterConfig, metric: string, external: boolean): { namer: MetricNamer; path: string } | undefined {
  const list = external ? compiled.externalRules : compiled.rules;
  const paths = external ? compiled.config.paths.externalRules : compiled.config.paths.rules;
  // A rule naming the series literally wins over a pattern that a guessed series name would match.
  for (const how of ['literal', 'pattern'] as const) {
    for (let i = 0; i < list.length; i++) {
      const namer = list[i] as MetricNamer;
      if (producesMetric(namer, metric) === how) return { namer, path: paths[i] ?? `${external ? 'externalRules' : 'rules'}[${i}]` };
    }
  }
  return undefined;
}

/** The metric-name matchers of a series selector: the name before `{` and the `__name__` matchers. */
function nameMatchers(seriesQuery: string): { op: '=' | '!=' | '=~' | '!~'; value: string }[] {
  const out: { op: '=' | '!=' | '=~' | '!~'; value: string }[] = [];
  const plain = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{|$)/.exec(seriesQuery);
  if (plain) out.push({ op: '=', value: plain[1] as string });
  for (const m of seriesQuery.matchAll(/__name__\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)) {
    out.push({ op: m[1] as '=' | '!=' | '=~' | '!~', value: (m[2] as string).replace(/\\(.)/g, '$1') });
  }
  return out;
}

/** The literal metric names a `seriesQuery` selects (`name{...}` or `{__name__="name"}`), if any. */
export function seriesQueryNames(seriesQuery: string): string[] {
  return nameMatchers(seriesQuery)
    .filter((m) => m.op === '=')
    .map((m) => m.value);
}

function nameSelected(matchers: ReturnType<typeof nameMatchers>, name: string): boolean {
  return matchers.every((m) => {
    switch (m.op) {
      case '=':
        return name === m.value;
      case '!=':
        return name !== m.value;
      default: {
        let hit: boolean;
        try {
          // PromQL regex matchers are fully anchored.
          hit = compileGoRegexp(`^(?:${m.value})$`).matchString(name);
        } catch {
          return false;
        }
        return m.op === '=~' ? hit : !hit;
      }
    }
  });
}

/**
 * Whether a rule can name a series `metric` in the API (its `name.matches`/`as` and
 * `seriesFilters` applied): `literal` when the rule's `seriesQuery` names the series, `pattern`
 * when its `__name__` matchers would select a series called `METRIC`, `METRIC_total` or
 * `METRIC_seconds_total` (without Prometheus, the series that exist are not known), else undefined.
 * Other label matchers (`namespace!=""`) are assumed satisfied.
 *
 * @example producesMetric(namerOf({ seriesQuery: 'asr_active_requests' }), 'asr_active_requests') // -> 'literal'
 */
export function producesMetric(namer: MetricNamer, metric: string): 'literal' | 'pattern' | undefined {
  const matchers = nameMatchers(namer.seriesQuery);
  const literal = seriesQueryNames(namer.seriesQuery);
  const candidates = (literal.length > 0 ? literal : [metric, `${metric}_total`, `${metric}_seconds_total`]).filter((n) => nameSelected(matchers, n));
  const ok = candidates.some((name) => namer.filterSeries([{ name, labels: {} }]).length > 0 && namer.metricNameForSeries({ name, labels: {} }) === metric);
  return ok ? (literal.length > 0 ? 'literal' : 'pattern') : undefined;
}

function metricOf(m: MetricSpec): { name: string; external: boolean; target?: string; selector?: unknown } | undefined {
  if (m.type === 'Pods' && m.pods) return { name: m.pods.metric.name, external: false, ...(m.pods.target.averageValue === undefined ? {} : { target: String(m.pods.target.averageValue) }) };
  if (m.type === 'External' && m.external) {
    const t = m.external.target;
    const target = t.averageValue ?? t.value;
    return { name: m.external.metric.name, external: true, ...(target === undefined ? {} : { target: String(target) }) };
  }
  return undefined;
}

/**
 * ScaledObjects for `hpas` with the adapter rules of `compiled`, and one note per metric.
 *
 * @example migrateToKeda(hpas, compiled, { namespace: 'smallest', prometheusUrl: 'http://prom:9090' }).scaledObjects[0].kind // -> 'ScaledObject'
 */
export function migrateToKeda(
  hpas: readonly HorizontalPodAutoscaler[],
  compiled: CompiledAdapterConfig,
  options: { readonly namespace: string; readonly prometheusUrl: string },
): KedaMigration {
  const scaledObjects: KubeObject[] = [];
  const notes: MigrationNote[] = [];
  const kedaHpas: HorizontalPodAutoscaler[] = [];
  for (const hpa of hpas) {
    const name = hpa.metadata.name;
    const ns = hpa.metadata.namespace ?? options.namespace;
    const triggers: Record<string, unknown>[] = [];
    const kedaMetrics: MetricSpec[] = [];
    for (const m of hpa.spec.metrics ?? []) {
      const info = metricOf(m);
      if (!info) {
        notes.push({ hpa: name, metric: m.type, notes: [`a ${m.type} metric is not served by prometheus-adapter rules: use KEDA's ${m.type === 'Resource' || m.type === 'ContainerResource' ? "'cpu'/'memory' scaler" : 'matching scaler'} for it`] });
        continue;
      }
      const found = ruleFor(compiled, info.name, info.external);
      if (!found) {
        notes.push({ hpa: name, metric: info.name, notes: [`no adapter ${info.external ? 'externalRules' : 'rules'} entry produces '${info.name}': nothing to migrate (lint reports it)`] });
        continue;
      }
      const series = seriesQueryNames(found.namer.seriesQuery)[0] ?? info.name;
      let query: string;
      const meaning: string[] = [];
      if (!info.external) {
        const r = found.namer.queryForSeries({ series, resource: { group: '', resource: 'pods' }, namespace: ns, metricSelector: [], names: [PLACEHOLDER] });
        if (!r.ok) {
          notes.push({ hpa: name, metric: info.name, rule: found.path, notes: [`the rule's metricsQuery cannot be built for pods: ${r.message}`] });
          continue;
        }
        query = `sum(${r.query.replace(new RegExp(`([a-zA-Z_][a-zA-Z0-9_]*)="${PLACEHOLDER}"`), `$1=~"${deploymentPodRegex(hpa.spec.scaleTargetRef.name)}"`)})`;
        meaning.push(
          `Pods → External: the adapter served one value per pod and the HPA averaged them over the pods it counts (ready pods; missing pods assumed at 0 on scale-down, at the target on scale-up); KEDA serves the sum of '${info.name}' over pods matching the name regex, and the HPA divides it by the replica count (AverageValue). The two agree while every pod reports; unready or missing pods are no longer treated separately`,
          `the pods are matched by name (${deploymentPodRegex(hpa.spec.scaleTargetRef.name)}), not by the Deployment's selector: a Deployment whose name prefixes another's would count both`,
        );
      } else {
        const r = found.namer.queryForExternalSeries({ series, namespace: ns, metricSelector: [] });
        if (!r.ok) {
          notes.push({ hpa: name, metric: info.name, rule: found.path, notes: [`the rule's metricsQuery cannot be built: ${r.message}`] });
          continue;
        }
        query = r.query;
        meaning.push(`External → External: same meaning; the query runs in KEDA's operator instead of the adapter`);
      }
      meaning.push(
        'one provider per cluster: the APIService v1beta1.external.metrics.k8s.io can point at KEDA or at prometheus-adapter, not both; migrate every External-metric HPA at once, or keep the adapter for custom.metrics.k8s.io only (delete its external APIService)',
        'KEDA names the metric s<N>-prometheus in the HPA it creates; dashboards and alerts on the old metric name need updating',
      );
      const threshold = info.target ?? '1';
      triggers.push({ type: 'prometheus', metricType: 'AverageValue', metadata: { serverAddress: options.prometheusUrl, query, threshold, metricName: info.name } });
      kedaMetrics.push({ type: 'External', external: { metric: { name: `s${kedaMetrics.length}-prometheus` }, target: { type: 'AverageValue', averageValue: threshold } } });
      notes.push({ hpa: name, metric: info.name, rule: found.path, query, notes: meaning });
    }
    if (triggers.length === 0) continue;
    const min = hpa.spec.minReplicas;
    scaledObjects.push({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name, namespace: ns, labels: { 'app.kubernetes.io/managed-by': 'hpa-lab' } },
      spec: {
        scaleTargetRef: { apiVersion: hpa.spec.scaleTargetRef.apiVersion ?? 'apps/v1', kind: hpa.spec.scaleTargetRef.kind, name: hpa.spec.scaleTargetRef.name },
        ...(min === undefined ? {} : { minReplicaCount: min }),
        maxReplicaCount: hpa.spec.maxReplicas,
        ...(hpa.spec.behavior ? { advanced: { horizontalPodAutoscalerConfig: { name, behavior: hpa.spec.behavior } } } : {}),
        triggers,
      },
    });
    // KEDA names its HPA after advanced.horizontalPodAutoscalerConfig.name: the same name as before.
    kedaHpas.push({ ...hpa, spec: { ...hpa.spec, metrics: kedaMetrics } });
  }
  return { scaledObjects, notes, kedaHpas };
}
