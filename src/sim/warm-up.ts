/**
 * The controller's memory of an HPA that has been running before t = 0. Without it t = 0 is the
 * HPA's creation: at its first sync the controller has no recommendations and records the
 * current replicas (upstream `stabilizeRecommendation...` on a new key), so a scale-up window
 * above 0 holds a burst that comes right after t = 0. With `warmUpSeconds` the history holds one
 * recommendation of the initial replicas per sync before t = 0, as a controller that has watched
 * the initial traffic steadily would have recorded.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/horizontal.go (recommendations)
 */
import type { AutoscalerState, TimestampedRecommendation } from '../engine/index.js';

/** Longest warm-up that changes anything: the longest stabilization window (3600 s). */
export const MAX_WARM_UP_SECONDS = 3600;

/**
 * The autoscaler state at t = 0 after `warmUpSeconds` of steady syncs at `replicas`, or the
 * state of a new HPA (`recommendations: null`) when `warmUpSeconds` is 0.
 *
 * @example warmedUpState({ replicas: 2, warmUpSeconds: 30, syncPeriodSeconds: 15 }).recommendations
 * // -> [{ recommendation: 2, timestampMs: -30000 }, { recommendation: 2, timestampMs: -15000 }]
 */
export function warmedUpState(input: { readonly replicas: number; readonly warmUpSeconds: number; readonly syncPeriodSeconds: number }): AutoscalerState {
  const { replicas, syncPeriodSeconds } = input;
  const warmUpSeconds = Math.min(input.warmUpSeconds, MAX_WARM_UP_SECONDS);
  if (!(warmUpSeconds > 0) || !(syncPeriodSeconds > 0)) return { recommendations: null, scaleUpEvents: [], scaleDownEvents: [] };
  const syncs = Math.floor(warmUpSeconds / syncPeriodSeconds);
  const recommendations: TimestampedRecommendation[] = [];
  for (let k = syncs; k >= 1; k--) recommendations.push({ recommendation: replicas, timestampMs: -k * syncPeriodSeconds * 1000 });
  return { recommendations, scaleUpEvents: [], scaleDownEvents: [] };
}
