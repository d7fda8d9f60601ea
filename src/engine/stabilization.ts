/**
 * Stabilization of recommendations over time windows.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/horizontal.go stabilizeRecommendation, stabilizeRecommendationWithBehaviors
 */
import type { TimestampedRecommendation } from './types.js';

export interface StabilizeResult {
  readonly replicas: number;
  /** The history after recording the new recommendation. */
  readonly recommendations: readonly TimestampedRecommendation[];
}

/**
 * Without `behavior`: the maximum of `desired` and every recommendation not older than the
 * window; then records `desired`, overwriting the last stale entry.
 *
 * @example stabilize({ recommendations: [{ recommendation: 5, timestampMs: -60_000 }], desiredReplicas: 3, nowMs: 0, windowSeconds: 300 }).replicas // -> 5
 */
export function stabilize(input: {
  readonly recommendations: readonly TimestampedRecommendation[];
  readonly desiredReplicas: number;
  readonly nowMs: number;
  readonly windowSeconds: number;
}): StabilizeResult {
  const { desiredReplicas, nowMs } = input;
  const cutoff = nowMs - input.windowSeconds * 1000;
  let max = desiredReplicas;
  let oldIndex = -1;
  const recs = input.recommendations;
  for (let i = 0; i < recs.length; i++) {
    const rec = recs[i] as TimestampedRecommendation;
    if (rec.timestampMs < cutoff) oldIndex = i;
    else if (rec.recommendation > max) max = rec.recommendation;
  }
  return { replicas: max, recommendations: record(input.recommendations, oldIndex, { recommendation: desiredReplicas, timestampMs: nowMs }) };
}

function record(
  list: readonly TimestampedRecommendation[],
  oldIndex: number,
  rec: TimestampedRecommendation,
): TimestampedRecommendation[] {
  const out = list.slice();
  if (oldIndex >= 0) out[oldIndex] = rec;
  else out.push(rec);
  return out;
}

export interface StabilizeWithBehaviorsResult extends StabilizeResult {
  /** Smallest recommendation inside the scale-up window (with `desired`). */
  readonly upRecommendation: number;
  /** Largest recommendation inside the scale-down window (with `desired`). */
  readonly downRecommendation: number;
  readonly reason: 'ScaleUpStabilized' | 'ScaleDownStabilized';
  readonly message: string;
}

/**
 * With `behavior`: `clamp(current, min(up window), max(down window))`; records `desired`,
 * overwriting the last entry older than both windows.
 *
 * @example stabilizeWithBehaviors({ recommendations: [{ recommendation: 5, timestampMs: -60_000 }], currentReplicas: 100, desiredReplicas: 3, nowMs: 0, scaleUpWindowSeconds: 0, scaleDownWindowSeconds: 180 }).replicas // -> 5
 */
export function stabilizeWithBehaviors(input: {
  readonly recommendations: readonly TimestampedRecommendation[];
  readonly currentReplicas: number;
  readonly desiredReplicas: number;
  readonly nowMs: number;
  readonly scaleUpWindowSeconds: number;
  readonly scaleDownWindowSeconds: number;
}): StabilizeWithBehaviorsResult {
  const { desiredReplicas, currentReplicas, nowMs } = input;
  const upCutoff = nowMs - input.scaleUpWindowSeconds * 1000;
  const downCutoff = nowMs - input.scaleDownWindowSeconds * 1000;
  let up = desiredReplicas;
  let down = desiredReplicas;
  let oldIndex = -1;
  const recs = input.recommendations;
  for (let i = 0; i < recs.length; i++) {
    const rec = recs[i] as TimestampedRecommendation;
    if (rec.timestampMs > upCutoff && rec.recommendation < up) up = rec.recommendation;
    if (rec.timestampMs > downCutoff && rec.recommendation > down) down = rec.recommendation;
    if (rec.timestampMs < upCutoff && rec.timestampMs < downCutoff) oldIndex = i;
  }
  let replicas = currentReplicas;
  if (replicas < up) replicas = up;
  if (replicas > down) replicas = down;
  const scaleUp = desiredReplicas >= currentReplicas;
  return {
    replicas,
    recommendations: record(input.recommendations, oldIndex, { recommendation: desiredReplicas, timestampMs: nowMs }),
    upRecommendation: up,
    downRecommendation: down,
    reason: scaleUp ? 'ScaleUpStabilized' : 'ScaleDownStabilized',
    message: scaleUp
      ? 'recent recommendations were lower than current one, applying the lowest recent recommendation'
      : 'recent recommendations were higher than current one, applying the highest recent recommendation',
  };
}
