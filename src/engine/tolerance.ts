/**
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/replica_calculator.go Tolerances.isWithin
 */
export interface Tolerances {
  readonly scaleUp: number;
  readonly scaleDown: number;
}

/**
 * Whether a usage ratio is inside the inclusive band `[1 - scaleDown, 1 + scaleUp]` (v1.33+).
 *
 * @example isWithinTolerance(1.1, { scaleUp: 0.1, scaleDown: 0.1 }) // -> true
 */
export function isWithinTolerance(ratio: number, t: Tolerances): boolean {
  return 1 - t.scaleDown <= ratio && ratio <= 1 + t.scaleUp;
}
