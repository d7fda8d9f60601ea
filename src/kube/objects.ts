/**
 * The world's objects as the API serves them: a Deployment for each scale target, a Pod for each
 * of its pods, the HPAs' status and Events, built from the engine's types.
 */
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerStatus, PodInfo, ResourceListMilli } from '../engine/index.js';
import { formatMilliQuantity } from '../engine/index.js';
import type { KubeObject } from './store.js';
import { kubeTime } from './store.js';

/** A `v1` Namespace. */
export const namespaceObject = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });

/** A Deployment's shape, from its target. */
export interface DeploymentShape {
  readonly name: string;
  readonly namespace: string;
  /** Pod labels, e.g. `{ app: 'lightning-asr' }`. */
  readonly labels: Readonly<Record<string, string>>;
  readonly replicas: number;
  /** The container name and image shown by `get deployments -o wide`. */
  readonly container?: string;
  readonly image?: string;
}

/** An `apps/v1` Deployment (spec only; status comes from {@link deploymentStatus}). */
export function deploymentObject(d: DeploymentShape): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: d.name, namespace: d.namespace, labels: { ...d.labels } },
    spec: {
      replicas: d.replicas,
      selector: { matchLabels: { ...d.labels } },
      template: {
        metadata: { labels: { ...d.labels } },
        spec: { containers: [{ name: d.container ?? d.name, image: d.image ?? 'hpa-lab/worker:local' }] },
      },
    },
  };
}

/** A Deployment's `status` from its pods. */
export function deploymentStatus(pods: readonly PodInfo[], observedGeneration: number | undefined): Record<string, unknown> {
  const live = pods.filter((p) => !p.deleting);
  const ready = live.filter((p) => p.ready?.status === 'True').length;
  return {
    ...(observedGeneration === undefined ? {} : { observedGeneration }),
    replicas: live.length,
    updatedReplicas: live.length,
    readyReplicas: ready,
    availableReplicas: ready,
    ...(live.length > ready ? { unavailableReplicas: live.length - ready } : {}),
  };
}

const requests = (r: ResourceListMilli | undefined): Record<string, string> | undefined => {
  if (!r) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) if (typeof v === 'number') out[k] = formatMilliQuantity(v);
  return Object.keys(out).length > 0 ? out : undefined;
};

/** A `v1` Pod from the engine's view of it. */
export function podObject(p: PodInfo, options: { readonly namespace: string; readonly deployment: string; readonly restarts?: number; readonly image?: string; readonly deletionMs?: number }): KubeObject {
  const containers = (p.containers ?? [{ name: options.deployment }]).map((c) => {
    const req = requests(c.requestsMilli);
    return { name: c.name, image: options.image ?? 'hpa-lab/worker:local', ...(req ? { resources: { requests: req } } : {}) };
  });
  const ready = p.ready?.status === 'True';
  const readyAt = p.ready ? kubeTime(p.ready.lastTransitionTimeMs) : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: options.namespace,
      labels: { ...(p.labels ?? {}) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: options.deployment, uid: '', controller: true }],
      ...(p.deleting ? { deletionTimestamp: kubeTime(options.deletionMs ?? p.startTimeMs ?? 0) } : {}),
    },
    spec: { containers, nodeName: 'hpa-lab' },
    status: {
      phase: p.phase,
      ...(p.startTimeMs === undefined ? {} : { startTime: kubeTime(p.startTimeMs) }),
      podIP: '127.0.0.1',
      conditions: [
        ...(p.ready ? [{ type: 'Ready', status: p.ready.status, ...(readyAt ? { lastTransitionTime: readyAt } : {}) }] : []),
        ...(p.ready ? [{ type: 'ContainersReady', status: p.ready.status, ...(readyAt ? { lastTransitionTime: readyAt } : {}) }] : []),
      ],
      containerStatuses: containers.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready,
        restartCount: options.restarts ?? 0,
        started: p.phase === 'Running',
        state: p.phase === 'Running' ? { running: { startedAt: kubeTime(p.startTimeMs ?? 0) } } : { waiting: { reason: 'ContainerCreating' } },
      })),
    },
  };
}

/** The HPA's `status` as the API serves it (times as RFC 3339). */
export function hpaStatusObject(status: HorizontalPodAutoscalerStatus, observedGeneration: number | undefined): Record<string, unknown> {
  return {
    ...(observedGeneration === undefined ? {} : { observedGeneration }),
    ...(status.lastScaleTime === undefined ? {} : { lastScaleTime: kubeTime(status.lastScaleTime) }),
    currentReplicas: status.currentReplicas,
    desiredReplicas: status.desiredReplicas,
    ...(status.currentMetrics ? { currentMetrics: status.currentMetrics.map((m) => m ?? { type: '' }) } : {}),
    ...(status.conditions ? { conditions: status.conditions.map((c) => ({ ...c, lastTransitionTime: kubeTime(c.lastTransitionTime) })) } : {}),
  };
}

/** An `autoscaling/v2` HPA object from the engine's type (status dropped: the controller writes it). */
export function hpaObject(hpa: HorizontalPodAutoscaler, namespace: string): KubeObject {
  return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { ...structuredClone(hpa.metadata), namespace: hpa.metadata.namespace ?? namespace }, spec: structuredClone(hpa.spec) };
}

/** The engine's HPA from a stored object. */
export function hpaFromObject(o: KubeObject): HorizontalPodAutoscaler {
  return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: o.metadata.name ?? '', ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) }, spec: structuredClone(o.spec) as HorizontalPodAutoscaler['spec'] };
}

/** One event about an object, as `core/v1` Event. */
export interface EventInput {
  readonly namespace: string;
  readonly involved: { readonly kind: string; readonly name: string; readonly uid?: string; readonly apiVersion: string };
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
  readonly firstMs: number;
  readonly lastMs: number;
  readonly count: number;
  readonly component: string;
}

/** A `v1` Event; its name is stable per object, reason and message (counts update it). */
export function eventObject(e: EventInput, name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: e.namespace },
    involvedObject: { kind: e.involved.kind, namespace: e.namespace, name: e.involved.name, apiVersion: e.involved.apiVersion, ...(e.involved.uid ? { uid: e.involved.uid } : {}) },
    reason: e.reason,
    message: e.message,
    source: { component: e.component },
    firstTimestamp: kubeTime(e.firstMs),
    lastTimestamp: kubeTime(e.lastMs),
    count: e.count,
    type: e.type,
    reportingComponent: e.component,
    reportingInstance: '',
  };
}

/** An `apiregistration.k8s.io/v1` APIService, Available (the local stack serves the group itself). */
export function apiServiceObject(group: string, version: string, service?: { readonly namespace: string; readonly name: string }): KubeObject {
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: `${version}.${group}` },
    spec: { group, version, groupPriorityMinimum: 100, versionPriority: 100, insecureSkipTLSVerify: true, ...(service ? { service: { ...service, port: 443 } } : {}) },
    status: { conditions: [{ type: 'Available', status: 'True', reason: 'Passed', message: 'all checks passed', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
  };
}
