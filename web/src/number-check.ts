/**
 * Checks a number typed into a field against its range, for a message next to the field: the page
 * never replaces a bad number silently (−3 is not 0, 2.5 is not 3, an empty field is not the old
 * value). Also the page's bounds on numbers that travel in links, so a link cannot freeze it.
 */
import { field, h } from './dom.js';

/** The largest replica count the page computes with (maxReplicas, current replicas). */
export const PAGE_MAX_REPLICAS = 10_000;

/** What a numeric field accepts. */
export interface NumberRule {
  /** The field's name in messages (`maxReplicas`). */
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** Whole numbers only. */
  readonly integer?: boolean;
  /** An empty field means this (undefined: the field is required). */
  readonly empty?: number | 'unset';
  /** Why the bound is there, said after the range (`the page's limit`). */
  readonly note?: string;
}

/** The outcome of `checkNumber`: a value, `unset` for an allowed empty field, or an error. */
export type NumberCheck = { readonly ok: true; readonly value: number | undefined } | { readonly ok: false; readonly error: string };

/** The range in words: `an integer from 1 to 10000`, `a number from 0 to 1`. */
export function describeRule(rule: NumberRule): string {
  const range = rule.max === Infinity ? `${rule.integer ? 'an integer' : 'a number'} ≥ ${rule.min}` : `${rule.integer ? 'an integer' : 'a number'} from ${rule.min} to ${rule.max}`;
  return rule.note ? `${range} (${rule.note})` : range;
}

/**
 * Checks the text of a numeric field.
 *
 * @example checkNumber('-3', { label: 'replicas', min: 0, max: 10000, integer: true })
 * // -> { ok: false, error: "replicas must be an integer from 0 to 10000: got '-3'" }
 */
export function checkNumber(text: string, rule: NumberRule): NumberCheck {
  const t = text.trim();
  if (t === '') {
    if (rule.empty === 'unset') return { ok: true, value: undefined };
    if (rule.empty !== undefined) return { ok: true, value: rule.empty };
    return { ok: false, error: `${rule.label} is required: expected ${describeRule(rule)}` };
  }
  const v = Number(t);
  const bad = !Number.isFinite(v) || v < rule.min || v > rule.max || (rule.integer === true && !Number.isInteger(v));
  if (bad) return { ok: false, error: `${rule.label} must be ${describeRule(rule)}: got '${t}'` };
  return { ok: true, value: v };
}

/** Marks `input` invalid with `message` next to it (or clears the mark for `undefined`). */
export function showFieldError(input: HTMLElement, message: string | undefined): void {
  const holder = input.closest('.field, td') ?? input.parentElement;
  let el = holder?.querySelector<HTMLElement>(':scope > .field-error.number');
  if (message === undefined) {
    input.removeAttribute('aria-invalid');
    el?.remove();
    return;
  }
  input.setAttribute('aria-invalid', 'true');
  if (!el) {
    el = h('small', { class: 'field-error number', role: 'alert' });
    if (!el.id) el.id = `${input.id || 'n'}-error`;
    holder?.append(el);
  }
  el.textContent = message;
  const described = new Set((input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
  described.add(el.id);
  input.setAttribute('aria-describedby', [...described].join(' '));
}

/** A labelled number input checked against `rule` as the user types (`onValid` gets good values only). */
export function numberField(label: string, options: { value: number | undefined; rule: NumberRule; attrs?: Record<string, unknown>; hint?: string; onInput: (check: NumberCheck) => void }): HTMLDivElement {
  const input = h('input', {
    type: 'number',
    inputmode: options.rule.integer ? 'numeric' : 'decimal',
    value: options.value === undefined ? '' : String(options.value),
    ...(options.rule.min > -Infinity ? { min: options.rule.min } : {}),
    ...(options.rule.max < Infinity ? { max: options.rule.max } : {}),
    step: options.rule.integer ? 1 : 'any',
    ...options.attrs,
    oninput: () => {
      const c = checkNumber(input.value, options.rule);
      showFieldError(input, c.ok ? undefined : c.error);
      options.onInput(c);
    },
  });
  return field(label, input, options.hint);
}
