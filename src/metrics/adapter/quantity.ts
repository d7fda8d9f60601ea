/**
 * Kubernetes `resource.Quantity` values and their canonical serialisation, exactly as apimachinery
 * writes them into MetricValueList / ExternalMetricValueList / PodMetrics bodies: `500m`, `1`, `2k`,
 * `256Mi`, `1e3`. A quantity is an exact decimal `mantissa × 10^exp10` (BigInt, never a float) plus
 * its format; serialising puts it in canonical form (no fractional digits, largest exponent that is
 * a multiple of 3, or of 1024 for `BinarySI` integers).
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity.go
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/amount.go
 */

/** `DecimalSI` (`5G`), `BinarySI` (`5Gi`), `DecimalExponent` (`5e9`); any other name serialises as `DecimalExponent`. */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent' | (string & {});

export interface Quantity {
  /** The value is `mantissa × 10^exp10`. */
  readonly mantissa: bigint;
  readonly exp10: number;
  readonly format: QuantityFormat;
  /** The text a parsed quantity was read from, reused verbatim when already canonical (as Go does). */
  readonly cached?: string;
}

const DECIMAL_SUFFIXES: ReadonlyMap<number, string> = new Map([
  [-9, 'n'], [-6, 'u'], [-3, 'm'], [0, ''], [3, 'k'], [6, 'M'], [9, 'G'], [12, 'T'], [15, 'P'], [18, 'E'],
]);
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

function toBigInt(value: bigint | number): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isInteger(value)) throw new RangeError(`Cannot build a quantity from 'value': ${value} is not an integer`);
  return BigInt(value);
}

/**
 * `resource.NewQuantity(value, format)`.
 *
 * @example formatQuantity(newQuantity(1000, 'DecimalSI')) // -> '1k'
 */
export function newQuantity(value: bigint | number, format: QuantityFormat): Quantity {
  return { mantissa: toBigInt(value), exp10: 0, format };
}

/**
 * `resource.NewMilliQuantity(value, format)`: `value / 1000`.
 *
 * @example formatQuantity(newMilliQuantity(2500, 'DecimalSI')) // -> '2500m'
 */
export function newMilliQuantity(value: bigint | number, format: QuantityFormat): Quantity {
  return { mantissa: toBigInt(value), exp10: -3, format };
}

/**
 * A quantity of exact value `mantissa × 10^exp10`.
 *
 * @example formatQuantity(decimalQuantity(108, -2, 'DecimalSI')) // -> '1080m'
 */
export function decimalQuantity(mantissa: bigint | number, exp10: number, format: QuantityFormat): Quantity {
  return { mantissa: toBigInt(mantissa), exp10, format };
}

/** The quantity with its sign flipped (`Quantity.Neg`); the cached text is dropped, as in Go. */
export function negateQuantity(q: Quantity): Quantity {
  return { mantissa: -q.mantissa, exp10: q.exp10, format: q.format };
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

/**
 * The canonical decimal form: all factors of 10 moved into the exponent, then the exponent lowered
 * to a multiple of 3 (`AsCanonicalBytes`).
 *
 * @example canonicalParts(100n, 1) // -> { mantissa: '1', exp10: 3 }
 */
export function canonicalParts(mantissa: bigint, exp10: number): { mantissa: string; exp10: number } {
  if (mantissa === 0n) return { mantissa: '0', exp10: 0 };
  let m = mantissa;
  let e = exp10;
  while (abs(m) >= 10n && m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  while (e % 3 !== 0) {
    m *= 10n;
    e--;
  }
  return { mantissa: m.toString(), exp10: e };
}

/** Whether the value is an integer; if so, that integer. */
function integerValue(q: Quantity): bigint | undefined {
  if (q.exp10 >= 0) return q.mantissa * pow10(q.exp10);
  const d = pow10(-q.exp10);
  return q.mantissa % d === 0n ? q.mantissa / d : undefined;
}

/** -1024 < value < 1024 (exactly, fractions included). */
function isBelow1024(q: Quantity): boolean {
  const limit = 1024n;
  if (q.exp10 >= 0) return abs(q.mantissa * pow10(q.exp10)) < limit;
  return abs(q.mantissa) < limit * pow10(-q.exp10);
}

function decimalSuffix(exp10: number, format: QuantityFormat): string {
  if (format === 'DecimalSI') {
    const suffix = DECIMAL_SUFFIXES.get(exp10);
    if (suffix !== undefined) return suffix;
  }
  // DecimalExponent, or DecimalSI beyond `E`: exponent notation instead of dropping the exponent
  return exp10 === 0 ? '' : `e${exp10}`;
}

/**
 * Serialises a quantity in canonical form (`Quantity.String()`).
 *
 * @example formatQuantity(newMilliQuantity(1500, 'DecimalSI')) // -> '1500m'
 * @example formatQuantity(newQuantity(268435456, 'BinarySI')) // -> '256Mi'
 * @example formatQuantity(newMilliQuantity(1500, 'BinarySI')) // -> '1500m'
 */
export function formatQuantity(q: Quantity): string {
  if (q.cached !== undefined) return q.cached;
  if (q.mantissa === 0n) return '0';
  let format = q.format;
  let integer: bigint | undefined;
  if (format === 'BinarySI') {
    integer = isBelow1024(q) ? undefined : integerValue(q);
    if (integer === undefined) format = 'DecimalSI';
  } else if (format !== 'DecimalSI') {
    format = 'DecimalExponent';
  }
  if (format === 'BinarySI' && integer !== undefined) {
    let m = integer;
    let power = 0;
    while (power < BINARY_SUFFIXES.length - 1 && abs(m) >= 1024n && m % 1024n === 0n) {
      m /= 1024n;
      power++;
    }
    return `${m.toString()}${BINARY_SUFFIXES[power] ?? ''}`;
  }
  const parts = canonicalParts(q.mantissa, q.exp10);
  return `${parts.mantissa}${decimalSuffix(parts.exp10, format)}`;
}

/**
 * `Quantity.ScaledValue(scale)`: the value in units of `10^scale`, rounded away from zero.
 *
 * @example quantityScaledValue(newMilliQuantity(1500, 'DecimalSI'), 0) // -> 2n
 */
export function quantityScaledValue(q: Quantity, scale: number): bigint {
  const shift = q.exp10 - scale;
  if (shift >= 0) return q.mantissa * pow10(shift);
  const d = pow10(-shift);
  const result = q.mantissa / d;
  if (q.mantissa % d === 0n) return result;
  return q.mantissa > 0n ? result + 1n : result - 1n;
}

/**
 * `Quantity.MilliValue()`: the value × 1000, rounded away from zero, as the HPA reads metrics.
 *
 * @example quantityMilliValue(newQuantity(3, 'DecimalSI')) // -> 3000n
 */
export function quantityMilliValue(q: Quantity): bigint {
  return quantityScaledValue(q, -3);
}
