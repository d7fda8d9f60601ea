/**
 * Go's text formatting of values, as Kubernetes and prometheus-adapter print them: `%q` /
 * `strconv.Quote` for strings and `%v` for float64. Quoting is the only escaping prometheus-adapter
 * applies to values it inserts into PromQL (label values, object names, namespaces): because `"`
 * and `\` are always backslashed, a value can never close the string literal it is placed in, so no
 * PromQL injection is possible through a label value. (Durations are in `duration.ts`.)
 *
 * @see https://github.com/golang/go/blob/go1.19.8/src/strconv/quote.go
 * @see https://github.com/golang/go/blob/go1.19.8/src/strconv/ftoa.go
 */

const PRINTABLE_RE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x07: '\\a',
  0x08: '\\b',
  0x0c: '\\f',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x0b: '\\v',
};

/**
 * Whether Go's `strconv.IsPrint` holds for a code point: letters, marks, numbers, punctuation,
 * symbols and the ASCII space.
 */
export function isGoPrintable(codePoint: number): boolean {
  if (codePoint <= 0xff) {
    if (codePoint >= 0x20 && codePoint < 0x7f) return true;
    if (codePoint >= 0xa1 && codePoint <= 0xff) return codePoint !== 0xad;
    return false;
  }
  return PRINTABLE_RE.test(String.fromCodePoint(codePoint));
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

/**
 * Quotes a string exactly as Go's `fmt.Sprintf("%q", s)` does (double quotes, Go escapes, printable
 * Unicode kept as is). A lone UTF-16 surrogate (not representable in UTF-8) is quoted as U+FFFD,
 * which is what it becomes on the wire.
 *
 * @example goQuote('a"b') // -> '"a\\"b"'
 * @example goQuote('\u00a0') // -> '"\\u00a0"'
 */
export function goQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    let cp = ch.codePointAt(0) ?? 0xfffd;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp === 0x22 || cp === 0x5c) {
      out += `\\${String.fromCodePoint(cp)}`;
    } else if (isGoPrintable(cp)) {
      out += String.fromCodePoint(cp);
    } else if (SHORT_ESCAPES[cp] !== undefined) {
      out += SHORT_ESCAPES[cp];
    } else if (cp < 0x20 || cp === 0x7f) {
      out += `\\x${hex(cp, 2)}`;
    } else if (cp < 0x10000) {
      out += `\\u${hex(cp, 4)}`;
    } else {
      out += `\\U${hex(cp, 8)}`;
    }
  }
  return `${out}"`;
}

/**
 * Formats a float64 as Go's `%v` does (`strconv.FormatFloat(f, 'g', -1, 64)` with a 2-digit exponent).
 *
 * @example formatGoFloat(1e6) // -> '1e+06'
 * @example formatGoFloat(1.5) // -> '1.5'
 */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa = '0', expText = '0'] = Math.abs(value).toExponential().split('e');
  const exp = Number(expText);
  const sign = value < 0 ? '-' : '';
  // shortest 'g': exponent form when exp < -4 || exp >= 6 (Go uses precision 6 for the decision)
  if (exp < -4 || exp >= 6) return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${Math.abs(exp).toString().padStart(2, '0')}`;
  return `${sign}${Math.abs(value).toString()}`;
}
