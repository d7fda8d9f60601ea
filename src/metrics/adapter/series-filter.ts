/**
 * A `seriesFilters` entry (`ReMatcher`): `is` keeps series whose *name* matches, `isNot` drops
 * them. Go regexps, unanchored: `is: "my_.*"` also matches `your_my_x`.
 *
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/pkg/naming/metric_namer.go (ReMatcher)
 */
import { compileGoRegexp, type GoRegexp } from './go-regexp.js';
import { goQuote } from '../../core/index.js';
import { RuleError } from './rule-error.js';

/** A filter as written in the config (exactly one of the two). */
export interface RegexFilter {
  readonly is?: string;
  readonly isNot?: string;
}

export interface SeriesFilter {
  readonly positive: boolean;
  readonly regexp: GoRegexp;
  /** Whether a series name passes the filter. */
  matches(name: string): boolean;
}

/**
 * Compiles one filter.
 *
 * @throws {RuleError} when both or neither of `is`/`isNot` are set (path ""), or the regex is not valid Go (path `is`/`isNot`)
 * @example createSeriesFilter({ isNot: '.*_total$' }).matches('x_total') // -> false
 */
export function createSeriesFilter(filter: RegexFilter): SeriesFilter {
  const is = filter.is ?? '';
  const isNot = filter.isNot ?? '';
  if (is !== '' && isNot !== '') {
    throw new RuleError('', `cannot have both an \`is\` (${goQuote(is)}) and \`isNot\` (${goQuote(isNot)}) expression in a single filter`);
  }
  if (is === '' && isNot === '') throw new RuleError('', 'must have either an `is` or `isNot` expression in a filter');
  const positive = is !== '';
  const source = positive ? is : isNot;
  let regexp: GoRegexp;
  try {
    regexp = compileGoRegexp(source);
  } catch (err) {
    throw new RuleError(positive ? 'is' : 'isNot', `unable to compile series filter ${goQuote(source)}: ${(err as Error).message}`, { cause: err });
  }
  return { positive, regexp, matches: (name) => regexp.matchString(name) === positive };
}
