/**
 * The seed's configuration end to end through the library (spec.md §9 worked examples):
 * rules -> relist -> registry -> route -> PromQL -> Prometheus result -> response body.
 */
import { describe, expect, it } from 'vitest';
import { compileAdapterConfig } from './compile-adapter-config.js';
import { customMetricForName, customMetricsForNames, renderMetricValueList } from './custom-metric-values.js';
import { customDiscoveryDocument, externalDiscoveryDocument } from './discovery.js';
import { buildExternalSeriesRegistry } from './external-series-registry.js';
import { externalMetricValues, renderExternalMetricValueList } from './external-metric-values.js';
import { externalMetricNotFoundStatus } from './kube-status.js';
import { parseLabelSelector } from '../../core/index.js';
import { toPromQueryResult } from './prom-query-result.js';
import { routeMetricsRequest } from './metrics-route.js';
import { parseAdapterConfig } from './parse-adapter-config.js';
import { assignRelistSeries, distinctSeriesQueries } from './relist.js';
import { buildSeriesRegistry } from './series-registry.js';
import type { PromSample, Series } from './types.js';

const VALUES = `rules:
  default: false
  custom:
    - seriesQuery: "asr_active_requests"
      resources: {overrides: {namespace: {resource: "namespace"}, pod: {resource: "pod"}}}
      name: {matches: "^(.*)$", as: "\${1}"}
      metricsQuery: "asr_active_requests{<<.LabelMatchers>>}"
    - seriesQuery: "asr_gpu_utilization"
      resources: {overrides: {namespace: {resource: "namespace"}, pod: {resource: "pod"}}}
      name: {as: "gpu_utilization"}
      metricsQuery: "avg_over_time(asr_gpu_utilization{<<.LabelMatchers>>}[2m])"
  external:
    - seriesQuery: 'kube_deployment_status_replicas{deployment="lightning-asr"}'
      metricsQuery: 'sum(kube_deployment_status_replicas{deployment="lightning-asr"})'
      name: {as: "lightning_asr_replica_count"}
      resources: {overrides: {namespace: {resource: "namespace"}}}
`;

const SERIES: ReadonlyMap<string, Series[]> = new Map([
  [
    'asr_active_requests',
    [
      { name: 'asr_active_requests', labels: { namespace: 'default', pod: 'asr-0', job: 'asr', instance: '10.0.0.5:9100' } },
      { name: 'asr_active_requests', labels: { namespace: 'default', pod: 'asr-1', job: 'asr', instance: '10.0.0.6:9100' } },
    ],
  ],
  ['asr_gpu_utilization', [{ name: 'asr_gpu_utilization', labels: { namespace: 'default', pod: 'asr-0', gpu: '0' } }]],
  ['kube_deployment_status_replicas{deployment="lightning-asr"}', [{ name: 'kube_deployment_status_replicas', labels: { namespace: 'default', deployment: 'lightning-asr' } }]],
]);

const compiled = compileAdapterConfig(parseAdapterConfig(VALUES, { file: 'values.yaml' }), { file: 'values.yaml' });
const custom = assignRelistSeries(compiled.rules, SERIES);
const external = assignRelistSeries(compiled.externalRules, SERIES);
if (!custom.ok || !external.ok) throw new Error('relist failed');
const registry = buildSeriesRegistry(custom.seriesPerRule, compiled.rules, compiled.mapper);
const externalRegistry = buildExternalSeriesRegistry(external.seriesPerRule, compiled.externalRules);
const NOW_MS = Date.UTC(2024, 4, 1, 10, 0, 0);
const sample = (labels: Record<string, string>, value: number): PromSample => ({ labels, value, timestampMs: NOW_MS });

