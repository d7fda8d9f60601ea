/**
 * The per-metric replica calculations of upstream's `ReplicaCalculator`, over data already
 * fetched (the observation) instead of API clients.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/replica_calculator.go
 */
import { groupPods, type PodGroups, type PodSamples } from './pod-groups.js';
import { ceilToInt32, MAX_INT64 } from './int-math.js';
import { calculateRequests, type RequestsResult, type RequestsSource } from './requests.js';
import { isWithinTolerance, type Tolerances } from './tolerance.js';
import type { PodInfo } from './types.js';

export interface CalculatorSettings {
  readonly cpuInitializationPeriodSeconds: number;
  readonly delayOfInitialReadinessStatusSeconds: number;
  readonly podLevelResources?: boolean;
  /** Kubernetes 1.38+: Succeeded pods are ignored like Failed ones. */
  readonly ignoreSucceededPods?: boolean;
  readonly nowMs: number;
  /**
   * `false` (the engine's fast path): pod-based results carry `NO_DETAIL` instead of the sorted
   * pod lists and rebalancing figures the explanation shows. Proposals are the same.
   */
  readonly detail?: boolean;
}

/** How a proposal came about, for the explanation. */
export interface CalcDetail {
  /** usage / target before rebalancing. */
  readonly ratio: number;
  readonly withinTolerance: boolean;
  readonly readyPodCount?: number | undefined;
  readonly unreadyPods?: readonly string[] | undefined;
  readonly missingPods?: readonly string[] | undefined;
  readonly ignoredPods?: readonly string[] | undefined;
  /** Set when missing or unready pods were filled in and the ratio recomputed. */
  readonly rebalance?: { readonly newRatio: number; readonly sampleCount: number; readonly outcome: string } | undefined;
  /** Number the ratio was multiplied by. */
  readonly multiplier?: number | undefined;
  /**
   * Set when upstream's per-pod External sum saturated: `negative-sum` (a running sum below
   * zero, read by upstream as int64 overflow) or `overflow` (above MaxInt64).
   */
  readonly saturated?: 'negative-sum' | 'overflow' | undefined;
  /** Utilization only: where the pods' requests came from (see `RequestsSource`). */
  readonly requestsFrom?: readonly RequestsSource[] | undefined;
}

export type CalcResult =
  | {
      readonly ok: true;
      readonly replicas: number;
      /** Average utilization in percent (resource utilization only). */
      readonly utilization?: number;
      /** Raw average (resource), per-pod average (pods / per-pod), or total (value targets), milli. */
      readonly usage: number;
      readonly detail: CalcDetail;
    }
  | { readonly ok: false; readonly error: string };

const NO_PODS = 'no pods returned by selector while calculating replica count';
const NO_READY_METRICS = 'did not receive metrics for targeted pods (pods might be unready)';

/**
 * `GetResourceUtilizationRatio`: integer percent from the totals, ratio from that integer.
 *
 * @example getResourceUtilizationRatio(samples(300, 500, 700), requests(1000 x3), 30) // -> { ratio: 50/30, utilization: 50, rawAverage: 500 }
 */
export function getResourceUtilizationRatio(
  samples: PodSamples,
  requests: ReadonlyMap<string, number>,
  targetUtilization: number,
): { ratio: number; utilization: number; rawAverage: number } | { error: string } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let n = 0;
  for (const [name, s] of samples) {
    const r = requests.get(name);
    if (r === undefined) continue; // superfluous metric: no matching pod
    metricsTotal += s.value;
    requestsTotal += r;
    n++;
  }
  if (requestsTotal === 0) return { error: 'no metrics returned matched known pods' };
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / targetUtilization, utilization, rawAverage: Math.trunc(metricsTotal / n) };
}

/** `GetMetricUsageRatio`: truncated average over every sample (superfluous ones included). */
export function getMetricUsageRatio(samples: PodSamples, targetUsage: number): { ratio: number; usage: number } {
  let total = 0;
  for (const s of samples.values()) total += s.value;
  const usage = Math.trunc(total / samples.size);
  return { ratio: usage / targetUsage, usage };
}

/** The detail of a pod-based result on the fast path (`CalculatorSettings.detail: false`). */
export const NO_DETAIL: CalcDetail = Object.freeze({ ratio: Number.NaN, withinTolerance: false });

const NONE: readonly string[] = Object.freeze([]);
const sorted = (s: Set<string>): readonly string[] => (s.size === 0 ? NONE : [...s].sort());

