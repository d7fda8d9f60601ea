/**
 * A small in-test Kubernetes API server (hono + @hono/node-server) serving a fixed world: the
 * objects the cluster client reads, the three metrics APIs, discovery, /version, bearer-token
 * auth and injected faults. Used until the local stack's API server (src/kube) is merged, and
 * for the vector-state test, whose states it serves verbatim.
 */
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { createAdaptorServer } from '@hono/node-server';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matchesSelector, parseSelector } from '../../src/engine/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface FakeWorld {
  version?: { major: string; minor: string; gitVersion: string };
  /** When set, every request needs `Authorization: Bearer TOKEN` (else 401). */
  token?: string;
  /** Any API objects (apiVersion, kind, metadata): HPAs, Deployments, Pods, Events, ConfigMaps, APIServices... */
  objects: Json[];
  /** Scale subresources by `resource/namespace/name`, overriding the one derived from the object. */
  scales?: Record<string, { spec: { replicas: number }; status: { replicas: number; selector?: string } }>;
  /** metrics.k8s.io PodMetrics. */
  podMetrics?: Json[];
  /** custom.metrics.k8s.io pod values. */
  podValues?: { namespace: string; pod: string; metric: string; value: string; timestamp?: string; windowSeconds?: number }[];
  /** custom.metrics.k8s.io object values. */
  objectValues?: { namespace: string; resource: string; name: string; metric: string; value: string; timestamp?: string }[];
  /** external.metrics.k8s.io values. */
  externalValues?: { namespace: string; metric: string; value: string; labels?: Record<string, string>; timestamp?: string }[];
  /** Serve every external value whatever the label selector (as the upstream test fakes do). */
  externalIgnoresSelector?: boolean;
  /** Groups of metrics APIs served (default all three). */
  metricsApis?: ('metrics.k8s.io' | 'custom.metrics.k8s.io' | 'external.metrics.k8s.io')[];
  /** Answer this status for paths starting with the prefix. */
  faults?: { prefix: string; status: number; message?: string }[];
}

const KINDS: Record<string, string> = {
  pods: 'Pod',
  events: 'Event',
  horizontalpodautoscalers: 'HorizontalPodAutoscaler',
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  replicationcontrollers: 'ReplicationController',
  statefulsets: 'StatefulSet',
  configmaps: 'ConfigMap',
  services: 'Service',
  apiservices: 'APIService',
  servicemonitors: 'ServiceMonitor',
  namespaces: 'Namespace',
};

const status = (code: number, message: string, reason = 'Failure') => ({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code });

