/**
 * Scale rate limits and min/max clamping.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/horizontal.go convertDesiredReplicasWithRules, convertDesiredReplicasWithBehaviorRate
 */
import { MAX_INT32, MIN_INT32, ceilToInt32, truncToInt32 } from './int-math.js';
import type { HPAScalingRules, ScaleEvent } from './types.js';

export type LimitReason = 'DesiredWithinRange' | 'TooFewReplicas' | 'TooManyReplicas' | 'ScaleUpLimit' | 'ScaleDownLimit';

export interface LimitResult {
  readonly replicas: number;
  readonly reason: LimitReason;
  readonly message: string;
  /** The rate limit that applied in the scaling direction, if any. */
  readonly limit?: number | undefined;
  /** Per policy, the replicas it allows (for the explanation). */
  readonly policies?: readonly { readonly type: string; readonly value: number; readonly periodSeconds: number; readonly allowed: number; readonly periodStartReplicas: number }[] | undefined;
}

export const LIMIT_MESSAGES: Readonly<Record<LimitReason, string>> = {
  DesiredWithinRange: 'the desired count is within the acceptable range',
  TooFewReplicas: 'the desired replica count is less than the minimum replica count',
  TooManyReplicas: 'the desired replica count is more than the maximum replica count',
  ScaleUpLimit: 'the desired replica count is increasing faster than the maximum scale rate',
  ScaleDownLimit: 'the desired replica count is decreasing faster than the maximum scale rate',
};

function result(replicas: number, reason: LimitReason, extra?: { limit?: number; policies?: LimitResult['policies'] }): LimitResult {
  return { replicas, reason, message: LIMIT_MESSAGES[reason], limit: extra?.limit, policies: extra?.policies };
}

/**
 * Without `behavior`: clamp to `[min, min(max, max(factor·current, minimum))]`.
 *
 * @example convertDesiredReplicasWithRules({ currentReplicas: 3, desiredReplicas: 1, minReplicas: 2, maxReplicas: 8, scaleUpLimitFactor: 2, scaleUpLimitMinimum: 4 }).reason // -> 'TooFewReplicas'
 */
export function convertDesiredReplicasWithRules(input: {
  readonly currentReplicas: number;
  readonly desiredReplicas: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly scaleUpLimitFactor: number;
  readonly scaleUpLimitMinimum: number;
}): LimitResult {
  const scaleUpLimit = truncToInt32(Math.max(input.scaleUpLimitFactor * input.currentReplicas, input.scaleUpLimitMinimum));
  let maxAllowed: number;
  let reason: LimitReason;
  if (input.maxReplicas > scaleUpLimit) {
    maxAllowed = scaleUpLimit;
    reason = 'ScaleUpLimit';
  } else {
    maxAllowed = input.maxReplicas;
    reason = 'TooManyReplicas';
  }
  if (input.desiredReplicas < input.minReplicas) return result(input.minReplicas, 'TooFewReplicas', { limit: scaleUpLimit });
  if (input.desiredReplicas > maxAllowed) return result(maxAllowed, reason, { limit: scaleUpLimit });
  return result(input.desiredReplicas, 'DesiredWithinRange', { limit: scaleUpLimit });
}

/** Sum of `replicaChange` of events newer than `now − period` (`getReplicasChangePerPeriod`). */
export function getReplicasChangePerPeriod(periodSeconds: number, events: readonly ScaleEvent[], nowMs: number): number {
  const cutoff = nowMs - periodSeconds * 1000;
  let replicas = 0;
  for (const e of events) if (e.timestampMs > cutoff) replicas += e.replicaChange;
  return replicas;
}

interface PolicyFold {
  readonly limit: number;
  readonly policies: NonNullable<LimitResult['policies']>;
}

