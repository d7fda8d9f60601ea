import { isQuantity as isCoreQuantity, parseQuantityMilli as parseCoreMilli, describeValue, InputError } from '../core/index.js';
import type { Quantity } from '../engine/index.js';

export { formatMilliQuantity } from '../core/index.js';

/** What a quantity error says it expected. */
export const QUANTITY_EXPECTATION = "expected a Kubernetes quantity such as '500m', '5', '1.5', '1350Mi' or '2e3'";

/**
 * Whether `q` is a valid Kubernetes quantity (`"500m"`, `"1350Mi"`, `"1.5"`, `"2e3"`, `5`): the
 * core's grammar (`src/core/quantity.ts`), so what the loaders accept is exactly what the engine
 * computes with.
 *
 * @example isQuantity('500m') // -> true
 * @example isQuantity('5 cores') // -> false
 */
export function isQuantity(q: unknown): q is Quantity {
  return isCoreQuantity(q);
}

/**
 * The value of a Kubernetes quantity in milli-units, as `Quantity.MilliValue()` returns it (see
 * `parseQuantityMilli` in `src/core/quantity.ts`); this adds the error that names the file and field.
 *
 * @throws {InputError} code `schema` naming `file` and `path` when `q` is not a quantity.
 * @example parseQuantityMilli('500m') // -> 500
 * @example parseQuantityMilli('1350Mi') // -> 1415577600000
 * @example parseQuantityMilli(5) // -> 5000
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity.go
 */
export function parseQuantityMilli(q: Quantity, file = '<input>', path = ''): number {
  try {
    return parseCoreMilli(q);
  } catch (error) {
    throw new InputError('schema', file, path, `${QUANTITY_EXPECTATION}, got ${describeValue(q)}`, { cause: error });
  }
}
