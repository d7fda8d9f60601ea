/**
 * Scale-event bookkeeping for behavior policies.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/horizontal.go storeScaleEvent, markScaleEventsOutdated, getLongestPolicyPeriod
 */
import type { HorizontalPodAutoscalerBehavior, HPAScalingRules, ScaleEvent } from './types.js';

/** Longest `periodSeconds` among the rules' policies (0 for none). */
export function getLongestPolicyPeriod(rules: HPAScalingRules | null | undefined): number {
  let longest = 0;
  for (const p of rules?.policies ?? []) if (p.periodSeconds > longest) longest = p.periodSeconds;
  return longest;
}

/**
 * Records a rescale in the history of its direction: events older than the direction's longest
 * policy period are marked outdated and the last outdated one is reused. Without `behavior`
 * nothing is stored.
 *
 * @example storeScaleEvent({ behavior, scaleUpEvents: [], scaleDownEvents: [], prevReplicas: 2, newReplicas: 4, nowMs: 0 }).scaleUpEvents // -> [{ replicaChange: 2, timestampMs: 0, outdated: false }]
 */
export function storeScaleEvent(input: {
  readonly behavior: HorizontalPodAutoscalerBehavior | null | undefined;
  readonly scaleUpEvents: readonly ScaleEvent[];
  readonly scaleDownEvents: readonly ScaleEvent[];
  readonly prevReplicas: number;
  readonly newReplicas: number;
  readonly nowMs: number;
}): { readonly scaleUpEvents: readonly ScaleEvent[]; readonly scaleDownEvents: readonly ScaleEvent[] } {
  const { behavior, prevReplicas, newReplicas, nowMs } = input;
  if (!behavior) return { scaleUpEvents: input.scaleUpEvents, scaleDownEvents: input.scaleDownEvents };
  const up = newReplicas > prevReplicas;
  const rules = up ? behavior.scaleUp : behavior.scaleDown;
  const cutoff = nowMs - getLongestPolicyPeriod(rules) * 1000;
  const events = (up ? input.scaleUpEvents : input.scaleDownEvents).map((e) =>
    e.timestampMs < cutoff && !e.outdated ? { ...e, outdated: true } : e,
  );
  let oldIndex = -1;
  events.forEach((e, i) => {
    if (e.outdated) oldIndex = i;
  });
  const event: ScaleEvent = { replicaChange: Math.abs(newReplicas - prevReplicas), timestampMs: nowMs, outdated: false };
  if (oldIndex >= 0) events[oldIndex] = event;
  else events.push(event);
  return up
    ? { scaleUpEvents: events, scaleDownEvents: input.scaleDownEvents }
    : { scaleUpEvents: input.scaleUpEvents, scaleDownEvents: events };
}
