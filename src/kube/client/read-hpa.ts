/**
 * Reads one HPA's world from a cluster the way the controller does: the HPA, its target's
 * `scale` subresource (replicas and selector), the pods the selector picks, and one reading per
 * metric from the three metrics APIs, at the controller's paths.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/metrics/client.go
 */
import type { HorizontalPodAutoscaler, MetricReading, MetricSpec, Observation, PodInfo, ScaleSubresource } from '../../engine/index.js';
import type { KubeClient } from './connect-cluster.js';
import { groupVersionPath, hpaFromApi, podFromApi, podMetricsFromApi, podValueFromApi, resourceOfKind, selectorString, type Json } from './from-api.js';
import { KubeError } from './kube-error.js';
import { applyHpaDefaults, parseQuantityMilli } from '../../engine/index.js';

const enc = encodeURIComponent;

/** Everything one explain/shadow pass reads. */
export interface HpaSnapshot {
  readonly namespace: string;
  readonly hpa: HorizontalPodAutoscaler;
  /** The scale subresource, or why it could not be read. */
  readonly scale: ScaleSubresource | { readonly error: string };
  readonly pods: readonly PodInfo[];
  readonly observation: Observation;
  /** API errors met while reading metrics (the readings hold them too). */
  readonly errors: readonly KubeError[];
}

/** The path of the scale subresource of an HPA's target. */
export function scalePath(namespace: string, hpa: HorizontalPodAutoscaler): string {
  const ref = hpa.spec.scaleTargetRef;
  return `${groupVersionPath(ref.apiVersion)}/namespaces/${enc(namespace)}/${resourceOfKind(ref.kind)}/${enc(ref.name)}/scale`;
}

/** Reads the scale subresource: spec.replicas, status.replicas, status.selector. */
export async function readScale(client: KubeClient, namespace: string, hpa: HorizontalPodAutoscaler): Promise<ScaleSubresource> {
  const ref = hpa.spec.scaleTargetRef;
  const s = await client.get<Json>(scalePath(namespace, hpa), { what: `the scale of ${ref.kind.toLowerCase()} ${namespace}/${ref.name} (target of HPA ${hpa.metadata.name})` });
  return { specReplicas: Number(s.spec?.replicas ?? 0), statusReplicas: Number(s.status?.replicas ?? 0), selector: String(s.status?.selector ?? '') };
}

/** The one-line error for a target whose scale has no selector. */
export function noSelectorError(context: string, namespace: string, hpa: HorizontalPodAutoscaler): KubeError {
  const ref = hpa.spec.scaleTargetRef;
  return new KubeError('noSelector', `context '${context}': HPA ${namespace}/${hpa.metadata.name}: the scale of ${ref.kind.toLowerCase()} ${ref.name} has no status.selector, so no pods can be selected: the target's controller must set it (a CRD needs subresources.scale.labelSelectorPath)`);
}

async function customMetric(client: KubeClient, tail: string, what: string): Promise<Json> {
  try {
    return await client.get<Json>(`/apis/custom.metrics.k8s.io/v1beta2/${tail}`, { what });
  } catch (error) {
    if (error instanceof KubeError && error.code === 'apiMissing') return client.get<Json>(`/apis/custom.metrics.k8s.io/v1beta1/${tail}`, { what });
    throw error;
  }
}