/** Explicit literals, no object spread: this is the hot path of every reconcile. */
function detailOf(
  g: PodGroups,
  ratio: number,
  withinTolerance: boolean,
  multiplier: number | undefined,
  rebalance: CalcDetail['rebalance'],
): CalcDetail {
  return {
    ratio,
    withinTolerance,
    readyPodCount: g.readyPodCount,
    unreadyPods: sorted(g.unreadyPods),
    missingPods: sorted(g.missingPods),
    ignoredPods: sorted(g.ignoredPods),
    rebalance,
    multiplier,
  };
}

function removeSamples(samples: PodSamples, names: Set<string>): void {
  for (const n of names) samples.delete(n);
}

/** The common head of every pod-based calculation: group the pods, drop ignored and unready samples. */
function groupAndFilter(pods: readonly PodInfo[], samples: PodSamples, resource: string, settings: CalculatorSettings): PodGroups | { error: string } {
  if (pods.length === 0) return { error: NO_PODS };
  const groups = groupPods(pods, samples, {
    resource,
    cpuInitializationPeriodSeconds: settings.cpuInitializationPeriodSeconds,
    delayOfInitialReadinessStatusSeconds: settings.delayOfInitialReadinessStatusSeconds,
    nowMs: settings.nowMs,
    ignoreSucceededPods: settings.ignoreSucceededPods ?? false,
  });
  removeSamples(samples, groups.ignoredPods);
  removeSamples(samples, groups.unreadyPods);
  if (samples.size === 0) return { error: NO_READY_METRICS };
  return groups;
}

interface Skeleton {
  readonly currentReplicas: number;
  readonly samples: PodSamples;
  readonly groups: PodGroups;
  readonly tolerances: Tolerances;
  /** The ratio function (utilization or plain average). */
  readonly ratioOf: (s: PodSamples) => number;
  readonly ratio: number;
  /** Fallback sample for missing pods on a scale-down. */
  readonly scaleDownFill: (pod: string) => number;
  /** `false`: return `NO_DETAIL`. */
  readonly detail: boolean;
}

/** The shared tail of every pod-based calculation: tolerance, then rebalancing. */
function decide(k: Skeleton): { replicas: number; detail: CalcDetail } {
  const { groups, ratio, tolerances, currentReplicas, samples } = k;
  const scaleUpWithUnready = groups.unreadyPods.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && groups.missingPods.size === 0) {
    const within = isWithinTolerance(ratio, tolerances);
    if (!k.detail) return { replicas: within ? currentReplicas : ceilToInt32(ratio * groups.readyPodCount), detail: NO_DETAIL };
    if (within) return { replicas: currentReplicas, detail: detailOf(groups, ratio, true, undefined, undefined) };
    return { replicas: ceilToInt32(ratio * groups.readyPodCount), detail: detailOf(groups, ratio, false, groups.readyPodCount, undefined) };
  }
  if (groups.missingPods.size > 0) {
    if (ratio < 1) {
      for (const p of groups.missingPods) samples.set(p, { value: k.scaleDownFill(p), timestampMs: 0, windowSeconds: 0 });
    } else if (ratio > 1) {
      // At exactly 1 nothing is filled in.
      for (const p of groups.missingPods) samples.set(p, { value: 0, timestampMs: 0, windowSeconds: 0 });
    }
  }
  if (scaleUpWithUnready) {
    for (const p of groups.unreadyPods) samples.set(p, { value: 0, timestampMs: 0, windowSeconds: 0 });
  }
  const newRatio = k.ratioOf(samples);
  const within = isWithinTolerance(newRatio, tolerances);
  const flipped = (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1);
  if (within || flipped) {
    if (!k.detail) return { replicas: currentReplicas, detail: NO_DETAIL };
    return {
      replicas: currentReplicas,
      detail: detailOf(groups, ratio, isWithinTolerance(ratio, tolerances), undefined, {
        newRatio,
        sampleCount: samples.size,
        outcome: within ? 'within tolerance after rebalancing' : 'rebalancing reversed the direction',
      }),
    };
  }
  const newReplicas = ceilToInt32(newRatio * samples.size);
  const wrongWay = (newRatio < 1 && newReplicas > currentReplicas) || (newRatio > 1 && newReplicas < currentReplicas);
  if (!k.detail) return { replicas: wrongWay ? currentReplicas : newReplicas, detail: NO_DETAIL };
  return {
    replicas: wrongWay ? currentReplicas : newReplicas,
    detail: detailOf(groups, ratio, isWithinTolerance(ratio, tolerances), samples.size, {
      newRatio,
      sampleCount: samples.size,
      outcome: wrongWay ? 'recount moved the wrong way; keeping current' : 'recounted with filled-in pods',
    }),
  };
}

