/**
 * Parsing of recorded traffic (pure: the caller reads the file and passes its text): CSV
 * `time,rps`, a JSON array of samples, or a Prometheus `query_range` answer. Every error is an
 * `InputError` naming the file, the line (CSV) or the path (JSON), and what was expected.
 */
import { InputError } from '../core/index.js';
import type { TracePoint } from './traffic-schema.js';

/**
 * Numeric times at or above this many seconds (Sept 2001 as a Unix time; 31 years as an offset)
 * are taken as Unix timestamps and made relative to the first sample, like ISO-8601 times.
 */
export const UNIX_SECONDS_THRESHOLD = 1e9;

const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

const TIME_COLUMNS = ['time', 't', 'timestamp', 'ts', 'seconds'];
const RPS_COLUMNS = ['rps', 'value', 'requests_per_second'];

/**
 * Parses ISO-8601 date-times (`2024-05-01T14:00:00Z`, `2024-05-01 14:00`, `...+02:00`) into Unix
 * seconds; no offset means UTC, so the result never depends on the machine's time zone.
 * Returns `undefined` when the text is not such a date-time.
 *
 * @example parseIsoSeconds('1970-01-01T00:01:00Z'); // -> 60
 */
export function parseIsoSeconds(text: string): number | undefined {
  const m = ISO_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) =>
    x === undefined ? undefined : Number(x),
  ) as [number, number, number, number?, number?, number?];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return undefined;
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`);
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '');
    const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
    offsetMinutes = zone.startsWith('-') ? -minutes : minutes;
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC would roll 2023-02-29 over to March 1st: reject days the month does not have.
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31)) return undefined;
  return ms / 1000 + fraction - offsetMinutes * 60;
}

function quote(text: string): string {
  return JSON.stringify(text);
}

function splitFields(line: string): string[] {
  const delimiter = line.includes(',') ? ',' : line.includes(';') ? ';' : line.includes('\t') ? '\t' : /\s+/;
  return line.split(delimiter).map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
}

type TimeKind = 'seconds' | 'iso';

/**
 * Parses a CSV trace: an optional header naming a time column (`time`, `t`, `timestamp`, `ts`,
 * `seconds`) and an rps column (`rps`, `value`, `requests_per_second`), else columns 1 and 2.
 * Times are seconds from the start of the run, or ISO-8601 timestamps (or Unix seconds ≥
 * `UNIX_SECONDS_THRESHOLD`) made relative to the first row. Blank lines and lines starting with
 * `#` are skipped; times must be strictly increasing and rps ≥ 0. `,` `;` tab or spaces separate.
 *
 * @throws {InputError} with the 1-based `line`, e.g.
 *   `Cannot load 'trace.csv:line 7': 'rps' must be a number ≥ 0: got "abc"`
 * @example parseTraceCsv('time,rps\n0,5\n60,12\n', 'trace.csv'); // -> [{ t: 0, rps: 5 }, { t: 60, rps: 12 }]
 */
export function parseTraceCsv(text: string, file: string): TracePoint[] {
  const lines = text.split(/\r?\n/);
  const points: { t: number; rps: number }[] = [];
  let timeColumn = 0;
  let rpsColumn = 1;
  let kind: TimeKind | undefined;
  let previousText = '';
  let sawContent = false;
  for (let index = 0; index < lines.length; index++) {
    const raw = (index === 0 ? lines[index]!.replace(/^\uFEFF/, '') : lines[index]!).trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const line = index + 1;
    const fields = splitFields(raw);
    if (!sawContent) {
      sawContent = true;
      const first = fields[0] ?? '';
      if (!NUMBER_PATTERN.test(first) && parseIsoSeconds(first) === undefined) {
        const names = fields.map((f) => f.toLowerCase());
        timeColumn = names.findIndex((name) => TIME_COLUMNS.includes(name));
        rpsColumn = names.findIndex((name) => RPS_COLUMNS.includes(name));
        if (timeColumn < 0 || rpsColumn < 0) {
          throw new InputError(
            'syntax',
            file,
            '',
            `expected a header naming a time column (${TIME_COLUMNS.join(', ')}) and an rps column (${RPS_COLUMNS.join(', ')}), or a first row "time,rps" of numbers: got ${quote(raw)}`,
            { line },
          );
        }
        continue;
      }
    }
    const timeText = fields[timeColumn];
    const rpsText = fields[rpsColumn];
    if (timeText === undefined || rpsText === undefined) {
      throw new InputError('syntax', file, '', `expected ${Math.max(timeColumn, rpsColumn) + 1} columns like "time,rps": got ${quote(raw)}`, { line });
    }
    const rowKind: TimeKind | undefined = NUMBER_PATTERN.test(timeText) ? 'seconds' : parseIsoSeconds(timeText) !== undefined ? 'iso' : undefined;
    if (rowKind === undefined) {
      throw new InputError('schema', file, '', `'time' must be seconds or an ISO-8601 timestamp: got ${quote(timeText)}`, { line });
    }
    kind ??= rowKind;
    if (rowKind !== kind) {
      throw new InputError('schema', file, '', `'time' must be ${kind === 'iso' ? 'an ISO-8601 timestamp' : 'a number of seconds'} like the first row: got ${quote(timeText)}`, { line });
    }
    const t = rowKind === 'seconds' ? Number(timeText) : parseIsoSeconds(timeText)!;
    const rps = NUMBER_PATTERN.test(rpsText) ? Number(rpsText) : Number.NaN;
    if (!(rps >= 0) || rps === Infinity) {
      throw new InputError('schema', file, '', `'rps' must be a number ≥ 0: got ${quote(rpsText)}`, { line });
    }
    const previous = points[points.length - 1];
    if (previous !== undefined && !(t > previous.t)) {
      throw new InputError('schema', file, '', `'time' must be strictly increasing: got ${quote(timeText)} after ${quote(previousText)}`, { line });
    }
    previousText = timeText;
    points.push({ t, rps });
  }
  if (points.length === 0) {
    throw new InputError('schema', file, '', 'expected at least one "time,rps" row: got none');
  }
  return kind === 'iso' || points[0]!.t >= UNIX_SECONDS_THRESHOLD ? rebase(points, points[0]!.t) : points;
}

