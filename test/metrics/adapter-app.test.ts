import { beforeEach, describe, expect, it } from 'vitest';
import { compileAdapterConfigText, SEED_ADAPTER_VALUES } from '../../src/metrics/adapter/adapter-config-file.js';
import { createAdapterApp, type AdapterApp } from '../../src/metrics/adapter/app.js';
import { createAdapterProvider, type AdapterProvider } from '../../src/metrics/adapter/provider.js';
import { createManualClock } from '../../src/core/clock.js';
import { systemClock } from '../../src/platform/index.js';
import { createFakePrometheus, type FakePrometheus } from './fake-prometheus.js';

const NOW_MS = Date.UTC(2024, 4, 1, 10, 0, 0);
const RULES = SEED_ADAPTER_VALUES.replace('  rules:\n', '  rules:\n    default: false\n');
const { compiled } = compileAdapterConfigText(RULES, 'rules.yaml');

const ACTIVE = (pod: string, extra: Record<string, string> = {}) => ({ __name__: 'asr_active_requests', namespace: 'default', pod, job: 'lightning-asr', app: 'lightning-asr', ...extra });

let prom: FakePrometheus;
let provider: AdapterProvider;
let app: AdapterApp;
const get = async (path: string) => {
  const res = await app.request(new Request(`http://adapter${path}`));
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
};

beforeEach(() => {
  prom = createFakePrometheus(NOW_MS / 1000);
  prom.seriesByMatch.set('asr_active_requests', [ACTIVE('asr-0'), ACTIVE('asr-1'), ACTIVE('other-0', { app: 'other' }), ACTIVE('asr-9', { namespace: 'prod' })]);
  prom.seriesByMatch.set('asr_gpu_utilization', []);
  prom.seriesByMatch.set('kube_deployment_status_replicas{deployment="lightning-asr"}', [{ __name__: 'kube_deployment_status_replicas', namespace: 'default', deployment: 'lightning-asr' }]);
  prom.vectors.set('asr_active_requests{namespace="default",pod=~"asr-0|asr-1"}', [[{ __name__: 'asr_active_requests', namespace: 'default', pod: 'asr-0' }, 3], [{ __name__: 'asr_active_requests', namespace: 'default', pod: 'asr-1' }, 2.5]]);
  prom.vectors.set('sum(kube_deployment_status_replicas{deployment="lightning-asr"})', [[{}, 2]]);
  provider = createAdapterProvider({ compiled, prometheus: prom, clock: createManualClock(NOW_MS) });
  app = createAdapterApp(provider);
});

