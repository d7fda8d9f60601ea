/**
 * Go (RE2) regular expressions on top of JavaScript's engine. prometheus-adapter compiles
 * `seriesFilters`, `name.matches` and the label form of `resources.template` with Go's `regexp`
 * package, so this module accepts exactly RE2 syntax (rejecting what Go rejects: backreferences,
 * lookarounds, `\Z`, ...), and translates it to an equivalent JavaScript `RegExp` with the `u` flag:
 * Go's ASCII `\d \s \w \b`, `.` excluding only `\n`, inline flags `(?i) (?m) (?s) (?U)` (scoped too),
 * POSIX classes, `\Q...\E`, and named groups `(?P<name>...)` (duplicates allowed, as in Go) are
 * rewritten to plain capturing groups whose names are kept in {@link GoRegexp.subexpNames}.
 * Matching is leftmost-first in both engines, so match positions and submatches agree.
 *
 * @see https://pkg.go.dev/regexp/syntax
 */
import {
  classJs,
  fail,
  literalJs,
  parseCharEscape,
  parseClass,
  parseUnicodeClass,
  perlClass,
  takeChar,
  type Flags,
  type State,
} from './go-regexp-syntax.js';

export { GoRegexpSyntaxError, type GoRegexpErrorCode } from './go-regexp-syntax.js';

const MAX_REPEAT = 1000;

/** A compiled Go regular expression. */
export interface GoRegexp {
  /** The Go pattern as written. */
  readonly source: string;
  /** Names of the capture groups, index 0 (the whole match) is `''`, unnamed groups are `''`. */
  readonly subexpNames: readonly string[];
  /** Number of capture groups (Go's `NumSubexp`). */
  readonly numSubexp: number;
  /** The JavaScript translation, for diagnostics. */
  readonly jsSource: string;
  /** Go's `MatchString`: is there a match anywhere (unanchored)? */
  matchString(text: string): boolean;
  /** Go's `FindStringSubmatch`: the leftmost match and its groups (`undefined` = group did not take part). */
  findStringSubmatch(text: string): (string | undefined)[] | null;
}

function parseRepeatBraces(st: State): { min: number; max: number; text: string } | undefined {
  const m = /^\{(\d+)(,(\d*))?\}/.exec(st.src.slice(st.pos));
  if (!m || m[1] === undefined) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' || m[3] === undefined ? -1 : Number(m[3]);
  if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) fail('invalid repeat count', m[0]);
  st.pos += m[0].length;
  return { min, max, text: m[0] };
}

/** The character escapes valid both in and out of classes (octal, hex, \a\f\t\n\r\v, punctuation). */
function parseFlags(st: State, flags: Flags, start: number): { scoped: boolean; next: Flags } {
  const next = { ...flags };
  let sign = true;
  let sawFlag = false;
  let sawMinus = false;
  for (;;) {
    const ch = st.src[st.pos];
    if (ch === undefined) return fail('missing closing )', st.src.slice(start));
    st.pos++;
    if (ch === 'i' || ch === 'm' || ch === 's' || ch === 'U') {
      next[ch] = sign;
      sawFlag = true;
    } else if (ch === '-' && !sawMinus) {
      sign = false;
      sawMinus = true;
      sawFlag = false;
    } else if ((ch === ':' || ch === ')') && sawFlag) {
      return { scoped: ch === ':', next };
    } else {
      return fail('invalid or unsupported Perl syntax', st.src.slice(start, st.pos));
    }
  }
}

