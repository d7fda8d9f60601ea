/**
 * External metrics (`external.metrics.k8s.io`) from a Prometheus result: one item per vector sample
 * in result order with all its labels (a scalar gives one item with `metricLabels: null`), values as
 * `int64(v × 1000)` milli DecimalSI without a NaN guard, timestamps from the samples. Other result
 * types are a plain 500.
 *
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/pkg/external-provider/metric_converter.go
 */
import { formatKubeTime } from './kube-time.js';
import { plainErrorStatus, type KubeStatus } from './kube-status.js';
import { formatQuantity, newMilliQuantity, type Quantity } from '../../core/index.js';
import { EXTERNAL_METRIC_CONVERSION, sampleToMilli } from './sample-value.js';
import type { PromQueryResult } from './types.js';

export interface ExternalMetricValue {
  readonly metricName: string;
  /** `null` for a scalar result. */
  readonly metricLabels: Readonly<Record<string, string>> | null;
  readonly timestampMs: number;
  readonly value: Quantity;
}

/**
 * Converts a query result.
 *
 * @example externalMetricValues('lightning_asr_replica_count', { type: 'scalar', value: 3, timestampMs: 0 }) // -> { ok: true, items: [{ ..., value: 3 }] }
 */
export function externalMetricValues(metric: string, result: PromQueryResult): { readonly ok: true; readonly items: readonly ExternalMetricValue[] } | { readonly ok: false; readonly status: KubeStatus } {
  const quantity = (v: number): Quantity => newMilliQuantity(sampleToMilli(v, EXTERNAL_METRIC_CONVERSION), 'DecimalSI');
  if (result.type === 'scalar') {
    return { ok: true, items: [{ metricName: metric, metricLabels: null, timestampMs: result.timestampMs, value: quantity(result.value) }] };
  }
  if (result.type === 'vector') {
    return {
      ok: true,
      items: result.samples.map((s) => ({ metricName: metric, metricLabels: { ...s.labels }, timestampMs: s.timestampMs, value: quantity(s.value) })),
    };
  }
  return { ok: false, status: plainErrorStatus('encountered an unexpected query result type') };
}

/** The `ExternalMetricValueList` body. */
export function renderExternalMetricValueList(items: readonly ExternalMetricValue[]): unknown {
  return {
    kind: 'ExternalMetricValueList',
    apiVersion: 'external.metrics.k8s.io/v1beta1',
    metadata: {},
    items: items.map((it) => ({ metricName: it.metricName, metricLabels: it.metricLabels, timestamp: formatKubeTime(it.timestampMs), value: formatQuantity(it.value) })),
  };
}
