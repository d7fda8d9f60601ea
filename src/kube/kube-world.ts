/**
 * The binding that makes the local stack the cluster the API server shows: a Deployment per
 * scale target and a Pod per pod (refreshed from the targets), the HPAs with the status and
 * events the controller writes after each sync; and writes that change the world, as on a
 * cluster: an HPA edited through the API is the spec the controller uses at its next sync
 * (`current`), a Deployment's `spec.replicas` set through the API (`kubectl scale`) scales the
 * target (and the HPA corrects it), a Pod deleted through the API is replaced by the target.
 * The controlled HPAs are those the world started with: one created through the API is stored,
 * not controlled; one deleted through the API keeps being synced with its last spec.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../core/index.js';
import type { ClusterTarget, HorizontalPodAutoscaler, HorizontalPodAutoscalerStatus, PodInfo } from '../engine/index.js';
import { deploymentObject, deploymentStatus, eventObject, hpaFromObject, hpaObject, hpaStatusObject, namespaceObject, podObject } from './objects.js';
import { DEPLOYMENT, EVENT, HPA, NAMESPACE, POD } from './resources.js';
import type { KubeObject, ObjectStore, WatchEvent } from './store.js';

/** One Deployment of the world and what backs it. */
export interface WorldTarget {
  readonly name: string;
  readonly target: ClusterTarget;
  /** Pod labels (`app=<name>`). */
  readonly labels: Readonly<Record<string, string>>;
  /** Replaces a pod deleted through the API; false when the target cannot (the pod stays). */
  readonly deletePod?: (podName: string) => boolean;
  /** Container restarts of a pod (the Pod's RESTARTS). */
  readonly restartsOf?: (podName: string) => number;
  /** The target's pod and ReplicaSet events (`object` is `Pod/name` or `ReplicaSet/name`), oldest first. */
  readonly events?: () => readonly { readonly type: 'Normal' | 'Warning'; readonly reason: string; readonly object: string; readonly message: string; readonly atMs: number }[];
}

/** An event the controller recorded for an HPA. */
export interface WorldHpaEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
  readonly firstMs: number;
  readonly lastMs: number;
  readonly count: number;
}

/** What the world needs of one controller sync (the controller's `SyncResult` fits). */
export interface WorldSync {
  readonly name: string;
  readonly view: { readonly status: HorizontalPodAutoscalerStatus | undefined; readonly events: readonly WorldHpaEvent[] };
}

export interface KubeWorldOptions {
  readonly store: ObjectStore;
  readonly clock: Clock;
  /** Where the Deployments, Pods and HPAs without `metadata.namespace` live. */
  readonly namespace: string;
  readonly hpas: readonly HorizontalPodAutoscaler[];
  readonly targets: readonly WorldTarget[];
}

export interface KubeWorld {
  readonly namespace: string;
  /** The HPA as stored now (for the controller's `current`); the same object until its generation changes. */
  current(name: string): HorizontalPodAutoscaler | undefined;
  /** Writes the HPA's status (with observedGeneration) and its events after a sync, then refreshes the targets. */
  recordSync(sync: WorldSync): void;
  /** Brings the Deployments and Pods up to date with the targets. */
  refresh(): Promise<void>;
  /** Stops reacting to API writes. */
  close(): void;
}

const eventName = (object: string, reason: string, message: string): string =>
  `${object}.${createHash('sha256').update(`${reason}\n${message}`).digest('hex').slice(0, 16)}`;

/**
 * Creates the world: writes the namespace, the HPAs and a Deployment per target into the store,
 * and starts reacting to writes. Call `refresh` periodically (the stack does, every second) and
 * `recordSync` from the controller's `onSync`.
 *
 * @example
 * const world = createKubeWorld({ store, clock, namespace: 'smallest', hpas, targets: [{ name: 'lightning-asr', target: pool, labels: { app: 'lightning-asr' }, deletePod: (n) => pool.kill(n) }] });
 * createController({ hpas: hpas.map((hpa) => ({ hpa, target: pool, metrics, current: () => world.current(hpa.metadata.name) })), onSync: (r) => world.recordSync(r), ... });
 */
