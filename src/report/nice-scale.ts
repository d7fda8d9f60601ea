/** Axis ranges on round numbers, so tick labels read 0, 2, 4 ... rather than 0, 1.73, 3.46. */

/** An axis range and its tick interval. */
export interface NiceScale {
  min: number;
  max: number;
  interval: number;
}

/** Removes floating-point noise such as 0.30000000000000004. */
function clean(x: number): number {
  return Number(x.toPrecision(12));
}

const MANTISSAS = [1, 2, 2.5, 5] as const;

/**
 * A range covering `[lo, hi]` whose ends are multiples of a round interval (1, 2, 2.5 or 5 times a
 * power of ten; whole numbers when `integer` is set), choosing the interval whose tick count is
 * closest to `targetTicks` (ties go to the coarser one). An empty or non-finite range is widened
 * to something drawable.
 *
 * @example
 * niceScale(0, 10.5, { integer: true }); // -> { min: 0, max: 12, interval: 2 }
 */
export function niceScale(lo: number, hi: number, options: { targetTicks?: number; integer?: boolean } = {}): NiceScale {
  const integer = options.integer ?? false;
  const target = Math.max(1, options.targetTicks ?? 5);
  let a = Number.isFinite(lo) ? lo : 0;
  let b = Number.isFinite(hi) ? hi : a + 1;
  if (a > b) [a, b] = [b, a];
  if (a === b) {
    const pad = integer ? 1 : Math.abs(a) > 0 ? Math.abs(a) * 0.1 : 1;
    if (a === 0) b = pad;
    else {
      a -= pad;
      b += pad;
    }
  }
  // Padding can vanish next to denormals or beside huge magnitudes; fall back to a unit range.
  if (!(b > a) || !Number.isFinite(b - a)) {
    a = 0;
    b = 1;
  }
  const exponent = Math.floor(Math.log10((b - a) / target));
  if (!Number.isFinite(exponent)) return { min: a, max: b, interval: b - a };
  let best: NiceScale | undefined;
  let bestScore = Infinity;
  for (let e = exponent - 1; e <= exponent + 1; e++) {
    for (const m of MANTISSAS) {
      const interval = clean(m * 10 ** e);
      if (integer && !Number.isInteger(interval)) continue;
      const min = clean(Math.floor(a / interval) * interval);
      const max = clean(Math.ceil(b / interval) * interval);
      const score = Math.abs(Math.round((max - min) / interval) - target);
      if (score <= bestScore) {
        bestScore = score;
        best = { min, max, interval };
      }
    }
  }
  return best ?? { min: a, max: b, interval: b - a };
}
