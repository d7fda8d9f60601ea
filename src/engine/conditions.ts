/**
 * HPA status conditions, set as upstream's `setConditionInList` does: update in place by type
 * (list order = first-set order), transition time changes only when the status changes.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/horizontal.go setConditionInList
 */
import type { ConditionStatus, HorizontalPodAutoscalerCondition, HorizontalPodAutoscalerConditionType } from './types.js';

export function setCondition(
  list: readonly HorizontalPodAutoscalerCondition[],
  condition: {
    readonly type: HorizontalPodAutoscalerConditionType;
    readonly status: ConditionStatus;
    readonly reason: string;
    readonly message: string;
  },
  nowMs: number,
): HorizontalPodAutoscalerCondition[] {
  const out = list.slice();
  // Explicit literals, not object spread: this runs several times per reconcile.
  for (let i = 0; i < out.length; i++) {
    const existing = out[i] as HorizontalPodAutoscalerCondition;
    if (existing.type !== condition.type) continue;
    out[i] = {
      type: condition.type,
      status: condition.status,
      reason: condition.reason,
      message: condition.message,
      lastTransitionTime: existing.status !== condition.status ? nowMs : existing.lastTransitionTime,
    };
    return out;
  }
  out.push({ type: condition.type, status: condition.status, reason: condition.reason, message: condition.message, lastTransitionTime: nowMs });
  return out;
}

/** `setCondition` on a list the caller owns: updates it in place (one copy per reconcile, not per call). */
export function setConditionInPlace(
  list: HorizontalPodAutoscalerCondition[],
  type: HorizontalPodAutoscalerConditionType,
  status: ConditionStatus,
  reason: string,
  message: string,
  nowMs: number,
): void {
  for (let i = 0; i < list.length; i++) {
    const existing = list[i] as HorizontalPodAutoscalerCondition;
    if (existing.type !== type) continue;
    // Unchanged: keep the object (conditions are never mutated), no allocation.
    if (existing.status === status && existing.reason === reason && existing.message === message) return;
    list[i] = { type, status, reason, message, lastTransitionTime: existing.status !== status ? nowMs : existing.lastTransitionTime };
    return;
  }
  list.push({ type, status, reason, message, lastTransitionTime: nowMs });
}
