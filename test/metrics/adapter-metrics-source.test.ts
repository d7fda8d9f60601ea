import { describe, expect, it } from 'vitest';
import { applyHpaDefaults, createInitialState, reconcile, type HorizontalPodAutoscaler, type PodInfo } from '../../src/engine/index.js';
import { compileAdapterConfigText, SEED_ADAPTER_VALUES } from '../../src/metrics/adapter/adapter-config-file.js';
import { createAdapterApp } from '../../src/metrics/adapter/app.js';
import { createAdapterProvider } from '../../src/metrics/adapter/provider.js';
import { createAdapterMetricsSource, metricSelectorString } from '../../src/metrics/adapter-metrics-source.js';
import { createManualClock } from '../../src/core/clock.js';
import { createFakePrometheus } from './fake-prometheus.js';

const NOW_MS = Date.UTC(2024, 4, 1, 10, 0, 0);
const { compiled } = compileAdapterConfigText(SEED_ADAPTER_VALUES.replace('  rules:\n', '  rules:\n    default: false\n'), 'rules.yaml');

const HPA: HorizontalPodAutoscaler = applyHpaDefaults({
  metadata: { name: 'lightning-asr', namespace: 'default' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'lightning-asr' },
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [
      { type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } },
      { type: 'External', external: { metric: { name: 'lightning_asr_replica_count' }, target: { type: 'AverageValue', averageValue: '2' } } },
      { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Namespace', name: 'default' }, metric: { name: 'asr_active_requests' }, target: { type: 'Value', value: '10' } } },
    ],
  },
});
const POD = (name: string): PodInfo => ({ name, labels: { app: 'lightning-asr' }, phase: 'Running', startTimeMs: NOW_MS - 600_000, ready: { status: 'True', lastTransitionTimeMs: NOW_MS - 500_000 } });
const PODS = [POD('asr-0'), POD('asr-1')];

function setup() {
  const prom = createFakePrometheus(NOW_MS / 1000);
  const labels = (pod: string) => ({ __name__: 'asr_active_requests', namespace: 'default', pod, app: 'lightning-asr' });
  prom.seriesByMatch.set('asr_active_requests', [labels('asr-0'), labels('asr-1')]);
  prom.seriesByMatch.set('kube_deployment_status_replicas{deployment="lightning-asr"}', [{ __name__: 'kube_deployment_status_replicas', namespace: 'default', deployment: 'lightning-asr' }]);
  prom.vectors.set('asr_active_requests{namespace="default",pod=~"asr-0|asr-1"}', [[{ pod: 'asr-0' }, 12], [{ pod: 'asr-1' }, 8.5]]);
  prom.vectors.set('sum(kube_deployment_status_replicas{deployment="lightning-asr"})', [[{}, 2]]);
  prom.vectors.set('asr_active_requests{namespace="default"}', [[{ namespace: 'default' }, 20.5]]);
  const provider = createAdapterProvider({ compiled, prometheus: prom, clock: createManualClock(NOW_MS) });
  const app = createAdapterApp(provider);
  const source = createAdapterMetricsSource({ baseUrl: 'http://adapter', fetch: async (request) => app.fetch(request) });
  return { prom, provider, source };
}

const READ = { hpa: HPA, pods: PODS, namespace: 'default', selector: 'app=lightning-asr', nowMs: NOW_MS };

describe('createAdapterMetricsSource()', () => {
  it('reads Pods, External and Object metrics through the adapter API', async () => {
    const { provider, source } = setup();
    await provider.relist();
    expect(await source.read(READ)).toEqual([
      {
        podValues: [
          { podName: 'asr-0', valueMilli: 12_000, timestampMs: NOW_MS },
          { podName: 'asr-1', valueMilli: 8_500, timestampMs: NOW_MS },
        ],
      },
      { valuesMilli: [2_000] },
      { valueMilli: 20_500, timestampMs: NOW_MS },
    ]);
  });

  it('words API errors as the HPA client does, so the engine reports FailedGetPodsMetric and holds', async () => {
    const { prom, provider, source } = setup();
    await provider.relist();
    prom.down = true;
    const metrics = await source.read(READ);
    expect(metrics[0]).toEqual({ error: 'unable to fetch metrics from custom metrics API: Internal error occurred: unable to fetch metrics' });
    expect(metrics[1]).toEqual({ error: 'unable to fetch metrics from external metrics API: Internal error occurred: unable to fetch metrics' });
    const pods = { ...HPA, spec: { ...HPA.spec, metrics: HPA.spec.metrics?.slice(0, 1) ?? [] } };
    const { decision } = reconcile({
      hpa: pods,
      observation: { scale: { specReplicas: 2, statusReplicas: 2, selector: 'app=lightning-asr' }, pods: PODS, metrics: metrics.slice(0, 1) },
      state: createInitialState(),
      nowMs: NOW_MS,
    });
    expect(decision.scaleTo).toBeNull();
    expect(decision.status.conditions?.find((c) => c.type === 'ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetPodsMetric' });
    expect(decision.events[0]).toMatchObject({
      type: 'Warning',
      reason: 'FailedGetPodsMetric',
      message: 'failed to get pods metric value: unable to get metric asr_active_requests: unable to fetch metrics from custom metrics API: Internal error occurred: unable to fetch metrics',
    });
  });

  it('passes a 404 Status message through', async () => {
    const { source } = setup(); // no relist: the adapter knows no metric yet
    const [pods] = await source.read(READ);
    expect(pods).toEqual({ error: 'unable to fetch metrics from custom metrics API: the server could not find the metric asr_active_requests for pods' });
  });

  it('reports an unreachable adapter with the URL', async () => {
    const source = createAdapterMetricsSource({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 2_000 });
    const [pods] = await source.read(READ);
    expect((pods as { error: string }).error).toMatch(/^unable to fetch metrics from custom metrics API: Get "http:\/\/127\.0\.0\.1:1\/apis\/custom\.metrics\.k8s\.io\/v1beta2\/namespaces\/default\/pods\/\*\/asr_active_requests\?labelSelector=app%3Dlightning-asr": /);
  });
});

describe('metricSelectorString()', () => {
  it.each([
    { name: 'no selector', sel: undefined, want: '' },
    { name: 'match labels', sel: { matchLabels: { b: '2', a: '1' } }, want: 'a=1,b=2' },
    { name: 'expressions', sel: { matchExpressions: [{ key: 'tier', operator: 'In' as const, values: ['b', 'a'] }, { key: 'gpu', operator: 'DoesNotExist' as const }] }, want: '!gpu,tier in (a,b)' },
  ])('$name -> "$want"', ({ sel, want }) => expect(metricSelectorString(sel)).toBe(want));
});
