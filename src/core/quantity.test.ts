import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decimalQuantity,
  formatMilliQuantity,
  formatQuantity,
  isQuantity,
  newMilliQuantity,
  newQuantity,
  parseQuantity,
  parseQuantityMilli,
  QuantityParseError,
  quantityMilliValue,
} from './quantity.js';

describe('formatQuantity()', () => {
  it.each([
    { name: 'milli stays milli when fractional', q: newMilliQuantity(2500, 'DecimalSI'), want: '2500m' },
    { name: 'whole milli folds into units', q: newMilliQuantity(3000, 'DecimalSI'), want: '3' },
    { name: 'thousands become k', q: newMilliQuantity(2_000_000, 'DecimalSI'), want: '2k' },
    { name: 'keeps precision: 1234000m -> 1234', q: newMilliQuantity(1_234_000, 'DecimalSI'), want: '1234' },
    { name: 'BinarySI uses powers of 1024', q: newQuantity(268435456, 'BinarySI'), want: '256Mi' },
    { name: 'BinarySI below 1024 prints decimal', q: newMilliQuantity(1023500, 'BinarySI'), want: '1023500m' },
    { name: 'BinarySI not divisible by 1024 prints plain', q: newQuantity(3100, 'BinarySI'), want: '3100' },
    { name: 'beyond E falls back to an exponent', q: decimalQuantity(1, 21, 'DecimalSI'), want: '1e21' },
    { name: 'negative', q: newMilliQuantity(-500, 'DecimalSI'), want: '-500m' },
  ])('$name', ({ q, want }) => {
    expect(formatQuantity(q)).toBe(want);
  });

  it('round-trips through parseQuantity for any milli value (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), (milli) => {
        const text = formatQuantity(newMilliQuantity(milli, 'DecimalSI'));
        expect(quantityMilliValue(parseQuantity(text))).toBe(milli);
        expect(formatQuantity(parseQuantity(text))).toBe(text);
      }),
    );
  });
});

describe('parseQuantity()', () => {
  it.each([
    ['1.5Gi', '1536Mi'],
    ['1000M', '1G'],
    ['0.5', '500m'],
    ['.000000000001Ki', '2n'],
    ['8Ei', '9223372036854775807'],
  ])('%s -> %s', (text, want) => {
    expect(formatQuantity(parseQuantity(text))).toBe(want);
  });

  it.each(['', '1.2.3', '5x', 'abc', '1e'])('rejects %j', (text) => {
    expect(() => parseQuantity(text)).toThrow(QuantityParseError);
  });
});