/** Per pod list, then PodLevelResources off/on, resource and container (strings of the spec: hashed once). */
const requestsMemo = new WeakMap<readonly PodInfo[], [Map<string, Map<string, RequestsResult>>, Map<string, Map<string, RequestsResult>>]>();

/**
 * `calculateRequests`, memoized per pod list (observations are never mutated, and a caller that
 * reuses an unchanged pod list asks for the same requests sync after sync).
 */
function requestsOf(pods: readonly PodInfo[], resource: string, container: string, podLevelResources: boolean): RequestsResult {
  let perList = requestsMemo.get(pods);
  if (perList === undefined) {
    perList = [new Map(), new Map()];
    requestsMemo.set(pods, perList);
  }
  const byResource = perList[podLevelResources ? 1 : 0];
  let byContainer = byResource.get(resource);
  if (byContainer === undefined) {
    byContainer = new Map();
    byResource.set(resource, byContainer);
  }
  let hit = byContainer.get(container);
  if (hit === undefined) {
    hit = calculateRequests(pods, { resource, container, podLevelResources });
    byContainer.set(container, hit);
  }
  return hit;
}

export interface ResourceReplicasInput {
  readonly currentReplicas: number;
  /** Per-pod samples from the resource metrics API (already summed per pod or container). */
  readonly samples: PodSamples;
  readonly pods: readonly PodInfo[];
  readonly resource: string;
  /** `""` for the whole pod. */
  readonly container: string;
  readonly tolerances: Tolerances;
  readonly settings: CalculatorSettings;
}

/**
 * `GetResourceReplicas`: Resource/ContainerResource with an `averageUtilization` target.
 * `samples` is consumed (mutated).
 */
export function getResourceReplicas(input: ResourceReplicasInput & { readonly targetUtilization: number }): CalcResult {
  const { pods, samples, settings } = input;
  const groups = groupAndFilter(pods, samples, input.resource, settings);
  if ('error' in groups) return { ok: false, error: groups.error };
  const req = requestsOf(pods, input.resource, input.container, settings.podLevelResources ?? false);
  if (!req.ok) return req;
  const first = getResourceUtilizationRatio(samples, req.requests, input.targetUtilization);
  if ('error' in first) return { ok: false, error: first.error };
  const fallbackUtilization = Math.max(100, input.targetUtilization);
  let recountError: string | undefined;
  const { replicas, detail } = decide({
    currentReplicas: input.currentReplicas,
    samples,
    groups,
    tolerances: input.tolerances,
    ratio: first.ratio,
    detail: settings.detail !== false,
    scaleDownFill: (p) => Math.trunc(((req.requests.get(p) ?? 0) * fallbackUtilization) / 100),
    ratioOf: (s) => {
      const r = getResourceUtilizationRatio(s, req.requests, input.targetUtilization);
      if ('error' in r) {
        recountError = r.error;
        return NaN;
      }
      return r.ratio;
    },
  });
  if (recountError !== undefined) return { ok: false, error: recountError };
  const withSource = req.sources && detail !== NO_DETAIL ? { ...detail, requestsFrom: req.sources } : detail;
  return { ok: true, replicas, utilization: first.utilization, usage: first.rawAverage, detail: withSource };
}

/**
 * `calcPlainMetricReplicas`: Pods metrics (`resource` = `""`, no CPU readiness rules) and
 * Resource/ContainerResource with an `averageValue` target. `samples` is consumed.
 */
export function getPlainMetricReplicas(input: {
  readonly currentReplicas: number;
  readonly samples: PodSamples;
  readonly pods: readonly PodInfo[];
  readonly resource: string;
  readonly targetUsage: number;
  readonly tolerances: Tolerances;
  readonly settings: CalculatorSettings;
}): CalcResult {
  const { pods, samples, settings, targetUsage } = input;
  const groups = groupAndFilter(pods, samples, input.resource, settings);
  if ('error' in groups) return { ok: false, error: groups.error };
  const first = getMetricUsageRatio(samples, targetUsage);
  const { replicas, detail } = decide({
    currentReplicas: input.currentReplicas,
    samples,
    groups,
    tolerances: input.tolerances,
    ratio: first.ratio,
    detail: settings.detail !== false,
    scaleDownFill: () => targetUsage,
    ratioOf: (s) => getMetricUsageRatio(s, targetUsage).ratio,
  });
  return { ok: true, replicas, usage: first.usage, detail };
}