function selectorOf(o: Json): string {
  const sel = o.spec?.selector;
  if (!sel) return '';
  const labels = sel.matchLabels ?? (sel.matchExpressions ? {} : sel);
  return Object.entries(labels as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
}

function fieldMatch(o: Json, fieldSelector: string | undefined): boolean {
  if (!fieldSelector) return true;
  return fieldSelector.split(',').every((kv) => {
    const [k, v] = kv.split('=');
    const val = (k ?? '').split('.').reduce((x: Json, p) => x?.[p], o);
    return String(val ?? '') === (v ?? '');
  });
}

/** The hono app serving a world (mutations: POSTed Events are appended). */
export function createFakeKubeApi(world: FakeWorld): Hono {
  const app = new Hono();
  const served = new Set(world.metricsApis ?? ['metrics.k8s.io', 'custom.metrics.k8s.io', 'external.metrics.k8s.io']);
  app.use('*', async (c, next) => {
    if (world.token !== undefined && c.req.header('authorization') !== `Bearer ${world.token}`) return c.json(status(401, 'Unauthorized', 'Unauthorized'), 401);
    const path = new URL(c.req.url).pathname;
    const fault = world.faults?.find((f) => path.startsWith(f.prefix));
    if (fault) return c.json(status(fault.status, fault.message ?? `injected ${fault.status}`), fault.status as 403);
    return next();
  });
  app.get('/version', (c) => c.json(world.version ?? { major: '1', minor: '33', gitVersion: 'v1.33.0' }));

  const podLabels = (ns: string, name: string) => world.objects.find((o) => o.kind === 'Pod' && o.metadata?.namespace === ns && o.metadata?.name === name)?.metadata?.labels;
  const podPicked = (ns: string, name: string, sel: string | undefined) => {
    if (!sel) return true;
    const labels = podLabels(ns, name);
    return labels === undefined || matchesSelector(parseSelector(sel), labels);
  };
  const list = (kind: string, items: Json[]) => ({ kind: `${kind}List`, apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });

  // Metrics APIs.
  app.get('/apis/metrics.k8s.io/v1beta1/namespaces/:ns/pods', (c) => {
    if (!served.has('metrics.k8s.io')) return c.json(status(404, 'the server could not find the requested resource', 'NotFound'), 404);
    const ns = c.req.param('ns');
    const sel = c.req.query('labelSelector');
    return c.json(list('PodMetrics', (world.podMetrics ?? []).filter((m) => m.metadata?.namespace === ns && podPicked(ns, m.metadata?.name, sel))));
  });
  app.get('/apis/custom.metrics.k8s.io/:v', (c) => {
    if (!served.has('custom.metrics.k8s.io')) return c.json(status(404, 'the server could not find the requested resource', 'NotFound'), 404);
    const names = new Set((world.podValues ?? []).map((v) => `pods/${v.metric}`));
    for (const v of world.objectValues ?? []) names.add(`${v.resource}/${v.metric}`);
    return c.json({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `custom.metrics.k8s.io/${c.req.param('v')}`, resources: [...names].map((name) => ({ name, namespaced: true, kind: 'MetricValueList', verbs: ['get'] })) });
  });
  app.get('/apis/custom.metrics.k8s.io/:v/namespaces/:ns/pods/*', (c) => {
    if (!served.has('custom.metrics.k8s.io')) return c.json(status(404, 'the server could not find the requested resource', 'NotFound'), 404);
    const ns = c.req.param('ns');
    const metric = decodeURIComponent(new URL(c.req.url).pathname.split('/').pop() ?? '');
    const sel = c.req.query('labelSelector');
    const items = (world.podValues ?? [])
      .filter((v) => v.namespace === ns && v.metric === metric && podPicked(ns, v.pod, sel))
      .map((v) => ({ describedObject: { kind: 'Pod', namespace: ns, name: v.pod, apiVersion: '/v1' }, metric: { name: metric }, timestamp: v.timestamp ?? new Date().toISOString(), ...(v.windowSeconds !== undefined ? { windowSeconds: v.windowSeconds } : {}), value: v.value }));
    if (items.length === 0 && !(world.podValues ?? []).some((v) => v.metric === metric)) return c.json(status(404, `the server could not find the metric ${metric} for pods`, 'NotFound'), 404);
    return c.json(list('MetricValue', items));
  });
  app.get('/apis/custom.metrics.k8s.io/:v/namespaces/:ns/:resource/:name/:metric', (c) => {
    if (!served.has('custom.metrics.k8s.io')) return c.json(status(404, 'the server could not find the requested resource', 'NotFound'), 404);
    const { ns, resource, name, metric } = c.req.param();
    const v = (world.objectValues ?? []).find((x) => x.namespace === ns && x.resource === resource && x.name === name && x.metric === metric);
    if (!v) return c.json(status(404, `the server could not find the metric ${metric} for ${resource} ${name}`, 'NotFound'), 404);
    return c.json(list('MetricValue', [{ describedObject: { kind: resource, namespace: ns, name }, metric: { name: metric }, timestamp: v.timestamp ?? new Date().toISOString(), value: v.value }]));
  });
  app.get('/apis/external.metrics.k8s.io/v1beta1/namespaces/:ns/:metric', (c) => {
    if (!served.has('external.metrics.k8s.io')) return c.json(status(404, 'the server could not find the requested resource', 'NotFound'), 404);
    const { ns, metric } = c.req.param();
    const sel = c.req.query('labelSelector');
    const items = (world.externalValues ?? []).filter((v) => v.namespace === ns && v.metric === metric && (!sel || world.externalIgnoresSelector || matchesSelector(parseSelector(sel), v.labels ?? {})));
    return c.json(list('ExternalMetricValue', items.map((v) => ({ metricName: metric, metricLabels: v.labels ?? {}, timestamp: v.timestamp ?? new Date().toISOString(), value: v.value }))));
  });

  // Core and group objects: [namespaces/NS/]RESOURCE[/NAME[/scale]].
  const handle = (c: Json, group: string, rest: string) => {
    const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
    let ns: string | undefined;
    if (parts[0] === 'namespaces' && parts.length >= 3) {
      ns = parts[1];
      parts.splice(0, 2);
    }
    const [resource, name, sub] = parts;
    const kind = KINDS[resource ?? ''];
    if (!kind) return c.json(status(404, `the server could not find the requested resource (${group}/${resource ?? ''})`, 'NotFound'), 404);
    const inScope = world.objects.filter((o) => o.kind === kind && (ns === undefined || o.metadata?.namespace === ns));
    if (c.req.method === 'POST') return undefined;
    if (name === undefined) {
      const sel = c.req.query('labelSelector');
      const parsed = sel ? parseSelector(sel) : undefined;
      return c.json(list(kind, inScope.filter((o) => (!parsed || matchesSelector(parsed, o.metadata?.labels ?? {})) && fieldMatch(o, c.req.query('fieldSelector')))));
    }
    const o = inScope.find((x) => x.metadata?.name === name);
    const override = world.scales?.[`${resource}/${ns}/${name}`];
    if (sub === 'scale') {
      if (override) return c.json({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name, namespace: ns }, ...override });
      if (!o) return c.json(status(404, `${resource} "${name}" not found`, 'NotFound'), 404);
      const selector = o.status?.selector ?? selectorOf(o);
      return c.json({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name, namespace: ns }, spec: { replicas: o.spec?.replicas ?? 1 }, status: { replicas: o.status?.replicas ?? o.spec?.replicas ?? 1, ...(selector ? { selector } : {}) } });
    }
    if (!o) return c.json(status(404, `${resource} "${name}" not found`, 'NotFound'), 404);
    return c.json(o);
  };
  app.get('/api/v1/*', (c) => handle(c, '', new URL(c.req.url).pathname.slice('/api/v1'.length)));
  app.get('/apis/:group/:version/*', (c) => {
    const { group, version } = c.req.param();
    return handle(c, group, new URL(c.req.url).pathname.slice(`/apis/${group}/${version}`.length));
  });
  app.post('/api/v1/namespaces/:ns/events', async (c) => {
    const e = await c.req.json<Json>();
    world.objects.push({ ...e, kind: 'Event', metadata: { ...e.metadata, namespace: c.req.param('ns'), name: e.metadata?.name ?? `${e.metadata?.generateName ?? 'e'}${world.objects.length}` } });
    return c.json(e, 201);
  });
  return app;
}

