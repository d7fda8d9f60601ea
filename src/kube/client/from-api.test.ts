import { describe, expect, it } from 'vitest';
import { durationSeconds, resourceOfKind, selectorString } from './from-api.js';
import { errorFromResponse } from './kube-error.js';

describe('API shapes to the engine', () => {
  it.each([
    { kind: 'Deployment', want: 'deployments' },
    { kind: 'ReplicationController', want: 'replicationcontrollers' },
    { kind: 'Ingress', want: 'ingresses' },
    { kind: 'Policy', want: 'policies' },
    { kind: 'Gateway', want: 'gateways' },
    { kind: 'RayCluster', want: 'rayclusters' },
  ])('resourceOfKind($kind) = $want', ({ kind, want }) => expect(resourceOfKind(kind)).toBe(want));

  it.each([
    { d: '60s', want: 60 },
    { d: '1m30s', want: 90 },
    { d: '500ms', want: 0.5 },
    { d: 15, want: 15 },
    { d: undefined, want: 60 },
  ])('durationSeconds($d) = $want', ({ d, want }) => expect(durationSeconds(d, 60)).toBe(want));

  it('formats label selectors as the API query expects', () => {
    expect(selectorString({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }, { key: 'x', operator: 'DoesNotExist' }] })).toBe('a=1,b=2,tier in (api,web),!x');
  });
});

describe('errorFromResponse', () => {
  const base = { context: 'prod', user: 'me', what: "pods metric 'q' of pods 'app=a' in namespace ns" };
  it.each([
    { path: '/apis/custom.metrics.k8s.io/v1beta1/namespaces/ns/pods/*/q', status: 404, body: '{"message":"the server could not find the requested resource"}', code: 'apiMissing', text: "is not served; check 'kubectl get apiservice v1beta1.custom.metrics.k8s.io'" },
    { path: '/apis/custom.metrics.k8s.io/v1beta1/namespaces/ns/pods/*/q', status: 404, body: '{"message":"the server could not find the metric q for pods"}', code: 'notFound', text: 'has no such metric (404)' },
    { path: '/apis/external.metrics.k8s.io/v1beta1/namespaces/ns/q', status: 503, body: 'service unavailable', code: 'unavailable', text: 'is registered but unavailable (503)' },
    { path: '/api/v1/namespaces/ns/pods', status: 403, body: '{}', code: 'forbidden', text: "needs 'get'/'list' on pods in namespace ns" },
    { path: '/api/v1/namespaces/ns/pods', status: 401, body: '', code: 'unauthorized', text: "rejected the credentials of user 'me'" },
    { path: '/api/v1/namespaces/ns/pods', status: 500, body: 'boom', code: 'server', text: 'the server answered 500 (server said: boom)' },
  ])('$status on $path → $code', ({ path, status, body, code, text }) => {
    const e = errorFromResponse({ ...base, path, status, body });
    expect(e.code).toBe(code);
    expect(e.message).toContain(text);
    expect(e.message.startsWith("context 'prod': cannot read pods metric 'q'")).toBe(true);
    expect(e.message).not.toContain('\n');
  });
});