/** Exact value of a quantity as `[mantissa, exp10]` with trailing zeros folded, for comparisons. */
function valueOf(text: string): string {
  const q = parseQuantity(text);
  let m = q.mantissa;
  let e = q.exp10;
  while (m !== 0n && m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  return m === 0n ? '0' : `${m}e${e}`;
}

// Cases from apimachinery's pkg/api/resource/quantity_test.go (TestQuantityParse): the value as
// mantissa x 10^exp and the format.
describe('parseQuantity() on upstream TestQuantityParse cases', () => {
  it.each([
    ['0', '0', 'DecimalSI'],
    ['0Ki', '0', 'BinarySI'],
    ['0Ti', '0', 'BinarySI'],
    ['1', '1e0', 'DecimalSI'],
    ['1Ki', '1024e0', 'BinarySI'],
    ['7Mi', `${7 * 1024 * 1024}e0`, 'BinarySI'],
    ['3Ei', `${3n * 2n ** 60n}e0`, 'BinarySI'],
    ['5n', '5e-9', 'DecimalSI'],
    ['50k', '5e4', 'DecimalSI'],
    ['300T', '3e14', 'DecimalSI'],
    ['1E', '1e18', 'DecimalSI'],
    ['1E-3', '1e-3', 'DecimalExponent'],
    ['1e3', '1e3', 'DecimalExponent'],
    ['1E18', '1e18', 'DecimalExponent'],
    ['100.035k', '100035e0', 'DecimalSI'],
    ['0.0005k', '5e-1', 'DecimalSI'],
    ['0.5e-2', '5e-3', 'DecimalExponent'],
    ['1.3E+6', '13e5', 'DecimalExponent'],
    ['1.01E', '101e16', 'DecimalSI'],
    ['3.001n', '4e-9', 'DecimalSI'],
    ['1.1E-9', '2e-9', 'DecimalExponent'],
    ['0.0000000005', '1e-9', 'DecimalSI'],
    ['0.00000012345', '124e-9', 'DecimalSI'],
    ['9Ei', '9223372036854775807e0', 'BinarySI'],
    ['9223372036854775807Ki', '9223372036854775807e0', 'BinarySI'],
    ['12E', '12e18', 'DecimalSI'],
    ['100.035Ki', '10243584e-2', 'BinarySI'],
    ['0.5Mi', '524288e0', 'BinarySI'],
    ['0.000000000001Ki', '2e-9', 'DecimalSI'],
    ['.001', '1e-3', 'DecimalSI'],
    ['1.', '1e0', 'DecimalSI'],
    ['1.G', '1e9', 'DecimalSI'],
    ['-1.5', '-15e-1', 'DecimalSI'],
    ['+1.5', '15e-1', 'DecimalSI'],
  ])('%s is %s (%s)', (text, want, format) => {
    expect(valueOf(text)).toBe(want);
    expect(parseQuantity(text).format).toBe(format);
  });

  it.each(['1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', ' 1', '1 ', ''])(
    'rejects %j as Go does',
    (text) => {
      expect(() => parseQuantity(text)).toThrow(QuantityParseError);
    },
  );

  it.each([
    { text: '1 ', want: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" },
    { text: '1i', want: "unable to parse quantity's suffix" },
    { text: '1e', want: "unable to parse quantity's suffix" },
  ])('rejects $text with apimachinery\'s message', ({ text, want }) => {
    expect(() => parseQuantity(text)).toThrow(new QuantityParseError(want));
  });
});

// TestQuantityString and TestQuantityParseEmit: canonical serialisation.
describe('formatQuantity() on upstream TestQuantityString cases', () => {
  it.each([
    { q: newQuantity(1024 * 1024 * 1024, 'BinarySI'), want: '1Gi' },
    { q: newQuantity(300 * 1024 * 1024, 'BinarySI'), want: '300Mi' },
    { q: newQuantity(5, 'BinarySI'), want: '5' },
    { q: decimalQuantity(500, -3, 'BinarySI'), want: '500m' },
    { q: decimalQuantity(1000, 6, 'DecimalSI'), want: '1G' },
    { q: decimalQuantity(108, -2, 'DecimalSI'), want: '1080m' },
    { q: decimalQuantity(10800, -4, 'DecimalSI'), want: '1080m' },
    { q: decimalQuantity(1, 18, 'DecimalSI'), want: '1E' },
    { q: decimalQuantity(5, 21, 'DecimalSI'), want: '5e21' },
    { q: decimalQuantity(1234567, -3, 'BinarySI'), want: '1234567m' },
    { q: newQuantity(1025, 'BinarySI'), want: '1025' },
    { q: decimalQuantity(1, 9, 'DecimalExponent'), want: '1e9' },
    { q: decimalQuantity(80, -3, 'DecimalExponent'), want: '80e-3' },
    { q: decimalQuantity(108, -8, 'DecimalSI'), want: '1080n' },
    { q: decimalQuantity(1080, -6, 'DecimalSI'), want: '1080u' },
    { q: newMilliQuantity(1000000, 'invalidFormatDefaultsToExponent'), want: '1e3' },
    { q: newMilliQuantity(1024, 'BinarySI'), want: '1024m' },
  ])('$want', ({ q, want }) => {
    expect(formatQuantity(q)).toBe(want);
  });

  it.each([
    ['1024Mi', '1Gi'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['1080000000n', '1080m'],
    ['0.001T', '1G'],
    ['-1Ki', '-1Ki'],
  ])('parse-emit %s -> %s', (text, want) => {
    expect(formatQuantity(parseQuantity(text))).toBe(want);
  });

  it('reuses the input text when it is already canonical (TestQuantityString copy check)', () => {
    expect(parseQuantity('300Mi').cached).toBe('300Mi');
    expect(parseQuantity('1000M').cached).toBeUndefined();
  });
});

describe('quantityMilliValue()', () => {
  it.each([
    { text: '1', want: 1000n },
    { text: '1n', want: 1n },
    { text: '1.0001m', want: 2n },
    { text: '-1.0001m', want: -2n },
    { text: '1Ki', want: 1_024_000n },
  ])('MilliValue($text) is $want (rounded away from zero)', ({ text, want }) => {
    expect(quantityMilliValue(parseQuantity(text))).toBe(want);
  });
});

describe('parseQuantityMilli()', () => {
  it.each([
    { q: ' 1', want: 1000, name: 'trims like UnmarshalJSON (TestJSONWhitespace)' },
    { q: '1 ', want: 1000, name: 'trims a trailing space' },
    { q: 0.5, want: 500, name: 'reads a JSON number from its text' },
    { q: 1e21, want: 2 ** 63 /* int64 max as a double */, name: 'saturates at int64' },
    { q: '1E', want: 2 ** 63 /* int64 max as a double */, name: 'reads E as exa' },
  ])('$name', ({ q, want }) => {
    expect(parseQuantityMilli(q)).toBe(want);
  });

  it.each(['.', '-', 'Mi', 'e3', '1K', '5 pods'])('refuses %j', (q) => {
    expect(() => parseQuantityMilli(q)).toThrow(QuantityParseError);
    expect(isQuantity(q)).toBe(false);
  });

  it('names the value and gives apimachinery\'s reason', () => {
    expect(() => parseQuantityMilli('1i')).toThrow("Cannot parse quantity '1i': unable to parse quantity's suffix");
  });

  it('formats milli values in canonical DecimalSI (TestMilliNewSet)', () => {
    expect([1, 1000, 1_234_000].map(formatMilliQuantity)).toEqual(['1m', '1', '1234']);
  });
});