describe('createAdapterApp()', () => {
  it('is not ready and serves nothing before the first relist', async () => {
    const res = await app.request(new Request('http://adapter/readyz'));
    expect(res.status).toBe(503);
    expect(await get('/apis/custom.metrics.k8s.io/v1beta1')).toMatchObject({ status: 200, body: { resources: [] } });
  });

  it('lists the discovered metrics in both custom versions and the external API', async () => {
    expect(await provider.relist()).toMatchObject({ ok: true, seriesCounts: { asr_active_requests: 4 } });
    expect((await app.request(new Request('http://adapter/readyz'))).status).toBe(200);
    for (const version of ['v1beta1', 'v1beta2']) {
      const { body } = await get(`/apis/custom.metrics.k8s.io/${version}`);
      expect(body).toMatchObject({ kind: 'APIResourceList', groupVersion: `custom.metrics.k8s.io/${version}` });
      expect((body['resources'] as { name: string }[]).map((r) => r.name).sort()).toEqual(['namespaces/asr_active_requests', 'pods/asr_active_requests']);
    }
    expect((await get('/apis/external.metrics.k8s.io/v1beta1')).body).toMatchObject({ resources: [{ name: 'lightning_asr_replica_count', namespaced: true }] });
    expect((await get('/apis/custom.metrics.k8s.io')).body).toMatchObject({ kind: 'APIGroup', preferredVersion: { version: 'v1beta2' } });
  });

  it('answers pods/* with the pods the label selector picks from the series labels', async () => {
    await provider.relist();
    const { status, type, body } = await get('/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/asr_active_requests?labelSelector=app%3Dlightning-asr');
    expect(status).toBe(200);
    expect(type).toBe('application/json');
    expect(body).toEqual({
      kind: 'MetricValueList',
      apiVersion: 'custom.metrics.k8s.io/v1beta2',
      metadata: {},
      items: [
        { describedObject: { kind: 'Pod', namespace: 'default', name: 'asr-0', apiVersion: '/v1' }, metric: { name: 'asr_active_requests', selector: null }, timestamp: '2024-05-01T10:00:00Z', value: '3' },
        { describedObject: { kind: 'Pod', namespace: 'default', name: 'asr-1', apiVersion: '/v1' }, metric: { name: 'asr_active_requests', selector: null }, timestamp: '2024-05-01T10:00:00Z', value: '2500m' },
      ],
    });
    expect(prom.queries).toEqual(['asr_active_requests{namespace="default",pod=~"asr-0|asr-1"}']);
  });

  it.each([
    {
      name: 'an unknown metric is 404 with a Status',
      path: '/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/*/nope',
      status: 404,
      message: 'the server could not find the metric nope for pods',
    },
    {
      name: 'a selector that picks no pod is 404',
      path: '/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/*/asr_active_requests?labelSelector=app%3Dnone',
      status: 404,
      message: 'the server could not find the metric asr_active_requests for pods',
    },
    {
      name: 'a named pod without a sample is 404 naming it',
      path: '/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/asr-5/asr_active_requests',
      status: 404,
      message: 'the server could not find the metric asr_active_requests for pods asr-5',
    },
    {
      name: 'an unknown external metric is 404',
      path: '/apis/external.metrics.k8s.io/v1beta1/namespaces/default/queue_depth',
      status: 404,
      message: 'the server could not find the metric queue_depth for namespaces',
    },
    {
      name: 'a malformed label selector is 400',
      path: '/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/*/asr_active_requests?labelSelector=a%3D%3D%3Db',
      status: 400,
    },
    { name: 'resource metrics are not served', path: '/apis/metrics.k8s.io/v1beta1/pods', status: 404, message: 'the server could not find the requested resource' },
  ])('$name', async ({ path, status, message }) => {
    await provider.relist();
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: status, ...(message ? { message } : {}) });
  });

  it('escapes an object name before it enters PromQL', async () => {
    await provider.relist();
    const res = await get(`/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/${encodeURIComponent('a"}or vector(1)#')}/asr_active_requests`);
    expect(res.status).toBe(404);
    expect(prom.queries).toEqual(['asr_active_requests{namespace="default",pod="a\\"}or vector(1)#"}']);
  });

  it('serves a named pod as a one-item list in v1beta1 shape', async () => {
    await provider.relist();
    prom.vectors.set('asr_active_requests{namespace="default",pod="asr-0"}', [[{ pod: 'asr-0' }, 7]]);
    const { body } = await get('/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/asr-0/asr_active_requests');
    expect(body).toMatchObject({ apiVersion: 'custom.metrics.k8s.io/v1beta1', items: [{ metricName: 'asr_active_requests', value: '7', describedObject: { name: 'asr-0' } }] });
  });

  it('serves the external replica count as an ExternalMetricValueList', async () => {
    await provider.relist();
    expect(await get('/apis/external.metrics.k8s.io/v1beta1/namespaces/default/lightning_asr_replica_count')).toEqual({
      status: 200,
      type: 'application/json',
      body: {
        kind: 'ExternalMetricValueList',
        apiVersion: 'external.metrics.k8s.io/v1beta1',
        metadata: {},
        items: [{ metricName: 'lightning_asr_replica_count', metricLabels: {}, timestamp: '2024-05-01T10:00:00Z', value: '2' }],
      },
    });
  });

  it('answers 500 "unable to fetch metrics" when Prometheus is down, and keeps the last registry', async () => {
    await provider.relist();
    prom.down = true;
    expect(await provider.relist()).toMatchObject({ ok: false, error: expect.stringContaining('ECONNREFUSED') as unknown });
    const res = await get('/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/asr_active_requests');
    expect(res).toMatchObject({ status: 500, body: { kind: 'Status', reason: 'InternalError', message: 'Internal error occurred: unable to fetch metrics', code: 500 } });
    prom.down = false;
    expect((await get('/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/asr_active_requests?labelSelector=app%3Dlightning-asr')).status).toBe(200);
  });

  it('marks a rejected series query as a configuration error', async () => {
    const bad = compileAdapterConfigText('rules:\n- seriesQuery: sum(up)\n  metricsQuery: up\n', 'bad.yaml').compiled;
    const p = createAdapterProvider({ clock: systemClock, compiled: bad, prometheus: prom });
    expect(await p.relist()).toMatchObject({ ok: false, badQuery: true, query: 'sum(up)' });
  });

  it('pretty-prints with ?pretty=true and serves /apis', async () => {
    const res = await app.request(new Request('http://adapter/apis?pretty=true'));
    const body = await res.text();
    expect(body).toContain('\n  "kind": "APIGroupList"');
    expect(JSON.parse(body)).toMatchObject({ groups: [{ name: 'custom.metrics.k8s.io' }, { name: 'external.metrics.k8s.io' }] });
  });
});

describe('startAdapterServer()', () => {
  it('refuses a series query Prometheus rejects, naming the rule', async () => {
    const { startAdapterServer } = await import('../../src/metrics/adapter/server.js');
    const { InputError } = await import('../../src/core/errors.js');
    const bad = compileAdapterConfigText('rules:\n- seriesQuery: up\n  metricsQuery: up\n- seriesQuery: sum(up)\n  metricsQuery: up\n', 'bad.yaml').compiled;
    const error = await startAdapterServer({ compiled: bad, prometheus: createFakePrometheus(), file: 'bad.yaml' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `Cannot load 'bad.yaml' at 'rules[1].seriesQuery': Prometheus rejects the series query "sum(up)": unable to update list of all metrics: Prometheus at http://fake rejected /api/v1/series: bad_data: 1:1: parse error: unexpected "(" in sum(up)`,
    );
  });

  it('serves the app on 127.0.0.1 and relists on its interval', async () => {
    const { startAdapterServer } = await import('../../src/metrics/adapter/server.js');
    const fake = createFakePrometheus(NOW_MS / 1000);
    const server = await startAdapterServer({ compiled, prometheus: fake, relistIntervalMs: 50, clock: createManualClock(NOW_MS) });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await (await fetch(`${server.url}/apis/custom.metrics.k8s.io/v1beta1`)).json()) as unknown).toMatchObject({ resources: [] });
      fake.seriesByMatch.set('asr_active_requests', [ACTIVE('asr-0')]);
      let names: string[] = [];
      for (let i = 0; i < 100 && names.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const doc = (await (await fetch(`${server.url}/apis/custom.metrics.k8s.io/v1beta1`)).json()) as { resources: { name: string }[] };
        names = doc.resources.map((r) => r.name);
      }
      expect(names).toContain('pods/asr_active_requests');
    } finally {
      await server.close();
    }
  });
});
