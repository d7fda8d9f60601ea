/**
 * From a Prometheus sample value (a float64) to the int64 milli-value prometheus-adapter puts in a
 * quantity: `int64(value * 1000.0)`, truncating toward zero in IEEE double arithmetic
 * (1.005 -> 1004m). Go's float-to-int64 conversion of NaN, ±Inf and out-of-range values is
 * platform-defined; on linux/amd64 (the adapter's usual build) it yields -2^63.
 *
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/pkg/custom-provider/provider.go (metricFor)
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/pkg/external-provider/metric_converter.go
 */

const TWO_POW_63 = 2 ** 63;
const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

/** What to do where Go's conversion is undefined: copy amd64, or saturate at the int64 bounds. */
export type Int64Overflow = 'amd64' | 'saturate';

/** How a sample becomes a milli-value on one of the adapter's paths. */
export interface MilliConversion {
  /** NaN becomes 0 (custom metrics do this; external metrics do not). */
  readonly nanToZero: boolean;
  /** NaN and negative values become 0 (resource metrics). */
  readonly clampNegative: boolean;
  readonly overflow: Int64Overflow;
}

/**
 * Custom metrics (`metricFor`): NaN -> 0. Upstream's result for ±Inf/overflow depends on the CPU,
 * and nothing relies on it, so this path saturates.
 */
export const CUSTOM_METRIC_CONVERSION: MilliConversion = { nanToZero: true, clampNegative: false, overflow: 'saturate' };
/** External metrics (`metric_converter.go`): no NaN guard; amd64 semantics for NaN/±Inf/overflow. */
export const EXTERNAL_METRIC_CONVERSION: MilliConversion = { nanToZero: false, clampNegative: false, overflow: 'amd64' };
/** Resource metrics (`resourceprovider`): NaN and negative samples are 0 before converting. */
export const RESOURCE_METRIC_CONVERSION: MilliConversion = { nanToZero: true, clampNegative: true, overflow: 'amd64' };

/**
 * Go's `int64(x)` for a float64, truncating toward zero.
 *
 * @example goFloatToInt64(-2.7) // -> -2n
 * @example goFloatToInt64(NaN) // -> -9223372036854775808n (amd64)
 */
export function goFloatToInt64(x: number, overflow: Int64Overflow = 'amd64'): bigint {
  if (Number.isNaN(x)) return overflow === 'amd64' ? MIN_INT64 : 0n;
  if (x >= TWO_POW_63 || x < -TWO_POW_63) {
    if (overflow === 'amd64') return MIN_INT64;
    return x > 0 ? MAX_INT64 : MIN_INT64;
  }
  return BigInt(Math.trunc(x));
}

/**
 * The milli-value of a sample on a given path.
 *
 * @example sampleToMilli(1.005, CUSTOM_METRIC_CONVERSION) // -> 1004n
 * @example sampleToMilli(NaN, CUSTOM_METRIC_CONVERSION) // -> 0n
 */
export function sampleToMilli(value: number, conversion: MilliConversion): bigint {
  let v = value;
  if (conversion.clampNegative && (Number.isNaN(v) || v < 0)) v = 0;
  if (conversion.nanToZero && Number.isNaN(v)) return 0n;
  return goFloatToInt64(v * 1000, conversion.overflow);
}

/**
 * Parses a sample value as Prometheus' JSON carries it (Go `strconv.ParseFloat` syntax, including
 * `NaN`, `+Inf`, `-Inf`).
 *
 * @throws {SyntaxError} when the text is not a float
 * @example parsePrometheusValue('+Inf') // -> Infinity
 */
export function parsePrometheusValue(text: string): number {
  const t = text.trim();
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  if (/^[+-]?(\d[\d_]*\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
    const n = Number(t.replace(/_/g, ''));
    if (!Number.isNaN(n)) return n;
  }
  throw new SyntaxError(`Cannot parse sample value: ${JSON.stringify(text)} is not a float`);
}
