/**
 * Kubernetes `resource.Quantity` values and their canonical serialisation, exactly as apimachinery
 * writes them into MetricValueList / ExternalMetricValueList / PodMetrics bodies: `500m`, `1`, `2k`,
 * `256Mi`, `1e3`. Parsing follows `resource.ParseQuantity` (its grammar, its error texts, its two
 * paths: the int64 fast path that may keep the input text as the canonical string, and the
 * arbitrary-precision path that rounds finer than nano away from zero and caps `BinarySI` at
 * 2^63-1), so parse-then-serialise matches Go byte for byte. A quantity is an exact decimal `mantissa × 10^exp10` (BigInt, never a float) plus
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

/** Digits past which scaled values saturate (far beyond int64's 19). */
const SATURATE_DIGITS = 40;

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
  if (q.mantissa === 0n) return 0n;
  // Beyond 10^SATURATE_DIGITS every caller saturates (int64 is 19 digits): stop there rather than
  // build 10^shift for `1e99999999`, which would take seconds. Go's inf.Dec would be exact.
  if (shift >= 0 && shift + q.mantissa.toString().length > SATURATE_DIGITS) return q.mantissa > 0n ? pow10(SATURATE_DIGITS) : -pow10(SATURATE_DIGITS);
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

// ---------------------------------------------------------------------------------------------
// Parsing (`resource.ParseQuantity`)

const SPLIT_RE_STRING = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

/** A string Kubernetes would not accept as a quantity; the message is apimachinery's. */
export class QuantityParseError extends SyntaxError {
  override name = 'QuantityParseError';
}

const ERR_FORMAT = `quantities must match the regular expression '${SPLIT_RE_STRING}'`;
const ERR_NUMERIC = 'unable to parse numeric part of quantity';
const ERR_SUFFIX = "unable to parse quantity's suffix";
const MAX_INT64 = 2n ** 63n - 1n;
const DECIMAL: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

interface Scanned {
  readonly positive: boolean;
  readonly value: string;
  readonly num: string;
  readonly denom: string;
  readonly suffix: string;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

function scan(str: string): Scanned {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  let num = str.slice(pos, i);
  if (i >= end) return { positive, value: str, num: num || '0', denom: '', suffix: '' };
  pos = i;
  if (num.length === 0) num = '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    if (i >= end) return { positive, value: str, num, denom, suffix: '' };
    pos = i;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < end && 'eEinumkKMGTP'.includes(str[pos] ?? '')) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) throw new QuantityParseError(ERR_FORMAT);
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

function interpret(suffix: string): { base: 10 | 2; exponent: number; format: QuantityFormat } {
  const dec = DECIMAL[suffix];
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BINARY[suffix];
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?\d+$/.test(suffix.slice(1))) {
    const parsed = BigInt(suffix.slice(1));
    if (parsed <= MAX_INT64 && parsed >= -MAX_INT64 - 1n) return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
  }
  throw new QuantityParseError(ERR_SUFFIX);
}

/**
 * Parses a Kubernetes quantity.
 *
 * @throws {QuantityParseError} when Kubernetes would reject the text
 * @example formatQuantity(parseQuantity('1000M')) // -> '1G'
 * @example formatQuantity(parseQuantity('.000000000001Ki')) // -> '2n'
 */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityParseError(ERR_FORMAT);
  if (str === '0') return { mantissa: 0n, exp10: 0, format: 'DecimalSI', cached: str };
  const { positive, value, num, denom, suffix } = scan(str);
  const { base, exponent, format: parsedFormat } = interpret(suffix);
  let format = parsedFormat;

  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (format === 'BinarySI') {
    if (exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(exponent);
      precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
    } else {
      precision = -1;
    }
  } else {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= -9) {
      const shifted = num + denom;
      const parsed = BigInt(shifted);
      if (parsed > MAX_INT64) throw new QuantityParseError(ERR_NUMERIC);
      const product = parsed * mantissa;
      if (product <= MAX_INT64) {
        const result = positive ? product : -product;
        const canonical =
          format === 'BinarySI'
            ? exponent % 10 === 0 && (parsed & 7n) !== 0n
            : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return canonical ? { mantissa: result, exp10: scale, format, cached: str } : { mantissa: result, exp10: scale, format };
      }
    }
  }

  // arbitrary precision (inf.Dec)
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(value);
  if (!m || `${m[2] ?? ''}${m[3] ?? ''}` === '') throw new QuantityParseError(ERR_NUMERIC);
  let unscaled = BigInt(`${m[2] ?? ''}${m[3] ?? ''}` || '0');
  let exp10 = -(m[3] ?? '').length;
  if (base === 10) exp10 += exponent;
  else unscaled *= 1n << BigInt(exponent);
  // round non-zero values up (away from zero) to nano
  if (unscaled !== 0n && exp10 < -9) {
    const shift = -9 - exp10;
    // A divisor longer than the value gives 0 remainder-non-zero, so 1 after rounding up: settle
    // it without building 10^shift (`1e-99999999` would take seconds).
    if (shift > unscaled.toString().length) unscaled = 1n;
    else {
      const d = 10n ** BigInt(shift);
      unscaled = unscaled / d + (unscaled % d === 0n ? 0n : 1n);
    }
    exp10 = -9;
  }
  if (format === 'BinarySI') {
    const exceeds = exp10 >= 0 ? unscaled * 10n ** BigInt(exp10) > MAX_INT64 : unscaled > MAX_INT64 * 10n ** BigInt(-exp10);
    if (exceeds) {
      unscaled = MAX_INT64;
      exp10 = 0;
    }
    const belowOne = exp10 < 0 && unscaled > 0n && unscaled < 10n ** BigInt(-exp10);
    if (belowOne) format = 'DecimalSI';
  }
  return { mantissa: m[1] === '-' ? -unscaled : unscaled, exp10, format };
}

