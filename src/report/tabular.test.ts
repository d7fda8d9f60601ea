import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, formatNumber, formatTable, toCsv } from './tabular.js';

/** Minimal RFC 4180 reader, used to check that toCsv() round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
    i++;
  }
  return rows;
}

describe('toCsv()', () => {
  it.each([
    { name: 'plain text stays bare', cell: 'asr', want: 'asr' },
    { name: 'a comma is quoted', cell: 'a,b', want: '"a,b"' },
    { name: 'a quote is doubled and quoted', cell: 'say "hi"', want: '"say ""hi"""' },
    { name: 'a newline is quoted', cell: 'line1\nline2', want: '"line1\nline2"' },
    { name: 'a carriage return is quoted', cell: 'a\rb', want: '"a\rb"' },
    { name: 'leading spaces are kept bare', cell: '  x', want: '  x' },
    { name: 'null is an empty field', cell: null, want: '' },
    { name: 'an integer prints as is', cell: 42, want: '42' },
    { name: 'a float keeps full precision', cell: 0.1 + 0.2, want: '0.30000000000000004' },
    { name: 'an empty string is an empty field', cell: '', want: '' },
  ])('$name', ({ cell, want }) => {
    expect(toCsv(['c'], [[cell]])).toBe(`c\r\n${want}\r\n`);
  });

  it('quotes header fields and honours eol', () => {
    expect(toCsv(['t (s)', 'note, free'], [[0, 'x']], { eol: '\n' })).toBe('t (s),"note, free"\n0,x\n');
  });

  it('throws a RangeError when a row has the wrong number of cells', () => {
    expect(() => toCsv(['a', 'b'], [['x']])).toThrow(new RangeError('Cannot write CSV as row 0 has 1 cells: expected 2'));
  });

  it('round-trips any text through an RFC 4180 reader', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 3, maxLength: 3 }), { maxLength: 20 }), (rows) => {
        expect(parseCsv(toCsv(['a', 'b', 'c'], rows))).toEqual([['a', 'b', 'c'], ...rows]);
      }),
    );
  });
});

describe('formatDuration()', () => {
  // Expected values follow apimachinery's duration.HumanDuration (kubectl's AGE column).
  it.each([
    { seconds: -5, want: '<invalid>' },
    { seconds: -1, want: '0s' },
    { seconds: 0, want: '0s' },
    { seconds: 0.9, want: '0s' },
    { seconds: 45, want: '45s' },
    { seconds: 119, want: '119s' },
    { seconds: 120, want: '2m' },
    { seconds: 300, want: '5m' },
    { seconds: 450, want: '7m30s' },
    { seconds: 600, want: '10m' },
    { seconds: 5400, want: '90m' },
    { seconds: 10_799, want: '179m' },
    { seconds: 10_800, want: '3h' },
    { seconds: 12_600, want: '3h30m' },
    { seconds: 8 * 3600, want: '8h' },
    { seconds: 47 * 3600 + 59 * 60, want: '47h' },
    { seconds: 48 * 3600, want: '2d' },
    { seconds: 51 * 3600, want: '2d3h' },
    { seconds: 8 * 86_400, want: '8d' },
    { seconds: 30 * 86_400, want: '30d' },
    { seconds: 729 * 86_400, want: '729d' },
    { seconds: 730 * 86_400, want: '2y' },
    { seconds: 780 * 86_400, want: '2y50d' },
    { seconds: 9 * 365 * 86_400, want: '9y' },
    { seconds: NaN, want: '<invalid>' },
  ])('formatDuration($seconds) is $want', ({ seconds, want }) => {
    expect(formatDuration(seconds)).toBe(want);
  });
});

describe('formatNumber()', () => {
  it.each([
    { name: 'integer', value: 3, options: {}, want: '3' },
    { name: 'trailing zeros dropped', value: 2.5, options: {}, want: '2.5' },
    { name: 'three decimals by default', value: 1 / 3, options: {}, want: '0.333' },
    { name: 'custom decimals', value: 1 / 3, options: { maxFractionDigits: 1 }, want: '0.3' },
    { name: 'negative zero', value: -0.0001, options: {}, want: '0' },
    { name: 'NaN', value: NaN, options: {}, want: '-' },
    { name: '+Inf', value: Infinity, options: {}, want: '+Inf' },
    { name: '-Inf', value: -Infinity, options: {}, want: '-Inf' },
    { name: 'compact leaves 9999 alone', value: 9999, options: { compact: true }, want: '9999' },
    { name: 'compact kilo', value: 12_345, options: { compact: true }, want: '12.3k' },
    { name: 'compact hundreds of kilo', value: 123_456, options: { compact: true }, want: '123k' },
    { name: 'compact rounds up to the next prefix', value: 999_999, options: { compact: true }, want: '1M' },
    { name: 'compact mega', value: 1_500_000, options: { compact: true }, want: '1.5M' },
    { name: 'compact negative', value: -25_000, options: { compact: true }, want: '-25k' },
    { name: 'compact giga', value: 3e9, options: { compact: true }, want: '3G' },
  ])('$name: $value -> $want', ({ value, options, want }) => {
    expect(formatNumber(value, options)).toBe(want);
  });
});

describe('formatTable()', () => {
  it('lays out columns like kubectl: text left, numbers right, 3-space gaps, no trailing spaces', () => {
    const out = formatTable(
      ['NAME', 'REFERENCE', 'REPLICAS', 'AGE'],
      [
        ['lightning-asr', 'Deployment/lightning-asr', 3, '5m'],
        ['api-server', 'Deployment/api-server', 12, '2d3h'],
      ],
    );
    expect(out).toBe(
      [
        'NAME            REFERENCE                  REPLICAS   AGE',
        'lightning-asr   Deployment/lightning-asr          3   5m',
        'api-server      Deployment/api-server            12   2d3h',
        '',
      ].join('\n'),
    );
  });

  it.each([
    { name: 'null prints <none>', rows: [['a', null]], options: {}, want: 'A   B\na   <none>\n' },
    { name: 'explicit alignment wins', rows: [['a', 'b']], options: { align: ['right', 'right'] as const }, want: 'A   B\na   b\n' },
    { name: 'a mixed column stays left', rows: [['x', 1], ['y', 'n/a']], options: {}, want: 'A   B\nx   1\ny   n/a\n' },
    { name: 'floats are formatted', rows: [['x', 0.123456]], options: {}, want: 'A       B\nx   0.123\n' },
    { name: 'custom gap and none', rows: [['x', null]], options: { gap: 1, none: '-' }, want: 'A B\nx -\n' },
  ])('$name', ({ rows, options, want }) => {
    expect(formatTable(['A', 'B'], rows, options)).toBe(want);
  });

  it('gives every line of a column the same start', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.stringMatching(/^[a-z-]{1,12}$/), fc.integer({ min: 0, max: 10_000 })), { minLength: 1, maxLength: 10 }),
        (rows) => {
          const lines = formatTable(['NAME', 'N'], rows).trimEnd().split('\n');
          const widths = new Set(lines.map((l) => l.length));
          expect(widths.size).toBe(1);
        },
      ),
    );
  });
});
