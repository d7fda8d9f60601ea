/**
 * Resource requests per pod, the denominator of utilization.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/replica_calculator.go calculateRequests
 */
import type { PodInfo } from './types.js';

export type RequestsResult = { readonly ok: true; readonly requests: Map<string, number> } | { readonly ok: false; readonly error: string };

/**
 * Requests of `resource` per pod in milli-units: the named container's, or (no container) the
 * pod-level request when PodLevelResources is on and set, else the sum over containers and
 * restartable (sidecar) init containers.
 *
 * @example calculateRequests([pod], { resource: 'cpu', container: '' }) // -> { ok: true, requests: Map { 'p' => 500 } }
 */
export function calculateRequests(
  pods: readonly PodInfo[],
  options: { readonly resource: string; readonly container: string; readonly podLevelResources?: boolean },
): RequestsResult {
  const requests = new Map<string, number>();
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
    } else if (options.podLevelResources && pod.podRequestsMilli && Object.keys(pod.podRequestsMilli).length > 0) {
      const r = pod.podRequestsMilli[options.resource];
      if (r === undefined) return { ok: false, error: `missing pod-level request for ${options.resource} in Pod ${pod.name}` };
      request = r;
    } else {
      const r = calculatePodRequestsFromContainers(pod, options.resource);
      if (!r.ok) return r;
      request = r.request;
    }
    requests.set(pod.name, request);
  }
  return { ok: true, requests };
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
