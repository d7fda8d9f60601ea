/**
 * Pod classification before a replica calculation: which samples count.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/replica_calculator.go groupPods
 */
import type { PodInfo } from './types.js';

/** One per-pod sample, as the metrics client returns it (milli-units). */
export interface PodSample {
  readonly value: number;
  readonly timestampMs: number;
  readonly windowSeconds: number;
}

export type PodSamples = Map<string, PodSample>;

export interface PodGroups {
  readyPodCount: number;
  readonly unreadyPods: Set<string>;
  readonly missingPods: Set<string>;
  readonly ignoredPods: Set<string>;
}

export interface GroupPodsOptions {
  /** `cpu` applies the CPU readiness rules; any other resource (or `""` for custom metrics) does not. */
  readonly resource: string;
  readonly cpuInitializationPeriodSeconds: number;
  readonly delayOfInitialReadinessStatusSeconds: number;
  readonly nowMs: number;
  /** Kubernetes 1.38+: Succeeded pods are ignored like Failed ones (k/k#141302). */
  readonly ignoreSucceededPods?: boolean;
}

/**
 * Sorts pods into ready (counted), unready, missing (no sample) and ignored (deleted or failed;
 * from 1.38 also succeeded).
 * All comparisons are strict, as upstream's `After`/`Before`.
 *
 * @example groupPods([runningPod], samples, { resource: 'cpu', ... }).readyPodCount // -> 1
 */
export function groupPods(pods: readonly PodInfo[], samples: PodSamples, options: GroupPodsOptions): PodGroups {
  // The sets are created on first use: usually every pod is ready and they stay the shared empty one.
  let ready = 0;
  let unready: Set<string> = NO_PODS;
  let missing: Set<string> = NO_PODS;
  let ignored: Set<string> = NO_PODS;
  const cpu = options.resource === 'cpu';
  for (const pod of pods) {
    // Deleted and failed pods should not produce metrics; ignore them to be safe.
    if (pod.deleting || pod.phase === 'Failed' || (options.ignoreSucceededPods === true && pod.phase === 'Succeeded')) {
      if (ignored === NO_PODS) ignored = new Set();
      ignored.add(pod.name);
      continue;
    }
    if (pod.phase === 'Pending') {
      if (unready === NO_PODS) unready = new Set();
      unready.add(pod.name);
      continue;
    }
    const sample = samples.get(pod.name);
    if (!sample) {
      if (missing === NO_PODS) missing = new Set();
      missing.add(pod.name);
      continue;
    }
    if (cpu && isCpuUnready(pod, sample, options)) {
      if (unready === NO_PODS) unready = new Set();
      unready.add(pod.name);
      continue;
    }
    ready++;
  }
  return { readyPodCount: ready, unreadyPods: unready, missingPods: missing, ignoredPods: ignored };
}

/**
 * The empty set groups share (never added to: `groupPods` makes its own set on the first pod).
 * Callers treat a group's sets as read-only.
 */
const NO_PODS: Set<string> = new Set();

function isCpuUnready(pod: PodInfo, sample: PodSample, o: GroupPodsOptions): boolean {
  const ready = pod.ready;
  if (!ready || pod.startTimeMs === undefined) return true;
  if (pod.startTimeMs + o.cpuInitializationPeriodSeconds * 1000 > o.nowMs) {
    // Still initializing: the sample must cover one full window after the last readiness flip.
    return ready.status === 'False' || sample.timestampMs < ready.lastTransitionTimeMs + sample.windowSeconds * 1000;
  }
  // Past initialization: ignore only pods that never became ready after starting.
  return ready.status === 'False' && pod.startTimeMs + o.delayOfInitialReadinessStatusSeconds * 1000 > ready.lastTransitionTimeMs;
}
