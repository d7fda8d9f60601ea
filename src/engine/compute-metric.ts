/**
 * One metric of `spec.metrics` → a replica proposal, its status and its name, or the failure
 * reason. The observation already holds what the metrics APIs answered.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/horizontal.go computeReplicasForMetric
 */
import type { PodSamples } from './pod-groups.js';
import { formatMilliQuantity, parseQuantityMilli } from '../core/index.js';
import {
  getPerPodMetricReplicas,
  getPlainMetricReplicas,
  getResourceReplicas,
  getValueMetricReplicas,
  sumExternalPerPod,
  sumSaturating,
  type CalcDetail,
  type CalcResult,
  type CalculatorSettings,
} from './replica-calculator.js';
import { formatMetaLabelSelectorGo as formatLabelSelectorGo } from '../core/index.js';
import type { Tolerances } from './tolerance.js';
import type { LabelSelector, MetricReading, MetricSpec, MetricStatus, MetricTarget, PodInfo, PodMetricsItem } from './types.js';
import { DEFAULT_METRIC_WINDOW_SECONDS } from './defaults.js';

export interface MetricContext {
  readonly specReplicas: number;
  readonly statusReplicas: number;
  /** Pods selected by the scale target's selector. */
  readonly pods: readonly PodInfo[];
  readonly namespace: string;
  readonly tolerances: Tolerances;
  readonly settings: CalculatorSettings;
}

const formatted = new Map<number, string>();

/**
 * `formatMilliQuantity`, memoized (bounded): a status formats the same few usages sync after
 * sync, and the exact formatting goes through BigInt.
 */
function formatMilli(milli: number): string {
  let hit = formatted.get(milli);
  if (hit === undefined) {
    hit = formatMilliQuantity(milli);
    if (formatted.size >= 4_096) formatted.clear();
    formatted.set(milli, hit);
  }
  return hit;
}

export type MetricOutcome =
  | {
      readonly ok: true;
      readonly replicas: number;
      /** Upstream's metric name used in messages: "pods metric asr_active_requests". */
      readonly name: string;
      readonly status: MetricStatus;
      readonly detail: CalcDetail;
      /** Current value in display units (percent for Utilization, units otherwise). */
      readonly current: number;
      readonly target: number;
      readonly targetType: string;
    }
  | {
      readonly ok: false;
      /** Warning event reason and ScalingActive=False reason. */
      readonly reason: string;
      /** The error as upstream words it (event message). */
      readonly error: string;
      readonly name: string;
      readonly target?: number;
      readonly targetType?: string;
    };

const labelCache = new WeakMap<MetricSpec, string>();
const memos = new WeakMap<MetricSpec, Record<string, string>>();

/**
 * A string derived from the spec alone, built once per spec object (specs are never mutated):
 * the same string object sync after sync, so maps and comparisons keyed on it do not re-hash or
 * re-read a freshly concatenated string.
 */
function memo(spec: MetricSpec, key: string, build: () => string): string {
  let m = memos.get(spec);
  if (m === undefined) {
    m = {};
    memos.set(spec, m);
  }
  return (m[key] ??= build());
}

/** A short human label for a metric spec, also for failed ones ("pods/asr_active_requests"). */
export function metricLabel(spec: MetricSpec): string {
  let label = labelCache.get(spec);
  if (label === undefined) {
    label = computeLabel(spec);
    labelCache.set(spec, label);
  }
  return label;
}

function computeLabel(spec: MetricSpec): string {
  switch (spec.type) {
    case 'Resource':
      return `resource/${spec.resource?.name ?? '?'}`;
    case 'ContainerResource':
      return `container/${spec.containerResource?.container ?? '?'}/${spec.containerResource?.name ?? '?'}`;
    case 'Pods':
      return `pods/${spec.pods?.metric.name ?? '?'}`;
    case 'Object':
      return `object/${spec.object?.describedObject.kind ?? '?'}/${spec.object?.metric.name ?? '?'}`;
    case 'External':
      return `external/${spec.external?.metric.name ?? '?'}`;
    default:
      return String(spec.type);
  }
}

function q(v: MetricTarget['value']): number | undefined {
  return v === undefined || v === null ? undefined : parseQuantityMilli(v);
}

function checkSelector(sel: LabelSelector | null | undefined): string | undefined {
  for (const e of sel?.matchExpressions ?? []) {
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) return `"${e.operator}" is not a valid label selector operator`;
  }
  return undefined;
}

