/**
 * Downsampling for plotting: a 30-day run at 15 s has ~170k points per series, far more than a
 * chart is wide. Keeping each bucket's minimum and maximum keeps every spike visible, which
 * averaging or picking every n-th point would hide.
 */

/** Parallel time and value arrays. */
export interface SampledSeries {
  t: number[];
  y: number[];
}

function checkInputs(t: ArrayLike<number>, y: ArrayLike<number>, maxPoints: number): void {
  if (t.length !== y.length) {
    throw new RangeError(`Cannot downsample as 't' and 'y' differ in length: ${t.length} and ${y.length}`);
  }
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new RangeError(`Cannot downsample as 'maxPoints' must be an integer >= 2: current value is ${maxPoints}`);
  }
}

/**
 * Reduces a series to at most `maxPoints` points by keeping, in each of `B = floor(maxPoints / 2)`
 * buckets of consecutive indices, the point with the smallest and the point with the largest
 * finite value (first occurrence of each), in their original order. Bucket `i` covers indices
 * `[floor(i * n / B), floor((i + 1) * n / B))`. A bucket without any finite value keeps its first
 * point, so an all-`NaN` stretch still shows as a gap. Series that already fit are copied unchanged.
 *
 * @throws {RangeError} when `t` and `y` differ in length or `maxPoints` is not an integer >= 2
 * @example
 * downsampleMinMax([0, 1, 2, 3, 4, 5], [1, 9, 2, 8, 3, 7], 4);
 * // -> { t: [0, 1, 3, 4], y: [1, 9, 8, 3] }
 */
export function downsampleMinMax(t: ArrayLike<number>, y: ArrayLike<number>, maxPoints: number): SampledSeries {
  checkInputs(t, y, maxPoints);
  const n = t.length;
  if (n <= maxPoints) return { t: Array.from(t), y: Array.from(y) };
  const buckets = Math.floor(maxPoints / 2);
  const outT: number[] = [];
  const outY: number[] = [];
  const push = (i: number): void => {
    outT.push(t[i] as number);
    outY.push(y[i] as number);
  };
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let iMin = -1;
    let iMax = -1;
    for (let i = start; i < end; i++) {
      const v = y[i] as number;
      if (!Number.isFinite(v)) continue;
      if (iMin < 0 || v < (y[iMin] as number)) iMin = i;
      if (iMax < 0 || v > (y[iMax] as number)) iMax = i;
    }
    if (iMin < 0) {
      push(start);
    } else if (iMin === iMax) {
      push(iMin);
    } else {
      push(Math.min(iMin, iMax));
      push(Math.max(iMin, iMax));
    }
  }
  return { t: outT, y: outY };
}

function sameValue(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * Keeps only the points where a step series changes value, plus its first and last point. Drawn
 * as a staircase (each value holding until the next point) the result is identical to the input.
 *
 * @throws {RangeError} when `t` and `y` differ in length
 * @example
 * compressSteps([0, 15, 30, 45, 60], [2, 2, 3, 3, 3]);
 * // -> { t: [0, 30, 60], y: [2, 3, 3] }
 */
export function compressSteps(t: ArrayLike<number>, y: ArrayLike<number>): SampledSeries {
  checkInputs(t, y, 2);
  const n = t.length;
  const outT: number[] = [];
  const outY: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = y[i] as number;
    if (i === 0 || i === n - 1 || !sameValue(v, y[i - 1] as number)) {
      outT.push(t[i] as number);
      outY.push(v);
    }
  }
  return { t: outT, y: outY };
}

/**
 * Downsamples one series for plotting to at most `maxPoints` points. Step series are first
 * reduced to their change points, which is exact; only when those still exceed the budget (a
 * flapping autoscaler) does min/max bucketing apply, and the final point is kept so the staircase
 * reaches the end of the run.
 *
 * @throws {RangeError} when `t` and `y` differ in length or `maxPoints` is not an integer >= 2
 */
export function downsampleSeries(
  t: ArrayLike<number>,
  y: ArrayLike<number>,
  options: { maxPoints: number; step?: boolean },
): SampledSeries {
  const { maxPoints, step = false } = options;
  checkInputs(t, y, maxPoints);
  if (!step) return downsampleMinMax(t, y, maxPoints);
  const changes = compressSteps(t, y);
  if (changes.t.length <= maxPoints) return changes;
  if (maxPoints < 3) return downsampleMinMax(changes.t, changes.y, maxPoints);
  const reduced = downsampleMinMax(changes.t, changes.y, maxPoints - 1);
  const lastT = changes.t[changes.t.length - 1] as number;
  if (reduced.t[reduced.t.length - 1] !== lastT) {
    reduced.t.push(lastT);
    reduced.y.push(changes.y[changes.y.length - 1] as number);
  }
  return reduced;
}
