import { describe, expect, it } from 'vitest';
import { formatLabelSelector } from '../../core/index.js';
import { cleanPath, routeMetricsRequest } from './metrics-route.js';

const CM = '/apis/custom.metrics.k8s.io/v1beta2';

describe('routeMetricsRequest()', () => {
  it('routes the HPA pods-metric request with both selectors', () => {
    const r = routeMetricsRequest('GET', `${CM}/namespaces/default/pods/*/asr_active_requests?labelSelector=app%3Dlightning-asr&metricLabelSelector=model%3Dwhisper`);
    expect(r.ok).toBe(true);
    if (!r.ok || r.route.kind !== 'customMetricBySelector') throw new Error('wrong route');
    expect(r.route.info).toEqual({ group: '', resource: 'pods', namespaced: true, metric: 'asr_active_requests' });
    expect(formatLabelSelector(r.route.selector)).toBe('app=lightning-asr');
    expect(formatLabelSelector(r.route.metricSelector)).toBe('model=whisper');
  });

  it.each([
    { path: `${CM}`, kind: 'customDiscovery' },
    { path: '/apis/custom.metrics.k8s.io/v1beta1/', kind: 'customDiscovery' },
    { path: '/apis/custom.metrics.k8s.io', kind: 'customGroup' },
    { path: `${CM}/namespaces/ns/deployments.apps/lightning-asr/m`, kind: 'customMetricByName' },
    { path: `${CM}/nodes/n1/m`, kind: 'customMetricByName' },
    { path: `${CM}/namespaces/ns/metrics/m`, kind: 'customMetricByName' },
    { path: '/apis/external.metrics.k8s.io/v1beta1/namespaces/default/lightning_asr_replica_count', kind: 'externalMetric' },
    { path: '/apis/external.metrics.k8s.io/v1beta1', kind: 'externalDiscovery' },
    { path: '/apis/metrics.k8s.io/v1beta1/namespaces/ns/pods', kind: 'podMetrics' },
    { path: '/apis/metrics.k8s.io/v1beta1/nodes/n1', kind: 'nodeMetrics' },
  ])('routes $path to $kind', ({ path, kind }) => {
    const r = routeMetricsRequest('GET', path);
    expect(r.ok && r.route.kind).toBe(kind);
  });

  it('reads an object reference by group', () => {
    const r = routeMetricsRequest('GET', `${CM}/namespaces/ns/ingresses.networking.k8s.io/web/hits`);
    expect(r.ok && r.route.kind === 'customMetricByName' && r.route.info).toEqual({ group: 'networking.k8s.io', resource: 'ingresses', namespaced: true, metric: 'hits' });
  });

  it.each([
    { name: 'an unknown version', path: '/apis/custom.metrics.k8s.io/v1/nodes/*/m' },
    { name: 'an object path without metric', path: `${CM}/namespaces/ns/pods/bar` },
    { name: 'an external metric at root', path: '/apis/external.metrics.k8s.io/v1beta1/m' },
    { name: 'an external metric name with an encoded slash', path: '/apis/external.metrics.k8s.io/v1beta1/namespaces/ns/a%2Fb' },
    { name: 'another API group', path: '/apis/apps/v1/deployments' },
  ])('answers 404 NotFound for $name', ({ path }) => {
    const r = routeMetricsRequest('GET', path);
    expect(r).toEqual({
      ok: false,
      status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 },
    });
  });

  it('answers 405 for a write to a metric path', () => {
    const r = routeMetricsRequest('POST', `${CM}/nodes/*/m`);
    expect(!r.ok && r.status.code).toBe(405);
  });

  it('answers 400 BadRequest for a malformed labelSelector and 500 for a malformed metricLabelSelector', () => {
    const bad = routeMetricsRequest('GET', `${CM}/namespaces/ns/pods/*/m?labelSelector=a%20b`);
    expect(!bad.ok && [bad.status.code, bad.status.reason]).toEqual([400, 'BadRequest']);
    const badMetric = routeMetricsRequest('GET', `${CM}/namespaces/ns/pods/*/m?metricLabelSelector=%2Ca`);
    expect(!badMetric.ok && [badMetric.status.code, badMetric.status.reason, badMetric.status.message]).toEqual([
      500,
      undefined,
      "found ',', expected: !, identifier, or 'end of string'",
    ]);
  });
});

describe('cleanPath()', () => {
  it.each([
    ['//apis/', '/apis/'],
    ['/a/./b/../c', '/a/c'],
    ['/', '/'],
  ])('%s -> %s', (input, want) => {
    expect(cleanPath(input)).toBe(want);
  });
});
