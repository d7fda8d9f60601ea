/**
 * Cross-object checks of HPAs against Deckhouse's metric objects: what DKP restricts beyond the
 * autoscaling/v2 API, and metrics an HPA names that no object defines. Plain data, so `lint` can
 * print them with its own rule IDs and formats.
 */
import type { HorizontalPodAutoscaler, MetricSpec } from '../../engine/index.js';
import type { DeckhouseObjects } from './deckhouse-objects.js';
import { DECKHOUSE_METRIC_KINDS, DECKHOUSE_SOURCES, EXTERNAL_METRIC_PREFIX } from './metric-kinds.js';

/** Finding IDs. */
export const DECKHOUSE_FINDING_IDS = [
  'deckhouse/value-target-only',
  'deckhouse/metric-not-defined',
  'deckhouse/external-prefix',
  'deckhouse/external-not-recorded',
  'deckhouse/kind-not-for-users',
] as const;

/** One finding. */
export interface DeckhouseFinding {
  readonly id: (typeof DECKHOUSE_FINDING_IDS)[number];
  readonly severity: 'info' | 'warning' | 'error';
  /** `namespace/name` of the HPA concerned, or of the metric object. */
  readonly object: string;
  /** Field path in that object (`spec.metrics[0].external.target.type`). */
  readonly field: string;
  readonly message: string;
  readonly fix: string;
  /** Where the rule comes from. */
  readonly source: string;
}

const hpaId = (h: HorizontalPodAutoscaler): string => `${h.metadata.namespace ?? 'default'}/${h.metadata.name}`;

/**
 * Checks HPAs against the Deckhouse objects they use:
 * - `value-target-only`: DKP's guide says "only `type: Value` is supported" for External (and
 *   Object) metrics. The autoscaling/v2 API allows `Value` and `AverageValue` for both (the HPA
 *   controller divides the value by the current replicas itself, so the adapter cannot refuse
 *   it); DKP documents only `Value`, so an `AverageValue` target is outside what DKP supports.
 * - `metric-not-defined`: an Object or Pods metric with no matching `*Metric` object (the adapter
 *   answers 404 and the HPA reports `FailedGetObjectMetric` / `FailedGetPodsMetric`).
 * - `external-prefix`: an External metric named with the `kube_adapter_metric_` prefix (DKP
 *   serves it without).
 * - `external-not-recorded`: an External metric no `CustomPrometheusRules` of the input records
 *   (only when the input has some).
 * - `kind-not-for-users`: a kind the docs mark "not available to users".
 *
 * @example deckhouseFindings(objects, objects.hpas).map((f) => f.id) // -> ['deckhouse/value-target-only']
 */
