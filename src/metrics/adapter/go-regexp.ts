/**
 * Go (RE2) regular expressions, run by an RE2 engine (`re2js`, a port of RE2/J whose parser and
 * error texts follow Go's `regexp/syntax`). prometheus-adapter compiles `seriesFilters`,
 * `name.matches` and the label form of `resources.template` with Go's `regexp` package, so this
 * module accepts RE2 syntax, rejects what Go rejects (backreferences, lookarounds, `\Z`, ...) with
 * Go's message, and matches in time linear in the input: `^(a+)+$` cannot backtrack.
 *
 * One difference from RE2/J is bridged here: Go allows two groups with the same name
 * (`(?P<x>a)|(?P<x>b)`), RE2/J does not, so repeated names are compiled under fresh names and
 * reported under their own in {@link GoRegexp.subexpNames}.
 *
 * @see https://pkg.go.dev/regexp/syntax
 * @see https://github.com/le0pard/re2js
 */
import { RE2JS, RE2JSSyntaxException } from 're2js';

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
  | 'trailing backslash at end of expression'
  | (string & {});

/** A pattern Go's `regexp.Compile` would reject; the message is Go's (`error parsing regexp: ...`). */
export class GoRegexpSyntaxError extends SyntaxError {
  override name = 'GoRegexpSyntaxError';
  readonly code: GoRegexpErrorCode;
  /** The offending part of the pattern, as Go reports it. */
  readonly expr: string;
  constructor(code: GoRegexpErrorCode, expr: string, options?: ErrorOptions) {
    super(`error parsing regexp: ${code}: \`${expr}\``, options);
    this.code = code;
    this.expr = expr;
  }
}

/** A compiled Go regular expression. */
export interface GoRegexp {
  /** The Go pattern as written. */
  readonly source: string;
  /** Names of the capture groups, index 0 (the whole match) is `''`, unnamed groups are `''`. */
  readonly subexpNames: readonly string[];
  /** Number of capture groups (Go's `NumSubexp`). */
  readonly numSubexp: number;
  /** Go's `MatchString`: is there a match anywhere (unanchored)? */
  matchString(text: string): boolean;
  /** Go's `FindStringSubmatch`: the leftmost match and its groups (`undefined` = group did not take part). */
  findStringSubmatch(text: string): (string | undefined)[] | null;
}

const NAMED_GROUP_RE = /\(\?P?<([^>]*)>/y;

/**
 * Renames the second and later groups of a repeated name, skipping escapes, `\Q...\E` and
 * bracket expressions, where `(?P<` is literal text.
 */
function renameDuplicateGroups(pattern: string): { compiled: string; renamed: ReadonlyMap<string, string> } {
  const seen = new Set<string>();
  const renamed = new Map<string, string>();
  let out = '';
  let i = 0;
  let inClass = false;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === '\\') {
      if (pattern[i + 1] === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const stop = end < 0 ? pattern.length : end + 2;
        out += pattern.slice(i, stop);
        i = stop;
        continue;
      }
      out += pattern.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (inClass) {
      if (pattern.startsWith('[:', i)) {
        const end = pattern.indexOf(':]', i + 2);
        if (end >= 0) {
          out += pattern.slice(i, end + 2);
          i = end + 2;
          continue;
        }
      }
      if (ch === ']') inClass = false;
      out += ch;
      i++;
      continue;
    }
    if (ch === '[') {
      // a `]` right after `[` or `[^` is a literal member, not the end
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      out += pattern.slice(i, j);
      i = j;
      inClass = true;
      continue;
    }
    NAMED_GROUP_RE.lastIndex = i;
    const m = NAMED_GROUP_RE.exec(pattern);
    if (m) {
      const name = m[1] ?? '';
      if (seen.has(name) && /^\w+$/.test(name)) {
        let fresh = `${name}_${seen.size}`;
        while (seen.has(fresh) || pattern.includes(`<${fresh}>`)) fresh += '_';
        seen.add(fresh);
        renamed.set(fresh, name);
        out += m[0].replace(`<${name}>`, `<${fresh}>`);
      } else {
        seen.add(name);
        out += m[0];
      }
      i += m[0].length;
      continue;
    }
    out += ch;
    i++;
  }
  return { compiled: out, renamed };
}

/**
 * Compiles a Go regular expression.
 *
 * @throws {GoRegexpSyntaxError} when Go's `regexp.Compile` would reject the pattern
 * @example compileGoRegexp('^(.*)_total$').findStringSubmatch('http_requests_total') // -> ['http_requests_total', 'http_requests']
 * @see https://github.com/golang/go/blob/go1.19.8/src/regexp/syntax/parse.go
 */
export function compileGoRegexp(pattern: string): GoRegexp {
  const { compiled, renamed } = renameDuplicateGroups(pattern);
  let re: RE2JS;
  try {
    re = RE2JS.compile(compiled);
  } catch (error) {
    if (error instanceof RE2JSSyntaxException) {
      const expr = error.getPattern() ?? '';
      throw new GoRegexpSyntaxError(error.getDescription(), renamed.size > 0 ? expr.replace(/<(\w+)>/g, (_all, n: string) => `<${renamed.get(n) ?? n}>`) : expr, { cause: error });
    }
    throw error;
  }
  const numSubexp = re.groupCount();
  const names = Array.from({ length: numSubexp + 1 }, () => '');
  for (const [name, index] of Object.entries(re.namedGroups())) names[index] = renamed.get(name) ?? name;
  return {
    source: pattern,
    subexpNames: names,
    numSubexp,
    matchString: (text) => re.matcher(text).find(),
    findStringSubmatch: (text) => {
      const m = re.matcher(text);
      if (!m.find()) return null;
      return Array.from({ length: numSubexp + 1 }, (_, k) => m.group(k) ?? undefined);
    },
  };
}
