/**
 * Discovery documents of the metrics APIs: the `APIResourceList` of a group version (one entry per
 * served metric: `<resource>[.<group>]/<metric>` for custom metrics, the metric name for external
 * ones) and the `APIGroup` document. `resources` is `[]`, never null, when nothing is served.
 *
 * @see https://github.com/kubernetes-sigs/custom-metrics-apiserver/blob/master/pkg/apiserver/installer/installer.go
 */
import { CUSTOM_METRICS_GROUP, EXTERNAL_METRICS_GROUP, type CustomMetricsVersion } from './metrics-route.js';
import { formatGroupResource, type CustomMetricInfo, type ExternalMetricInfo } from './types.js';

interface ApiResource {
  readonly name: string;
  readonly singularName: '';
  readonly namespaced: boolean;
  readonly kind: string;
  readonly verbs: readonly ['get'];
}

/**
 * The custom metrics `APIResourceList`.
 *
 * @example customDiscoveryDocument([{ group: '', resource: 'pods', namespaced: true, metric: 'asr_active_requests' }], 'v1beta1').resources[0].name // -> 'pods/asr_active_requests'
 */
export function customDiscoveryDocument(metrics: readonly CustomMetricInfo[], version: CustomMetricsVersion): { readonly kind: 'APIResourceList'; readonly apiVersion: 'v1'; readonly groupVersion: string; readonly resources: readonly ApiResource[] } {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${CUSTOM_METRICS_GROUP}/${version}`,
    resources: metrics.map((m) => ({ name: `${formatGroupResource(m)}/${m.metric}`, singularName: '', namespaced: m.namespaced, kind: 'MetricValueList', verbs: ['get'] as const })),
  };
}

/** The external metrics `APIResourceList` (every metric namespaced, as upstream lists them). */
export function externalDiscoveryDocument(metrics: readonly ExternalMetricInfo[]): { readonly kind: 'APIResourceList'; readonly apiVersion: 'v1'; readonly groupVersion: string; readonly resources: readonly ApiResource[] } {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${EXTERNAL_METRICS_GROUP}/v1beta1`,
    resources: metrics.map((m) => ({ name: m.metric, singularName: '', namespaced: true, kind: 'ExternalMetricValueList', verbs: ['get'] as const })),
  };
}

/** The `APIGroup` document of a group (versions in priority order; the first is preferred). */
export function apiGroupDocument(group: string, versions: readonly string[]): unknown {
  const list = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: list, preferredVersion: list[0] };
}