export function createKubeWorld(options: KubeWorldOptions): KubeWorld {
  const { store, clock } = options;
  const namespace = options.namespace;
  let self = 0;
  const write = <T>(f: () => T): T => {
    self++;
    try {
      return f();
    } finally {
      self--;
    }
  };
  const nsOf = (h: HorizontalPodAutoscaler): string => h.metadata.namespace ?? namespace;

  write(() => {
    for (const ns of new Set([namespace, 'default', 'kube-system', ...options.hpas.map(nsOf)])) {
      if (!store.find(NAMESPACE, undefined, ns)) store.create(NAMESPACE, namespaceObject(ns));
    }
    for (const h of options.hpas) if (!store.find(HPA, nsOf(h), h.metadata.name)) store.create(HPA, hpaObject(h, namespace));
  });

  // Which namespace each HPA lives in (by name, as the controller names them).
  const hpaNamespace = new Map(options.hpas.map((h) => [h.metadata.name, nsOf(h)]));
  const cache = new Map<string, { generation: number; hpa: HorizontalPodAutoscaler }>();
  /** The generation the controller last read, per HPA: its status' observedGeneration. */
  const readGeneration = new Map<string, number>();
  const deletingSince = new Map<string, number>();

  const onWrite = (e: WatchEvent): void => {
    if (self > 0) return;
    if (e.resource.kind === DEPLOYMENT.kind && e.type === 'MODIFIED') {
      const t = options.targets.find((x) => x.name === e.object.metadata.name);
      const replicas = (e.object.spec as { replicas?: unknown } | undefined)?.replicas;
      if (t && typeof replicas === 'number') void t.target.setReplicas(replicas).catch(() => undefined);
    }
    if (e.resource.kind === POD.kind && e.type === 'DELETED') {
      const name = e.object.metadata.name ?? '';
      const t = options.targets.find((x) => Object.entries(x.labels).every(([k, v]) => e.object.metadata.labels?.[k] === v));
      t?.deletePod?.(name);
    }
  };
  const unsubscribe = store.subscribe(onWrite);

  const upsert = (resource: typeof POD, next: KubeObject, status: boolean): void => {
    const old = store.find(resource, next.metadata.namespace, next.metadata.name ?? '');
    if (!old) {
      const created = store.create(resource, next);
      if (status && next.status !== undefined) store.update(resource, { ...created, status: next.status }, { subresource: 'status' });
      return;
    }
    const merged: KubeObject = { ...old, ...next, metadata: { ...old.metadata, ...next.metadata, resourceVersion: old.metadata.resourceVersion ?? '' } };
    if (JSON.stringify({ ...merged, status: undefined }) !== JSON.stringify({ ...old, status: undefined })) store.update(resource, merged);
    if (status && JSON.stringify(next.status) !== JSON.stringify(old.status)) {
      const now = store.get(resource, next.metadata.namespace, next.metadata.name ?? '');
      store.update(resource, { ...now, status: next.status }, { subresource: 'status' });
    }
  };

  /** Target events already written, per target: the newest `atMs` seen and how many at it. */
  const eventMarks = new Map<string, { atMs: number; count: number }>();
  const writeTargetEvents = (t: WorldTarget): void => {
    const all = t.events?.() ?? [];
    const mark = eventMarks.get(t.name) ?? { atMs: -Infinity, count: 0 };
    let seenAtMark = 0;
    for (const e of all) {
      if (e.atMs < mark.atMs) continue;
      if (e.atMs === mark.atMs && seenAtMark++ < mark.count) continue;
      const [kind = 'Pod', objectName = ''] = e.object.split('/');
      const name = `${objectName}.${createHash('sha256').update(`${e.atMs}\n${e.reason}\n${e.message}`).digest('hex').slice(0, 16)}`;
      if (store.find(EVENT, namespace, name)) continue;
      const uid = kind === 'Pod' ? store.find(POD, namespace, objectName)?.metadata.uid : undefined;
      store.create(
        EVENT,
        eventObject(
          { namespace, involved: { kind, name: objectName, apiVersion: kind === 'ReplicaSet' ? 'apps/v1' : 'v1', ...(uid ? { uid } : {}) }, type: e.type, reason: e.reason, message: e.message, firstMs: e.atMs, lastMs: e.atMs, count: 1, component: kind === 'ReplicaSet' ? 'replicaset-controller' : 'kubelet' },
          name,
        ),
      );
    }
    const last = all.at(-1);
    if (last) eventMarks.set(t.name, { atMs: last.atMs, count: all.filter((e) => e.atMs === last.atMs).length });
  };

  const refreshTarget = async (t: WorldTarget): Promise<void> => {
    const scale = await t.target.getScale();
    const pods: PodInfo[] = await t.target.listPods();
    write(() => {
      const existing = store.find(DEPLOYMENT, namespace, t.name);
      const shape = deploymentObject({ name: t.name, namespace, labels: t.labels, replicas: scale.specReplicas });
      if (!existing) store.create(DEPLOYMENT, shape);
      else if ((existing.spec as { replicas?: number }).replicas !== scale.specReplicas) {
        store.update(DEPLOYMENT, { ...existing, spec: { ...(existing.spec as object), replicas: scale.specReplicas } });
      }
      const d = store.get(DEPLOYMENT, namespace, t.name);
      const status = deploymentStatus(pods, d.metadata.generation);
      if (JSON.stringify(status) !== JSON.stringify(d.status)) store.update(DEPLOYMENT, { ...d, status }, { subresource: 'status' });
      const names = new Set(pods.map((p) => p.name));
      for (const p of pods) {
        if (p.deleting && !deletingSince.has(p.name)) deletingSince.set(p.name, clock.now());
        const deletionMs = deletingSince.get(p.name);
        const object = podObject({ ...p, labels: { ...t.labels, ...(p.labels ?? {}) } }, { namespace, deployment: t.name, restarts: t.restartsOf?.(p.name) ?? 0, ...(deletionMs === undefined ? {} : { deletionMs }) });
        upsert(POD, object, true);
      }
      writeTargetEvents(t);
      for (const o of store.list(POD, { namespace }).items) {
        const mine = Object.entries(t.labels).every(([k, v]) => o.metadata.labels?.[k] === v);
        if (mine && !names.has(o.metadata.name ?? '')) {
          store.delete(POD, namespace, o.metadata.name ?? '');
          deletingSince.delete(o.metadata.name ?? '');
        }
      }
    });
  };

  const refresh = async (): Promise<void> => {
    for (const t of options.targets) await refreshTarget(t);
  };

  return {
    namespace,
    current(name) {
      const ns = hpaNamespace.get(name) ?? namespace;
      const o = store.find(HPA, ns, name);
      if (!o) return cache.get(name)?.hpa;
      const generation = o.metadata.generation ?? 1;
      readGeneration.set(name, generation);
      const hit = cache.get(name);
      if (hit && hit.generation === generation) return hit.hpa;
      const hpa = hpaFromObject(o);
      cache.set(name, { generation, hpa });
      return hpa;
    },
    recordSync(sync) {
      const ns = hpaNamespace.get(sync.name) ?? namespace;
      write(() => {
        const o = store.find(HPA, ns, sync.name);
        if (!o) return;
        if (sync.view.status) {
          const status = hpaStatusObject(sync.view.status, readGeneration.get(sync.name) ?? o.metadata.generation);
          if (JSON.stringify(status) !== JSON.stringify(o.status)) store.update(HPA, { ...o, status }, { subresource: 'status' });
        }
        for (const e of sync.view.events) {
          const name = eventName(sync.name, e.reason, e.message);
          const next = eventObject(
            { namespace: ns, involved: { kind: 'HorizontalPodAutoscaler', name: sync.name, apiVersion: 'autoscaling/v2', ...(o.metadata.uid ? { uid: o.metadata.uid } : {}) }, type: e.type, reason: e.reason, message: e.message, firstMs: e.firstMs, lastMs: e.lastMs, count: e.count, component: 'horizontal-pod-autoscaler' },
            name,
          );
          const old = store.find(EVENT, ns, name);
          if (!old) store.create(EVENT, next);
          else if (old.count !== next.count || old.lastTimestamp !== next.lastTimestamp) store.update(EVENT, { ...next, metadata: { ...old.metadata } });
        }
      });
      // A sync may have scaled the target: show it now rather than at the next periodic refresh.
      void refresh().catch(() => undefined);
    },
    refresh,
    close() {
      unsubscribe();
    },
  };
}
