/**
 * Kubernetes label selectors as `k8s.io/apimachinery/pkg/labels` parses them: the `labelSelector`
 * (objects) and `metricLabelSelector` (series) query parameters of the metrics APIs. Requirements
 * are sorted by key and their values sorted and de-duplicated, which fixes the order of the PromQL
 * matchers built from them. Error messages are apimachinery's (they become 400 / 500 bodies).
 *
 * @see https://github.com/kubernetes/apimachinery/blob/v0.30.0/pkg/labels/selector.go
 */
import { fieldError, qualifiedNameErrors, requirementError, SELECTOR_OPERATORS as OPERATORS } from './label-validation.js';

/** Operators in Kubernetes' spelling (`selection.Operator`). */
export type SelectorOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Sorted, unique. Empty for `exists` / `!`. */
  readonly values: readonly string[];
}

/** A parsed selector: requirements sorted by key. Empty = everything. */
export type LabelSelector = readonly SelectorRequirement[];

/** A selector string or requirement list Kubernetes would reject; the message is apimachinery's. */
export class LabelSelectorError extends SyntaxError {
  override name = 'LabelSelectorError';
}

const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

type Tok = 'error' | 'end' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';
interface Item {
  readonly tok: Tok;
  readonly lit: string;
}

const STRING_TO_TOKEN: Readonly<Record<string, Tok>> = {
  ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(',
};

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isSpecial(ch: string): boolean {
  return '=!(),><'.includes(ch) && ch !== '';
}

function lex(text: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  // Go's lexer reads bytes and stops at NUL, as at the end of the string
  const read = (): string => (pos < text.length ? (text[pos++] ?? '') : (pos++, '\0'));
  for (;;) {
    let ch = read();
    while (isWhitespace(ch)) ch = read();
    if (ch === '\0') {
      items.push({ tok: 'end', lit: '' });
      return items;
    }
    pos--;
    if (isSpecial(ch)) {
      let buffer = '';
      let last: Item | undefined;
      for (;;) {
        const c = read();
        if (c === '\0') break;
        if (!isSpecial(c)) {
          pos--;
          break;
        }
        buffer += c;
        const tok = STRING_TO_TOKEN[buffer];
        if (tok) last = { tok, lit: buffer };
        else if (last) {
          pos--;
          break;
        }
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buffer}'` });
    } else {
      let buffer = '';
      for (;;) {
        const c = read();
        if (c === '\0') break;
        if (isSpecial(c) || isWhitespace(c)) {
          pos--;
          break;
        }
        buffer += c;
      }
      const tok = STRING_TO_TOKEN[buffer];
      items.push({ tok: tok ?? 'id', lit: buffer });
    }
  }
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

class Parser {
  readonly items: Item[];
  position = 0;
  constructor(items: Item[]) {
    this.items = items;
  }

  private at(k: number, values: boolean): Item {
    const item = this.items[Math.min(k, this.items.length - 1)] ?? { tok: 'end', lit: '' };
    return values && (item.tok === 'in' || item.tok === 'notin') ? { tok: 'id', lit: item.lit } : item;
  }

  lookahead(values: boolean): Item {
    return this.at(this.position, values);
  }

  consume(values: boolean): Item {
    return this.at(this.position++, values);
  }

  parse(): SelectorRequirement[] {
    const out: SelectorRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      if (tok === 'id' || tok === '!') {
        out.push(this.requirement());
        const next = this.consume(true);
        if (next.tok === 'end') return out;
        if (next.tok !== ',') throw new LabelSelectorError(`found '${next.lit}', expected: ',' or 'end of string'`);
        const after = this.lookahead(true);
        if (after.tok !== 'id' && after.tok !== '!') throw new LabelSelectorError(`found '${after.lit}', expected: identifier after ','`);
      } else if (tok === 'end') {
        return out;
      } else {
        throw new LabelSelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  requirement(): SelectorRequirement {
    const wrap = (msg: string): LabelSelectorError => new LabelSelectorError(`unable to parse requirement: ${msg}`);
    let op: SelectorOperator | undefined;
    let first = this.consume(true);
    if (first.tok === '!') {
      op = '!';
      first = this.consume(true);
    }
    if (first.tok !== 'id') throw wrap(`found '${first.lit}', expected: identifier`);
    const key = first.lit;
    const keyErrs = qualifiedNameErrors(key);
    if (keyErrs.length > 0) throw wrap(fieldError('<nil>', key, keyErrs.join('; ')));
    const next = this.lookahead(true).tok;
    if ((next === 'end' || next === ',') && op !== '!') op = 'exists';
    let values: string[] = [];
    if (op !== 'exists' && op !== '!') {
      const opItem = this.consume(false);
      const byToken: Partial<Record<Tok, SelectorOperator>> = { in: 'in', '=': '=', '==': '==', '>': 'gt', '<': 'lt', notin: 'notin', '!=': '!=' };
      op = byToken[opItem.tok];
      if (!op) throw wrap(`found '${opItem.lit}', expected: ${BINARY_OPERATORS.join(', ')}`);
      values = op === 'in' || op === 'notin' ? this.setValues(wrap) : this.exactValue(wrap);
    }
    const sorted = sortedUnique(values);
    const err = requirementError(key, op, sorted, 'key');
    if (err) throw wrap(err);
    return { key, operator: op, values: sorted };
  }

  setValues(wrap: (m: string) => LabelSelectorError): string[] {
    const open = this.consume(true);
    if (open.tok !== '(') throw wrap(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead(true);
    if (tok === ')') {
      this.consume(true);
      return [''];
    }
    if (tok !== 'id' && tok !== ',') throw wrap(`found '${lit}', expected: ',', ')' or identifier`);
    const set: string[] = [];
    for (;;) {
      const item = this.consume(true);
      if (item.tok === 'id') {
        set.push(item.lit);
        const after = this.lookahead(true);
        if (after.tok === ',') continue;
        if (after.tok === ')') break;
        throw wrap(`found '${after.lit}', expected: ',' or ')'`);
      } else if (item.tok === ',') {
        if (set.length === 0) set.push('');
        const after = this.lookahead(true).tok;
        if (after === ')') {
          set.push('');
          break;
        }
        if (after === ',') {
          this.consume(true);
          set.push('');
        }
      } else {
        throw wrap(`found '${item.lit}', expected: ',', or identifier`);
      }
    }
    const close = this.consume(true);
    if (close.tok !== ')') throw wrap(`found '${lit}', expected: ')'`);
    return set;
  }

  exactValue(wrap: (m: string) => LabelSelectorError): string[] {
    const { tok } = this.lookahead(true);
    if (tok === 'end' || tok === ',') return [''];
    const item = this.consume(true);
    if (item.tok === 'id') return [item.lit];
    throw wrap(`found '${item.lit}', expected: identifier`);
  }
}

function sortByKey(requirements: readonly SelectorRequirement[]): SelectorRequirement[] {
  return [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Parses a selector string (`""` = everything).
 *
 * @throws {LabelSelectorError} with apimachinery's message, e.g. `found ',', expected: !, identifier, or 'end of string'`
 * @example parseLabelSelector('zone=b,app in (y,x)') // -> [{ key: 'app', operator: 'in', values: ['x', 'y'] }, { key: 'zone', operator: '=', values: ['b'] }]
 */
export function parseLabelSelector(text: string): LabelSelector {
  const hit = parsed.get(text);
  if (hit) return hit;
  const selector = sortByKey(new Parser(lex(text)).parse());
  // selectors are immutable, so the simulator's per-sync re-parse of the same text is a lookup
  if (parsed.size < 10_000) parsed.set(text, selector);
  return selector;
}

const parsed = new Map<string, LabelSelector>();

/**
 * Builds a selector from requirements (as code or a test would build them), validating each like
 * `labels.NewRequirement` and sorting like the parser.
 *
 * @throws {LabelSelectorError} when a requirement is invalid
 */
export function labelSelectorFromRequirements(requirements: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[]): LabelSelector {
  return sortByKey(
    requirements.map((r) => {
      const op = OPERATORS.find((o) => o === r.operator);
      const values = sortedUnique(r.values ?? []);
      const err = requirementError(r.key, op ?? (r.operator as SelectorOperator), values, 'key');
      if (err || !op) throw new LabelSelectorError(err ?? `unknown operator ${JSON.stringify(r.operator)}`);
      return { key: r.key, operator: op, values };
    }),
  );
}

/**
 * The canonical string of a selector (`Selector.String()`).
 *
 * @example formatLabelSelector(parseLabelSelector('b in (y,x),!a')) // -> '!a,b in (x,y)'
 */
export function formatLabelSelector(selector: LabelSelector): string {
  return selector
    .map(({ key, operator, values }) => {
      if (operator === 'exists') return key;
      if (operator === '!') return `!${key}`;
      const joined = values.join(',');
      if (operator === 'in' || operator === 'notin') return `${key} ${operator} (${joined})`;
      const sign = operator === 'gt' ? '>' : operator === 'lt' ? '<' : operator;
      return `${key}${sign}${joined}`;
    })
    .join(',');
}

/**
 * Whether a label set satisfies every requirement (`Selector.Matches`); `undefined` is the empty
 * set, as a nil `labels.Set`.
 *
 * @example matchesLabelSelector(parseLabelSelector('app=asr'), { app: 'asr' }) // -> true
 */
export function matchesLabelSelector(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined = {}): boolean {
  return selector.every(({ key, operator, values }) => {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const value = labels[key] ?? '';
    switch (operator) {
      case '=':
      case '==':
      case 'in':
        return has && values.includes(value);
      case '!=':
      case 'notin':
        return !has || !values.includes(value);
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'gt':
      case 'lt': {
        if (!has || !/^[+-]?\d+$/.test(value)) return false;
        const a = BigInt(value);
        const b = BigInt(values[0] ?? '0');
        return operator === 'gt' ? a > b : a < b;
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The object form (`metav1.LabelSelector`: matchLabels / matchExpressions)

/** `metav1.LabelSelector`, the form manifests and API bodies carry. */
export interface MetaLabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly MetaLabelSelectorRequirement[];
}

/** `metav1.LabelSelectorRequirement`. */
export interface MetaLabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

const TO_META_OPERATOR = { in: 'In', notin: 'NotIn', exists: 'Exists', '!': 'DoesNotExist' } as const;
const FROM_META_OPERATOR: Readonly<Record<string, SelectorOperator>> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * `metav1.LabelSelectorAsSelector`: the requirements of the object form (`null`/`undefined`
 * selects nothing in Go; here it is the empty selector and the caller decides).
 *
 * @throws {LabelSelectorError} `"Foo" is not a valid label selector operator`, or a requirement's validation message
 * @example formatLabelSelector(labelSelectorFromMeta({ matchLabels: { app: 'asr' } })) // -> 'app=asr'
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/apis/meta/v1/helpers.go (LabelSelectorAsSelector)
 */
export function labelSelectorFromMeta(selector: MetaLabelSelector | null | undefined): LabelSelector {
  if (!selector) return [];
  const requirements: { key: string; operator: string; values?: readonly string[] }[] = [];
  for (const key of Object.keys(selector.matchLabels ?? {})) requirements.push({ key, operator: '=', values: [selector.matchLabels?.[key] ?? ''] });
  for (const e of selector.matchExpressions ?? []) {
    const operator = FROM_META_OPERATOR[e.operator];
    if (operator === undefined) throw new LabelSelectorError(`${JSON.stringify(e.operator)} is not a valid label selector operator`);
    requirements.push({ key: e.key, operator, values: e.values ?? [] });
  }
  return labelSelectorFromRequirements(requirements);
}

/**
 * `metav1.ParseToLabelSelector` on a parsed selector: the object form echoed in MetricValue items.
 * `!=`, `gt` and `lt` cannot be expressed, which makes upstream fail with a plain 500; `null` for
 * an empty selector (JSON `"selector": null`).
 *
 * @example toMetaLabelSelector(parseLabelSelector('model=whisper')) // -> { ok: true, selector: { matchLabels: { model: 'whisper' } } }
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/apis/meta/v1/helpers.go (ParseToLabelSelector)
 */
export function toMetaLabelSelector(selector: LabelSelector): { readonly ok: true; readonly selector: MetaLabelSelector | null } | { readonly ok: false; readonly message: string } {
  if (selector.length === 0) return { ok: true, selector: null };
  const matchLabels: Record<string, string> = {};
  const matchExpressions: MetaLabelSelectorRequirement[] = [];
  for (const r of selector) {
    if (r.operator === '=' || r.operator === '==') {
      matchLabels[r.key] = r.values[0] ?? '';
      continue;
    }
    if (r.operator === 'gt' || r.operator === 'lt') return { ok: false, message: `"${r.operator}" isn't supported in label selectors` };
    if (r.operator === '!=') return { ok: false, message: '"!=" is not a valid label selector operator' };
    const operator = TO_META_OPERATOR[r.operator];
    matchExpressions.push(r.values.length > 0 ? { key: r.key, operator, values: [...r.values] } : { key: r.key, operator });
  }
  return {
    ok: true,
    selector: {
      ...(Object.keys(matchLabels).length > 0 ? { matchLabels } : {}),
      ...(matchExpressions.length > 0 ? { matchExpressions } : {}),
    },
  };
}

/**
 * Go's `%+v` of a `*metav1.LabelSelector` (its generated `String()`), which the HPA controller
 * embeds in metric names ("external metric qps(&LabelSelector{...})"); `<nil>` for none.
 *
 * @example formatMetaLabelSelectorGo({ matchLabels: { a: 'b' } }) // -> '&LabelSelector{MatchLabels:map[string]string{a: b,},MatchExpressions:[]LabelSelectorRequirement{},}'
 */
export function formatMetaLabelSelectorGo(selector: MetaLabelSelector | null | undefined): string {
  if (!selector) return '<nil>';
  const labels = Object.keys(selector.matchLabels ?? {})
    .sort()
    .map((k) => `${k}: ${selector.matchLabels?.[k] ?? ''},`)
    .join('');
  const exprs = (selector.matchExpressions ?? [])
    .map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],}`)
    .join(',');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}
