/**
 * The lexical half of Go's regexp syntax for {@link compileGoRegexp}: Go's error type and wording,
 * the parser state, character escapes (octal, hex, punctuation), Perl / POSIX / Unicode classes
 * and bracket expressions, all emitted as JavaScript (`u` flag) class syntax over explicit ranges.
 *
 * @see https://github.com/golang/go/blob/go1.19.8/src/regexp/syntax/parse.go
 */
import { caseFoldOrbit } from './case-fold.js';

/** The error kinds of Go's `regexp/syntax`, worded as Go words them. */
export type GoRegexpErrorCode =
  | 'invalid character class'
  | 'invalid character class range'
  | 'invalid escape sequence'
  | 'invalid named capture'
  | 'invalid or unsupported Perl syntax'
  | 'invalid nested repetition operator'
  | 'invalid repeat count'
  | 'missing argument to repetition operator'
  | 'missing closing )'
  | 'missing closing ]'
  | 'unexpected )'
  | 'trailing backslash at end of expression';

/** A pattern Go's `regexp.Compile` would reject; the message is Go's (`error parsing regexp: ...`). */
export class GoRegexpSyntaxError extends SyntaxError {
  override name = 'GoRegexpSyntaxError';
  readonly code: GoRegexpErrorCode;
  /** The offending part of the pattern, as Go reports it. */
  readonly expr: string;
  constructor(code: GoRegexpErrorCode, expr: string) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
    this.code = code;
    this.expr = expr;
  }
}

/** Inline flags in effect: `(?i)`, `(?m)`, `(?s)`, `(?U)`. */
export interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

/** The parser's position in the pattern and the capture-group names seen so far. */
export interface State {
  readonly src: string;
  pos: number;
  readonly names: string[];
}

/** An inclusive code-point range. */
export type Range = readonly [number, number];
/** A bracket expression being built: explicit ranges plus JS property escapes. */
export interface ClassItems {
  ranges: Range[];
  props: string[];
}

const MAX_CODE_POINT = 0x10ffff;
const DIGIT: Range[] = [[0x30, 0x39]];
const SPACE: Range[] = [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]];
const WORD: Range[] = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
const POSIX: Readonly<Record<string, Range[]>> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: DIGIT,
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: WORD,
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};
const GENERAL_CATEGORIES = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '),
);

/** ASCII letter or digit. */
export function isAlnum(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}

/** A code point as JS regex source, escaped unless alphanumeric (valid inside and outside classes). */
export function esc(cp: number): string {
  return isAlnum(cp) ? String.fromCodePoint(cp) : `\\u{${cp.toString(16)}}`;
}