function rebase(points: { t: number; rps: number }[], originSeconds: number): TracePoint[] {
  for (const p of points) p.t -= originSeconds;
  return points;
}

/** One series of a Prometheus range-query answer (`data.result[i]` with `resultType: matrix`). */
export interface PrometheusRangeSeries {
  readonly metric?: Readonly<Record<string, string>>;
  readonly values: readonly (readonly [number, string])[];
}

/**
 * Sums the series of a Prometheus matrix per timestamp (a timestamp missing from some series
 * counts only the others) into points with `t` relative to `originSeconds` (default: the first
 * timestamp). `NaN` and infinite samples are skipped, as Prometheus' own graphs do.
 *
 * @throws {InputError} when there is no series or sample, or a sample is negative or not a number
 * @example sumPrometheusMatrix([{ values: [[100, '2'], [160, '3']] }, { values: [[100, '1']] }], { file: 'p' });
 * // -> [{ t: 0, rps: 3 }, { t: 60, rps: 3 }]
 */
export function sumPrometheusMatrix(
  result: readonly PrometheusRangeSeries[],
  options: { readonly file: string; readonly path?: string; readonly originSeconds?: number },
): TracePoint[] {
  const path = options.path ?? 'data.result';
  if (result.length === 0) {
    throw new InputError('schema', options.file, path, 'expected at least one series: the query returned none (check the metric name and labels)');
  }
  const sums = new Map<number, number>();
  result.forEach((series, s) => {
    if (series === null || typeof series !== 'object' || !Array.isArray(series.values)) {
      throw new InputError('schema', options.file, `${path}[${s}].values`, 'expected an array of [timestamp, "value"] pairs');
    }
    (series.values as unknown[]).forEach((pair, i) => {
      const entry = Array.isArray(pair) ? (pair as unknown[]) : undefined;
      const ts = entry?.[0];
      const text = entry?.[1];
      if (typeof ts !== 'number' || !Number.isFinite(ts) || typeof text !== 'string') {
        throw new InputError('schema', options.file, `${path}[${s}].values[${i}]`, `expected [timestamp, "value"]: got ${JSON.stringify(pair)}`);
      }
      const value = Number(text);
      if (Number.isNaN(value) || !Number.isFinite(value)) return;
      if (value < 0) {
        throw new InputError('schema', options.file, `${path}[${s}].values[${i}]`, `value must be ≥ 0 requests per second: got ${quote(text)}`);
      }
      sums.set(ts, (sums.get(ts) ?? 0) + value);
    });
  });
  if (sums.size === 0) {
    throw new InputError('schema', options.file, path, 'expected at least one finite sample: all were NaN or infinite');
  }
  const times = [...sums.keys()].sort((a, b) => a - b);
  const origin = options.originSeconds ?? times[0]!;
  return times.map((ts) => ({ t: ts - origin, rps: sums.get(ts)! }));
}