export interface RunningFake {
  readonly url: string;
  readonly port: number;
  readonly world: FakeWorld;
  /** A kubeconfig file pointing at it (context `fake`, optional token). */
  readonly kubeconfig: string;
  close(): Promise<void>;
}

/** Writes a kubeconfig for `server` with one context. */
export function writeKubeconfig(server: string, opts: { context?: string; token?: string; namespace?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'hpa-lab-kube-'));
  const file = join(dir, 'kubeconfig');
  const ctx = opts.context ?? 'fake';
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      `current-context: ${ctx}`,
      'clusters:',
      `- name: ${ctx}`,
      `  cluster: {server: "${server}"}`,
      'users:',
      `- name: ${ctx}-user`,
      `  user: {${opts.token ? `token: "${opts.token}"` : ''}}`,
      'contexts:',
      `- name: ${ctx}`,
      `  context: {cluster: ${ctx}, user: ${ctx}-user${opts.namespace ? `, namespace: ${opts.namespace}` : ''}}`,
      '',
    ].join('\n'),
  );
  return file;
}

/** Serves the world on 127.0.0.1 (an ephemeral port). */
export async function startFakeKubeApi(world: FakeWorld, opts: { namespace?: string } = {}): Promise<RunningFake> {
  const app = createFakeKubeApi(world);
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    world,
    kubeconfig: writeKubeconfig(url, { ...(world.token ? { token: world.token } : {}), ...(opts.namespace ? { namespace: opts.namespace } : {}) }),
    close: () => new Promise<void>((r) => { (server as Json).closeAllConnections?.(); server.close(() => r()); }),
  };
}