function negate(ranges: readonly Range[]): Range[] {
  const sorted = normalize(ranges);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

function normalize(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** Adds the case variants of every code point (Go folds classes under `(?i)` before negating). */
function foldRanges(ranges: readonly Range[]): Range[] {
  const out: Range[] = [...ranges];
  let budget = 0x30000;
  for (const [lo, hi] of ranges) {
    budget -= hi - lo + 1;
    if (budget < 0) return [...ranges]; // huge classes (\S, [^a]) already hold both cases
    for (let cp = lo; cp <= hi; cp++) for (const f of caseFoldOrbit(cp)) if (f !== cp) out.push([f, f]);
  }
  return normalize(out);
}

/** A JS class from collected items. */
export function classJs(items: ClassItems, negated: boolean): string {
  const body = normalize(items.ranges)
    .map(([lo, hi]) => (lo === hi ? esc(lo) : `${esc(lo)}-${esc(hi)}`))
    .join('');
  return `[${negated ? '^' : ''}${body}${items.props.join('')}]`;
}

/** Throws Go's syntax error. */
export function fail(code: GoRegexpErrorCode, expr: string): never {
  throw new GoRegexpSyntaxError(code, expr);
}

/** The code point at the current position (plus `offset` code units). */
export function peek(st: State, offset = 0): number | undefined {
  return st.src.codePointAt(st.pos + offset);
}

/** Consumes one code point. */
export function takeChar(st: State): number {
  const cp = st.src.codePointAt(st.pos);
  if (cp === undefined) return fail('missing closing ]', st.src);
  st.pos += cp > 0xffff ? 2 : 1;
  return cp;
}

/** A literal code point, as a class of its case variants under `(?i)`. */
export function literalJs(cp: number, flags: Flags): string {
  if (flags.i) {
    const orbit = caseFoldOrbit(cp);
    if (orbit.length > 1) return `[${orbit.map(esc).join('')}]`;
  }
  return esc(cp);
}

/** Parses `{n}`, `{n,}`, `{n,m}` at the current position; returns undefined (and consumes nothing) if not a repeat. */
export function parseCharEscape(st: State, start: number): number {
  const c = peek(st);
  if (c === undefined) return fail('trailing backslash at end of expression', '');
  const ch = String.fromCodePoint(c);
  st.pos += ch.length;
  if (c >= 0x31 && c <= 0x37) {
    const n = peek(st);
    if (n === undefined || n < 0x30 || n > 0x37) fail('invalid escape sequence', st.src.slice(start, st.pos));
  }
  if (c >= 0x30 && c <= 0x37) {
    let value = c - 0x30;
    for (let k = 0; k < 2; k++) {
      const n = peek(st);
      if (n === undefined || n < 0x30 || n > 0x37) break;
      value = value * 8 + (n - 0x30);
      st.pos++;
    }
    return value;
  }
  if (ch === 'x') {
    if (peek(st) === 0x7b) {
      const m = /^\{([0-9A-Fa-f]+)\}/.exec(st.src.slice(st.pos));
      const value = m?.[1] === undefined ? NaN : parseInt(m[1], 16);
      if (!m || !(value <= MAX_CODE_POINT)) fail('invalid escape sequence', st.src.slice(start, st.pos + (m?.[0].length ?? 1)));
      st.pos += m[0].length;
      return value;
    }
    const m = /^[0-9A-Fa-f]{2}/.exec(st.src.slice(st.pos));
    if (!m) fail('invalid escape sequence', st.src.slice(start, Math.min(st.src.length, st.pos + 2)));
    st.pos += 2;
    return parseInt(m[0], 16);
  }
  const simple: Readonly<Record<string, number>> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
  if (simple[ch] !== undefined) return simple[ch];
  if (c < 0x80 && !isAlnum(c)) return c;
  return fail('invalid escape sequence', st.src.slice(start, st.pos));
}

/** `\d \D \s \S \w \W` as ranges, or undefined. */
export function perlClass(letter: string): Range[] | undefined {
  switch (letter) {
    case 'd':
      return DIGIT;
    case 'D':
      return negate(DIGIT);
    case 's':
      return SPACE;
    case 'S':
      return negate(SPACE);
    case 'w':
      return WORD;
    case 'W':
      return negate(WORD);
    default:
      return undefined;
  }
}

/** `\pN`, `\p{Greek}`, `\PN`, `\p{^Greek}` as a JS property escape (valid inside a class). */
export function parseUnicodeClass(st: State, start: number): string {
  let negated = st.src[st.pos] === 'P';
  st.pos++;
  let name: string;
  if (st.src[st.pos] === '{') {
    const end = st.src.indexOf('}', st.pos);
    if (end < 0) fail('invalid character class range', st.src.slice(start));
    name = st.src.slice(st.pos + 1, end);
    st.pos = end + 1;
  } else {
    const cp = peek(st);
    if (cp === undefined) fail('invalid character class range', st.src.slice(start));
    name = String.fromCodePoint(cp);
    st.pos += name.length;
  }
  if (name.startsWith('^')) {
    negated = !negated;
    name = name.slice(1);
  }
  const p = negated ? 'P' : 'p';
  let js: string;
  if (name === 'Any') js = negated ? '[]' : `[\\u{0}-\\u{10ffff}]`;
  else if (GENERAL_CATEGORIES.has(name)) js = `\\${p}{${name}}`;
  else if (/^[A-Za-z_]+$/.test(name)) js = `\\${p}{Script=${name}}`;
  else return fail('invalid character class range', st.src.slice(start, st.pos));
  try {
    new RegExp(js, 'u');
  } catch {
    fail('invalid character class range', st.src.slice(start, st.pos));
  }
  return js;
}

/** Parses a bracket expression `[...]` at the current position. */
export function parseClass(st: State, flags: Flags): string {
  const start = st.pos;
  st.pos++; // [
  let negated = false;
  if (st.src[st.pos] === '^') {
    negated = true;
    st.pos++;
  }
  const items: ClassItems = { ranges: [], props: [] };
  let first = true;
  while (first || st.src[st.pos] !== ']') {
    if (st.pos >= st.src.length) fail('missing closing ]', st.src.slice(start));
    first = false;
    if (st.src.startsWith('[:', st.pos)) {
      const end = st.src.indexOf(':]', st.pos + 2);
      if (end >= 0) {
        let name = st.src.slice(st.pos + 2, end);
        const neg = name.startsWith('^');
        if (neg) name = name.slice(1);
        const ranges = POSIX[name];
        if (!ranges) fail('invalid character class range', st.src.slice(st.pos, end + 2));
        items.ranges.push(...(neg ? negate(ranges) : ranges));
        st.pos = end + 2;
        continue;
      }
    }
    const itemStart = st.pos;
    if (st.src[st.pos] === '\\') {
      const letter = st.src[st.pos + 1] ?? '';
      const perl = perlClass(letter);
      if (perl) {
        items.ranges.push(...perl);
        st.pos += 2;
        continue;
      }
      if (letter === 'p' || letter === 'P') {
        st.pos++;
        items.props.push(parseUnicodeClass(st, itemStart));
        continue;
      }
    }
    const lo = classChar(st);
    let hi = lo;
    if (st.src[st.pos] === '-' && st.pos + 1 < st.src.length && st.src[st.pos + 1] !== ']') {
      st.pos++;
      hi = classChar(st);
      if (hi < lo) fail('invalid character class range', st.src.slice(itemStart, st.pos));
    }
    items.ranges.push([lo, hi]);
  }
  st.pos++; // ]
  if (flags.i) items.ranges = foldRanges(items.ranges);
  return classJs(items, negated);
}

function classChar(st: State): number {
  if (st.src[st.pos] === '\\') {
    const start = st.pos;
    st.pos++;
    if (st.pos >= st.src.length) fail('missing closing ]', st.src);
    return parseCharEscape(st, start);
  }
  return takeChar(st);
}