// ---------------------------------------------------------------------------------------------
// Manifest values in milli-units (what the HPA controller computes with)

/** 2^63 - 1 as the nearest double (2^63): where milli-values saturate, like Kubernetes' int64 maths. */
const MAX_INT64_NUMBER = 2 ** 63; // int64 max (2^63 - 1) rounded to the nearest double
const NUMBER_PART_RE = /^[+-]?(?:\d|\.\d)/;
const milliCache = new Map<string, number>();

/**
 * The text the API server would parse for a manifest value: a JSON number's own text, or a string
 * with surrounding spaces trimmed (`Quantity.UnmarshalJSON` trims).
 */
function manifestText(value: string | number): string {
  return typeof value === 'number' ? String(value) : value.trim();
}

/**
 * Parses a manifest value (`"500m"`, `" 5 "`, `5`, `0.5`) as `Quantity.UnmarshalJSON` reads it:
 * a number is read from its decimal text, a string is trimmed. One rule is stricter than Go: the
 * number part must hold a digit, so `"."`, `"-"` and `"Mi"` (which `ParseQuantity` reads as 0)
 * are refused; nobody writes them meaning zero.
 *
 * @throws {QuantityParseError} `Cannot parse quantity '<value>': <apimachinery's reason>`
 * @example formatQuantity(parseManifestQuantity(' 1.5Gi ')) // -> '1536Mi'
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity.go (UnmarshalJSON)
 */
export function parseManifestQuantity(value: string | number): Quantity {
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new QuantityParseError(`Cannot parse quantity ${String(value)}: expected a string or a number`);
  }
  const text = manifestText(value);
  if (!NUMBER_PART_RE.test(text)) {
    throw new QuantityParseError(`Cannot parse quantity '${String(value)}': expected a digit in the number part`);
  }
  try {
    return parseQuantity(text);
  } catch (error) {
    throw new QuantityParseError(`Cannot parse quantity '${String(value)}': ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Whether a manifest value is a quantity {@link parseManifestQuantity} accepts.
 *
 * @example isQuantity('500m') // -> true
 * @example isQuantity('5 cores') // -> false
 */
export function isQuantity(value: unknown): value is string | number {
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  try {
    parseQuantityMilli(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * The milli-value of a manifest quantity as a number: `Quantity.MilliValue()` (exact, finer than
 * 1m rounded away from zero), saturating at ±(2^63-1) as int64 maths does. Memoized per text.
 *
 * @throws {QuantityParseError} when the value is not a quantity (see {@link parseManifestQuantity})
 * @example parseQuantityMilli('500m') // -> 500
 * @example parseQuantityMilli('1Mi') // -> 1048576000
 * @example parseQuantityMilli('0.0001') // -> 1
 */
export function parseQuantityMilli(value: string | number): number {
  const key = typeof value === 'number' ? `#${value}` : value;
  const hit = milliCache.get(key);
  if (hit !== undefined) return hit;
  const milli = quantityMilliValue(parseManifestQuantity(value));
  const out = milli > MAX_INT64 ? MAX_INT64_NUMBER : milli < -MAX_INT64 ? -MAX_INT64_NUMBER : Number(milli);
  if (milliCache.size < 10_000) milliCache.set(key, out);
  return out;
}

/**
 * A milli-value as `NewMilliQuantity(milli, DecimalSI).String()` prints it; whole values use the
 * largest exact suffix. A value at or beyond 2^63 prints as int64's maximum.
 *
 * @example formatMilliQuantity(1500) // -> '1500m'
 * @example formatMilliQuantity(2_000_000) // -> '2k'
 */
export function formatMilliQuantity(milli: number): string {
  if (!Number.isFinite(milli)) return String(milli);
  if (milli >= MAX_INT64_NUMBER) return MAX_INT64.toString();
  if (milli <= -MAX_INT64_NUMBER) return (-MAX_INT64).toString();
  return formatQuantity(newMilliQuantity(BigInt(Math.trunc(milli)), 'DecimalSI'));
}
