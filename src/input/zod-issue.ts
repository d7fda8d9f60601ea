import { z } from 'zod';
import { closestName, describeValue } from '../core/index.js';
import { INT32_MAX } from './hpa-schema.js';
import type { FieldPath } from './yaml-source.js';

/** One problem found in an input, with its field path relative to the checked object. */
export interface SpecIssue {
  readonly code: 'schema' | 'semantic';
  readonly path: FieldPath;
  readonly detail: string;
}

/** Fields of older HPA versions (and common slips) with the autoscaling/v2 way to say them. */
const FIELD_HINTS: Readonly<Record<string, string>> = {
  targetAverageUtilization:
    "'targetAverageUtilization' is autoscaling/v2beta1: use 'target: {type: Utilization, averageUtilization: N}'",
  targetAverageValue: "'targetAverageValue' is autoscaling/v2beta1: use 'target: {type: AverageValue, averageValue: Q}'",
  targetValue: "'targetValue' is autoscaling/v2beta1: use 'target: {type: Value, value: Q}'",
  metricName: "'metricName' is autoscaling/v2beta1: use 'metric: {name: NAME}'",
  metricSelector: "'metricSelector' is autoscaling/v2beta1: use 'metric: {name: NAME, selector: {...}}'",
  targetCPUUtilizationPercentage:
    "'targetCPUUtilizationPercentage' is autoscaling/v1: use 'metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: N}}}]'",
};

/**
 * Turns a zod issue into a `SpecIssue` whose detail says what was expected and what was found,
 * listing the allowed values or fields. `input` is the checked object (to show the found value),
 * `schema` the schema it was checked with (to list the known fields).
 */
export function fromZodIssue(issue: z.core.$ZodIssue, input: unknown, schema: z.ZodType): SpecIssue {
  const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  const found = valueAt(input, path);
  const missing = found === undefined;
  const lead = missing ? 'required field is missing: ' : '';
  const got = missing ? '' : `, got ${describeValue(found)}`;
  switch (issue.code) {
    case 'invalid_value': {
      const values = issue.values.map((v) => describeValue(v)).join(', ');
      const expected = issue.values.length === 1 ? `expected ${values}` : `expected one of ${values}`;
      return { code: 'schema', path, detail: `${lead}${expected}${got}` };
    }
    case 'invalid_type':
      return { code: 'schema', path, detail: `${lead}expected ${describeExpected(schema, path, issue.expected)}${got}` };
    case 'invalid_union':
      return { code: 'schema', path, detail: `${lead}expected a quantity (a string such as '500m' or a number)${got}` };
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '';
      const known = knownKeys(schema, path);
      const hint = FIELD_HINTS[key];
      const near = closestName(String(key), known);
      const allowed = known.length > 0 ? `${near === undefined ? '' : `did you mean '${near}'? `}expected one of ${known.map((k) => `'${k}'`).join(', ')}` : 'not allowed here';
      return {
        code: 'schema',
        path: [...path, key],
        detail: `unknown field: ${hint ?? allowed}${issue.keys.length > 1 ? ` (also unknown: ${issue.keys.slice(1).join(', ')})` : ''}`,
      };
    }
    case 'too_small': {
      if (issue.origin === 'string') return { code: 'schema', path, detail: `${lead}expected a non-empty string${got}` };
      const op = issue.inclusive === false ? '>' : '>=';
      const expected = describeNumber(schema, path) ?? `a value ${op} ${String(issue.minimum)}`;
      return { code: 'schema', path, detail: `${lead}expected ${expected}${got}` };
    }
    case 'too_big': {
      const op = issue.inclusive === false ? '<' : '<=';
      const expected = describeNumber(schema, path) ?? `a value ${op} ${String(issue.maximum)}`;
      return { code: 'schema', path, detail: `expected ${expected}${got}` };
    }
    default:
      return { code: 'schema', path, detail: `${lead}${issue.message}${got}` };
  }
}

function describeType(expected: string): string {
  switch (expected) {
    case 'int':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'a boolean (true or false)';
    case 'object':
    case 'record':
      return 'a mapping';
    case 'array':
      return 'a list';
    default:
      return expected;
  }
}

/** The value at `path` inside plain data, or undefined. */
export function valueAt(input: unknown, path: FieldPath): unknown {
  let node = input;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** The schema that checks the value at `path`, or undefined where the path leaves it. */
function schemaAt(schema: z.ZodType, path: FieldPath): unknown {
  let node: unknown = schema;
  for (const segment of path) {
    node = unwrap(node);
    if (node instanceof z.ZodObject) node = (node.shape as Record<string, unknown>)[String(segment)];
    else if (node instanceof z.ZodArray) node = node.element;
    else return undefined;
  }
  return unwrap(node);
}

/** The field names a (strict) object schema allows at `path`. */
function knownKeys(schema: z.ZodType, path: FieldPath): string[] {
  const node = schemaAt(schema, path);
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

/** `an integer from 1 to 1800`, `an integer >= 1`: a number schema's kind and range. */
function describeNumber(schema: z.ZodType, path: FieldPath): string | undefined {
  const node = schemaAt(schema, path);
  if (!(node instanceof z.ZodNumber)) return undefined;
  const kind = node.isInt ? 'an integer' : 'a number';
  const min = node.minValue;
  const max = node.maxValue;
  const hasMin = min !== null && Number.isFinite(min) && min > Number.MIN_SAFE_INTEGER;
  const hasMax = max !== null && Number.isFinite(max) && max <= INT32_MAX;
  const int32 = max === INT32_MAX ? ' (int32)' : '';
  if (hasMin && hasMax) return `${kind} from ${min} to ${max}${int32}`;
  if (hasMin) return `${kind} >= ${min}`;
  if (hasMax) return `${kind} <= ${max}${int32}`;
  return kind;
}

function describeExpected(schema: z.ZodType, path: FieldPath, expected: string): string {
  if (expected === 'number' || expected === 'int') return describeNumber(schema, path) ?? describeType(expected);
  return describeType(expected);
}

function unwrap(node: unknown): unknown {
  let n = node;
  while (n instanceof z.ZodOptional || n instanceof z.ZodNullable) n = n.unwrap();
  return n;
}