/** One atom at the current position: its JS form, or `null` for a flag-only group like `(?i)`. */
function parseAtom(st: State, flags: Flags): string[] | null {
  const start = st.pos;
  const ch = st.src[st.pos];
  switch (ch) {
    case '(': {
      if (st.src.startsWith('(?P<', st.pos) || (st.src.startsWith('(?<', st.pos) && !/^\(\?<[=!]/.test(st.src.slice(st.pos)))) {
        st.pos += st.src[st.pos + 2] === 'P' ? 4 : 3;
        const end = st.src.indexOf('>', st.pos);
        if (end < 0) fail('invalid named capture', st.src.slice(start));
        const name = st.src.slice(st.pos, end);
        if (!/^[A-Za-z0-9_]+$/.test(name)) fail('invalid named capture', st.src.slice(start, end + 1));
        st.pos = end + 1;
        st.names.push(name);
        return [`(${parseGroupBody(st, { ...flags }, start)})`];
      }
      if (st.src.startsWith('(?', st.pos)) {
        st.pos += 2;
        const { scoped, next } = parseFlags(st, flags, start);
        if (!scoped) {
          Object.assign(flags, next);
          return null;
        }
        return [`(?:${parseGroupBody(st, next, start)})`];
      }
      st.pos++;
      st.names.push('');
      return [`(${parseGroupBody(st, { ...flags }, start)})`];
    }
    case '[':
      return [parseClass(st, flags)];
    case '.':
      st.pos++;
      return [flags.s ? '[\\u{0}-\\u{10ffff}]' : '[^\\n]'];
    case '^':
      st.pos++;
      return [flags.m ? '(?<![^\\n])' : '^'];
    case '$':
      st.pos++;
      return [flags.m ? '(?![^\\n])' : '$'];
    case '*':
    case '+':
    case '?':
      return fail('missing argument to repetition operator', ch);
    case '{': {
      const save = st.pos;
      const rep = parseRepeatBraces(st);
      if (rep) fail('missing argument to repetition operator', rep.text);
      st.pos = save + 1;
      return [literalJs(0x7b, flags)];
    }
    case '\\':
      return parseEscapeAtom(st, flags);
    default:
      return [literalJs(takeChar(st), flags)];
  }
}

function parseEscapeAtom(st: State, flags: Flags): string[] {
  const start = st.pos;
  st.pos++;
  const letter = st.src[st.pos];
  if (letter === undefined) return fail('trailing backslash at end of expression', '');
  switch (letter) {
    case 'A':
      st.pos++;
      return ['^'];
    case 'z':
      st.pos++;
      return ['$'];
    case 'b':
      st.pos++;
      return ['\\b'];
    case 'B':
      st.pos++;
      return ['\\B'];
    case 'Q': {
      st.pos++;
      const end = st.src.indexOf('\\E', st.pos);
      const text = st.src.slice(st.pos, end < 0 ? undefined : end);
      st.pos = end < 0 ? st.src.length : end + 2;
      return [...text].map((c) => literalJs(c.codePointAt(0) ?? 0, flags));
    }
    case 'p':
    case 'P':
      return [parseUnicodeClass(st, start)];
    default: {
      const perl = perlClass(letter);
      if (perl) {
        st.pos++;
        return [classJs({ ranges: [...perl], props: [] }, false)];
      }
      return [literalJs(parseCharEscape(st, start), flags)];
    }
  }
}

function parseGroupBody(st: State, flags: Flags, start: number): string {
  const body = parseAlternation(st, flags);
  if (st.src[st.pos] !== ')') fail('missing closing )', st.src.slice(start));
  st.pos++;
  return body;
}

function parseAlternation(st: State, flags: Flags): string {
  const branches = [parseConcat(st, flags)];
  while (st.src[st.pos] === '|') {
    st.pos++;
    branches.push(parseConcat(st, flags));
  }
  return branches.join('|');
}

function parseConcat(st: State, flags: Flags): string {
  const parts: string[] = [];
  let canRepeat = false;
  while (st.pos < st.src.length && st.src[st.pos] !== '|' && st.src[st.pos] !== ')') {
    const atom = parseAtom(st, flags);
    if (atom === null) {
      canRepeat = false;
      continue;
    }
    parts.push(...atom);
    canRepeat = atom.length > 0;
    let lastRepeat = '';
    for (;;) {
      const opStart = st.pos;
      const c = st.src[st.pos];
      let quantifier: string;
      if (c === '*' || c === '+' || c === '?') {
        st.pos++;
        quantifier = c;
      } else if (c === '{') {
        const rep = parseRepeatBraces(st);
        if (!rep) break;
        quantifier = rep.max < 0 ? `{${rep.min},}` : rep.max === rep.min ? `{${rep.min}}` : `{${rep.min},${rep.max}}`;
      } else {
        break;
      }
      let lazy = flags.U;
      if (st.src[st.pos] === '?') {
        st.pos++;
        lazy = !lazy;
      }
      if (lastRepeat) fail('invalid nested repetition operator', lastRepeat + st.src.slice(opStart, st.pos));
      if (!canRepeat) fail('missing argument to repetition operator', st.src.slice(opStart, st.pos));
      const target = parts.pop() ?? '';
      parts.push(`(?:${target})${quantifier}${lazy ? '?' : ''}`);
      lastRepeat = st.src.slice(opStart, st.pos);
    }
  }
  return parts.join('');
}

/**
 * Compiles a Go regular expression.
 *
 * @throws {GoRegexpSyntaxError} when Go's `regexp.Compile` would reject the pattern
 * @example compileGoRegexp('^(.*)_total$').findStringSubmatch('http_requests_total') // -> ['http_requests_total', 'http_requests']
 * @see https://github.com/golang/go/blob/go1.19.8/src/regexp/syntax/parse.go
 */
export function compileGoRegexp(pattern: string): GoRegexp {
  const st: State = { src: pattern, pos: 0, names: [''] };
  const flags: Flags = { i: false, m: false, s: false, U: false };
  const js = parseAlternation(st, flags);
  if (st.pos < pattern.length) fail('unexpected )', pattern);
  let re: RegExp;
  try {
    re = new RegExp(js, 'u');
  } catch {
    return fail('invalid or unsupported Perl syntax', pattern);
  }
  const names = [...st.names];
  return {
    source: pattern,
    subexpNames: names,
    numSubexp: names.length - 1,
    jsSource: js,
    matchString: (text) => re.test(text),
    findStringSubmatch: (text) => {
      const m = re.exec(text);
      return m ? Array.from({ length: names.length }, (_, k) => m[k]) : null;
    },
  };
}
