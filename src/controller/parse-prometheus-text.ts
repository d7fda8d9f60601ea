/**
 * A parser for the Prometheus text exposition format (version 0.0.4), enough for what the
 * built-in scraper reads: samples with labels, `NaN`/`±Inf`, optional timestamps, comments.
 *
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */

/** One sample line: `name{labels} value [timestampMs]`. */
export interface PromSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestampMs?: number;
}

/** What a `# TYPE` line said about a metric family. */
export type PromType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface ParsedExposition {
  readonly samples: readonly PromSample[];
  readonly types: Readonly<Record<string, PromType>>;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseNumber(text: string): number {
  switch (text) {
    case 'NaN':
      return Number.NaN;
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    default: {
      const n = Number(text);
      if (text === '' || Number.isNaN(n)) throw new SyntaxError(`expected a number: got '${text}'`);
      return n;
    }
  }
}

function parseLabels(line: string, start: number, labels: Record<string, string>): number {
  let i = start; // just after '{'
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '}') return i + 1;
    const m = LABEL_NAME.exec(line.slice(i));
    if (!m) throw new SyntaxError(`expected a label name at column ${i + 1}`);
    const key = m[0];
    i += key.length;
    while (line[i] === ' ') i++;
    if (line[i] !== '=') throw new SyntaxError(`expected '=' after label '${key}'`);
    i++;
    while (line[i] === ' ') i++;
    if (line[i] !== '"') throw new SyntaxError(`expected '"' to open the value of label '${key}'`);
    i++;
    let value = '';
    for (;;) {
      const c = line[i];
      if (c === undefined) throw new SyntaxError(`unterminated value of label '${key}'`);
      if (c === '"') break;
      if (c === '\\') {
        const next = line[i + 1];
        value += next === 'n' ? '\n' : next === '\\' ? '\\' : next === '"' ? '"' : `\\${next ?? ''}`;
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    i++;
    labels[key] = value;
    while (line[i] === ' ') i++;
    if (line[i] === ',') {
      i++;
      continue;
    }
    if (line[i] === '}') return i + 1;
    throw new SyntaxError(`expected ',' or '}' after the value of label '${key}'`);
  }
}

/**
 * Parses an exposition. Lines that do not parse throw, naming the line.
 *
 * @throws {SyntaxError} `Cannot parse the exposition at line N: ...`
 * @example
 * parsePrometheusText('# TYPE asr_active_requests gauge\nasr_active_requests 3\n').samples;
 * // -> [{ name: 'asr_active_requests', labels: {}, value: 3 }]
 */
export function parsePrometheusText(text: string): ParsedExposition {
  const samples: PromSample[] = [];
  const types: Record<string, PromType> = {};
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] as string).trim();
    if (line === '') continue;
    try {
      if (line.startsWith('#')) {
        const parts = line.slice(1).trim().split(/\s+/);
        if (parts[0] === 'TYPE' && parts[1] !== undefined && parts[2] !== undefined) types[parts[1]] = parts[2] as PromType;
        continue;
      }
      const m = NAME.exec(line);
      if (!m) throw new SyntaxError('expected a metric name');
      const name = m[0];
      let i = name.length;
      const labels: Record<string, string> = {};
      if (line[i] === '{') i = parseLabels(line, i + 1, labels);
      const rest = line.slice(i).trim().split(/\s+/);
      if (rest.length < 1 || rest.length > 2 || rest[0] === '') throw new SyntaxError('expected a value and an optional timestamp');
      const value = parseNumber(rest[0] as string);
      const sample: { name: string; labels: Record<string, string>; value: number; timestampMs?: number } = { name, labels, value };
      if (rest[1] !== undefined) {
        const ts = Number(rest[1]);
        if (!Number.isInteger(ts)) throw new SyntaxError(`expected an integer timestamp: got '${rest[1]}'`);
        sample.timestampMs = ts;
      }
      samples.push(sample);
    } catch (error) {
      throw new SyntaxError(`Cannot parse the exposition at line ${n + 1}: ${(error as Error).message}`, { cause: error });
    }
  }
  return { samples, types };
}