/** Pods that are Running with condition Ready=True (`getReadyPodsCount`). */
export function countReadyPods(pods: readonly PodInfo[]): number {
  let n = 0;
  for (const p of pods) if (p.phase === 'Running' && p.ready?.status === 'True') n++;
  return n;
}

/**
 * `getUsageRatioReplicaCount`: Object/External `Value` targets. From zero replicas the
 * ratio is applied without tolerance (scale from zero).
 */
export function getUsageRatioReplicaCount(input: {
  readonly currentReplicas: number;
  readonly ratio: number;
  readonly tolerances: Tolerances;
  readonly pods: readonly PodInfo[];
}): { ok: true; replicas: number; detail: CalcDetail } | { ok: false; error: string } {
  const { currentReplicas, ratio, tolerances } = input;
  if (currentReplicas !== 0) {
    if (isWithinTolerance(ratio, tolerances)) return { ok: true, replicas: currentReplicas, detail: { ratio, withinTolerance: true } };
    if (input.pods.length === 0) return { ok: false, error: `unable to calculate ready pods: ${NO_PODS}` };
    const ready = countReadyPods(input.pods);
    return { ok: true, replicas: ceilToInt32(ratio * ready), detail: { ratio, withinTolerance: false, readyPodCount: ready, multiplier: ready } };
  }
  return { ok: true, replicas: ceilToInt32(ratio), detail: { ratio, withinTolerance: false, multiplier: 1 } };
}

/** `GetObjectMetricReplicas` / `GetExternalMetricReplicas` (Value target) on a fetched usage. */
export function getValueMetricReplicas(input: {
  readonly currentReplicas: number;
  readonly usage: number;
  readonly targetUsage: number;
  readonly tolerances: Tolerances;
  readonly pods: readonly PodInfo[];
}): CalcResult {
  const ratio = input.usage / input.targetUsage;
  const r = getUsageRatioReplicaCount({ currentReplicas: input.currentReplicas, ratio, tolerances: input.tolerances, pods: input.pods });
  if (!r.ok) return r;
  return { ok: true, replicas: r.replicas, usage: input.usage, detail: r.detail };
}

/**
 * `GetObjectPerPodMetricReplicas` / `GetExternalPerPodMetricReplicas` (AverageValue target):
 * divides by `status.replicas` and returns it when within tolerance.
 */
export function getPerPodMetricReplicas(input: {
  readonly statusReplicas: number;
  readonly usage: number;
  readonly targetAverageUsage: number;
  readonly tolerances: Tolerances;
  /** From `sumExternalPerPod`: the usage is MaxInt64 because the sum saturated. */
  readonly saturated?: 'negative-sum' | 'overflow' | undefined;
}): CalcResult {
  const { statusReplicas, usage, targetAverageUsage } = input;
  const ratio = usage / (targetAverageUsage * statusReplicas);
  let replicas = statusReplicas;
  const within = isWithinTolerance(ratio, input.tolerances);
  if (!within) replicas = ceilToInt32(usage / targetAverageUsage);
  const perPod = usage >= MAX_INT64 ? MAX_INT64 : Math.ceil(usage / statusReplicas);
  const detail: CalcDetail = input.saturated
    ? { ratio, withinTolerance: within, multiplier: statusReplicas, saturated: input.saturated }
    : { ratio, withinTolerance: within, multiplier: statusReplicas };
  return { ok: true, replicas, usage: perPod, detail };
}

/**
 * The per-pod External (AverageValue) sum as upstream computes it: a running sum that drops
 * below zero is taken for int64 overflow and saturates to MaxInt64, even if later values would
 * bring the total back above zero; so does a sum reaching MaxInt64. (The Value path,
 * `sumSaturating`, adds negative values normally.)
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/replica_calculator.go GetExternalPerPodMetricReplicas
 *
 * @example sumExternalPerPod([-5000, 9000]) // -> { usage: MAX_INT64, saturated: 'negative-sum' }
 */
export function sumExternalPerPod(values: readonly number[]): { readonly usage: number; readonly saturated?: 'negative-sum' | 'overflow' } {
  let total = 0;
  for (const v of values) {
    total += v;
    if (total < 0) return { usage: MAX_INT64, saturated: 'negative-sum' };
    if (total >= MAX_INT64) return { usage: MAX_INT64, saturated: 'overflow' };
  }
  return { usage: total };
}

/** Σ values saturating at MaxInt64, as the external path does. */
export function sumSaturating(values: readonly number[]): number {
  let total = 0;
  for (const v of values) {
    total += v;
    if (total >= MAX_INT64) return MAX_INT64;
  }
  return total;
}
