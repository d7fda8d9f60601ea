/**
 * PromQL label matchers as prometheus-adapter's `pkg/client/helpers.go` writes them: the label name
 * verbatim, the value through Go `%q` ({@link goQuote}). No regex escaping is applied to `=~` / `!~`
 * values: they are regular expressions by design (`pod=~"a|b"`).
 *
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/pkg/client/helpers.go
 */
import { goQuote } from '../../core/index.js';

/** `label="value"`. @example labelEq('pod', 'asr-0') // -> 'pod="asr-0"' */
export function labelEq(label: string, value: string): string {
  return `${label}=${goQuote(value)}`;
}

/** `label!="value"`. @example labelNeq('gpu', '') // -> 'gpu!=""' */
export function labelNeq(label: string, value: string): string {
  return `${label}!=${goQuote(value)}`;
}

/** `label=~"expr"`. @example labelMatches('pod', 'a|b') // -> 'pod=~"a|b"' */
export function labelMatches(label: string, expr: string): string {
  return `${label}=~${goQuote(expr)}`;
}

/** `label!~"expr"`. @example labelNotMatches('gpu', 'l4') // -> 'gpu!~"l4"' */
export function labelNotMatches(label: string, expr: string): string {
  return `${label}!~${goQuote(expr)}`;
}
