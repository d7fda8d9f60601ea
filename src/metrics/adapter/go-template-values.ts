/**
 * The values a Go template sees, modelled in TypeScript, and Go's printing of them (`fmt.Sprint`):
 * {@link goStruct} (fixed fields: reading another one is an error), {@link goStringMap} (a
 * `map[string]string`: a missing key reads as `<no value>`), ints, float64s, strings, bools, slices.
 */
import { formatGoFloat } from '../../core/index.js';

/** A Go struct value: reading a field it does not have is an execution error. */
export class GoStruct {
  readonly typeName: string;
  readonly fields: ReadonlyMap<string, GoValue>;
  constructor(typeName: string, fields: Readonly<Record<string, GoValue>>) {
    this.typeName = typeName;
    this.fields = new Map(Object.entries(fields));
  }
}

/** A Go `map[string]string`. */
export class GoMap {
  readonly entries: ReadonlyMap<string, GoValue>;
  constructor(entries: Readonly<Record<string, GoValue>>) {
    this.entries = new Map(Object.entries(entries));
  }
}

/** A Go float64 (template number literals with `.`/`e`); plain numbers are ints. */
export class GoFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

/** A value a template can see. `undefined` is Go's invalid value (printed `<no value>`). */
export type GoValue = string | number | boolean | null | undefined | GoFloat | GoStruct | GoMap | readonly GoValue[];

/** Builds a struct value. @example goStruct('schema.GroupResource', { Group: '', Resource: 'pod' }) */
export function goStruct(typeName: string, fields: Readonly<Record<string, GoValue>>): GoStruct {
  return new GoStruct(typeName, fields);
}

/** Builds a `map[string]string` value. */
export function goStringMap(entries: Readonly<Record<string, string>>): GoMap {
  return new GoMap(entries);
}

/** Go's `fmt.Sprint` of one value (the `%v` verb). */
export function printGoValue(value: GoValue): string {
  if (value === undefined) return '<no value>';
  if (value === null) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof GoFloat) return formatGoFloat(value.value);
  if (value instanceof GoStruct) return `{${[...value.fields.values()].map(printGoValue).join(' ')}}`;
  if (value instanceof GoMap) {
    const keys = [...value.entries.keys()].sort();
    return `map[${keys.map((k) => `${k}:${printGoValue(value.entries.get(k))}`).join(' ')}]`;
  }
  return `[${value.map(printGoValue).join(' ')}]`;
}

/** The Go type name of a value, as error messages show it. */
export function goTypeName(value: GoValue): string {
  if (value === undefined || value === null) return 'interface {}';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'int';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof GoFloat) return 'float64';
  if (value instanceof GoStruct) return value.typeName;
  if (value instanceof GoMap) return 'map[string]string';
  return '[]string';
}

/** Go template truth: false, 0, nil, and empty strings, slices and maps are false. */
export function isTrue(value: GoValue): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value !== '';
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'boolean') return value;
  if (value instanceof GoFloat) return value.value !== 0;
  if (value instanceof GoStruct) return true;
  if (value instanceof GoMap) return value.entries.size > 0;
  return value.length > 0;
}

/** The number in an int or float value. */
export function numberOf(value: GoValue): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof GoFloat) return value.value;
  return undefined;
}