function jsonSyntaxLine(text: string, message: string): number | undefined {
  const m = /position (\d+)/.exec(message);
  if (!m) return undefined;
  const position = Number(m[1]);
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses a JSON trace: an array of `{ t | time, rps }` (or `{ points: [...] }`), times in seconds
 * or ISO-8601 (made relative to the first, as are Unix seconds ≥ `UNIX_SECONDS_THRESHOLD`), or a
 * Prometheus `query_range` answer `{"status":"success","data":{"resultType":"matrix","result":[...]}}`
 * whose series are summed, relative to the first timestamp.
 *
 * @throws {InputError} `syntax` with the line for malformed JSON, `schema` with the path otherwise
 * @example parseTraceJson('[{"t":0,"rps":5},{"t":60,"rps":12}]', 'trace.json'); // -> [{ t: 0, rps: 5 }, { t: 60, rps: 12 }]
 */
export function parseTraceJson(text: string, file: string): TracePoint[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8 quotes the text around the error, newlines included: keep the error on one line.
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
    const line = jsonSyntaxLine(text, message);
    throw new InputError('syntax', file, '', `expected JSON: ${message}`, line === undefined ? { cause: error } : { cause: error, line });
  }
  if (isRecord(value) && 'status' in value) return parsePrometheusAnswer(value, file);
  if (isRecord(value) && Array.isArray(value['points'])) return parsePointArray(value['points'], file, 'points');
  if (Array.isArray(value)) return parsePointArray(value, file, '');
  throw new InputError(
    'schema',
    file,
    '',
    'expected an array of {"t", "rps"} samples, {"points": [...]}, or a Prometheus query_range answer',
  );
}

function parsePrometheusAnswer(value: Record<string, unknown>, file: string): TracePoint[] {
  if (value['status'] === 'error') {
    throw new InputError('schema', file, 'status', `the file holds a Prometheus error: ${String(value['errorType'])}: ${String(value['error'])}`);
  }
  if (value['status'] !== 'success') {
    throw new InputError('schema', file, 'status', `must be "success": got ${JSON.stringify(value['status'])}`);
  }
  const data = value['data'];
  if (!isRecord(data)) throw new InputError('schema', file, 'data', 'expected an object with "resultType" and "result"');
  if (data['resultType'] !== 'matrix') {
    throw new InputError('schema', file, 'data.resultType', `must be "matrix" (the answer of /api/v1/query_range): got ${JSON.stringify(data['resultType'])}`);
  }
  if (!Array.isArray(data['result'])) throw new InputError('schema', file, 'data.result', 'expected an array of series');
  return sumPrometheusMatrix(data['result'] as PrometheusRangeSeries[], { file });
}

function parsePointArray(items: readonly unknown[], file: string, base: string): TracePoint[] {
  if (items.length === 0) throw new InputError('schema', file, base, 'expected at least one {"t", "rps"} sample: got none');
  const points: { t: number; rps: number }[] = [];
  let kind: TimeKind | undefined;
  let previousRaw: unknown;
  items.forEach((item, i) => {
    const at = (field: string): string => `${base}[${i}]${field ? `.${field}` : ''}`;
    if (!isRecord(item)) throw new InputError('schema', file, at(''), `expected an object {"t", "rps"}: got ${JSON.stringify(item)}`);
    const field = 't' in item ? 't' : 'time';
    const raw = item[field];
    let t: number;
    let rowKind: TimeKind;
    if (typeof raw === 'number' && Number.isFinite(raw)) {
      t = raw;
      rowKind = 'seconds';
    } else if (typeof raw === 'string' && parseIsoSeconds(raw) !== undefined) {
      t = parseIsoSeconds(raw)!;
      rowKind = 'iso';
    } else {
      throw new InputError('schema', file, at(field), `must be seconds or an ISO-8601 timestamp: got ${JSON.stringify(raw) ?? 'nothing'}`);
    }
    kind ??= rowKind;
    if (rowKind !== kind) {
      throw new InputError('schema', file, at(field), `must be ${kind === 'iso' ? 'an ISO-8601 timestamp' : 'a number of seconds'} like the first sample: got ${JSON.stringify(raw)}`);
    }
    const rps = item['rps'];
    if (typeof rps !== 'number' || !(rps >= 0) || rps === Infinity) {
      throw new InputError('schema', file, at('rps'), `must be a number ≥ 0: got ${JSON.stringify(rps) ?? 'nothing'}`);
    }
    const previous = points[points.length - 1];
    if (previous !== undefined && !(t > previous.t)) {
      throw new InputError('schema', file, at(field), `times must be strictly increasing: got ${JSON.stringify(raw)} after ${JSON.stringify(previousRaw)}`);
    }
    previousRaw = raw;
    points.push({ t, rps });
  });
  return kind === 'iso' || points[0]!.t >= UNIX_SECONDS_THRESHOLD ? rebase(points, points[0]!.t) : points;
}

/**
 * Parses a trace file's text by its extension: `.json` as JSON, anything else as CSV.
 *
 * @example parseTraceText('0,5\n', 'trace.csv'); // -> [{ t: 0, rps: 5 }]
 */
export function parseTraceText(text: string, file: string): TracePoint[] {
  return /\.json$/i.test(file) ? parseTraceJson(text, file) : parseTraceCsv(text, file);
}
