/** Runner for `quantity` vectors: apimachinery `resource.Quantity` construction, parsing and serialisation. */
import { parseQuantity } from '../../../core/index.js';
import {
  canonicalParts,
  decimalQuantity,
  formatQuantity,
  negateQuantity,
  newMilliQuantity,
  newQuantity,
  quantityMilliValue,
  type Quantity,
} from '../../../core/index.js';
import { CUSTOM_METRIC_CONVERSION, EXTERNAL_METRIC_CONVERSION, goFloatToInt64, parsePrometheusValue, sampleToMilli } from '../sample-value.js';
import { compareSubset, str, type CaseRunner, type Json } from './vector-case.js';

function int(value: Json | undefined, what: string): bigint {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new TypeError(`input '${what}' must be an integer, got ${JSON.stringify(value)}`);
}

function float(value: Json | undefined): number {
  if (typeof value === 'number') return value;
  return parsePrometheusValue(str(value, 'float'));
}

function describe(q: Quantity, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const s = formatQuantity(q);
  return { string: s, json: JSON.stringify(s), milliValue: quantityMilliValue(q), ...extra };
}

export const runQuantityCase: CaseRunner = (c) => {
  const op = str(c.input['op'], 'op');
  const format = typeof c.input['format'] === 'string' ? c.input['format'] : 'DecimalSI';
  let actual: Record<string, unknown>;
  switch (op) {
    case 'milli':
      actual = describe(newMilliQuantity(int(c.input['value'], 'value'), format));
      break;
    case 'int':
      actual = describe(newQuantity(int(c.input['value'], 'value'), format));
      break;
    case 'decimal': {
      const q = decimalQuantity(int(c.input['mantissa'], 'mantissa'), Number(int(c.input['exp10'], 'exp10')), format);
      actual = describe(q, { negatedString: formatQuantity(negateQuantity(q)) });
      break;
    }
    case 'parse': {
      const text = str(c.input['string'], 'string');
      const q = parseQuantity(text);
      let negatedString: string | undefined;
      if (c.expected['negatedString'] !== undefined) negatedString = formatQuantity(parseQuantity(`-${text}`));
      actual = describe(q, { negatedString });
      break;
    }
    case 'canonicalParts':
      actual = canonicalParts(int(c.input['value'], 'value'), Number(int(c.input['scale'], 'scale')));
      break;
    case 'metricValue':
    case 'metricValueUnguarded': {
      const milli = sampleToMilli(float(c.input['float']), op === 'metricValue' ? CUSTOM_METRIC_CONVERSION : EXTERNAL_METRIC_CONVERSION);
      actual = describe(newMilliQuantity(milli, 'DecimalSI'), { milli });
      break;
    }
    case 'memoryValue': {
      const milli = goFloatToInt64(float(c.input['float']) * 1000, 'amd64');
      actual = describe(newMilliQuantity(milli, 'BinarySI'), { milli });
      break;
    }
    default:
      return [`unknown quantity op ${JSON.stringify(op)}`];
  }
  const out: string[] = [];
  compareSubset('', c.expected, actual, out);
  return out;
};
