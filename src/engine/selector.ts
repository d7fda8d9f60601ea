/**
 * Label selectors in their string form (`name=test-pod,tier in (a,b),!legacy`), as
 * `labels.Parse` accepts them.
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/labels/selector.go
 */
import type { LabelSelector } from './types.js';

export interface SelectorRequirement {
  readonly key: string;
  readonly op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!';
  readonly values: readonly string[];
}

export type ParsedSelector = readonly SelectorRequirement[];

const cache = new Map<string, ParsedSelector>();
const KEY_RE = /^([a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;
const VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Parses a selector string.
 *
 * @throws {SyntaxError} naming the offending term
 * @example parseSelector('app=web').length // -> 1
 */
export function parseSelector(selector: string): ParsedSelector {
  const hit = cache.get(selector);
  if (hit) return hit;
  const reqs: SelectorRequirement[] = [];
  for (const term of splitTerms(selector)) {
    const t = term.trim();
    if (t === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(t))) {
      const values = (m[3] ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
      reqs.push(checked({ key: m[1] ?? '', op: m[2] === 'in' ? 'in' : 'notin', values }, t));
    } else if ((m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(t))) {
      reqs.push(checked({ key: m[1] ?? '', op: m[2] === '!=' ? '!=' : '=', values: [m[3] ?? ''] }, t));
    } else if ((m = /^!\s*(\S+)$/.exec(t))) {
      reqs.push(checked({ key: m[1] ?? '', op: '!', values: [] }, t));
    } else if (KEY_RE.test(t)) {
      reqs.push({ key: t, op: 'exists', values: [] });
    } else {
      throw new SyntaxError(`Cannot parse label selector '${selector}': unexpected term '${t}'`);
    }
  }
  if (cache.size < 10_000) cache.set(selector, reqs);
  return reqs;
}

function checked(r: SelectorRequirement, term: string): SelectorRequirement {
  if (!KEY_RE.test(r.key)) throw new SyntaxError(`Cannot parse label selector term '${term}': invalid label key '${r.key}'`);
  for (const v of r.values) {
    if (!VALUE_RE.test(v) || v.length > 63) {
      throw new SyntaxError(`Cannot parse label selector term '${term}': invalid label value '${v}'`);
    }
  }
  return r;
}

function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const matchCache = new WeakMap<ParsedSelector, WeakMap<object, boolean>>();

/**
 * Whether labels satisfy every requirement (an empty selector matches everything). Results are
 * memoized per labels object, which callers share between pods of one template.
 */
export function matchesSelector(selector: ParsedSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (labels === undefined) return matchLabels(selector, labels);
  let perSelector = matchCache.get(selector);
  if (perSelector === undefined) {
    perSelector = new WeakMap();
    matchCache.set(selector, perSelector);
  }
  const hit = perSelector.get(labels);
  if (hit !== undefined) return hit;
  const result = matchLabels(selector, labels);
  perSelector.set(labels, result);
  return result;
}

function matchLabels(selector: ParsedSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  for (const r of selector) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = has ? labels[r.key] : undefined;
    switch (r.op) {
      case '=':
        if (v !== r.values[0]) return false;
        break;
      case '!=':
        if (v === r.values[0]) return false;
        break;
      case 'in':
        if (v === undefined || !r.values.includes(v)) return false;
        break;
      case 'notin':
        if (v !== undefined && r.values.includes(v)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
    }
  }
  return true;
}

/**
 * Go's `%+v` of a `*metav1.LabelSelector`, which upstream embeds in metric names
 * ("external metric qps(&LabelSelector{...})").
 */
export function formatLabelSelectorGo(sel: LabelSelector | null | undefined): string {
  if (!sel) return '<nil>';
  const labels = Object.keys(sel.matchLabels ?? {})
    .sort()
    .map((k) => `${k}: ${sel.matchLabels?.[k] ?? ''},`)
    .join('');
  const exprs = (sel.matchExpressions ?? [])
    .map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],}`)
    .join(',');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}
