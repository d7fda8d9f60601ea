/**
 * Shapes shared by the vector runners (format in test/conformance/adapter/FORMAT.md) and the
 * comparison that checks only the fields a case pins.
 */

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
export type JsonObject = { readonly [key: string]: Json };

/** One vector case. */
export interface VectorCase {
  readonly id: string;
  readonly input: JsonObject;
  readonly expected: JsonObject;
}

/** What a runner needs besides the case: access to other vector files (`naming.json#id` references). */
export interface RunContext {
  /** The parsed vector file with that name (`naming.json`), or undefined. */
  readonly resolveFile: (fileName: string) => unknown;
}

/** A case runner: the list of mismatches (empty = pass). */
export type CaseRunner = (c: VectorCase, ctx: RunContext) => string[];

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: Json | undefined, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`input '${what}' must be a string, got ${JSON.stringify(value)}`);
  return value;
}

export function obj(value: Json | undefined, what: string): JsonObject {
  if (!isObject(value)) throw new TypeError(`input '${what}' must be an object, got ${JSON.stringify(value)}`);
  return value;
}

export function arr(value: Json | undefined, what: string): readonly Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TypeError(`input '${what}' must be a list, got ${JSON.stringify(value)}`);
  return value as readonly Json[];
}

export function strings(value: Json | undefined, what: string): string[] {
  return arr(value, what).map((v, k) => str(v, `${what}[${k}]`));
}

function show(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * Compares `actual` with `expected`, recursing only into the keys `expected` has (absent = not
 * pinned); arrays must match in length and element by element. Appends mismatches to `out`.
 */
export function compareSubset(path: string, expected: unknown, actual: unknown, out: string[]): void {
  if (isObject(expected)) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) {
      out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
      return;
    }
    for (const [key, value] of Object.entries(expected)) compareSubset(path ? `${path}.${key}` : key, value, (actual as Record<string, unknown>)[key], out);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
      return;
    }
    expected.forEach((e, k) => compareSubset(`${path}[${k}]`, e, actual[k], out));
    return;
  }
  const same = typeof actual === 'bigint' && typeof expected === 'number' ? Number(actual) === expected : Object.is(actual, expected) || actual === expected;
  if (!same) out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
}

/** Compares two lists as multisets of JSON values (order not defined upstream). */
export function compareAsSet(path: string, expected: readonly unknown[], actual: readonly unknown[], out: string[]): void {
  const key = (v: unknown): string => show(sortKeys(v));
  const remaining = new Map<string, number>();
  for (const a of actual) remaining.set(key(a), (remaining.get(key(a)) ?? 0) + 1);
  const missing: unknown[] = [];
  for (const e of expected) {
    const n = remaining.get(key(e)) ?? 0;
    if (n > 0) remaining.set(key(e), n - 1);
    else missing.push(e);
  }
  const extra = [...remaining].flatMap(([k, n]) => Array<string>(n).fill(k));
  if (missing.length > 0) out.push(`${path}: missing ${missing.map(show).join(', ')}`);
  if (extra.length > 0) out.push(`${path}: unexpected ${extra.join(', ')}`);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** The metric selector of a case: `{string}` or `{requirements}`. */
export function selectorInput(value: Json | undefined): { readonly string: string } | { readonly requirements: readonly { key: string; operator: string; values: string[] }[] } {
  if (value === undefined || value === null) return { string: '' };
  const o = obj(value, 'metricSelector');
  if (typeof o['string'] === 'string') return { string: o['string'] };
  return {
    requirements: arr(o['requirements'], 'metricSelector.requirements').map((r, k) => {
      const ro = obj(r, `metricSelector.requirements[${k}]`);
      return { key: str(ro['key'], 'key'), operator: str(ro['operator'], 'operator'), values: strings(ro['values'], 'values') };
    }),
  };
}
