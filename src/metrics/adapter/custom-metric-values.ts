/**
 * Custom metrics (`custom.metrics.k8s.io`) from a Prometheus vector: each sample is matched to an
 * object by the rule's resource label only (the last sample per object wins), values become
 * `int64(v × 1000)` milli DecimalSI quantities (NaN -> 0), and items describe the object with the
 * kind and `group/version` of the resource mapper (`"/v1"` for core kinds).
 *
 * - Wildcard requests (`pods/*`): objects in Kubernetes list order, objects without a value omitted,
 *   possibly `items: []`.
 * - By-name requests: 404 `... for <resource> <name>` when no sample names the object.
 *
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/pkg/custom-provider/provider.go
 */
import { formatKubeTime } from './kube-time.js';
import type { LabelSelector } from '../../core/index.js';
import { toMetaLabelSelector } from '../../core/index.js';
import { metricNotFoundStatus, plainErrorStatus, type KubeStatus } from './kube-status.js';
import { formatQuantity, newMilliQuantity, type Quantity } from '../../core/index.js';
import type { ResourceMapper } from './resource-mapper.js';
import { CUSTOM_METRIC_CONVERSION, sampleToMilli } from './sample-value.js';
import type { SeriesRegistry } from './series-registry.js';
import type { CustomMetricInfo, PromSample } from './types.js';

/** `describedObject` of an item. */
export interface ObjectReference {
  readonly kind: string;
  /** "" for root-scoped objects and namespace metrics. */
  readonly namespace: string;
  readonly name: string;
  readonly apiVersion: string;
}

export interface CustomMetricValue {
  readonly describedObject: ObjectReference;
  readonly metricName: string;
  /** The adapter's clock when the item was built (not the sample time), as upstream does. */
  readonly timestampMs: number;
  readonly value: Quantity;
  readonly metricSelector: LabelSelector;
}

/** Common inputs of the two request shapes. */
export interface CustomValuesInput {
  readonly info: CustomMetricInfo;
  readonly samples: readonly PromSample[];
  readonly registry: SeriesRegistry;
  readonly mapper: ResourceMapper;
  readonly nowMs: number;
  readonly metricSelector: LabelSelector;
}

export type CustomItemsResult = { readonly ok: true; readonly items: readonly CustomMetricValue[] } | { readonly ok: false; readonly status: KubeStatus };

function item(input: CustomValuesInput, namespace: string, name: string, value: number): CustomMetricValue | KubeStatus {
  const kind = input.mapper.kindFor(input.info);
  if (!kind) return plainErrorStatus(`no matches for kind of ${input.info.resource}`);
  return {
    describedObject: { kind: kind.kind, namespace, name, apiVersion: `${kind.group}/${kind.version}` },
    metricName: input.info.metric,
    timestampMs: input.nowMs,
    value: newMilliQuantity(sampleToMilli(value, CUSTOM_METRIC_CONVERSION), 'DecimalSI'),
    metricSelector: input.metricSelector,
  };
}

/**
 * Items for a wildcard request over the listed objects (`metricsFor`).
 *
 * @example customMetricsForNames({ ...input, namespace: 'default', names: ['asr-0', 'asr-1'] }) // -> { ok: true, items: [asr-0 "3", asr-1 "2500m"] }
 */
export function customMetricsForNames(input: CustomValuesInput & { readonly namespace: string; readonly names: readonly string[] }): CustomItemsResult {
  const values = input.registry.matchValuesToNames(input.info, input.samples);
  if (!values) return { ok: false, status: metricNotFoundStatus(input.info, input.info.metric) };
  const items: CustomMetricValue[] = [];
  for (const name of input.names) {
    const value = values.get(name);
    if (value === undefined) continue;
    const built = item(input, input.namespace, name, value);
    if ('code' in built) return { ok: false, status: built };
    items.push(built);
  }
  return { ok: true, items };
}

/**
 * The item for a by-name request (`GetMetricByName`), or the 404 upstream answers.
 *
 * @example customMetricForName({ ...input, namespace: 'default', name: 'asr-9' }) // -> { ok: false, status: 404 "... for pods asr-9" }
 */
export function customMetricForName(
  input: CustomValuesInput & { readonly namespace: string; readonly name: string },
): { readonly ok: true; readonly item: CustomMetricValue } | { readonly ok: false; readonly status: KubeStatus } {
  if (input.samples.length === 0) return { ok: false, status: metricNotFoundStatus(input.info, input.info.metric, input.name) };
  const values = input.registry.matchValuesToNames(input.info, input.samples);
  if (!values) return { ok: false, status: metricNotFoundStatus(input.info, input.info.metric) };
  const value = values.get(input.name);
  if (value === undefined) return { ok: false, status: metricNotFoundStatus(input.info, input.info.metric, input.name) };
  const built = item(input, input.namespace, input.name, value);
  return 'code' in built ? { ok: false, status: built } : { ok: true, item: built };
}

/**
 * The `MetricValueList` body in either API version, or the plain 500 upstream returns when the
 * metric selector cannot be echoed (`!=`).
 *
 * @example renderMetricValueList(items, 'v1beta2').items[0].metric // -> { name: 'asr_active_requests', selector: null }
 */
export function renderMetricValueList(items: readonly CustomMetricValue[], version: 'v1beta1' | 'v1beta2'): { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly status: KubeStatus } {
  const rendered: unknown[] = [];
  for (const it of items) {
    const sel = toMetaLabelSelector(it.metricSelector);
    if (!sel.ok) return { ok: false, status: plainErrorStatus(sel.message) };
    const ref = it.describedObject;
    const describedObject = { kind: ref.kind, ...(ref.namespace ? { namespace: ref.namespace } : {}), name: ref.name, apiVersion: ref.apiVersion };
    const timestamp = formatKubeTime(it.timestampMs);
    const value = formatQuantity(it.value);
    rendered.push(
      version === 'v1beta1'
        ? { describedObject, metricName: it.metricName, timestamp, value, selector: sel.selector }
        : { describedObject, metric: { name: it.metricName, selector: sel.selector }, timestamp, value },
    );
  }
  return { ok: true, body: { kind: 'MetricValueList', apiVersion: `custom.metrics.k8s.io/${version}`, metadata: {}, items: rendered } };
}
