import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/core/index.js';
import type { MetricsSource, PodInfo } from '../../src/engine/index.js';
import { createMetricsSourceApp } from '../../src/kube/index.js';

const clock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
const pods: PodInfo[] = ['a', 'b'].map((n) => ({ name: `web-${n}`, labels: { app: 'web' }, phase: 'Running' }));
/** Pods metric `m`: 1500m per pod; External `q`: [12]; anything else an error. */
const source: MetricsSource = {
  async read({ hpa, pods: listed }) {
    return (hpa.spec.metrics ?? []).map((m) => {
      if (m.type === 'Pods' && m.pods?.metric.name === 'm') return { podValues: listed.map((p) => ({ podName: p.name, valueMilli: 1500, timestampMs: clock.now() })) };
      if (m.type === 'External' && m.external?.metric.name === 'q') return { valuesMilli: [12_000] };
      if (m.type === 'Resource') return { podMetrics: listed.map((p) => ({ podName: p.name, timestampMs: clock.now(), windowSeconds: 15, containers: [{ name: 'worker', usageMilli: { cpu: 250, memory: 1_048_576_000 } }] })) };
      return { error: 'unable to fetch metrics' };
    });
  },
};
const app = createMetricsSourceApp({ source, clock, pods: async () => pods, podMetricNames: () => ['m'] });
const get = async (path: string) => {
  const res = await app(new Request(`http://x${path}`));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('createMetricsSourceApp', () => {
  it('answers custom.metrics.k8s.io v1beta1 and v1beta2 MetricValueLists, by pod or *', async () => {
    const v1 = await get('/apis/custom.metrics.k8s.io/v1beta1/namespaces/ns/pods/*/m?labelSelector=app%3Dweb');
    expect(v1.body).toMatchObject({ kind: 'MetricValueList', items: [{ describedObject: { kind: 'Pod', name: 'web-a' }, metricName: 'm', value: '1500m' }, { describedObject: { name: 'web-b' } }] });
    const v2 = await get('/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/web-b/m');
    expect(v2.body).toMatchObject({ apiVersion: 'custom.metrics.k8s.io/v1beta2', items: [{ describedObject: { name: 'web-b' }, metric: { name: 'm' }, value: '1500m' }] });
    expect((v2.body.items as unknown[]).length).toBe(1);
  });

  it('answers external values, discovery, and 404 for an unknown metric', async () => {
    expect((await get('/apis/external.metrics.k8s.io/v1beta1/namespaces/ns/q')).body).toMatchObject({ kind: 'ExternalMetricValueList', items: [{ metricName: 'q', value: '12' }] });
    expect((await get('/apis/custom.metrics.k8s.io/v1beta1')).body).toMatchObject({ kind: 'APIResourceList', resources: [{ name: 'pods/m' }] });
    const missing = await get('/apis/custom.metrics.k8s.io/v1beta1/namespaces/ns/pods/*/nope');
    expect([missing.status, missing.body.kind, missing.body.message]).toEqual([404, 'Status', 'the server could not find the metric nope for pods: unable to fetch metrics']);
  });

  it.each(['v1beta1', 'v1'])('answers metrics.k8s.io/%s PodMetrics (v1 is GA in Kubernetes 1.37, KEP-5207)', async (version) => {
    const list = await get(`/apis/metrics.k8s.io/${version}/namespaces/ns/pods`);
    expect(list.body).toMatchObject({ kind: 'PodMetricsList', apiVersion: `metrics.k8s.io/${version}`, items: [{ metadata: { name: 'web-a' }, window: '15s', containers: [{ name: 'worker', usage: { cpu: '250m' } }] }, { metadata: { name: 'web-b' } }] });
    const one = await get(`/apis/metrics.k8s.io/${version}/namespaces/ns/pods/web-b`);
    expect(one.body).toMatchObject({ kind: 'PodMetrics', apiVersion: `metrics.k8s.io/${version}`, metadata: { name: 'web-b', namespace: 'ns' } });
    expect((await get(`/apis/metrics.k8s.io/${version}`)).body).toMatchObject({ kind: 'APIResourceList', groupVersion: `metrics.k8s.io/${version}` });
  });
});
