/**
 * The local stack's Kubernetes API in one call: store, world binding, app (with the metrics
 * APIs delegated), the server on 127.0.0.1, APIService objects for the metrics groups, and a
 * refresh of Deployments and Pods every second.
 */
import type { Clock, Timers } from '../core/index.js';
import type { HorizontalPodAutoscaler } from '../engine/index.js';
import { createKubeApp, DEFAULT_KUBE_VERSION, type FetchHandler } from './app.js';
import type { DelegatedGroup } from './discovery.js';
import { createKubeWorld, type KubeWorld, type WorldTarget } from './kube-world.js';
import { apiServiceObject } from './objects.js';
import { API_SERVICE } from './resources.js';
import { startKubeServer, type KubeServer } from './server.js';
import { createObjectStore, type ObjectStore } from './store.js';
import { defaultObject, validateObject } from './validate.js';

/** How often Deployments and Pods are refreshed from the targets. */
export const KUBE_REFRESH_INTERVAL_MS = 1_000;

export interface StartKubeApiOptions {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly namespace: string;
  readonly hpas: readonly HorizontalPodAutoscaler[];
  readonly targets: readonly WorldTarget[];
  /** 127.0.0.1 port; 0 for a free one. */
  readonly port: number;
  readonly token?: string;
  readonly kubeVersion?: string;
  /** The metrics APIs' handler and the groups it serves. */
  readonly metrics?: { readonly handler: FetchHandler; readonly groups: readonly DelegatedGroup[] };
}

export interface KubeApi {
  readonly url: string;
  readonly store: ObjectStore;
  readonly world: KubeWorld;
  readonly server: KubeServer;
  /** Stops the refresh and the server (open watches end). */
  close(): Promise<void>;
}

/**
 * Starts the API server over the world.
 *
 * @throws {Error} when the port is taken
 * @example const kube = await startKubeApi({ clock, timers, namespace: 'smallest', hpas, targets, port: 0 }); kube.url;
 */
export async function startKubeApi(options: StartKubeApiOptions): Promise<KubeApi> {
  const { clock, timers } = options;
  const store = createObjectStore({ clock, validate: validateObject, defaults: defaultObject });
  const world = createKubeWorld({ store, clock, namespace: options.namespace, hpas: options.hpas, targets: options.targets });
  for (const g of options.metrics?.groups ?? []) {
    for (const v of g.versions) store.create(API_SERVICE, { ...apiServiceObject(g.group, v, { namespace: 'kube-system', name: 'hpa-lab' }) });
  }
  await world.refresh();
  const app = createKubeApp({
    store,
    clock,
    kubeVersion: options.kubeVersion ?? DEFAULT_KUBE_VERSION,
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.metrics ? { metrics: options.metrics.handler, metricsGroups: options.metrics.groups } : {}),
  });
  const server = await startKubeServer(app, { port: options.port });
  let stopped = false;
  let handle = timers.setTimeout(function tick() {
    void world.refresh().catch(() => undefined).finally(() => {
      if (!stopped) handle = timers.setTimeout(tick, KUBE_REFRESH_INTERVAL_MS);
    });
  }, KUBE_REFRESH_INTERVAL_MS);
  return {
    url: server.url,
    store,
    world,
    server,
    async close() {
      stopped = true;
      timers.clearTimeout(handle);
      world.close();
      await server.close();
    },
  };
}
