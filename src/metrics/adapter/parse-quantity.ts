/**
 * `resource.ParseQuantity`: reads `"500m"`, `"1.5Gi"`, `"1e3"` into an exact {@link Quantity},
 * following apimachinery's two paths (int64 fast path that may keep the input text as the canonical
 * string, and the arbitrary-precision path that rounds finer than nano away from zero and caps
 * `BinarySI` at 2^63-1), so that parse-then-serialise matches Go byte for byte.
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity.go
 */
import type { Quantity, QuantityFormat } from './quantity.js';

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

  let precision = 0;
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
    const d = 10n ** BigInt(-9 - exp10);
    unscaled = unscaled / d + (unscaled % d === 0n ? 0n : 1n);
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
