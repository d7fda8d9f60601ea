import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatGoFloat, goQuote } from './go-format.js';

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

describe('formatGoFloat()', () => {
  it.each([
    { value: 0.1, want: '0.1' },
    { value: 123456.7, want: '123456.7' },
    { value: 1e21, want: '1e+21' },
    { value: 1.5e-5, want: '1.5e-05' },
    { value: -2.5e6, want: '-2.5e+06' },
    { value: Number.NEGATIVE_INFINITY, want: '-Inf' },
  ])("prints $value as Go's %v: $want", ({ value, want }) => {
    expect(formatGoFloat(value)).toBe(want);
  });
});
