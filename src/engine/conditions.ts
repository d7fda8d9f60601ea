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
  const i = out.findIndex((c) => c.type === condition.type);
  if (i < 0) {
    out.push({ ...condition, lastTransitionTime: nowMs });
    return out;
  }
  const existing = out[i] as HorizontalPodAutoscalerCondition;
  out[i] = { ...condition, lastTransitionTime: existing.status !== condition.status ? nowMs : existing.lastTransitionTime };
  return out;
}
