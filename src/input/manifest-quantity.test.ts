import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectInputError } from '../../test/spec/expect-input-error.js';
import { formatMilliQuantity, isQuantity, parseQuantityMilli } from './manifest-quantity.js';

describe('parseQuantityMilli()', () => {
  it.each([
    { name: 'reads milli-cores', q: '500m', want: 500 },
    { name: 'reads whole numbers', q: '5', want: 5000 },
    { name: 'reads a JSON number', q: 5, want: 5000 },
    { name: 'reads a fractional JSON number', q: 0.5, want: 500 },
    { name: 'reads decimals', q: '1.5', want: 1500 },
    { name: 'reads a leading dot', q: '.5', want: 500 },
    { name: 'reads a trailing dot', q: '5.', want: 5000 },
    { name: 'reads binary SI (the blog memory request)', q: '1350Mi', want: 1350 * 2 ** 20 * 1000 },
    { name: 'reads binary SI (the blog memory limit)', q: '2000Mi', want: 2000 * 2 ** 20 * 1000 },
    { name: 'reads Ki', q: '1Ki', want: 1_024_000 },
    { name: 'reads Gi', q: '2Gi', want: 2 * 2 ** 30 * 1000 },
    { name: 'reads fractional binary SI', q: '1.5Gi', want: 1.5 * 2 ** 30 * 1000 },
    { name: 'reads k', q: '3k', want: 3_000_000 },
    { name: 'reads M', q: '1M', want: 1_000_000_000 },
    { name: 'reads G', q: '1G', want: 1e12 },
    { name: 'reads P', q: '1P', want: 1e18 },
    { name: 'reads E as exa, not an exponent, saturating at int64 like MilliValue', q: '1E', want: 2 ** 63 /* int64 max as a double */ },
    { name: 'reads a lowercase exponent', q: '1e3', want: 1_000_000 },
    { name: 'reads an uppercase exponent', q: '2E3', want: 2_000_000 },
    { name: 'reads a negative exponent', q: '1e-3', want: 1 },
    { name: 'reads a signed exponent', q: '15e+2', want: 1_500_000 },
    { name: 'reads micro', q: '1500u', want: 2 },
    { name: 'rounds nano up to 1m', q: '1n', want: 1 },
    { name: 'rounds finer than 1m up', q: '0.0001', want: 1 },
    { name: 'rounds 1.0001m up to 2m', q: '1.0001m', want: 2 },
    { name: 'rounds sub-nano binary fractions up (upstream parse-emit-8)', q: '.000000000001Ki', want: 1 },
    { name: 'reads zero', q: '0', want: 0 },
    { name: 'reads signed zero', q: '-0', want: 0 },
    { name: 'reads a plus sign', q: '+5', want: 5000 },
    { name: 'reads negative values', q: '-500m', want: -500 },
    { name: 'rounds negative values away from zero', q: '-0.0001', want: -1 },
    { name: 'trims spaces as UnmarshalJSON does', q: ' 5 ', want: 5000 },
    { name: 'reads the HPA doc target (upstream doc-hpa-target)', q: '500m', want: 500 },
  ])('$name: $q -> $want', ({ q, want }) => {
    expect(parseQuantityMilli(q)).toBe(want);
  });

  it.each([
    { name: 'a unit word', q: '5 cores' },
    { name: 'an empty string', q: '' },
    { name: 'a lone dot', q: '.' },
    { name: 'a lone sign', q: '-' },
    { name: 'an uppercase K', q: '1K' },
    { name: 'a lowercase binary suffix', q: '1ki' },
    { name: 'two dots', q: '1.5.5' },
    { name: 'an exponent without digits', q: '1e' },
    { name: 'a fractional exponent', q: '1e1.5' },
    { name: 'a suffix before digits', q: 'Mi' },
    { name: 'a suffix and an exponent', q: '1e3Ki' },
    { name: 'hexadecimal', q: '0x10' },
    { name: 'a percent sign', q: '90%' },
  ])('rejects $name ($q) with an InputError naming file and path', ({ q }) => {
    expectInputError(() => parseQuantityMilli(q, 'hpa.yaml', 'spec.metrics[0].pods.target.averageValue'), {
      code: 'schema',
      file: 'hpa.yaml',
      path: 'spec.metrics[0].pods.target.averageValue',
      detail: `expected a Kubernetes quantity such as '500m', '5', '1.5', '1350Mi' or '2e3', got '${q}'`,
    });
  });

  it.each([
    { name: 'NaN', q: Number.NaN },
    { name: 'Infinity', q: Number.POSITIVE_INFINITY },
  ])('rejects the number $name', ({ q }) => {
    expect(() => parseQuantityMilli(q)).toThrow(/expected a Kubernetes quantity/);
  });

  it('names a default file when none is given', () => {
    expect(() => parseQuantityMilli('abc')).toThrow("Cannot load '<input>': expected a Kubernetes quantity");
  });

  it('rounds up like MilliValue() for any positive decimal (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 9 }), (digits, scale) => {
        const text = scale === 0 ? String(digits) : `${Math.floor(digits / 10 ** scale)}.${String(digits % 10 ** scale).padStart(scale, '0')}`;
        // digits * 10^-scale units = digits * 10^(3-scale) milli, rounded up.
        const want = scale <= 3 ? digits * 10 ** (3 - scale) : Math.ceil(digits / 10 ** (scale - 3));
        expect(parseQuantityMilli(text)).toBe(want);
      }),
    );
  });

  it('gives the same value for every suffix spelling of an integer (property)', () => {
    const suffixes = [
      ['m', 1],
      ['', 1000],
      ['k', 1e6],
      ['M', 1e9],
      ['Ki', 1024 * 1000],
      ['Mi', 2 ** 20 * 1000],
      ['e2', 100_000],
    ] as const;
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), fc.constantFrom(...suffixes), (n, [suffix, factor]) => {
        expect(parseQuantityMilli(`${n}${suffix}`)).toBe(n * factor + 0);
      }),
    );
  });
});

