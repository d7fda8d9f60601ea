/** Runner for `label_quoting` vectors: Go `%q` and the PromQL matcher helpers. */
import { goQuote } from '../../../core/index.js';
import { labelEq, labelMatches, labelNeq, labelNotMatches } from '../promql-matchers.js';
import { compareSubset, str, type CaseRunner } from './vector-case.js';

export const runQuotingCase: CaseRunner = (c) => {
  const value = str(c.input['value'], 'value');
  const actual = {
    quoted: goQuote(value),
    labelEq: labelEq('l', value),
    labelNeq: labelNeq('l', value),
    labelMatches: labelMatches('l', value),
    labelNotMatches: labelNotMatches('l', value),
  };
  const out: string[] = [];
  compareSubset('', c.expected, actual, out);
  return out;
};