export function deckhouseFindings(objects: DeckhouseObjects, hpas: readonly HorizontalPodAutoscaler[]): DeckhouseFinding[] {
  const findings: DeckhouseFinding[] = [];
  for (const m of objects.metrics) {
    if (!m.kind.availableToUsers) {
      findings.push({
        id: 'deckhouse/kind-not-for-users',
        severity: 'info',
        object: `${m.namespace === null ? '' : `${m.namespace}/`}${m.name}`,
        field: 'kind',
        message: `${m.kind.kind} is marked "not available to users" in DKP: Deckhouse manages these objects itself`,
        fix: `Define the metric with ${m.kind.scope === 'Cluster' ? m.kind.kind.replace(/^Cluster/, '') : 'a user kind such as ServiceMetric or PodMetric'} in the application's namespace`,
        source: DECKHOUSE_SOURCES.customResources,
      });
    }
  }
  hpas.forEach((hpa) => {
    const ns = hpa.metadata.namespace ?? 'default';
    (hpa.spec.metrics ?? []).forEach((metric: MetricSpec, i) => {
      const base = `spec.metrics[${i}]`;
      if (metric.type === 'External' && metric.external) {
        const name = metric.external.metric.name;
        if (metric.external.target.type === 'AverageValue') {
          findings.push({
            id: 'deckhouse/value-target-only',
            severity: 'warning',
            object: hpaId(hpa),
            field: `${base}.external.target.type`,
            message: `External metric '${name}' has an AverageValue target: autoscaling/v2 allows it (the HPA divides the value by the current replicas), but DKP documents only 'type: Value' for External metrics`,
            fix: `Use target {type: Value, value: <averageValue × expected replicas>}, or keep AverageValue knowing DKP does not document it`,
            source: DECKHOUSE_SOURCES.usage,
          });
        }
        if (name.startsWith(EXTERNAL_METRIC_PREFIX)) {
          findings.push({
            id: 'deckhouse/external-prefix',
            severity: 'error',
            object: hpaId(hpa),
            field: `${base}.external.metric.name`,
            message: `External metric '${name}' carries the '${EXTERNAL_METRIC_PREFIX}' prefix: DKP serves '${EXTERNAL_METRIC_PREFIX}<name>' as '<name>', so this name is never found`,
            fix: `Name it '${name.slice(EXTERNAL_METRIC_PREFIX.length)}'`,
            source: DECKHOUSE_SOURCES.usage,
          });
        } else if (objects.externalMetrics.length > 0 && !objects.externalMetrics.some((e) => e.name === name)) {
          findings.push({
            id: 'deckhouse/external-not-recorded',
            severity: 'warning',
            object: hpaId(hpa),
            field: `${base}.external.metric.name`,
            message: `External metric '${name}' is recorded by none of the CustomPrometheusRules given (they record ${objects.externalMetrics.map((e) => `'${e.record}'`).join(', ')})`,
            fix: `Add a recording rule 'record: ${EXTERNAL_METRIC_PREFIX}${name}'`,
            source: DECKHOUSE_SOURCES.usage,
          });
        }
      }
      if (metric.type === 'Object' && metric.object) {
        const { describedObject, metric: id, target } = metric.object;
        if (target.type === 'AverageValue') {
          findings.push({
            id: 'deckhouse/value-target-only',
            severity: 'warning',
            object: hpaId(hpa),
            field: `${base}.object.target.type`,
            message: `Object metric '${id.name}' has an AverageValue target: autoscaling/v2 allows it, but DKP documents only 'type: Value' for Object metrics`,
            fix: 'Use target {type: Value, value: ...}',
            source: DECKHOUSE_SOURCES.usage,
          });
        }
        const kinds = DECKHOUSE_METRIC_KINDS.filter((k) => k.describedKind === describedObject.kind);
        if (kinds.length > 0 && !isDefined(objects, id.name, kinds.map((k) => k.kind), ns)) {
          findings.push({
            id: 'deckhouse/metric-not-defined',
            severity: 'error',
            object: hpaId(hpa),
            field: `${base}.object.metric.name`,
            message: `No ${kinds.map((k) => k.kind).join(' or ')} named '${id.name}' in namespace '${ns}' or cluster-wide: the adapter answers 404 and the HPA reports FailedGetObjectMetric`,
            fix: `Add a ${kinds[0]!.kind} '${id.name}' in namespace '${ns}' with spec.query using <<.LabelMatchers>> and <<.GroupBy>>`,
            source: DECKHOUSE_SOURCES.customResources,
          });
        }
      }
      if (metric.type === 'Pods' && metric.pods && objects.metrics.length > 0) {
        const name = metric.pods.metric.name;
        if (!isDefined(objects, name, ['PodMetric', 'ClusterPodMetric'], ns)) {
          findings.push({
            id: 'deckhouse/metric-not-defined',
            severity: 'warning',
            object: hpaId(hpa),
            field: `${base}.pods.metric.name`,
            message: `No PodMetric named '${name}' in namespace '${ns}' or cluster-wide (fine if another adapter rule serves it)`,
            fix: `Add a PodMetric '${name}' in namespace '${ns}'`,
            source: DECKHOUSE_SOURCES.customResources,
          });
        }
      }
    });
  });
  return findings;
}

function isDefined(objects: DeckhouseObjects, name: string, kinds: readonly string[], namespace: string): boolean {
  return objects.metrics.some((m) => m.name === name && kinds.includes(m.kind.kind) && (m.namespace === null || m.namespace === namespace));
}