/** Per-pod samples of a resource from PodMetrics, as the resource metrics client builds them. */
export function resourceSamples(items: readonly PodMetricsItem[], resource: string, container: string): PodSamples {
  const samples: PodSamples = new Map();
  for (const item of items) {
    let value = 0;
    let ok = item.containers.length > 0;
    if (container === '') {
      for (const c of item.containers) {
        const u = c.usageMilli[resource];
        if (u === undefined) {
          ok = false;
          break;
        }
        value += u;
      }
    } else {
      const c = item.containers.find((x) => x.name === container);
      // A pod without the container, or whose container lacks the resource, has no sample (#127193).
      const u = c?.usageMilli[resource];
      if (u === undefined) ok = false;
      else value = u;
    }
    if (ok) samples.set(item.podName, { value, timestampMs: item.timestampMs, windowSeconds: item.windowSeconds });
  }
  return samples;
}

/** A successful value-based proposal: usage and target in milli-units, shown in units. */
function succeed(
  r: Extract<CalcResult, { ok: true }>,
  name: string,
  status: MetricStatus,
  targetMilli: number,
  targetType: string,
): MetricOutcome {
  return { ok: true, replicas: r.replicas, name, status, detail: r.detail, current: r.usage / 1000, target: targetMilli / 1000, targetType };
}

function fail(reason: string, error: string, name: string, target?: number, targetType?: string): MetricOutcome {
  return { ok: false, reason, error, name, ...(target === undefined ? {} : { target }), ...(targetType ? { targetType } : {}) };
}

/**
 * Computes one metric's proposal.
 *
 * @example computeMetric(podsSpec, { podValues: [...] }, ctx) // -> { ok: true, replicas: 4, name: 'pods metric asr_active_requests', ... }
 */
