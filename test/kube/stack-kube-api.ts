/**
 * Serves a test world from the local stack's Kubernetes API server (src/kube: object store,
 * discovery, scale subresource, Events), with the metrics APIs delegated to the fake's metrics
 * routes. The client tests run against it where it serves the kinds they need.
 */
import { createKubeApp, createObjectStore, startKubeServer, validateObject, type KubeObject } from '../../src/kube/index.js';
import { resourceOfKind } from '../../src/kube/resources.js';
import { writeKubeconfig, createFakeKubeApi, type FakeWorld, type RunningFake } from './fake-kube-api.js';

/** Kinds the stack's server serves; a world with other kinds (ConfigMaps, ServiceMonitors) needs the fake. */
export function servedByStack(world: FakeWorld): boolean {
  return world.scales === undefined && !world.token && !world.faults?.length && world.objects.every((o) => resourceOfKind(String(o.apiVersion), String(o.kind)) !== undefined);
}

/** Starts the stack's API server over the world's objects (status written through `status`). */
export async function startStackKubeApi(world: FakeWorld, opts: { namespace?: string; kubeVersion?: string } = {}): Promise<RunningFake> {
  const clock = { now: () => Date.now() };
  const store = createObjectStore({ clock, validate: validateObject });
  const namespaces = new Set(world.objects.map((o) => o.metadata?.namespace).filter((n): n is string => typeof n === 'string'));
  const nsDef = resourceOfKind('v1', 'Namespace');
  if (nsDef) for (const ns of namespaces) store.create(nsDef, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const o of world.objects) {
    const def = resourceOfKind(String(o.apiVersion), String(o.kind));
    if (!def) throw new Error(`the stack's API server does not serve ${String(o.apiVersion)} ${String(o.kind)}`);
    const created = store.create(def, structuredClone(o) as KubeObject);
    if (o.status) store.update(def, { ...created, status: structuredClone(o.status) }, { subresource: 'status' });
  }
  const metricsApp = createFakeKubeApi({ ...world, objects: world.objects.filter((o) => o.kind === 'Pod') });
  const app = createKubeApp({ store, clock, metrics: (req) => metricsApp.fetch(req), metricsGroups: [{ group: 'custom.metrics.k8s.io', versions: ['v1beta2', 'v1beta1'] }, { group: 'external.metrics.k8s.io', versions: ['v1beta1'] }, { group: 'metrics.k8s.io', versions: ['v1beta1'] }], ...(opts.kubeVersion ? { kubeVersion: opts.kubeVersion } : {}) });
  const server = await startKubeServer(app, { port: 0 });
  return { url: server.url, port: server.port, world, kubeconfig: writeKubeconfig(server.url, opts.namespace ? { namespace: opts.namespace } : {}), close: () => server.close() };
}
