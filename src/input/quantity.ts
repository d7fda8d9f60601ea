import {
  formatMilliQuantity as formatMilli,
  isQuantity as isEngineQuantity,
  parseQuantityMilli as parseMilli,
} from '../engine/quantity.js';
import type { Quantity } from '../engine/types.js';
import { describeValue, InputError } from '../core/errors.js';

/** What a quantity error says it expected. */
export const QUANTITY_EXPECTATION = "expected a Kubernetes quantity such as '500m', '5', '1.5', '1350Mi' or '2e3'";

/**
 * Whether `q` is a valid Kubernetes quantity (`"500m"`, `"1350Mi"`, `"1.5"`, `"2e3"`, `5`): the
 * engine's grammar, so what the loaders accept is exactly what the engine computes with.
 *
 * @example isQuantity('500m') // -> true
 * @example isQuantity('5 cores') // -> false
 */
export function isQuantity(q: unknown): q is Quantity {
  return isEngineQuantity(q);
}

/**
 * The value of a Kubernetes quantity in milli-units, as `Quantity.MilliValue()` returns it: exact
 * decimal arithmetic, a value finer than 1m rounded up (away from zero), int64 saturation.
 * Grammar: an optional sign, a decimal number (`5`, `1.5`, `.5`, `5.`), then one suffix: decimal
 * SI (`n u m k M G T P E`), binary SI (`Ki Mi Gi Ti Pi Ei`) or a decimal exponent (`e3`, `E-2`).
 * A number is read as a JSON number in a manifest is. The arithmetic is the engine's
 * (`src/engine/quantity.ts`); this adds the error that names the file and field.
 *
 * @throws {InputError} code `schema` naming `file` and `path` when `q` is not a quantity.
 * @example parseQuantityMilli('500m') // -> 500
 * @example parseQuantityMilli('1350Mi') // -> 1415577600000
 * @example parseQuantityMilli(5) // -> 5000
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity.go
 */
export function parseQuantityMilli(q: Quantity, file = '<input>', path = ''): number {
  if (!isEngineQuantity(q)) {
    throw new InputError('schema', file, path, `${QUANTITY_EXPECTATION}, got ${describeValue(q)}`);
  }
  return parseMilli(q);
}

/**
 * The canonical decimal-SI string of a milli-value, as Kubernetes prints
 * `NewMilliQuantity(milli, DecimalSI)`: whole numbers use the largest exact suffix, others `m`.
 *
 * @example formatMilliQuantity(500) // -> '500m'
 * @example formatMilliQuantity(2_000_000) // -> '2k'
 */
export function formatMilliQuantity(milli: number): string {
  return formatMilli(milli);
}
