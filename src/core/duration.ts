/**
 * Durations in the two grammars Kubernetes tooling meets: Prometheus' (`model.Duration`: `30s`,
 * `1h30m`, `15d`, `0`) for scrape intervals, retention and query ranges, and Go's
 * `time.Duration.String()` output (`5m0s`, `1.5s`) for `metav1.Duration` fields.
 *
 * @see https://github.com/prometheus/common/blob/main/model/time.go
 * @see https://github.com/golang/go/blob/master/src/time/time.go (Duration.String)
 */

import { goQuote } from './go-format.js';

/** A duration text Prometheus (or Go) would reject; the message is theirs. */
export class DurationParseError extends SyntaxError {
  override name = 'DurationParseError';
}

const MS_PER_UNIT: Readonly<Record<string, number>> = {
  y: 365 * 86_400_000,
  w: 7 * 86_400_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};
/** Units from the largest; each may appear once, in this order. */
const UNIT_ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'] as const;
/** time.Duration is int64 nanoseconds: about 292 years. */
const MAX_DURATION_MS = Number((2n ** 63n - 1n) / 1_000_000n);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Parses a Prometheus duration into milliseconds (`model.ParseDuration`): one or more
 * `<digits><unit>` with units `y w d h m s ms`, each at most once and from the largest down; a
 * lone `0` needs no unit. No sign, no fraction, no spaces.
 *
 * @throws {DurationParseError} with Prometheus' message, e.g. `not a valid duration string: "30s1m"`
 * @example parsePrometheusDuration('1m30s') // -> 90000
 * @example parsePrometheusDuration('0') // -> 0
 * @see https://github.com/prometheus/common/blob/main/model/time.go (ParseDuration)
 */
export function parsePrometheusDuration(text: string): number {
  if (text === '0') return 0;
  if (text === '') throw new DurationParseError('empty duration string');
  const invalid = (): DurationParseError => new DurationParseError(`not a valid duration string: ${JSON.stringify(text)}`);
  let pos = 0;
  let lastUnit = -1;
  let totalMs = 0;
  while (pos < text.length) {
    const start = pos;
    while (isDigit(text[pos])) pos++;
    if (pos === start) throw invalid();
    const count = Number(text.slice(start, pos));
    const unitStart = pos;
    while (pos < text.length && !isDigit(text[pos])) pos++;
    if (pos === unitStart) throw invalid();
    const unit = text.slice(unitStart, pos);
    const rank = UNIT_ORDER.indexOf(unit as (typeof UNIT_ORDER)[number]);
    const msPerUnit = MS_PER_UNIT[unit];
    if (rank < 0 || msPerUnit === undefined) throw new DurationParseError(`unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`);
    if (rank <= lastUnit) throw invalid();
    lastUnit = rank;
    totalMs += count * msPerUnit;
    if (totalMs > MAX_DURATION_MS) throw new DurationParseError('duration out of range');
  }
  return totalMs;
}

/**
 * The language of {@link parsePrometheusDuration} as a regular expression, for JSON schemas and
 * editors (`pattern`); it accepts what the parser accepts except durations beyond ~292 years. The
 * parser stays the authority (a test checks both agree).
 */
export const PROMETHEUS_DURATION_PATTERN = /^(?:0|(?=\d)(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?)$/;

/**
 * Formats milliseconds as Prometheus prints a duration (`model.Duration.String()`): years and
 * weeks only when they divide exactly (`90d`, not `12w6d`), then days down to milliseconds; `0s`
 * for zero.
 *
 * @example formatPrometheusDuration(14 * 86_400_000) // -> '2w'
 * @example formatPrometheusDuration(90_000) // -> '1m30s'
 * @see https://github.com/prometheus/common/blob/main/model/time.go (Duration.String)
 */
export function formatPrometheusDuration(ms: number): string {
  let rest = Math.abs(Math.trunc(ms));
  if (rest === 0) return '0s';
  let out = ms < 0 ? '-' : '';
  for (const unit of UNIT_ORDER) {
    const msPerUnit = MS_PER_UNIT[unit] ?? 1;
    const exactOnly = unit === 'y' || unit === 'w';
    if (exactOnly && rest % msPerUnit !== 0) continue;
    const count = Math.trunc(rest / msPerUnit);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * msPerUnit;
    }
  }
  return out;
}

