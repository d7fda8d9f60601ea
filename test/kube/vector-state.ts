/**
 * Turns an upstream reconcile vector (test/conformance/k8s-hpa/reconcile.json) into a cluster
 * state a test API server serves: the HPA with its status, the target's scale, the pods, the
 * metrics of the three metrics APIs, faults as error answers, other HPAs as objects. Times are
 * relative seconds in the vectors; here they become RFC 3339 around a fixed `nowMs`.
 */
import { resourceOfKind } from '../../src/kube/client/index.js';
import type { FakeWorld } from './fake-kube-api.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Why a vector cannot be a cluster state, or undefined when it can. */
export function inexpressible(c: Json): string | undefined {
  const st = c.input.state ?? {};
  if (st.recommendations?.length || st.scaleUpEvents?.length || st.scaleDownEvents?.length) {
    return "the controller's in-memory recommendations/scale events are not API objects";
  }
  if (c.input.faults?.updateScale) return 'a failing /scale write: explain never writes /scale';
  return undefined;
}

/** `recommendations: []` (an entry, empty) is explain's `--window steady`; null is `restarted`. */
export function windowOf(c: Json): 'steady' | 'restarted' {
  return Array.isArray(c.input.state?.recommendations) ? 'steady' : 'restarted';
}

/** The cluster state of a vector, evaluated at `nowMs`. */
export function vectorWorld(input: Json, nowMs: number): FakeWorld {
  const iso = (rel: unknown) => (typeof rel === 'number' ? new Date(nowMs + rel * 1000).toISOString() : undefined);
  const hpa = input.hpa;
  const ns = hpa.metadata.namespace;
  const ref = hpa.spec.scaleTargetRef;
  const status = hpa.status ?? {};
  const objects: Json[] = [
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: hpa.metadata,
      spec: hpa.spec,
      status: {
        ...status,
        ...(status.lastScaleTime !== undefined ? { lastScaleTime: iso(status.lastScaleTime) } : {}),
        ...(status.conditions ? { conditions: status.conditions.map((x: Json) => ({ ...x, lastTransitionTime: iso(x.lastTransitionTime) })) } : {}),
      },
    },
  ];
  for (const p of input.pods ?? []) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { ...p.metadata, ...(p.metadata.deletionTimestamp !== undefined ? { deletionTimestamp: iso(p.metadata.deletionTimestamp) } : {}) },
      spec: p.spec ?? {},
      status: {
        ...p.status,
        ...(p.status?.startTime !== undefined ? { startTime: iso(p.status.startTime) } : {}),
        ...(p.status?.conditions ? { conditions: p.status.conditions.map((x: Json) => ({ ...x, ...(x.lastTransitionTime !== undefined ? { lastTransitionTime: iso(x.lastTransitionTime) } : {}) })) } : {}),
      },
    });
  }
  const scales: NonNullable<FakeWorld['scales']> = {};
  const sc = input.scale;
  scales[`${resourceOfKind(ref.kind)}/${ns}/${ref.name}`] = { spec: { replicas: sc.spec?.replicas ?? 0 }, status: { replicas: sc.status?.replicas ?? 0, ...(sc.status?.selector ? { selector: sc.status.selector } : {}) } };
  for (const o of input.otherHpas ?? []) {
    objects.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: o.name, namespace: o.namespace }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `target-of-${o.name}` }, maxReplicas: 10 } });
    scales[`deployments/${o.namespace}/target-of-${o.name}`] = { spec: { replicas: 1 }, status: { replicas: 1, selector: o.selector } };
  }
  const m = input.metrics ?? {};
  const specs: Json[] = hpa.spec.metrics ?? [];
  // The upstream fakes serve the same levels under every metric name the HPA asks for.
  const podValues: NonNullable<FakeWorld['podValues']> = [];
  for (const s of specs.filter((x) => x.type === 'Pods')) {
    for (const v of m.pods ?? []) podValues.push({ namespace: ns, pod: v.describedObject.name, metric: s.pods.metric.name, value: v.value, ...(iso(v.timestamp) ? { timestamp: iso(v.timestamp) as string } : {}), ...(v.windowSeconds !== undefined ? { windowSeconds: v.windowSeconds } : {}) });
  }
  const objectValues: NonNullable<FakeWorld['objectValues']> = [];
  const first = (m.object ?? [])[0];
  if (first) {
    for (const s of specs.filter((x) => x.type === 'Object')) {
      objectValues.push({ namespace: ns, resource: resourceOfKind(s.object.describedObject.kind), name: s.object.describedObject.name, metric: s.object.metric.name, value: first.value, timestamp: iso(first.timestamp) as string });
    }
  }
  const externalValues: NonNullable<FakeWorld['externalValues']> = [];
  for (const s of specs.filter((x) => x.type === 'External')) {
    for (const v of m.external ?? []) externalValues.push({ namespace: ns, metric: s.external.metric.name, value: v.value, ...(iso(v.timestamp) ? { timestamp: iso(v.timestamp) as string } : {}) });
  }
  const faults: NonNullable<FakeWorld['faults']> = [];
  const f = input.faults ?? {};
  if (f.getScale) faults.push({ prefix: `${ref.apiVersion?.includes('/') ? `/apis/${ref.apiVersion}` : '/api/v1'}/namespaces/${ns}/${resourceOfKind(ref.kind)}/${ref.name}/scale`, status: 500, message: 'something went wrong' });
  if (f.resourceMetrics) faults.push({ prefix: '/apis/metrics.k8s.io', status: 500, message: 'something went wrong' });
  if (f.customMetrics) faults.push({ prefix: '/apis/custom.metrics.k8s.io', status: 500, message: 'something went wrong' });
  if (f.externalMetrics) faults.push({ prefix: '/apis/external.metrics.k8s.io', status: 500, message: 'something went wrong' });
  return {
    objects,
    scales,
    podMetrics: (m.resource ?? []).map((x: Json) => ({ ...x, timestamp: iso(x.timestamp), window: `${x.window ?? 60}s` })),
    podValues,
    objectValues,
    externalValues,
    externalIgnoresSelector: true,
    faults,
  };
}
