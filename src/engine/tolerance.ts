/**
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/replica_calculator.go Tolerances.isWithin
 */
export interface Tolerances {
  readonly scaleUp: number;
  readonly scaleDown: number;
  /**
   * Before 1.33 the test was `|1 - ratio| <= tolerance` (one cluster-wide value), which differs
   * from the band in floating point at the edges (|1 - 1.1| > 0.1).
   */
  readonly absolute?: boolean | undefined;
}

/**
 * Whether a usage ratio is inside the inclusive band `[1 - scaleDown, 1 + scaleUp]` (v1.33+).
 *
 * @example isWithinTolerance(1.1, { scaleUp: 0.1, scaleDown: 0.1 }) // -> true
 */
export function isWithinTolerance(ratio: number, t: Tolerances): boolean {
  if (t.absolute) return Math.abs(1 - ratio) <= t.scaleUp;
  return 1 - t.scaleDown <= ratio && ratio <= 1 + t.scaleUp;
}
