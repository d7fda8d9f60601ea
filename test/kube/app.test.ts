import { describe, expect, it } from 'vitest';
import { AGGREGATED_DISCOVERY_TYPE, DEPLOYMENT, HPA } from '../../src/kube/index.js';
import { seeded } from './kube-fixture.js';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const HPAS = '/apis/autoscaling/v2/namespaces/smallest/horizontalpodautoscalers';

describe('createKubeApp (in-process)', () => {
  it.each([
    ['/api', 'APIVersions'],
    ['/apis', 'APIGroupList'],
    ['/api/v1', 'APIResourceList'],
    ['/apis/autoscaling/v2', 'APIResourceList'],
    ['/apis/apps/v1', 'APIResourceList'],
    ['/apis/apiregistration.k8s.io/v1', 'APIResourceList'],
    ['/apis/autoscaling', 'APIGroup'],
  ])('GET %s is a %s', async (path, kind) => {
    const { app } = seeded();
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { kind: string }).kind).toBe(kind);
  });

  it('serves aggregated discovery when asked, with the scale subresource of deployments', async () => {
    const { app } = seeded();
    const res = await app.request('/apis', { headers: { accept: `${AGGREGATED_DISCOVERY_TYPE},application/json` } });
    expect(res.headers.get('content-type')).toBe(AGGREGATED_DISCOVERY_TYPE);
    const body = (await res.json()) as { kind: string; items: { metadata: { name: string }; versions: { resources: { resource: string; subresources: { subresource: string }[] }[] }[] }[] };
    expect(body.kind).toBe('APIGroupDiscoveryList');
    const apps = body.items.find((i) => i.metadata.name === 'apps');
    expect(apps?.versions[0]?.resources.find((r) => r.resource === 'deployments')?.subresources.map((s) => s.subresource)).toEqual(['status', 'scale']);
  });

  it('reports the configured Kubernetes version', async () => {
    const { app } = seeded();
    expect(await (await app.request('/version')).json()).toMatchObject({ major: '1', minor: '34', gitVersion: 'v1.34.0' });
  });

  it('answers a Table with the HPA printer columns when asked', async () => {
    const { app } = seeded();
    const body = (await (await app.request(HPAS, { headers: { accept: TABLE } })).json()) as { kind: string; columnDefinitions: { name: string }[]; rows: { cells: unknown[] }[] };
    expect(body.kind).toBe('Table');
    expect(body.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age']);
    expect(body.rows[0]?.cells).toEqual(['lightning-asr', 'Deployment/lightning-asr', '<unknown>/5', '2', 20, 0, '65s']);
  });

  it('lists pods by label selector', async () => {
    const { app } = seeded();
    const all = (await (await app.request('/api/v1/namespaces/smallest/pods?labelSelector=app%3Dlightning-asr')).json()) as { kind: string; items: unknown[] };
    const none = (await (await app.request('/api/v1/namespaces/smallest/pods?labelSelector=app%3Dother')).json()) as { items: unknown[] };
    expect([all.kind, all.items.length, none.items.length]).toEqual(['PodList', 2, 0]);
  });

  it('patches an HPA (merge, strategic, JSON patch), bumping the generation each time the spec changes', async () => {
    const { app, store } = seeded();
    const patch = (type: string, body: unknown) => app.request(`${HPAS}/lightning-asr`, { method: 'PATCH', headers: { 'content-type': type }, body: JSON.stringify(body) });
    expect((await patch('application/merge-patch+json', { spec: { maxReplicas: 30 } })).status).toBe(200);
    expect((await patch('application/strategic-merge-patch+json', { spec: { minReplicas: 3 } })).status).toBe(200);
    expect((await patch('application/json-patch+json', [{ op: 'replace', path: '/spec/maxReplicas', value: 25 }])).status).toBe(200);
    const o = store.get(HPA, 'smallest', 'lightning-asr');
    expect([o.metadata.generation, (o.spec as { minReplicas: number }).minReplicas, (o.spec as { maxReplicas: number }).maxReplicas]).toEqual([4, 3, 25]);
  });

  it('answers 422 with field causes for an invalid HPA, 404 for a missing one, 409 for a stale resourceVersion', async () => {
    const { app, store } = seeded();
    const bad = await app.request(`${HPAS}/lightning-asr`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { maxReplicas: 0 } }) });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422, details: { causes: [{ field: 'spec.maxReplicas' }] } });
    const missing = await app.request(`${HPAS}/nope`);
    expect([missing.status, ((await missing.json()) as { message: string }).message]).toEqual([404, 'horizontalpodautoscalers.autoscaling "nope" not found']);
    const o = store.get(HPA, 'smallest', 'lightning-asr');
    const stale = { ...o, metadata: { ...o.metadata, resourceVersion: '1' } };
    const conflict = await app.request(`${HPAS}/lightning-asr`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(stale) });
    expect([conflict.status, ((await conflict.json()) as { reason: string }).reason]).toEqual([409, 'Conflict']);
  });

  it('serves the scale subresource of a Deployment as autoscaling/v1 Scale, and writes spec.replicas through it', async () => {
    const { app, store } = seeded();
    const path = '/apis/apps/v1/namespaces/smallest/deployments/lightning-asr/scale';
    expect(await (await app.request(path)).json()).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { replicas: 2, selector: 'app=lightning-asr' } });
    const res = await app.request(path, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { replicas: 5 } }) });
    expect(res.status).toBe(200);
    expect((store.get(DEPLOYMENT, 'smallest', 'lightning-asr').spec as { replicas: number }).replicas).toBe(5);
  });

  it('streams watch events as JSON lines, from the list resourceVersion', async () => {
    const { app, store } = seeded();
    const rv = store.resourceVersion();
    const res = await app.request(`${HPAS}?watch=1&resourceVersion=${rv}`);
    const reader = res.body?.getReader();
    const o = store.get(HPA, 'smallest', 'lightning-asr');
    store.update(HPA, { ...o, spec: { ...(o.spec as object), maxReplicas: 9 } });
    const chunk = await reader?.read();
    await reader?.cancel();
    const event = JSON.parse(new TextDecoder().decode(chunk?.value).split('\n')[0] ?? '') as { type: string; object: { spec: { maxReplicas: number } } };
    expect([event.type, event.object.spec.maxReplicas]).toEqual(['MODIFIED', 9]);
  });

  it('a watch whose client went away never fails a later write; a scale to -1 is a 422', async () => {
    const { app, store } = seeded();
    const res = await app.request(`${HPAS}?watch=1`);
    await res.body?.cancel();
    const o = store.get(HPA, 'smallest', 'lightning-asr');
    expect(() => store.update(HPA, { ...o, spec: { ...(o.spec as object), maxReplicas: 11 } })).not.toThrow();
    const bad = await app.request('/apis/apps/v1/namespaces/smallest/deployments/lightning-asr/scale', { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: '{"spec":{"replicas":-1}}' });
    expect([bad.status, ((await bad.json()) as { details: { causes: { field: string }[] } }).details.causes[0]?.field]).toEqual([422, 'spec.replicas']);
  });

  it('refuses a wrong bearer token, and a missing one when told to', async () => {
    const { app } = seeded({ token: 's3cret' });
    expect((await app.request('/api/v1/namespaces', { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await app.request('/api/v1/namespaces', { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200);
    expect((await app.request('/api/v1/namespaces')).status).toBe(200); // kubectl sends nothing over plain HTTP
    const strict = seeded({ token: 's3cret', requireToken: true }).app;
    expect((await strict.request('/api/v1/namespaces')).status).toBe(401);
  });

  it('hands the metrics APIs to the delegate, and answers 404 without one', async () => {
    const path = '/apis/custom.metrics.k8s.io/v1beta1/namespaces/smallest/pods/*/asr_active_requests';
    const { app } = seeded({ metrics: (r) => new Response(JSON.stringify({ kind: 'MetricValueList', path: new URL(r.url).pathname }), { headers: { 'content-type': 'application/json' } }) });
    expect(await (await app.request(path)).json()).toEqual({ kind: 'MetricValueList', path });
    expect((await seeded().app.request(path)).status).toBe(404);
  });
});
