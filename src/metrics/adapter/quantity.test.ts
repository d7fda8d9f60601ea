import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuantity, QuantityParseError } from './parse-quantity.js';
import { decimalQuantity, formatQuantity, newMilliQuantity, newQuantity, quantityMilliValue } from './quantity.js';
import { CUSTOM_METRIC_CONVERSION, EXTERNAL_METRIC_CONVERSION, RESOURCE_METRIC_CONVERSION, sampleToMilli } from './sample-value.js';

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

describe('sampleToMilli()', () => {
  it.each([
    { name: 'truncates toward zero in double arithmetic', v: 1.005, c: CUSTOM_METRIC_CONVERSION, want: 1004n },
    { name: 'custom: NaN is 0', v: NaN, c: CUSTOM_METRIC_CONVERSION, want: 0n },
    { name: 'custom: +Inf saturates', v: Infinity, c: CUSTOM_METRIC_CONVERSION, want: 2n ** 63n - 1n },
    { name: 'external: NaN is amd64\'s -2^63', v: NaN, c: EXTERNAL_METRIC_CONVERSION, want: -(2n ** 63n) },
    { name: 'resource: negative is 0', v: -3, c: RESOURCE_METRIC_CONVERSION, want: 0n },
  ])('$name', ({ v, c, want }) => {
    expect(sampleToMilli(v, c)).toBe(want);
  });
});