function foldPolicies(
  direction: 'up' | 'down',
  currentReplicas: number,
  upEvents: readonly ScaleEvent[],
  downEvents: readonly ScaleEvent[],
  rules: HPAScalingRules,
  nowMs: number,
): PolicyFold {
  const policies: { type: string; value: number; periodSeconds: number; allowed: number; periodStartReplicas: number }[] = [];
  if (rules.selectPolicy === 'Disabled') return { limit: currentReplicas, policies };
  // Up: Max picks the largest proposal. Down: Max picks the smallest (the largest change).
  const pickLarger = direction === 'up' ? rules.selectPolicy !== 'Min' : rules.selectPolicy === 'Min';
  let limit = pickLarger ? MIN_INT32 : MAX_INT32;
  let proposed = 0;
  for (const p of rules.policies ?? []) {
    const added = getReplicasChangePerPeriod(p.periodSeconds, upEvents, nowMs);
    const deleted = getReplicasChangePerPeriod(p.periodSeconds, downEvents, nowMs);
    const periodStart = currentReplicas - added + deleted;
    if (p.type === 'Pods') proposed = direction === 'up' ? periodStart + p.value : periodStart - p.value;
    else if (p.type === 'Percent') {
      // Up rounds up so a small percentage still adds a pod; down truncates (int32 conversion).
      proposed =
        direction === 'up' ? ceilToInt32(periodStart * (1 + p.value / 100)) : truncToInt32(periodStart * (1 - p.value / 100));
    }
    policies.push({ type: p.type, value: p.value, periodSeconds: p.periodSeconds, allowed: proposed, periodStartReplicas: periodStart });
    limit = pickLarger ? Math.max(limit, proposed) : Math.min(limit, proposed);
  }
  return { limit, policies };
}

/** `calculateScaleUpLimitWithScalingRules`. */
export function calculateScaleUpLimitWithScalingRules(input: {
  readonly currentReplicas: number;
  readonly scaleUpEvents: readonly ScaleEvent[];
  readonly scaleDownEvents: readonly ScaleEvent[];
  readonly rules: HPAScalingRules;
  readonly nowMs: number;
}): number {
  return foldPolicies('up', input.currentReplicas, input.scaleUpEvents, input.scaleDownEvents, input.rules, input.nowMs).limit;
}

/** `calculateScaleDownLimitWithBehaviors`. */
export function calculateScaleDownLimitWithBehaviors(input: {
  readonly currentReplicas: number;
  readonly scaleUpEvents: readonly ScaleEvent[];
  readonly scaleDownEvents: readonly ScaleEvent[];
  readonly rules: HPAScalingRules;
  readonly nowMs: number;
}): number {
  return foldPolicies('down', input.currentReplicas, input.scaleUpEvents, input.scaleDownEvents, input.rules, input.nowMs).limit;
}

/**
 * With `behavior`: apply the direction's policy limit (never past `current`) and the
 * min/max bound on that side only.
 *
 * @example convertDesiredReplicasWithBehaviorRate({ currentReplicas: 5, desiredReplicas: 7, minReplicas: 3, maxReplicas: 8, scaleUp, scaleDown, scaleUpEvents: [], scaleDownEvents: [], nowMs: 0 }).replicas // -> 7
 */
export function convertDesiredReplicasWithBehaviorRate(input: {
  readonly currentReplicas: number;
  readonly desiredReplicas: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly scaleUp: HPAScalingRules;
  readonly scaleDown: HPAScalingRules;
  readonly scaleUpEvents: readonly ScaleEvent[];
  readonly scaleDownEvents: readonly ScaleEvent[];
  readonly nowMs: number;
}): LimitResult {
  const { currentReplicas: current, desiredReplicas: desired } = input;
  if (desired > current) {
    const fold = foldPolicies('up', current, input.scaleUpEvents, input.scaleDownEvents, input.scaleUp, input.nowMs);
    // Don't scale up further until old scale events expire.
    const limit = Math.max(fold.limit, current);
    let maxAllowed = input.maxReplicas;
    let reason: LimitReason = 'TooManyReplicas';
    if (maxAllowed > limit) {
      maxAllowed = limit;
      reason = 'ScaleUpLimit';
    }
    if (desired > maxAllowed) return result(maxAllowed, reason, { limit, policies: fold.policies });
    return result(desired, 'DesiredWithinRange', { limit, policies: fold.policies });
  }
  if (desired < current) {
    const fold = foldPolicies('down', current, input.scaleUpEvents, input.scaleDownEvents, input.scaleDown, input.nowMs);
    const limit = Math.min(fold.limit, current);
    let minAllowed = input.minReplicas;
    let reason: LimitReason = 'TooFewReplicas';
    if (minAllowed < limit) {
      minAllowed = limit;
      reason = 'ScaleDownLimit';
    }
    if (desired < minAllowed) return result(minAllowed, reason, { limit, policies: fold.policies });
    return result(desired, 'DesiredWithinRange', { limit, policies: fold.policies });
  }
  return result(desired, 'DesiredWithinRange');
}
