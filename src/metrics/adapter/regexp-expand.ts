/**
 * Go's `Regexp.ExpandString`, which turns `name.as` into the API metric name. It differs from
 * JavaScript's `String.replace`: `$1_per_second` names the group `1_per_second` (the longest run of
 * letters, digits and `_`), which does not exist and expands to `""`; `${1}` is needed to stop the
 * name. Unknown or non-participating groups expand to `""`; a `$` not followed by a valid name is
 * kept; `$$` is a literal `$`; with duplicate group names the first one that matched is used.
 *
 * @see https://github.com/golang/go/blob/go1.19.8/src/regexp/regexp.go (expand, extract)
 */
import type { GoRegexp } from './go-regexp.js';

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

interface Extracted {
  readonly name: string;
  readonly num: number;
  readonly rest: string;
}

function extract(text: string): Extracted | undefined {
  if (text === '') return undefined;
  let s = text;
  const brace = s.startsWith('{');
  if (brace) s = s.slice(1);
  let i = 0;
  for (const ch of s) {
    if (!NAME_CHAR.test(ch)) break;
    i += ch.length;
  }
  if (i === 0) return undefined;
  const name = s.slice(0, i);
  if (brace) {
    if (s[i] !== '}') return undefined;
    i++;
  }
  let num = 0;
  for (const ch of name) {
    if (ch < '0' || ch > '9' || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + Number(ch);
  }
  if (name.startsWith('0') && name.length > 1) num = -1;
  return { name, num, rest: s.slice(i) };
}

/**
 * Expands `template` against a match of `regexp` (as returned by `findStringSubmatch`).
 *
 * @example expandGoTemplate(re, '${1}_per_second', ['http_requests_total', 'http_requests']) // -> 'http_requests_per_second'
 */
export function expandGoTemplate(regexp: Pick<GoRegexp, 'subexpNames'>, template: string, match: readonly (string | undefined)[]): string {
  let out = '';
  let rest = template;
  for (;;) {
    const at = rest.indexOf('$');
    if (at < 0) break;
    out += rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (rest.startsWith('$')) {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const ref = extract(rest);
    if (!ref) {
      out += '$';
      continue;
    }
    rest = ref.rest;
    if (ref.num >= 0) {
      out += match[ref.num] ?? '';
    } else {
      const names = regexp.subexpNames;
      for (let k = 0; k < names.length; k++) {
        const value = match[k];
        if (names[k] === ref.name && value !== undefined) {
          out += value;
          break;
        }
      }
    }
  }
  return out + rest;
}
