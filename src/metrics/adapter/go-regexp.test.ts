import { describe, expect, it } from 'vitest';
import { compileGoRegexp, GoRegexpSyntaxError } from './go-regexp.js';
import { expandGoTemplate } from './regexp-expand.js';

describe('compileGoRegexp()', () => {
  it.each([
    { name: 'is unanchored', re: 'my_.*', text: 'your_my_x', want: true },
    { name: 'dot does not match a newline', re: '^a.b$', text: 'a\nb', want: false },
    { name: '(?s) lets dot match a newline', re: '(?s)^a.b$', text: 'a\nb', want: true },
    { name: '$ is the end of text without (?m)', re: 'a$', text: 'a\n', want: false },
    { name: '(?m) makes $ match before a newline', re: '(?m)a$', text: 'a\nb', want: true },
    { name: '\\d is ASCII only', re: '^\\d$', text: '٣', want: false },
    { name: '\\s excludes \\v', re: '\\s', text: '\u000b', want: false },
    { name: '(?i) folds the Kelvin sign', re: '(?i)^k$', text: '\u212a', want: true },
    { name: 'scoped (?i:...) stays scoped', re: '(?i:a)b', text: 'AB', want: false },
    { name: 'POSIX classes work', re: '^[[:alpha:]]+$', text: 'abcXYZ', want: true },
    { name: '\\Q...\\E quotes metacharacters', re: '^\\Qa.b\\E$', text: 'axb', want: false },
    { name: 'a lone { is a literal', re: '^a{,3}$', text: 'a{,3}', want: true },
    { name: '\\pL matches letters', re: '^\\pL+$', text: 'äb', want: true },
  ])('$name', ({ re, text, want }) => {
    expect(compileGoRegexp(re).matchString(text)).toBe(want);
  });

  it.each([
    { re: '(a', code: 'missing closing )' },
    { re: 'a)', code: 'unexpected )' },
    { re: '[a', code: 'missing closing ]' },
    { re: 'a**', code: 'invalid nested repetition operator' },
    { re: '*a', code: 'missing argument to repetition operator' },
    { re: '(?=a)', code: 'invalid or unsupported Perl syntax' },
    { re: '\\1', code: 'invalid escape sequence' },
    { re: '\\Z', code: 'invalid escape sequence' },
    { re: 'a{1001}', code: 'invalid repeat count' },
    { re: '[z-a]', code: 'invalid character class range' },
    { re: '(?P<a-b>x)', code: 'invalid named capture' },
  ])('rejects $re as Go does ($code)', ({ re, code }) => {
    const err = (() => {
      try {
        compileGoRegexp(re);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(GoRegexpSyntaxError);
    expect((err as GoRegexpSyntaxError).code).toBe(code);
    expect((err as Error).message).toMatch(/^error parsing regexp: /);
  });

  it('keeps duplicate group names, which JavaScript forbids', () => {
    const re = compileGoRegexp('(?P<x>hi)|(?P<x>bye)');
    expect(re.subexpNames).toEqual(['', 'x', 'x']);
    expect(re.findStringSubmatch('bye')).toEqual(['bye', undefined, 'bye']);
  });
});

describe('expandGoTemplate()', () => {
  const re = compileGoRegexp('^(.*)_total$');
  const m = re.findStringSubmatch('http_requests_total') ?? [];
  it.each([
    { name: 'braced group', as: '${1}_per_second', want: 'http_requests_per_second' },
    { name: 'unbraced name runs on (group "1_per_second" does not exist)', as: '$1_per_second', want: '' },
    { name: '$$ is a dollar', as: '$$1', want: '$1' },
    { name: 'unterminated brace is literal', as: '${1', want: '${1' },
    { name: '$0 is the whole match', as: '$0', want: 'http_requests_total' },
  ])('$name', ({ as, want }) => {
    expect(expandGoTemplate(re, as, m)).toBe(want);
  });
});

describe('compileGoRegexp() on RE2', () => {
  it('answers ^(a+)+$ on 5000 characters without backtracking (it returns, false)', () => {
    expect(compileGoRegexp('^(a+)+$').matchString(`${'a'.repeat(5000)}b`)).toBe(false);
  });

  it('keeps duplicate names apart from a literal (?P< inside a class or \\Q...\\E', () => {
    const re = compileGoRegexp('[(?P<x>]\\Q(?P<x>\\E(?P<x>a)|(?P<x>b)');
    expect(re.subexpNames).toEqual(['', 'x', 'x']);
    expect(re.matchString('x(?P<x>b')).toBe(true);
  });

  it('reports a syntax error with Go\'s message', () => {
    expect(() => compileGoRegexp('a**')).toThrow(new GoRegexpSyntaxError('invalid nested repetition operator', '**'));
  });
});
