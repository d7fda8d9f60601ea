/**
 * Go's integer conversions as the HPA controller applies them to its float maths: `int32(math.Ceil(x))`
 * and friends, saturating at the type's bounds. Quantities themselves live in `src/core/quantity.ts`.
 */

/** int64 bounds as doubles (2^63); milli values saturate here like Kubernetes' int64 maths. */
export const MAX_INT64 = 2 ** 63; // int64 max (2^63 - 1) rounded to the nearest double, as Go's float64(math.MaxInt64)
export const MAX_INT32 = 2147483647;
export const MIN_INT32 = -2147483648;

/** Formats an int64 value: exact MaxInt64 text where a double cannot hold it. */
export function formatInt64(value: number): number | string {
  if (value >= MAX_INT64) return '9223372036854775807';
  if (Math.abs(value) > Number.MAX_SAFE_INTEGER) return BigInt(value).toString();
  return value;
}

/** `int32(math.Ceil(x))`, saturating at the int32 bounds as newer upstream does. */
export function ceilToInt32(x: number): number {
  const c = Math.ceil(x);
  if (c > MAX_INT32 || Number.isNaN(c)) return MAX_INT32;
  if (c < MIN_INT32) return MIN_INT32;
  return c;
}

/** `int32(x)` for a float: truncation toward zero, saturating. */
export function truncToInt32(x: number): number {
  const t = Math.trunc(x);
  if (t > MAX_INT32) return MAX_INT32;
  if (t < MIN_INT32) return MIN_INT32;
  return t;
}