/**
 * Go's `time.Duration.String()` for whole milliseconds, as `metav1.Duration` serialises.
 *
 * @example formatGoDuration(300000) // -> '5m0s'
 * @example formatGoDuration(1500) // -> '1.5s'
 * @example formatGoDuration(0) // -> '0s'
 * @see https://github.com/golang/go/blob/master/src/time/time.go (Duration.String)
 */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const secs = (rest / 1000).toString();
  return `${sign}${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${secs}s`;
}

const NS_PER_GO_UNIT: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const TWO_POW_63 = 2n ** 63n;

/**
 * Parses a Go duration (`time.ParseDuration`: `1m30s`, `1.5h`, `-2m3.4s`, `300ms`, `10us`, `0`)
 * into milliseconds (fractional below 1 ms). This is the grammar of `metav1.Duration` fields and of
 * Go flags such as prometheus-adapter's `--metrics-relist-interval`; Prometheus durations are
 * {@link parsePrometheusDuration}.
 *
 * @throws {DurationParseError} with Go's message, e.g. `time: missing unit in duration "3"`
 * @example parseGoDuration('1m30s') // -> 90000
 * @example parseGoDuration('1.5h') // -> 5400000
 * @see https://github.com/golang/go/blob/master/src/time/format.go (ParseDuration)
 */
export function parseGoDuration(text: string): number {
  const invalid = (): DurationParseError => new DurationParseError(`time: invalid duration ${goQuote(text)}`);
  let s = text;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let totalNs = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) throw invalid();
    let i = 0;
    while (isDigit(s[i])) i++;
    const hasInt = i > 0;
    const whole = hasInt ? BigInt(s.slice(0, i)) : 0n;
    if (whole > TWO_POW_63) throw invalid();
    s = s.slice(i);
    let fraction = 0n;
    let scale = 1;
    let hasFraction = false;
    if (s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      while (isDigit(s[j])) {
        // like Go's leadingFraction: stop accumulating once more digits would overflow int64
        if (!overflow) {
          const next = fraction * 10n + BigInt(Number(s[j]));
          if (next >= TWO_POW_63) overflow = true;
          else {
            fraction = next;
            scale *= 10;
          }
        }
        j++;
      }
      hasFraction = j > 0;
      s = s.slice(j);
    }
    if (!hasInt && !hasFraction) throw invalid();
    let u = 0;
    while (u < s.length && s[u] !== '.' && !isDigit(s[u])) u++;
    if (u === 0) throw new DurationParseError(`time: missing unit in duration ${goQuote(text)}`);
    const unit = s.slice(0, u);
    s = s.slice(u);
    const nsPerUnit = NS_PER_GO_UNIT[unit];
    if (nsPerUnit === undefined) throw new DurationParseError(`time: unknown unit ${goQuote(unit)} in duration ${goQuote(text)}`);
    if (whole > TWO_POW_63 / nsPerUnit) throw invalid();
    let ns = whole * nsPerUnit;
    if (fraction > 0n) {
      // float64 arithmetic, truncated, as Go does
      ns += BigInt(Math.trunc(Number(fraction) * (Number(nsPerUnit) / scale)));
      if (ns > TWO_POW_63) throw invalid();
    }
    totalNs += ns;
    if (totalNs > TWO_POW_63) throw invalid();
  }
  if (!negative && totalNs > TWO_POW_63 - 1n) throw invalid();
  const ms = Number(totalNs) / 1e6;
  return negative ? -ms : ms;
}

/**
 * Seconds in a Prometheus duration, or undefined when `text` is not one (for callers that report
 * the field themselves). Same grammar as {@link parsePrometheusDuration}.
 *
 * @example prometheusDurationSeconds('1m30s') // -> 90
 * @example prometheusDurationSeconds('30s1m') // -> undefined
 */
export function prometheusDurationSeconds(text: string): number | undefined {
  try {
    return parsePrometheusDuration(text) / 1000;
  } catch {
    return undefined;
  }
}
