/**
 * Resource requests per pod, the denominator of utilization.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/replica_calculator.go calculateRequests
 */
import type { PodInfo } from './types.js';

/**
 * Where the requests came from, for the explanation: `pod-level` (spec.resources.requests names
 * the resource), `aggregate` (pod-level requests are set but lack it: PodRequests' container
 * aggregate), `containers` (per-container sum; pod-level requests absent, gate off, or only
 * unsupported resources), `container` (a named container).
 */
export type RequestsSource = 'pod-level' | 'aggregate' | 'containers' | 'container';

export type RequestsResult =
  | { readonly ok: true; readonly requests: Map<string, number>; readonly sources?: readonly RequestsSource[] }
  | { readonly ok: false; readonly error: string };

/**
 * Requests of `resource` per pod in milli-units: the named container's, or (no container) the
 * pod-level requests when PodLevelResources is on and they hold a supported resource, else the
 * sum over containers and restartable (sidecar) init containers.
 *
 * Pod-level path: `PodRequests` overlays the pod-level values on the aggregate container
 * requests, so a resource the pod level does not name still comes from the containers
 * (`aggregateContainerRequests`); only when nothing requests it is the request missing.
 * Pod-level requests that name only unsupported resources (e.g. `ephemeral-storage`) count as
 * not set, and the per-container path runs. Pod overhead is not modelled (the observation has none).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/replica_calculator.go calculateRequests, calculatePodLevelRequests
 * @see https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/component-helpers/resource/helpers.go PodRequests, IsPodLevelRequestsSet
 *
 * @example calculateRequests([pod], { resource: 'cpu', container: '' }) // -> { ok: true, requests: Map { 'p' => 500 } }
 */
export function calculateRequests(
  pods: readonly PodInfo[],
  options: { readonly resource: string; readonly container: string; readonly podLevelResources?: boolean },
): RequestsResult {
  const requests = new Map<string, number>();
  // Plain flags, no allocation: this runs on every Utilization metric of every reconcile.
  let podLevel = false;
  let aggregate = false;
  let summed = false;
  for (const pod of pods) {
    let request: number;
    if (options.container !== '') {
      const c = findContainer(pod, options.container);
      if (!c) return { ok: false, error: `container ${options.container} not found in Pod ${pod.name}` };
      const r = c.requestsMilli?.[options.resource];
      if (r === undefined) {
        return { ok: false, error: `missing request for ${options.resource} in container ${options.container} of Pod ${pod.name}` };
      }
      request = r;
    } else if (options.podLevelResources && isPodLevelRequestsSet(pod)) {
      const r = podLevelRequest(pod, options.resource);
      if (r === undefined) return { ok: false, error: `missing pod-level request for ${options.resource} in Pod ${pod.name}` };
      if (pod.podRequestsMilli?.[options.resource] !== undefined && isSupportedPodLevelResource(options.resource)) podLevel = true;
      else aggregate = true;
      request = r;
    } else {
      summed = true;
      const r = calculatePodRequestsFromContainers(pod, options.resource);
      if (!r.ok) return r;
      request = r.request;
    }
    requests.set(pod.name, request);
  }
  if (!podLevel && !aggregate) return { ok: true, requests };
  const sources: RequestsSource[] = [];
  if (aggregate) sources.push('aggregate');
  if (summed) sources.push('containers');
  if (podLevel) sources.push('pod-level');
  return { ok: true, requests, sources };
}

/**
 * Whether a resource can be set at pod level: cpu, memory and hugepages-*.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/component-helpers/resource/helpers.go IsSupportedPodLevelResource
 */
export function isSupportedPodLevelResource(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');
}

/** `IsPodLevelRequestsSet`: pod-level requests name at least one supported resource. */
export function isPodLevelRequestsSet(pod: PodInfo): boolean {
  for (const name of Object.keys(pod.podRequestsMilli ?? {})) if (isSupportedPodLevelResource(name)) return true;
  return false;
}

/**
 * `PodRequests(pod)[resource]` when pod-level requests are set: the pod-level value for a
 * supported resource, else the aggregate container value, else undefined (nothing requests it).
 */
export function podLevelRequest(pod: PodInfo, resource: string): number | undefined {
  const own = pod.podRequestsMilli?.[resource];
  if (own !== undefined && isSupportedPodLevelResource(resource)) return own;
  return aggregateContainerRequest(pod, resource);
}

/**
 * `AggregateContainerRequests` for one resource: regular containers and restartable init
 * containers summed, then the maximum of that and each init container's use (a regular init
 * container plus the sidecars started before it; a sidecar's running sidecar total). A container
 * without the resource counts as nothing; undefined when no container names it.
 *
 * @example aggregateContainerRequest(podWithInit({ main: 200, init: 500 }), 'cpu') // -> 500
 */
export function aggregateContainerRequest(pod: PodInfo, resource: string): number | undefined {
  let named = false;
  let total = 0;
  for (const c of pod.containers ?? []) {
    const r = c.requestsMilli?.[resource];
    if (r !== undefined) {
      named = true;
      total += r;
    }
  }
  let sidecars = 0;
  let initMax = 0;
  for (const c of pod.initContainers ?? []) {
    const r = c.requestsMilli?.[resource];
    if (r !== undefined) named = true;
    let use: number;
    if (c.restartPolicy === 'Always') {
      total += r ?? 0;
      sidecars += r ?? 0;
      use = sidecars;
    } else {
      use = (r ?? 0) + sidecars;
    }
    // Requests are never negative, so a use without the resource (0) never wins the maximum.
    initMax = Math.max(initMax, use);
  }
  return named ? Math.max(total, initMax) : undefined;
}

/** Sum of a resource's requests over a pod's containers and restartable init containers. */
export function calculatePodRequestsFromContainers(
  pod: PodInfo,
  resource: string,
): { readonly ok: true; readonly request: number } | { readonly ok: false; readonly error: string } {
  let total = 0;
  for (const c of pod.containers ?? []) {
    const r = c.requestsMilli?.[resource];
    if (r === undefined) return { ok: false, error: `missing request for ${resource} in container ${c.name} of Pod ${pod.name}` };
    total += r;
  }
  for (const c of pod.initContainers ?? []) {
    if (c.restartPolicy !== 'Always') continue;
    const r = c.requestsMilli?.[resource];
    if (r === undefined) return { ok: false, error: `missing request for ${resource} in container ${c.name} of Pod ${pod.name}` };
    total += r;
  }
  return { ok: true, request: total };
}

function findContainer(pod: PodInfo, name: string) {
  for (const c of pod.containers ?? []) if (c.name === name) return c;
  for (const c of pod.initContainers ?? []) if (c.restartPolicy === 'Always' && c.name === name) return c;
  return undefined;
}
