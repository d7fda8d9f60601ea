/**
 * Kubernetes' label key and value validation (`k8s.io/apimachinery/pkg/util/validation`), with the
 * exact error strings the label-selector parser puts in its messages.
 *
 * @see https://github.com/kubernetes/apimachinery/blob/v0.30.0/pkg/util/validation/validation.go
 */
import type { SelectorOperator } from './label-selector.js';

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** Length in bytes, as Go's `len(string)` counts. */
function byteLength(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    // a lone surrogate is written as U+FFFD (3 bytes), as Go's string conversion does
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** `IsDNS1123Subdomain`: the problems with `value`, empty when valid. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

/**
 * `IsQualifiedName` (label keys): the problems with `value`, empty when valid.
 *
 * @example qualifiedNameErrors('app.kubernetes.io/name') // -> []
 */
export function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...dns1123SubdomainErrors(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (byteLength(name) > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!QUALIFIED_NAME_RE.test(name)) errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/**
 * `IsValidLabelValue`: the problems with `value`, empty when valid.
 *
 * @example labelValueErrors('a b').length // -> 1
 */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!LABEL_VALUE_RE.test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

/** Selector operators in Kubernetes' spelling. */
export const SELECTOR_OPERATORS: readonly SelectorOperator[] = ['=', '==', '!=', 'in', 'notin', 'exists', '!', 'gt', 'lt'];

/** apimachinery's `field.Invalid(...).Error()` text. */
export function fieldError(path: string, value: string | readonly string[], detail: string): string {
  const shown = typeof value === 'string' ? JSON.stringify(value) : `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}`;
  return `${path}: Invalid value: ${shown}: ${detail}`;
}

/** apimachinery's `NewRequirement` checks; returns the aggregated message or undefined. */
export function requirementError(key: string, op: SelectorOperator, values: readonly string[], keyPath: string): string | undefined {
  const errs: string[] = [];
  const keyErrs = qualifiedNameErrors(key);
  if (keyErrs.length > 0) errs.push(fieldError(keyPath, key, keyErrs.join('; ')));
  if (op === 'in' || op === 'notin') {
    if (values.length === 0) errs.push(fieldError('values', values, "for 'in', 'notin' operators, values set can't be empty"));
  } else if (op === '=' || op === '==' || op === '!=') {
    if (values.length !== 1) errs.push(fieldError('values', values, 'exact-match compatibility requires one single value'));
  } else if (op === 'exists' || op === '!') {
    if (values.length !== 0) errs.push(fieldError('values', values, 'values set must be empty for exists and does not exist'));
  } else if (op === 'gt' || op === 'lt') {
    if (values.length !== 1) errs.push(fieldError('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
    values.forEach((v, k) => {
      if (!/^[+-]?\d+$/.test(v) || BigInt(v) > 2n ** 63n - 1n || BigInt(v) < -(2n ** 63n)) {
        errs.push(fieldError(`values[${k}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      }
    });
  } else {
    errs.push(`operator: Unsupported value: ${JSON.stringify(op)}: supported values: ${SELECTOR_OPERATORS.map((o) => JSON.stringify(o)).join(', ')}`);
  }
  values.forEach((v, k) => {
    const valueErrs = labelValueErrors(v);
    if (valueErrs.length > 0) errs.push(fieldError(`values[${k}][${key}]`, v, valueErrs.join('; ')));
  });
  if (errs.length === 0) return undefined;
  return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}
