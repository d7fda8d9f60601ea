/**
 * API JSON (autoscaling/v2, core/v1, the metrics APIs) to the engine's types: times become
 * epoch milliseconds, quantities milli-units, label selectors strings.
 */
import {
  parseQuantityMilli,
  type ContainerInfo,
  type HorizontalPodAutoscaler,
  type LabelSelector,
  type PodInfo,
  type PodMetricsItem,
  type PodMetricValue,
  type ResourceListMilli,
} from '../../engine/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** RFC 3339 to epoch ms; undefined for absent or unparsable. */
export function timeMs(t: unknown): number | undefined {
  if (typeof t !== 'string' || t === '') return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Go duration ("60s", "1m0s", "500ms") or seconds number to seconds. */
export function durationSeconds(d: unknown, fallbackSeconds: number): number {
  if (typeof d === 'number') return d;
  if (typeof d !== 'string') return fallbackSeconds;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s)/g;
  let total = 0;
  let found = false;
  for (const m of d.matchAll(re)) {
    found = true;
    const v = Number(m[1]);
    total += m[2] === 'h' ? v * 3600 : m[2] === 'm' ? v * 60 : m[2] === 'ms' ? v / 1000 : v;
  }
  return found ? total : fallbackSeconds;
}

function milliList(list: Json): ResourceListMilli {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries((list ?? {}) as Record<string, unknown>)) {
    try {
      out[k] = parseQuantityMilli(v as string);
    } catch {
      /* a quantity the controller could not parse either: left out */
    }
  }
  return out;
}

/** An autoscaling/v2 HPA from the API, in the engine's shape. */
export function hpaFromApi(o: Json): HorizontalPodAutoscaler {
  const st = o.status ?? {};
  const lastScaleTime = timeMs(st.lastScaleTime);
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name: o.metadata?.name ?? '', namespace: o.metadata?.namespace ?? 'default', ...(o.metadata?.labels ? { labels: o.metadata.labels } : {}), ...(o.metadata?.annotations ? { annotations: o.metadata.annotations } : {}) },
    spec: o.spec,
    status: {
      currentReplicas: Number(st.currentReplicas ?? 0),
      desiredReplicas: Number(st.desiredReplicas ?? 0),
      ...(lastScaleTime !== undefined ? { lastScaleTime } : {}),
      ...(st.currentMetrics ? { currentMetrics: st.currentMetrics } : {}),
      ...(st.conditions
        ? {
            conditions: (st.conditions as Json[]).map((c) => ({
              type: c.type,
              status: c.status,
              reason: String(c.reason ?? ''),
              message: String(c.message ?? ''),
              lastTransitionTime: timeMs(c.lastTransitionTime) ?? 0,
            })),
          }
        : {}),
    },
  };
}

function containerFromApi(c: Json): ContainerInfo {
  return { name: String(c.name ?? ''), requestsMilli: milliList(c.resources?.requests), ...(c.restartPolicy ? { restartPolicy: c.restartPolicy } : {}) };
}

/** A core/v1 Pod, reduced to what the HPA controller reads. */
export function podFromApi(p: Json): PodInfo {
  const ready = ((p.status?.conditions ?? []) as Json[]).find((c) => c.type === 'Ready');
  const start = timeMs(p.status?.startTime);
  return {
    name: String(p.metadata?.name ?? ''),
    labels: p.metadata?.labels ?? {},
    phase: p.status?.phase ?? 'Unknown',
    ...(p.metadata?.deletionTimestamp ? { deleting: true } : {}),
    ...(start !== undefined ? { startTimeMs: start } : {}),
    ...(ready ? { ready: { status: ready.status, lastTransitionTimeMs: timeMs(ready.lastTransitionTime) ?? -62135596800000 } } : {}),
    containers: ((p.spec?.containers ?? []) as Json[]).map(containerFromApi),
    ...(p.spec?.initContainers ? { initContainers: (p.spec.initContainers as Json[]).map(containerFromApi) } : {}),
    ...(p.spec?.resources?.requests ? { podRequestsMilli: milliList(p.spec.resources.requests) } : {}),
  };
}

/** metrics.k8s.io PodMetrics to the engine's item. */
export function podMetricsFromApi(m: Json, nowMs: number): PodMetricsItem {
  return {
    podName: String(m.metadata?.name ?? ''),
    timestampMs: timeMs(m.timestamp) ?? nowMs,
    windowSeconds: durationSeconds(m.window, 60),
    containers: ((m.containers ?? []) as Json[]).map((c) => ({ name: String(c.name ?? ''), usageMilli: milliList(c.usage) })),
  };
}

/** One custom.metrics.k8s.io MetricValue (v1beta1 or v1beta2) of a pod. */
export function podValueFromApi(v: Json, nowMs: number): PodMetricValue {
  return {
    podName: String(v.describedObject?.name ?? ''),
    valueMilli: parseQuantityMilli(v.value),
    timestampMs: timeMs(v.timestamp) ?? nowMs,
    ...(v.windowSeconds !== undefined && v.windowSeconds !== null ? { windowSeconds: Number(v.windowSeconds) } : {}),
  };
}

/** A metav1.LabelSelector as the query string kubectl and the controller send. */
export function selectorString(sel: LabelSelector | null | undefined): string {
  if (!sel) return '';
  const parts: string[] = [];
  for (const k of Object.keys(sel.matchLabels ?? {}).sort()) parts.push(`${k}=${sel.matchLabels?.[k] ?? ''}`);
  for (const e of sel.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

const KNOWN_RESOURCES: Record<string, string> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  ReplicaSet: 'replicasets',
  ReplicationController: 'replicationcontrollers',
  Service: 'services',
  Ingress: 'ingresses',
  Pod: 'pods',
  Namespace: 'namespaces',
  Job: 'jobs',
};

/** The plural resource of a kind (the RESTMapper's answer for the common kinds; else lower-case + s). */
export function resourceOfKind(kind: string): string {
  const k = kind.toLowerCase();
  return KNOWN_RESOURCES[kind] ?? (/(s|x|ch|sh)$/.test(k) ? `${k}es` : /[^aeiou]y$/.test(k) ? `${k.slice(0, -1)}ies` : `${k}s`);
}

/** `/apis/apps/v1` or `/api/v1` for an apiVersion. */
export function groupVersionPath(apiVersion: string | undefined): string {
  if (!apiVersion || !apiVersion.includes('/')) return `/api/${apiVersion || 'v1'}`;
  return `/apis/${apiVersion}`;
}