export function computeMetric(spec: MetricSpec, reading: MetricReading | undefined, ctx: MetricContext): MetricOutcome {
  const readingError = reading && 'error' in reading ? reading.error : reading === undefined ? 'no reading for this metric' : undefined;
  switch (spec.type) {
    case 'Resource':
    case 'ContainerResource': {
      const isContainer = spec.type === 'ContainerResource';
      const src = isContainer ? spec.containerResource : spec.resource;
      const reasonCode = isContainer ? 'FailedGetContainerResourceMetric' : 'FailedGetResourceMetric';
      const resource = src?.name ?? '';
      const container = isContainer ? (spec.containerResource?.container ?? '') : '';
      const wrap = (e: string) =>
        isContainer ? `failed to get ${container} container metric value: ${e}` : `failed to get ${resource} resource metric value: ${e}`;
      const target = src?.target;
      const label = `${resource} resource`;
      if (!src) return fail(reasonCode, wrap(`missing '${isContainer ? 'containerResource' : 'resource'}'`), label);
      const avgValue = q(target?.averageValue);
      const util = target?.averageUtilization;
      if (avgValue === undefined && util === undefined) {
        return fail(
          reasonCode,
          wrap('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set'),
          label,
        );
      }
      const what = avgValue !== undefined ? 'usage' : 'utilization';
      const targetDisplay = avgValue !== undefined ? avgValue / 1000 : (util as number);
      const targetType = avgValue !== undefined ? 'AverageValue' : 'Utilization';
      const name = memo(spec, 'name', () =>
        avgValue !== undefined
          ? `${resource} resource`
          : isContainer
            ? `${resource} container resource utilization (percentage of request)`
            : `${resource} resource utilization (percentage of request)`,
      );
      if (readingError !== undefined) {
        return fail(reasonCode, wrap(`failed to get ${resource} ${what}: unable to get metrics for resource ${resource}: ${readingError}`), name, targetDisplay, targetType);
      }
      const items = (reading as { podMetrics: readonly PodMetricsItem[] }).podMetrics;
      if (items.length === 0) {
        return fail(
          reasonCode,
          wrap(`failed to get ${resource} ${what}: unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`),
          name,
          targetDisplay,
          targetType,
        );
      }
      const samples = resourceSamples(items, resource, container);
      const r: CalcResult =
        avgValue !== undefined
          ? getPlainMetricReplicas({ currentReplicas: ctx.specReplicas, samples, pods: ctx.pods, resource, targetUsage: avgValue, tolerances: ctx.tolerances, settings: ctx.settings })
          : getResourceReplicas({
              currentReplicas: ctx.specReplicas,
              samples,
              pods: ctx.pods,
              resource,
              container,
              tolerances: ctx.tolerances,
              settings: ctx.settings,
              targetUtilization: util as number,
            });
      if (!r.ok) return fail(reasonCode, wrap(`failed to get ${resource} ${what}: ${r.error}`), name, targetDisplay, targetType);
      const current = avgValue !== undefined ? { averageValue: formatMilli(r.usage) } : { averageValue: formatMilli(r.usage), averageUtilization: r.utilization ?? 0 };
      const status: MetricStatus = isContainer
        ? { type: 'ContainerResource', containerResource: { name: resource, container, current } }
        : { type: 'Resource', resource: { name: resource, current } };
      return {
        ok: true,
        replicas: r.replicas,
        name,
        status,
        detail: r.detail,
        current: avgValue !== undefined ? r.usage / 1000 : (r.utilization ?? 0),
        target: targetDisplay,
        targetType,
      };
    }
    case 'Pods': {
      const src = spec.pods;
      const metricName = src?.metric.name ?? '';
      const name = memo(spec, 'name', () => `pods metric ${metricName}`);
      const wrap = (e: string) => `failed to get pods metric value: ${e}`;
      if (!src) return fail('FailedGetPodsMetric', wrap("missing 'pods'"), name);
      const selErr = checkSelector(src.metric.selector);
      if (selErr) return fail('FailedGetPodsMetric', wrap(selErr), name);
      const targetMilli = q(src.target.averageValue);
      if (targetMilli === undefined) return fail('FailedGetPodsMetric', wrap('invalid pods metric source: no average value target was set'), name);
      if (readingError !== undefined) {
        return fail('FailedGetPodsMetric', wrap(`unable to get metric ${metricName}: ${readingError}`), name, targetMilli / 1000, 'AverageValue');
      }
      const values = (reading as { podValues: readonly { podName: string; valueMilli: number; timestampMs: number; windowSeconds?: number }[] }).podValues;
      if (values.length === 0) {
        return fail('FailedGetPodsMetric', wrap(`unable to get metric ${metricName}: no metrics returned from custom metrics API`), name, targetMilli / 1000, 'AverageValue');
      }
      const samples: PodSamples = new Map();
      for (const v of values) {
        samples.set(v.podName, { value: v.valueMilli, timestampMs: v.timestampMs, windowSeconds: v.windowSeconds ?? DEFAULT_METRIC_WINDOW_SECONDS });
      }
      const r = getPlainMetricReplicas({
        currentReplicas: ctx.specReplicas,
        samples,
        pods: ctx.pods,
        resource: '',
        targetUsage: targetMilli,
        tolerances: ctx.tolerances,
        settings: ctx.settings,
      });
      if (!r.ok) return fail('FailedGetPodsMetric', wrap(r.error), name, targetMilli / 1000, 'AverageValue');
      return succeed(r, name, { type: 'Pods', pods: { metric: src.metric, current: { averageValue: formatMilli(r.usage) } } }, targetMilli, 'AverageValue');
    }
    case 'Object': {
      const src = spec.object;
      const metricName = src?.metric.name ?? '';
      const wrap = (e: string) => `failed to get object metric value: ${e}`;
      if (!src) return fail('FailedGetObjectMetric', wrap("missing 'object'"), `object metric ${metricName}`);
      const selErr = checkSelector(src.metric.selector);
      if (selErr) return fail('FailedGetObjectMetric', wrap(selErr), `${src.describedObject.kind} metric ${metricName}`);
      const value = src.target.type === 'Value' ? q(src.target.value) : undefined;
      const avg = src.target.type === 'AverageValue' ? q(src.target.averageValue) : undefined;
      const fetchError = (e: string) =>
        `unable to get metric ${metricName}: ${src.describedObject.kind} on ${ctx.namespace} ${src.describedObject.name}/${e}`;
      if (value !== undefined) {
        const name = memo(spec, 'valueName', () => `${src.describedObject.kind} metric ${metricName}`);
        if (readingError !== undefined) return fail('FailedGetObjectMetric', wrap(fetchError(readingError)), name, value / 1000, 'Value');
        const usage = (reading as { valueMilli: number }).valueMilli;
        const r = getValueMetricReplicas({ currentReplicas: ctx.specReplicas, usage, targetUsage: value, tolerances: ctx.tolerances, pods: ctx.pods });
        if (!r.ok) return fail('FailedGetObjectMetric', wrap(r.error), name, value / 1000, 'Value');
        return succeed(r, name, { type: 'Object', object: { describedObject: src.describedObject, metric: src.metric, current: { value: formatMilli(r.usage) } } }, value, 'Value');
      }
      if (avg !== undefined) {
        // Upstream names this path "external metric" too (sic).
        const name = memo(spec, 'averageName', () => `external metric ${metricName}(${formatLabelSelectorGo(src.metric.selector)})`);
        const wrapAvg = (e: string) => wrap(`failed to get ${metricName} object metric: ${e}`);
        if (readingError !== undefined) return fail('FailedGetObjectMetric', wrapAvg(fetchError(readingError)), name, avg / 1000, 'AverageValue');
        const usage = (reading as { valueMilli: number }).valueMilli;
        const r = getPerPodMetricReplicas({ statusReplicas: ctx.statusReplicas, usage, targetAverageUsage: avg, tolerances: ctx.tolerances });
        if (!r.ok) return fail('FailedGetObjectMetric', wrapAvg(r.error), name, avg / 1000, 'AverageValue');
        return succeed(r, name, { type: 'Object', object: { describedObject: src.describedObject, metric: src.metric, current: { averageValue: formatMilli(r.usage) } } }, avg, 'AverageValue');
      }
      return fail(
        'FailedGetObjectMetric',
        wrap('invalid object metric source: neither a value target nor an average value target was set'),
        `${src.describedObject.kind} metric ${metricName}`,
      );
    }
    case 'External': {
      const src = spec.external;
      const metricName = src?.metric.name ?? '';
      const wrap = (e: string) => `failed to get ${metricName} external metric value: ${e}`;
      const name = memo(spec, 'name', () => `external metric ${metricName}(${formatLabelSelectorGo(src?.metric.selector)})`);
      if (!src) return fail('FailedGetExternalMetric', wrap("missing 'external'"), name);
      const selErr = checkSelector(src.metric.selector);
      if (selErr) return fail('FailedGetExternalMetric', wrap(selErr), name);
      const avg = q(src.target.averageValue);
      const value = q(src.target.value);
      const fetchError = (e: string) =>
        `unable to get external metric ${ctx.namespace}/${metricName}/${formatLabelSelectorGo(src.metric.selector)}: ${e}`;
      const values =
        readingError === undefined ? (reading as { valuesMilli: readonly number[] }).valuesMilli : undefined;
      const err = readingError ?? (values && values.length === 0 ? 'no metrics returned from external metrics API' : undefined);
      if (avg !== undefined) {
        const wrapAvg = (e: string) => wrap(`failed to get ${metricName} external metric: ${e}`);
        if (err !== undefined) return fail('FailedGetExternalMetric', wrapAvg(fetchError(err)), name, avg / 1000, 'AverageValue');
        const sum = sumExternalPerPod(values ?? []);
        const r = getPerPodMetricReplicas({ statusReplicas: ctx.statusReplicas, usage: sum.usage, targetAverageUsage: avg, tolerances: ctx.tolerances, saturated: sum.saturated });
        if (!r.ok) return fail('FailedGetExternalMetric', wrapAvg(r.error), name, avg / 1000, 'AverageValue');
        return succeed(r, name, { type: 'External', external: { metric: src.metric, current: { averageValue: formatMilli(r.usage) } } }, avg, 'AverageValue');
      }
      if (value !== undefined) {
        const wrapVal = (e: string) => wrap(`failed to get external metric ${metricName}: ${e}`);
        if (err !== undefined) return fail('FailedGetExternalMetric', wrapVal(fetchError(err)), name, value / 1000, 'Value');
        const usage = sumSaturating(values ?? []);
        const r = getValueMetricReplicas({ currentReplicas: ctx.specReplicas, usage, targetUsage: value, tolerances: ctx.tolerances, pods: ctx.pods });
        if (!r.ok) return fail('FailedGetExternalMetric', wrapVal(r.error), name, value / 1000, 'Value');
        return succeed(r, name, { type: 'External', external: { metric: src.metric, current: { value: formatMilli(r.usage) } } }, value, 'Value');
      }
      return fail('FailedGetExternalMetric', wrap('invalid external metric source: neither a value target nor an average value target was set'), name);
    }
    default:
      return fail('InvalidMetricSourceType', `unknown metric source type "${String(spec.type)}"`, String(spec.type));
  }
}
