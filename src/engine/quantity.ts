/**
 * Kubernetes quantities as the HPA controller uses them: everything is `MilliValue()`.
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity.go
 */
import type { Quantity } from './types.js';

const DECIMAL_EXP: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_POW: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const QUANTITY_RE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

/** int64 bounds as doubles (2^63); milli values saturate here like Kubernetes' int64 maths. */
export const MAX_INT64 = 9223372036854775807;
export const MAX_INT32 = 2147483647;
export const MIN_INT32 = -2147483648;

const cache = new Map<string, number>();
const SUFFIXES = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

/** Whether `q` is a valid Kubernetes quantity (`"500m"`, `"1.5Gi"`, `"1e3"`, `5`). */
export function isQuantity(q: unknown): q is Quantity {
  if (typeof q === 'number') return Number.isFinite(q);
  return typeof q === 'string' && QUANTITY_RE.test(q.trim());
}

/**
 * Parses a quantity into milli-units, rounding up as `Quantity.MilliValue()` does.
 *
 * @throws {SyntaxError} when `q` is not a Kubernetes quantity
 * @example parseQuantityMilli('500m') // -> 500
 * @example parseQuantityMilli('1Mi') // -> 1048576000
 */
export function parseQuantityMilli(q: Quantity): number {
  if (typeof q === 'number') {
    if (!Number.isFinite(q)) throw new SyntaxError(`Cannot parse quantity: ${q} is not finite`);
    return saturate(Math.ceil(roundTiny(q * 1000)));
  }
  const hit = cache.get(q);
  if (hit !== undefined) return hit;
  const m = QUANTITY_RE.exec(q.trim());
  if (!m) {
    throw new SyntaxError(
      `Cannot parse quantity '${q}': expected a number with an optional suffix (m, k, M, G, Ki, Mi, Gi, ...) or exponent (e3)`,
    );
  }
  const sign = m[1] === '-' ? -1n : 1n;
  const digits = m[2] ?? '0';
  let exp10 = 3; // we want milli-units
  let pow2 = 0;
  if (m[3]) exp10 += Number(m[3].slice(1));
  else if (m[4] && m[4] in BINARY_POW) pow2 = BINARY_POW[m[4]] ?? 0;
  else if (m[4] !== undefined) exp10 += DECIMAL_EXP[m[4]] ?? 0;
  const [intPart = '', fracPart = ''] = digits.split('.');
  let mantissa = BigInt((intPart || '0') + fracPart);
  exp10 -= fracPart.length;
  mantissa *= 1n << BigInt(pow2);
  let value: bigint;
  // Exponents far outside int64 milli-values settle without building 10^exp (1e9999999 would take seconds).
  const mantissaDigits = mantissa.toString().length;
  if (mantissa === 0n) value = 0n;
  else if (exp10 >= 0 && exp10 + mantissaDigits > 40) value = 10n ** 40n;
  else if (exp10 < 0 && -exp10 > mantissaDigits + 1) value = 1n; // below 1m: rounds up to 1m
  else if (exp10 >= 0) value = mantissa * 10n ** BigInt(exp10);
  else {
    const div = 10n ** BigInt(-exp10);
    value = mantissa / div + (mantissa % div === 0n ? 0n : 1n); // round up like MilliValue
  }
  const out = saturate(Number(sign * value));
  if (cache.size < 10_000) cache.set(q, out);
  return out;
}

function roundTiny(x: number): number {
  // 0.1 * 1000 = 100.00000000000001 in floating point; quantities are decimal, so snap.
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-6 ? r : x;
}

function saturate(x: number): number {
  if (x > MAX_INT64) return MAX_INT64;
  if (x < -MAX_INT64) return -MAX_INT64;
  return x;
}

/**
 * Formats milli-units as a DecimalSI quantity in Kubernetes' canonical form.
 *
 * @example formatMilliQuantity(1500) // -> "1500m"
 * @example formatMilliQuantity(5000) // -> "5"
 */
export function formatMilliQuantity(milli: number): string {
  if (milli >= MAX_INT64) return '9223372036854775807';
  if (!Number.isFinite(milli)) return String(milli);
  const v = Math.trunc(milli);
  if (v % 1000 !== 0) return `${v}m`;
  if (v === 0) return '0';
  if (Math.abs(v) <= Number.MAX_SAFE_INTEGER) {
    let u = v / 1000;
    let k = 0;
    while (u % 1000 === 0 && k < 6) {
      u /= 1000;
      k++;
    }
    return `${u}${SUFFIXES[k] ?? ''}`;
  }
  let units = BigInt(v / 1000);
  let i = 0;
  while (units !== 0n && units % 1000n === 0n && i < SUFFIXES.length - 1) {
    units /= 1000n;
    i++;
  }
  return `${units}${SUFFIXES[i] ?? ''}`;
}

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