describe('formatMilliQuantity()', () => {
  // Expected strings from test/conformance/adapter/quantity.json (exec-dec-*: NewMilliQuantity, DecimalSI).
  it.each([
    { milli: 500, want: '500m' },
    { milli: 1000, want: '1' },
    { milli: 1500, want: '1500m' },
    { milli: 10_500, want: '10500m' },
    { milli: 16, want: '16m' },
    { milli: 2_000_000, want: '2k' },
    { milli: 1_000_000_000, want: '1M' },
    { milli: 1_234_567, want: '1234567m' },
    { milli: 0, want: '0' },
    { milli: -500, want: '-500m' },
    { milli: -2000, want: '-2' },
    { milli: 716_769, want: '716769m' },
    { milli: 1e15, want: '1T' },
  ])('formats $milli as $want', ({ milli, want }) => {
    expect(formatMilliQuantity(milli)).toBe(want);
  });

  it('round-trips through parseQuantityMilli() (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), (milli) => {
        const text = formatMilliQuantity(milli);
        expect(isQuantity(text)).toBe(true);
        expect(parseQuantityMilli(text)).toBe(milli);
      }),
    );
  });

  it('canonicalizes any parsed quantity to a fixed point (property)', () => {
    const quantity = fc
      .tuple(
        fc.integer({ min: 0, max: 99_999 }),
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom('', 'm', 'k', 'M', 'Ki', 'Mi', 'e3', 'e-2', 'u', 'n'),
      )
      .map(([whole, fraction, suffix]) => `${whole}.${String(fraction).padStart(3, '0')}${suffix}`);
    fc.assert(
      fc.property(quantity, (q) => {
        const milli = parseQuantityMilli(q);
        expect(parseQuantityMilli(formatMilliQuantity(milli))).toBe(milli);
      }),
    );
  });
});

describe('isQuantity()', () => {
  it.each([
    { q: '500m', want: true },
    { q: 5, want: true },
    { q: '1350Mi', want: true },
    { q: 'five', want: false },
    { q: true, want: false },
    { q: null, want: false },
  ])('says $want for $q', ({ q, want }) => {
    expect(isQuantity(q)).toBe(want);
  });
});