/** One reading of one metric spec, at the controller's path. API failures become `{ error }` readings. */
export async function readMetric(client: KubeClient, input: { namespace: string; selector: string; metric: MetricSpec; nowMs: number; errors: KubeError[] }): Promise<MetricReading> {
  const { namespace: ns, selector, metric: m, nowMs } = input;
  const q = selector ? `?labelSelector=${enc(selector)}` : '';
  try {
    switch (m.type) {
      case 'Resource':
      case 'ContainerResource': {
        const list = await client.get<Json>(`/apis/metrics.k8s.io/v1beta1/namespaces/${enc(ns)}/pods${q}`, { what: `resource metrics of pods '${selector}' in namespace ${ns}` });
        const items = ((list.items ?? []) as Json[]).map((x) => podMetricsFromApi(x, nowMs));
        if (items.length === 0) return { error: 'no metrics returned from resource metrics API' };
        return { podMetrics: items };
      }
      case 'Pods': {
        const name = m.pods?.metric.name ?? '';
        const ms = selectorString(m.pods?.metric.selector);
        const list = await customMetric(client, `namespaces/${enc(ns)}/pods/*/${enc(name)}${q}${ms ? `${q ? '&' : '?'}metricLabelSelector=${enc(ms)}` : ''}`, `pods metric '${name}' of pods '${selector}' in namespace ${ns}`);
        const items = (list.items ?? []) as Json[];
        if (items.length === 0) return { error: `no metrics returned from custom metrics API` };
        return { podValues: items.map((x) => podValueFromApi(x, nowMs)) };
      }
      case 'Object': {
        const o = m.object;
        const name = o?.metric.name ?? '';
        const d = o?.describedObject;
        const ms = selectorString(o?.metric.selector);
        const path = d?.kind === 'Namespace' ? `namespaces/${enc(d.name)}/metrics/${enc(name)}` : `namespaces/${enc(ns)}/${resourceOfKind(d?.kind ?? '')}/${enc(d?.name ?? '')}/${enc(name)}`;
        const list = await customMetric(client, `${path}${ms ? `?metricLabelSelector=${enc(ms)}` : ''}`, `object metric '${name}' of ${(d?.kind ?? '').toLowerCase()} ${ns}/${d?.name ?? ''}`);
        const first = ((list.items ?? []) as Json[])[0] ?? (list.value !== undefined ? list : undefined);
        if (!first) return { error: `no metrics returned from custom metrics API` };
        return { valueMilli: parseQuantityMilli(first.value), timestampMs: Date.parse(first.timestamp) || nowMs };
      }
      case 'External': {
        const name = m.external?.metric.name ?? '';
        const ms = selectorString(m.external?.metric.selector);
        const list = await client.get<Json>(`/apis/external.metrics.k8s.io/v1beta1/namespaces/${enc(ns)}/${enc(name)}${ms ? `?labelSelector=${enc(ms)}` : ''}`, { what: `external metric '${name}' in namespace ${ns}` });
        const items = (list.items ?? []) as Json[];
        if (items.length === 0) return { error: `no metrics returned from external metrics API` };
        return { valuesMilli: items.map((x) => parseQuantityMilli(x.value)) };
      }
      default:
        return { error: `unknown metric source type "${String(m.type)}"` };
    }
  } catch (error) {
    if (!(error instanceof KubeError)) throw error;
    input.errors.push(error);
    return { error: error.message };
  }
}

/** Lists the pods of a namespace picked by a selector. */
export async function listPods(client: KubeClient, namespace: string, selector: string): Promise<PodInfo[]> {
  const list = await client.get<Json>(`/api/v1/namespaces/${enc(namespace)}/pods${selector ? `?labelSelector=${enc(selector)}` : ''}`, { what: `pods '${selector}' in namespace ${namespace}` });
  return ((list.items ?? []) as Json[]).map(podFromApi);
}

/** Reads the HPA object. */
export async function readHpa(client: KubeClient, namespace: string, name: string): Promise<HorizontalPodAutoscaler> {
  const o = await client.get<Json>(`/apis/autoscaling/v2/namespaces/${enc(namespace)}/horizontalpodautoscalers/${enc(name)}`, { what: `horizontalpodautoscaler ${namespace}/${name}` });
  // A real API server stores the HPA defaulted; defaulting again is a no-op there and completes
  // objects from servers that do not default (as the controller receives them).
  return applyHpaDefaults(hpaFromApi(o));
}

/**
 * Reads what one controller sync reads for an HPA. Errors reading the HPA itself throw; the
 * scale and the metrics fail into the observation, as they do in the controller.
 */
export async function readHpaSnapshot(client: KubeClient, input: { namespace: string; name?: string; hpa?: HorizontalPodAutoscaler; nowMs: number; otherHpas?: readonly { name: string; selector: string }[] }): Promise<HpaSnapshot> {
  const { namespace, nowMs } = input;
  const hpa = input.hpa ?? (await readHpa(client, namespace, input.name ?? ''));
  const errors: KubeError[] = [];
  let scale: ScaleSubresource | { error: string };
  try {
    scale = await readScale(client, namespace, hpa);
  } catch (error) {
    if (!(error instanceof KubeError) || error.code === 'unreachable' || error.code === 'unauthorized') throw error;
    errors.push(error);
    scale = { error: error.message };
  }
  let pods: PodInfo[] = [];
  let metrics: MetricReading[] = [];
  if (!('error' in scale)) {
    if (scale.selector === '') errors.push(noSelectorError(client.context, namespace, hpa));
    else {
      const selector = scale.selector;
      [pods, metrics] = await Promise.all([
        listPods(client, namespace, selector),
        Promise.all((hpa.spec.metrics ?? []).map((metric) => readMetric(client, { namespace, selector, metric, nowMs, errors }))),
      ]);
    }
  }
  return { namespace, hpa, scale, pods, observation: { scale, pods, metrics, ...(input.otherHpas ? { otherHpas: input.otherHpas } : {}) }, errors };
}
