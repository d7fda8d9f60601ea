import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goQuote } from './go-quote.js';
import { labelEq, labelMatches } from './promql-matchers.js';

describe('goQuote()', () => {
  it.each([
    { name: 'keeps plain text', value: 'asr-0', want: '"asr-0"' },
    { name: 'escapes a double quote', value: 'a"b', want: '"a\\"b"' },
    { name: 'escapes a backslash', value: 'a\\b', want: '"a\\\\b"' },
    { name: 'uses short escapes for control characters', value: '\n\t\u0007\u000b', want: '"\\n\\t\\a\\v"' },
    { name: 'writes other controls as \\x', value: '\u0000\u007f', want: '"\\x00\\x7f"' },
    { name: 'keeps printable Unicode', value: 'ü☺😀', want: '"ü☺😀"' },
    { name: 'escapes non-ASCII spaces', value: '\u00a0\u3000', want: '"\\u00a0\\u3000"' },
    { name: 'writes a lone surrogate as U+FFFD', value: '\ud800', want: '"\ufffd"' },
  ])('$name', ({ value, want }) => {
    expect(goQuote(value)).toBe(want);
  });

  it('never lets a value end the PromQL string literal (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const q = goQuote(value);
        expect(q.startsWith('"') && q.endsWith('"')).toBe(true);
        // drop every escape sequence: what remains must hold no quote, backslash or newline
        const bare = q.slice(1, -1).replace(/\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}|[abfnrtv"\\])/g, '');
        expect(bare).not.toMatch(/["\\\n\r]/);
      }),
    );
  });
});

describe('labelEq() / labelMatches()', () => {
  it('quote an injection attempt into a single string literal', () => {
    expect(labelEq('pod', 'x"} or vector(1) or up{a="')).toBe('pod="x\\"} or vector(1) or up{a=\\""');
    expect(labelMatches('pod', 'a|b')).toBe('pod=~"a|b"');
  });
});