describe('seed configuration through the adapter library', () => {
  it('asks Prometheus once per distinct series query', () => {
    expect(distinctSeriesQueries([...compiled.rules, ...compiled.externalRules])).toEqual([...SERIES.keys()]);
  });

  it('discovers pods and namespace metrics, ignoring labels without overrides', () => {
    const doc = customDiscoveryDocument(registry.listAllMetrics(), 'v1beta1');
    expect(doc.resources.map((r) => [r.name, r.namespaced])).toEqual(
      expect.arrayContaining([
        ['pods/asr_active_requests', true],
        ['namespaces/asr_active_requests', false],
        ['pods/gpu_utilization', true],
        ['namespaces/gpu_utilization', false],
      ]),
    );
    expect(doc.resources).toHaveLength(4);
    expect(externalDiscoveryDocument(externalRegistry.listAllMetrics()).resources).toEqual([
      { name: 'lightning_asr_replica_count', singularName: '', namespaced: true, kind: 'ExternalMetricValueList', verbs: ['get'] },
    ]);
  });

  it('serves the HPA pods request (example 1)', () => {
    const r = routeMetricsRequest('GET', '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/asr_active_requests?labelSelector=app%3Dlightning-asr');
    if (!r.ok || r.route.kind !== 'customMetricBySelector') throw new Error('not routed');
    const listed = ['asr-0', 'asr-1']; // what the Kubernetes list for the labelSelector returned
    const q = registry.queryForMetric(r.route.info, { namespace: r.route.namespace, names: listed, metricSelector: r.route.metricSelector });
    expect(q).toMatchObject({ found: true, query: 'asr_active_requests{namespace="default",pod=~"asr-0|asr-1"}' });
    const samples = [sample({ __name__: 'asr_active_requests', namespace: 'default', pod: 'asr-0' }, 3), sample({ namespace: 'default', pod: 'asr-1' }, 2.5)];
    const items = customMetricsForNames({ info: r.route.info, samples, registry, mapper: compiled.mapper, nowMs: NOW_MS, metricSelector: r.route.metricSelector, namespace: 'default', names: listed });
    if (!items.ok) throw new Error('no items');
    expect(renderMetricValueList(items.items, 'v1beta2')).toEqual({
      ok: true,
      body: {
        kind: 'MetricValueList',
        apiVersion: 'custom.metrics.k8s.io/v1beta2',
        metadata: {},
        items: [
          {
            describedObject: { kind: 'Pod', namespace: 'default', name: 'asr-0', apiVersion: '/v1' },
            metric: { name: 'asr_active_requests', selector: null },
            timestamp: '2024-05-01T10:00:00Z',
            value: '3',
          },
          {
            describedObject: { kind: 'Pod', namespace: 'default', name: 'asr-1', apiVersion: '/v1' },
            metric: { name: 'asr_active_requests', selector: null },
            timestamp: '2024-05-01T10:00:00Z',
            value: '2500m',
          },
        ],
      },
    });
  });

  it('renders v1beta1 items with metricName and an echoed metric selector', () => {
    const info = { group: '', resource: 'pods', namespaced: true, metric: 'asr_active_requests' };
    const metricSelector = parseLabelSelector('model=whisper,tier in (a,b)');
    const items = customMetricsForNames({ info, samples: [sample({ pod: 'asr-0' }, NaN)], registry, mapper: compiled.mapper, nowMs: NOW_MS, metricSelector, namespace: 'default', names: ['asr-0'] });
    expect(items.ok && renderMetricValueList(items.items, 'v1beta1')).toMatchObject({
      ok: true,
      body: { items: [{ metricName: 'asr_active_requests', value: '0', selector: { matchLabels: { model: 'whisper' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] } }] },
    });
    const notEqual = customMetricsForNames({ info, samples: [sample({ pod: 'asr-0' }, 1)], registry, mapper: compiled.mapper, nowMs: NOW_MS, metricSelector: parseLabelSelector('gpu!=l4'), namespace: 'default', names: ['asr-0'] });
    expect(notEqual.ok && renderMetricValueList(notEqual.items, 'v1beta1')).toMatchObject({ ok: false, status: { code: 500, message: '"!=" is not a valid label selector operator' } });
  });

  it('keeps the last sample per pod and answers 404 for a pod without one (example 2)', () => {
    const info = { group: '', resource: 'pods', namespaced: true, metric: 'gpu_utilization' };
    const q = registry.queryForMetric(info, { namespace: 'default', names: ['asr-0'], metricSelector: [] });
    expect(q).toMatchObject({ found: true, query: 'avg_over_time(asr_gpu_utilization{namespace="default",pod="asr-0"}[2m])' });
    const two = [sample({ pod: 'asr-0', gpu: '0' }, 10), sample({ pod: 'asr-0', gpu: '1' }, 30)];
    const input = { info, registry, mapper: compiled.mapper, nowMs: NOW_MS, metricSelector: [], namespace: 'default' };
    expect(customMetricForName({ ...input, name: 'asr-0', samples: two })).toMatchObject({ ok: true, item: { value: { mantissa: 30000n } } });
    expect(customMetricForName({ ...input, name: 'asr-9', samples: two })).toMatchObject({
      ok: false,
      status: { code: 404, reason: 'NotFound', message: 'the server could not find the metric gpu_utilization for pods asr-9' },
    });
  });

  it('builds the namespace-object query (example 3)', () => {
    const r = routeMetricsRequest('GET', '/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/metrics/asr_active_requests');
    if (!r.ok || r.route.kind !== 'customMetricByName') throw new Error('not routed');
    expect(r.route).toMatchObject({ namespace: '', name: 'default', info: { resource: 'namespaces', namespaced: false } });
    expect(registry.queryForMetric(r.route.info, { namespace: r.route.namespace, names: [r.route.name], metricSelector: [] })).toMatchObject({
      found: true,
      query: 'asr_active_requests{namespace="default"}',
    });
  });

  it('serves the external replica count (example 4)', () => {
    const q = externalRegistry.queryForMetric({ metric: 'lightning_asr_replica_count', namespace: 'default', metricSelector: [] });
    expect(q).toMatchObject({ found: true, result: { ok: true, query: 'sum(kube_deployment_status_replicas{deployment="lightning-asr"})' } });
    const values = externalMetricValues('lightning_asr_replica_count', { type: 'vector', samples: [sample({}, 3)] });
    expect(values.ok && renderExternalMetricValueList(values.items)).toEqual({
      kind: 'ExternalMetricValueList',
      apiVersion: 'external.metrics.k8s.io/v1beta1',
      metadata: {},
      items: [{ metricName: 'lightning_asr_replica_count', metricLabels: {}, timestamp: '2024-05-01T10:00:00Z', value: '3' }],
    });
    expect(externalRegistry.queryForMetric({ metric: 'nope', namespace: 'default', metricSelector: [] })).toEqual({ found: false });
  });

  it('does not serve a metric at the wrong scope, nor with zero names', () => {
    expect(registry.queryForMetric({ group: '', resource: 'pods', namespaced: false, metric: 'asr_active_requests' }, { namespace: '', names: ['p'], metricSelector: [] })).toMatchObject({ found: false, reason: 'notRegistered' });
    expect(registry.queryForMetric({ group: '', resource: 'pods', namespaced: true, metric: 'asr_active_requests' }, { namespace: 'default', names: [], metricSelector: [] })).toMatchObject({ found: false, reason: 'noNames' });
  });
});

describe('toPromQueryResult() and external 404s', () => {
  it('converts the Prometheus API data, NaN and +Inf included', () => {
    expect(toPromQueryResult({ resultType: 'vector', result: [{ metric: { pod: 'a' }, value: [1714557600.25, '+Inf'] }] })).toEqual({
      type: 'vector',
      samples: [{ labels: { pod: 'a' }, value: Infinity, timestampMs: 1714557600250 }],
    });
    expect(toPromQueryResult({ resultType: 'matrix', result: [] })).toEqual({ type: 'matrix' });
  });

  it('names the resource only for the default namespace, as upstream does', () => {
    expect(externalMetricNotFoundStatus('default', 'm').message).toBe('the server could not find the metric m for namespaces');
    expect(externalMetricNotFoundStatus('prod', 'm').message).toBe('the server could not find the metric m for ');
  });
});
