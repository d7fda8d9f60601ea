import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROMETHEUS_DURATION_PATTERN, DurationParseError, formatGoDuration, formatPrometheusDuration, parseGoDuration, parsePrometheusDuration } from './duration.js';

// Cases from prometheus/common model/time_test.go (TestParseDuration, TestParseBadDuration); the
// messages and the printed form are those of the current model/time.go.
describe('parsePrometheusDuration()', () => {
  it.each([
    { text: '0', ms: 0, printed: '0s' },
    { text: '0w', ms: 0, printed: '0s' },
    { text: '0s', ms: 0, printed: '0s' },
    { text: '324ms', ms: 324, printed: '324ms' },
    { text: '3s', ms: 3000, printed: '3s' },
    { text: '5m', ms: 300_000, printed: '5m' },
    { text: '1h', ms: 3_600_000, printed: '1h' },
    { text: '4d', ms: 4 * 86_400_000, printed: '4d' },
    { text: '4d1h', ms: 4 * 86_400_000 + 3_600_000, printed: '4d1h' },
    { text: '14d', ms: 14 * 86_400_000, printed: '2w' },
    { text: '3w', ms: 21 * 86_400_000, printed: '3w' },
    { text: '3w2d1h', ms: 23 * 86_400_000 + 3_600_000, printed: '23d1h' }, // weeks print only when exact (current String())
    { text: '10y', ms: 3650 * 86_400_000, printed: '10y' },
    { text: '1m30s', ms: 90_000, printed: '1m30s' },
    { text: '90s', ms: 90_000, printed: '1m30s' },
    { text: '90d', ms: 90 * 86_400_000, printed: '90d' },
  ])('reads $text as $ms ms and prints it back as $printed', ({ text, ms, printed }) => {
    expect(parsePrometheusDuration(text)).toBe(ms);
    expect(formatPrometheusDuration(ms)).toBe(printed);
  });

  it.each([
    { text: '1', message: 'not a valid duration string: "1"' },
    { text: '1y1m1d', message: 'not a valid duration string: "1y1m1d"' },
    { text: '-1w', message: 'not a valid duration string: "-1w"' },
    { text: '1.5d', message: 'unknown unit "." in duration "1.5d"' },
    { text: '30s1m', message: 'not a valid duration string: "30s1m"' },
    { text: '1h1h', message: 'not a valid duration string: "1h1h"' },
    { text: '30 s', message: 'unknown unit " s" in duration "30 s"' },
    { text: '', message: 'empty duration string' },
    { text: '5x', message: 'unknown unit "x" in duration "5x"' },
    { text: '300y', message: 'duration out of range' },
  ])('rejects $text with Prometheus\' message', ({ text, message }) => {
    expect(() => parsePrometheusDuration(text)).toThrow(new DurationParseError(message));
  });
});

describe('formatGoDuration()', () => {
  it.each([
    { ms: 0, want: '0s' },
    { ms: 500, want: '500ms' },
    { ms: 1500, want: '1.5s' },
    { ms: 300_000, want: '5m0s' },
    { ms: 3_600_000, want: '1h0m0s' },
    { ms: -90_000, want: '-1m30s' },
  ])('prints $ms ms as $want', ({ ms, want }) => {
    expect(formatGoDuration(ms)).toBe(want);
  });
});

describe('formatPrometheusDuration()', () => {
  it('prints a negative duration with a leading minus', () => {
    expect(formatPrometheusDuration(-90_000)).toBe('-1m30s');
  });
});

describe('PROMETHEUS_DURATION_PATTERN', () => {
  it('accepts exactly what parsePrometheusDuration() accepts (property)', () => {
    const piece = fc.tuple(fc.integer({ min: 0, max: 99 }), fc.constantFrom('y', 'w', 'd', 'h', 'm', 's', 'ms', 'x', '', '.'));
    const text = fc.oneof(fc.array(piece, { maxLength: 4 }).map((ps) => ps.map(([n, u]) => `${n}${u}`).join('')), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(text, (t) => {
        let parses = true;
        try {
          parsePrometheusDuration(t);
        } catch {
          parses = false;
        }
        expect(PROMETHEUS_DURATION_PATTERN.test(t)).toBe(parses);
      }),
    );
  });
});

// Cases from Go's src/time/time_test.go (parseDurationTests, parseDurationErrorTests).
describe('parseGoDuration()', () => {
  it.each([
    { text: '0', ms: 0 },
    { text: '5s', ms: 5000 },
    { text: '1478s', ms: 1_478_000 },
    { text: '-5s', ms: -5000 },
    { text: '+5s', ms: 5000 },
    { text: '-0', ms: 0 },
    { text: '5.6s', ms: 5600 },
    { text: '5.s', ms: 5000 },
    { text: '.5s', ms: 500 },
    { text: '1.004s', ms: 1004 },
    { text: '100.00100s', ms: 100_001 },
    { text: '10ns', ms: 0.00001 },
    { text: '11us', ms: 0.011 },
    { text: '12µs', ms: 0.012 },
    { text: '12μs', ms: 0.012 },
    { text: '13ms', ms: 13 },
    { text: '15m', ms: 900_000 },
    { text: '16h', ms: 57_600_000 },
    { text: '3h30m', ms: 12_600_000 },
    { text: '10.5s4m', ms: 250_500 },
    { text: '-2m3.4s', ms: -123_400 },
    { text: '39h9m14.425s', ms: 140_954_425 },
    { text: '0.3333333333333333333h', ms: 1_200_000 },
    { text: '0.100000000000000000000h', ms: 360_000 },
    { text: '1m30s', ms: 90_000 },
  ])('reads $text as $ms ms', ({ text, ms }) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it.each([
    { text: '', message: 'time: invalid duration ""' },
    { text: '3', message: 'time: missing unit in duration "3"' },
    { text: '-', message: 'time: invalid duration "-"' },
    { text: 's', message: 'time: invalid duration "s"' },
    { text: '.', message: 'time: invalid duration "."' },
    { text: '-.', message: 'time: invalid duration "-."' },
    { text: '.s', message: 'time: invalid duration ".s"' },
    { text: '+.s', message: 'time: invalid duration "+.s"' },
    { text: '1d', message: 'time: unknown unit "d" in duration "1d"' },
    { text: '9223372036854775808ns', message: 'time: invalid duration "9223372036854775808ns"' },
    { text: '9223372036854ms775us808ns', message: 'time: invalid duration "9223372036854ms775us808ns"' },
  ])('rejects $text with Go\'s message', ({ text, message }) => {
    expect(() => parseGoDuration(text)).toThrow(new DurationParseError(message));
  });

  it('reads the int64 extremes (-9223372036854775808ns, 9223372036854775807ns)', () => {
    expect(parseGoDuration('-9223372036854775808ns')).toBe(-9223372036854.775);
    expect(parseGoDuration('9223372036854775807ns')).toBe(9223372036854.775);
  });
});
