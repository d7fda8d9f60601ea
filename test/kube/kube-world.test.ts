import { describe, expect, it } from 'vitest';
import { createSimulatedTarget } from '../../src/cluster/index.js';
import { createManualClock } from '../../src/core/index.js';
import { createKubeApp, createKubeWorld, createObjectStore, DEPLOYMENT, EVENT, HPA, POD, validateObject, defaultObject } from '../../src/kube/index.js';
import { SEED_HPA } from './kube-fixture.js';

function world() {
  const clock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
  const store = createObjectStore({ clock, validate: validateObject, defaults: defaultObject });
  const target = createSimulatedTarget({ name: 'lightning-asr', clock, initialReplicas: 2 });
  const deleted: string[] = [];
  const w = createKubeWorld({ store, clock, namespace: 'smallest', hpas: [SEED_HPA], targets: [{ name: 'lightning-asr', target, labels: { app: 'lightning-asr' }, deletePod: (n) => (deleted.push(n), true) }] });
  const app = createKubeApp({ store, clock });
  return { clock, store, target, w, app, deleted };
}

describe('createKubeWorld', () => {
  it('shows the targets as a Deployment and Pods, and the HPA', async () => {
    const { store, w } = world();
    await w.refresh();
    expect((store.get(DEPLOYMENT, 'smallest', 'lightning-asr').spec as { replicas: number }).replicas).toBe(2);
    expect(store.list(POD, { namespace: 'smallest', labelSelector: 'app=lightning-asr' }).items).toHaveLength(2);
    expect(store.get(HPA, 'smallest', 'lightning-asr').metadata.generation).toBe(1);
  });

  it('kubectl scale (a PATCH of deployments/scale) scales the target', async () => {
    const { app, target, w } = world();
    await w.refresh();
    const res = await app.request('/apis/apps/v1/namespaces/smallest/deployments/lightning-asr/scale', { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: '{"spec":{"replicas":4}}' });
    expect(res.status).toBe(200);
    expect((await target.getScale()).specReplicas).toBe(4);
  });

  it('a pod deleted through the API goes to the target to replace', async () => {
    const { app, store, w, deleted } = world();
    await w.refresh();
    const name = store.list(POD, { namespace: 'smallest' }).items[0]?.metadata.name ?? '';
    expect((await app.request(`/api/v1/namespaces/smallest/pods/${name}`, { method: 'DELETE' })).status).toBe(200);
    expect(deleted).toEqual([name]);
  });

  it('hands the controller the stored HPA (same object until its generation changes), and records status with observedGeneration and events', async () => {
    const { store, w, clock } = world();
    const first = w.current('lightning-asr');
    expect(w.current('lightning-asr')).toBe(first);
    const o = store.get(HPA, 'smallest', 'lightning-asr');
    store.update(HPA, { ...o, spec: { ...(o.spec as object), maxReplicas: 7 } });
    const second = w.current('lightning-asr');
    expect(second?.spec.maxReplicas).toBe(7);
    const nowMs = clock.now();
    w.recordSync({ name: 'lightning-asr', view: { status: { currentReplicas: 2, desiredReplicas: 3, lastScaleTime: nowMs }, events: [{ type: 'Normal', reason: 'SuccessfulRescale', message: 'New size: 3; reason: pods metric asr_active_requests above target', firstMs: nowMs, lastMs: nowMs, count: 1 }] } });
    expect(store.get(HPA, 'smallest', 'lightning-asr').status).toEqual({ observedGeneration: 2, lastScaleTime: '2026-01-01T00:00:00Z', currentReplicas: 2, desiredReplicas: 3 });
    const events = store.list(EVENT, { namespace: 'smallest', fieldSelector: 'involvedObject.name=lightning-asr,involvedObject.kind=HorizontalPodAutoscaler' }).items;
    expect(events.map((e) => [e.reason, e.count])).toEqual([['SuccessfulRescale', 1]]);
  });
});

describe('createKubeWorld target events', () => {
  it("writes the target's pod and ReplicaSet events as v1 Events, once each", async () => {
    const clock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const store = createObjectStore({ clock, validate: validateObject, defaults: defaultObject });
    const target = createSimulatedTarget({ name: 'lightning-asr', clock, initialReplicas: 1 });
    const w = createKubeWorld({ store, clock, namespace: 'smallest', hpas: [SEED_HPA], targets: [{ name: 'lightning-asr', target, labels: { app: 'lightning-asr' }, events: () => target.events() }] });
    await target.setReplicas(2);
    await w.refresh();
    await w.refresh();
    const reasons = store.list(EVENT, { namespace: 'smallest' }).items.map((e) => `${(e.involvedObject as { kind: string }).kind} ${String(e.reason)}`);
    expect(reasons.length).toBe(target.events().length);
    expect(reasons).toContain('ReplicaSet SuccessfulCreate');
  });
});
