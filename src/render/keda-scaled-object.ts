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
import { type CompiledAdapterConfig, type MetricNamer } from '../metrics/adapter/index.js';
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

/** The literal metric names a `seriesQuery` selects (`name{...}` or `{__name__="name"}`), if any. */
export function seriesQueryNames(seriesQuery: string): string[] {
  const plain = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{|$)/.exec(seriesQuery);
  if (plain) return [plain[1] as string];
  const named = /__name__\s*=\s*"([^"]+)"/.exec(seriesQuery);
  return named ? [named[1] as string] : [];
}

/**
 * Whether a rule can name a series `metric` in the API: `literal` when a series name its
 * `seriesQuery` selects literally does, `pattern` when a name its `__name__=~` regex could match
 * does (`METRIC`, `METRIC_total`, `METRIC_seconds_total`, `container_METRIC…` are tried), else undefined.
 *
 * @example producesMetric(namerOf({ seriesQuery: 'asr_active_requests' }), 'asr_active_requests') // -> 'literal'
 */
export function producesMetric(namer: MetricNamer, metric: string): 'literal' | 'pattern' | undefined {
  const literal = seriesQueryNames(namer.seriesQuery);
  const regex = /__name__\s*=~\s*"([^"]+)"/.exec(namer.seriesQuery)?.[1];
  const guesses = [metric, `${metric}_total`, `${metric}_seconds_total`, `container_${metric}`, `container_${metric}_total`, `container_${metric}_seconds_total`];
  const candidates = literal.length > 0 ? literal : guesses.filter((g) => (regex === undefined ? false : safeTest(regex, g)));
  const ok = candidates.some((name) => namer.filterSeries([{ name, labels: {} }]).length > 0 && namer.metricNameForSeries({ name, labels: {} }) === metric);
  return ok ? (literal.length > 0 ? 'literal' : 'pattern') : undefined;
}

function safeTest(re: string, s: string): boolean {
  try {
    return new RegExp(re).test(s);
  } catch {
    return false;
  }
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
      kedaMetrics.push({ type: 'External', external: { metric: { name: `s${kedaMetrics.length}-prometheus` }, target: { type: 'AverageValue', averageValue: threshold } } } as MetricSpec);
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
