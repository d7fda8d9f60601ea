import { describe, expect, it } from 'vitest';
import { createManualClock } from '../core/index.js';
import { KubeError } from './kube-error.js';
import { DEPLOYMENT, HPA, NAMESPACE, POD } from './resources.js';
import { createObjectStore, type KubeObject, type WatchEvent } from './store.js';
import { defaultObject, validateObject } from './validate.js';

const hpa = (name: string, maxReplicas = 5): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name, namespace: 'smallest' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas, metrics: [{ type: 'Pods', pods: { metric: { name: 'm' }, target: { type: 'AverageValue', averageValue: '5' } } }] },
});
const pod = (name: string, app: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'smallest', labels: { app } }, spec: { containers: [{ name: 'c' }] } });

const codeOf = (f: () => unknown): number | undefined => {
  try {
    f();
    return undefined;
  } catch (error) {
    return error instanceof KubeError ? error.code : -1;
  }
};

describe('createObjectStore', () => {
  const fresh = () => createObjectStore({ clock: createManualClock(Date.parse('2026-01-01T00:00:00Z')), validate: validateObject });

  it('sets uid, resourceVersion, generation 1 and creationTimestamp on create, and refuses a second create (409)', () => {
    const store = fresh();
    const o = store.create(HPA, hpa('web'));
    expect(o.metadata).toMatchObject({ generation: 1, creationTimestamp: '2026-01-01T00:00:00Z', namespace: 'smallest' });
    expect(o.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(o.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(codeOf(() => store.create(HPA, hpa('web')))).toBe(409);
  });

  it.each([
    ['a spec change bumps the generation', (o: KubeObject) => ({ ...o, spec: { ...(o.spec as object), maxReplicas: 9 } }), undefined, 2],
    ['a label change keeps it', (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, labels: { a: 'b' } } }), undefined, 1],
    ['a status write keeps it', (o: KubeObject) => ({ ...o, status: { currentReplicas: 1, desiredReplicas: 1 } }), 'status' as const, 1],
  ])('%s', (_what, change, subresource, generation) => {
    const store = fresh();
    const o = store.create(HPA, hpa('web'));
    const next = store.update(HPA, change(o), subresource ? { subresource } : {});
    expect(next.metadata.generation).toBe(generation);
    expect(Number(next.metadata.resourceVersion)).toBeGreaterThan(Number(o.metadata.resourceVersion));
  });

  it('answers 409 on a stale resourceVersion, 404 on a missing object, 422 with field causes on an invalid HPA', () => {
    const store = fresh();
    const o = store.create(HPA, hpa('web'));
    store.update(HPA, { ...o, spec: { ...(o.spec as object), maxReplicas: 7 } });
    expect(codeOf(() => store.update(HPA, { ...o, spec: { ...(o.spec as object), maxReplicas: 8 } }))).toBe(409);
    expect(codeOf(() => store.get(HPA, 'smallest', 'nope'))).toBe(404);
    try {
      store.create(HPA, hpa('bad', 0));
      expect.unreachable();
    } catch (error) {
      expect((error as KubeError).code).toBe(422);
      expect((error as KubeError).status.details?.causes?.map((c) => c.field)).toEqual(['spec.maxReplicas']);
      expect((error as KubeError).message).toMatch(/^HorizontalPodAutoscaler\.autoscaling "bad" is invalid: spec\.maxReplicas: /);
    }
  });

  it('a status write keeps the spec and a spec write keeps the status', () => {
    const store = fresh();
    const o = store.create(HPA, hpa('web'));
    store.update(HPA, { ...o, spec: { maxReplicas: 1 }, status: { currentReplicas: 3, desiredReplicas: 3 } }, { subresource: 'status' });
    const s = store.get(HPA, 'smallest', 'web');
    expect((s.spec as { maxReplicas: number }).maxReplicas).toBe(5);
    const t = store.update(HPA, { ...s, status: undefined, spec: { ...(s.spec as object), maxReplicas: 6 } });
    expect(t.status).toEqual({ currentReplicas: 3, desiredReplicas: 3 });
  });

  it('lists with label and field selectors, per namespace or across all', () => {
    const store = fresh();
    store.create(POD, pod('a', 'x'));
    store.create(POD, pod('b', 'y'));
    store.create(POD, { ...pod('c', 'x'), metadata: { name: 'c', namespace: 'other', labels: { app: 'x' } } });
    expect(store.list(POD, { namespace: 'smallest', labelSelector: 'app=x' }).items.map((o) => o.metadata.name)).toEqual(['a']);
    expect(store.list(POD, { labelSelector: 'app in (x)' }).items.map((o) => o.metadata.name)).toEqual(['c', 'a']);
    expect(store.list(POD, { fieldSelector: 'metadata.name=b' }).items.map((o) => o.metadata.name)).toEqual(['b']);
    expect(store.list(POD, { fieldSelector: 'metadata.namespace!=smallest' }).items.map((o) => o.metadata.name)).toEqual(['c']);
  });

  it('watches from a resourceVersion (replaying what came after it), from now, and refuses a forgotten one (410)', () => {
    const store = createObjectStore({ clock: createManualClock(0), historySize: 3 });
    store.create(NAMESPACE, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'smallest' } });
    const first = store.create(POD, pod('a', 'x'));
    store.create(POD, pod('b', 'y'));
    const seen: WatchEvent[] = [];
    const stop = store.watch(POD, { resourceVersion: first.metadata.resourceVersion ?? '', labelSelector: 'app=y' }, (e) => seen.push(e));
    store.delete(POD, 'smallest', 'b');
    store.create(POD, pod('c', 'x'));
    stop();
    store.create(POD, pod('d', 'y'));
    expect(seen.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED b', 'DELETED b']);
    const all: string[] = [];
    store.watch(POD, {}, (e) => all.push(`${e.type} ${e.object.metadata.name}`))();
    expect(all).toEqual(['ADDED a', 'ADDED c', 'ADDED d']);
    for (let i = 0; i < 5; i++) store.create(POD, pod(`p${i}`, 'z'));
    expect(codeOf(() => store.watch(POD, { resourceVersion: first.metadata.resourceVersion ?? '' }, () => undefined))).toBe(410);
  });

  it('applies the API defaults of an HPA on write (minReplicas 1, complete behavior rules)', () => {
    const store = createObjectStore({ clock: createManualClock(0), validate: validateObject, defaults: defaultObject });
    const o = store.create(HPA, { ...hpa('web'), spec: { ...(hpa('web').spec as object), behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } });
    const spec = o.spec as { minReplicas: number; behavior: { scaleDown: { selectPolicy: string; policies: unknown[] }; scaleUp: { policies: unknown[] } } };
    expect(spec.minReplicas).toBe(1);
    expect(spec.behavior.scaleDown.selectPolicy).toBe('Max');
    expect(spec.behavior.scaleDown.policies.length).toBeGreaterThan(0);
    expect(spec.behavior.scaleUp.policies.length).toBe(2);
  });

  it('hands out copies: changing a returned object changes nothing stored', () => {
    const store = fresh();
    const o = store.create(DEPLOYMENT, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'smallest' }, spec: { replicas: 1 } });
    (o.spec as { replicas: number }).replicas = 9;
    expect((store.get(DEPLOYMENT, 'smallest', 'web').spec as { replicas: number }).replicas).toBe(1);
  });
});
