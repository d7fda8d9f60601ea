import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/index.js';
import { parseIsoSeconds, parseTraceCsv, parseTraceJson, parseTraceText, sumPrometheusMatrix } from './trace-file.js';

function errorOf(act: () => unknown): InputError {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parseTraceCsv()', () => {
  it.each([
    { name: 'a header and seconds', text: 'time,rps\n0,5\n60,12\n', want: [{ t: 0, rps: 5 }, { t: 60, rps: 12 }] },
    { name: 'no header', text: '0,5\n60,12.5', want: [{ t: 0, rps: 5 }, { t: 60, rps: 12.5 }] },
    { name: 'comments, blank lines, CRLF and a BOM', text: '\uFEFF# recorded 2024-05-01\r\n\r\ntime,rps\r\n# warm-up\r\n0,1\r\n\r\n10,2\r\n', want: [{ t: 0, rps: 1 }, { t: 10, rps: 2 }] },
    { name: 'columns in another order with extra ones', text: 'pod,rps,timestamp\na,3,100\nb,4,160\n', want: [{ t: 100, rps: 3 }, { t: 160, rps: 4 }] },
    { name: 'ISO timestamps made relative to the first', text: 'time,rps\n2024-05-01T22:00:00Z,30\n2024-05-01T22:01:00Z,20\n2024-05-02T00:00:00+01:00,0\n', want: [{ t: 0, rps: 30 }, { t: 60, rps: 20 }, { t: 3600, rps: 0 }] },
    { name: 'ISO without offset read as UTC, with fractions', text: '2024-05-01 10:00:00.5,1\n2024-05-01 10:00:01.75,2\n', want: [{ t: 0, rps: 1 }, { t: 1.25, rps: 2 }] },
    { name: 'Unix seconds made relative to the first', text: '1714600000,7\n1714600060,9\n', want: [{ t: 0, rps: 7 }, { t: 60, rps: 9 }] },
    { name: 'quoted fields and semicolons', text: '"time";"rps"\n"0";"1.5e1"\n', want: [{ t: 0, rps: 15 }] },
    { name: 'tab-separated', text: 'time\trps\n-30\t2\n0\t3\n', want: [{ t: -30, rps: 2 }, { t: 0, rps: 3 }] },
  ])('parses $name', ({ text, want }) => {
    expect(parseTraceCsv(text, 'trace.csv')).toEqual(want);
  });

  it.each([
    { name: 'a non-numeric rps', text: 'time,rps\n0,5\n# note\n\n60,6\n120,7\n180,abc\n', line: 7, code: 'schema', detail: `'rps' must be a number ≥ 0: got "abc"` },
    { name: 'a negative rps', text: '0,-2\n', line: 1, code: 'schema', detail: `'rps' must be a number ≥ 0: got "-2"` },
    { name: 'an empty rps', text: 'time,rps\n0,\n', line: 2, code: 'schema', detail: `'rps' must be a number ≥ 0: got ""` },
    { name: 'a missing column', text: 'time,rps\n0,1\n60\n', line: 3, code: 'syntax', detail: 'expected 2 columns like "time,rps": got "60"' },
    { name: 'decreasing times', text: '0,1\n60,1\n30,1\n', line: 3, code: 'schema', detail: `'time' must be strictly increasing: got "30" after "60"` },
    { name: 'a repeated time', text: '0,1\n0,2\n', line: 2, code: 'schema', detail: `'time' must be strictly increasing: got "0" after "0"` },
    { name: 'a bad time', text: 'time,rps\nnoon,1\n', line: 2, code: 'schema', detail: `'time' must be seconds or an ISO-8601 timestamp: got "noon"` },
    { name: 'mixed time formats', text: '2024-05-01T00:00:00Z,1\n60,1\n', line: 2, code: 'schema', detail: `'time' must be an ISO-8601 timestamp like the first row: got "60"` },
    { name: 'an impossible date', text: '2024-13-01T00:00:00Z,1\n', line: 1, code: 'syntax', detail: 'expected a header naming a time column (time, t, timestamp, ts, seconds) and an rps column (rps, value, requests_per_second), or a first row "time,rps" of numbers: got "2024-13-01T00:00:00Z,1"' },
    { name: 'an unknown header', text: '# trace\nwhen,load\n0,1\n', line: 2, code: 'syntax', detail: 'expected a header naming a time column (time, t, timestamp, ts, seconds) and an rps column (rps, value, requests_per_second), or a first row "time,rps" of numbers: got "when,load"' },
  ])('throws an InputError naming the line for $name', ({ text, line, code, detail }) => {
    const error = errorOf(() => parseTraceCsv(text, 'trace.csv'));
    expect(error.message).toBe(`Cannot load 'trace.csv:line ${line}': ${detail}`);
    expect([error.line, error.code, error.file]).toEqual([line, code, 'trace.csv']);
  });

  it('throws an InputError for a file with no rows', () => {
    expect(errorOf(() => parseTraceCsv('time,rps\n# nothing yet\n', 'empty.csv')).message).toBe(
      `Cannot load 'empty.csv': expected at least one "time,rps" row: got none`,
    );
  });

  it('round-trips any increasing trace written as CSV (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 1, max: 10_000 }), rps: fc.double({ min: 0, max: 1e6, noNaN: true }) }), { minLength: 1, maxLength: 50 }),
        (rows) => {
          let t = 0;
          const points = rows.map(({ dt, rps }) => ({ t: (t += dt), rps }));
          const text = `time,rps\n${points.map((p) => `${p.t},${p.rps}`).join('\n')}\n`;
          expect(parseTraceCsv(text, 'p.csv')).toEqual(points);
        },
      ),
    );
  });
});

const PROMETHEUS_ANSWER = JSON.stringify({
  status: 'success',
  data: {
    resultType: 'matrix',
    result: [
      { metric: { pod: 'a' }, values: [[1714600000, '2'], [1714600060, '3'], [1714600120, 'NaN']] },
      { metric: { pod: 'b' }, values: [[1714600000, '1.5'], [1714600120, '4']] },
    ],
  },
});

describe('parseTraceJson()', () => {
  it.each([
    { name: 'an array of {t, rps}', text: '[{"t":0,"rps":5},{"t":60,"rps":12}]', want: [{ t: 0, rps: 5 }, { t: 60, rps: 12 }] },
    { name: 'an array of {time, rps} with ISO times', text: '[{"time":"2024-05-01T00:00:00Z","rps":1},{"time":"2024-05-01T00:00:30Z","rps":2}]', want: [{ t: 0, rps: 1 }, { t: 30, rps: 2 }] },
    { name: '{points: [...]}', text: '{"points":[{"t":5,"rps":1}]}', want: [{ t: 5, rps: 1 }] },
    { name: 'a Prometheus query_range answer, series summed, NaN skipped', text: PROMETHEUS_ANSWER, want: [{ t: 0, rps: 3.5 }, { t: 60, rps: 3 }, { t: 120, rps: 4 }] },
  ])('parses $name', ({ text, want }) => {
    expect(parseTraceJson(text, 'trace.json')).toEqual(want);
  });

  it.each([
    { name: 'a negative rps', text: '[{"t":0,"rps":1},{"t":1,"rps":-1}]', message: `Cannot load 'trace.json' at '[1].rps': must be a number ≥ 0: got -1` },
    { name: 'rps as text', text: '[{"t":0,"rps":"5"}]', message: `Cannot load 'trace.json' at '[0].rps': must be a number ≥ 0: got "5"` },
    { name: 'a missing time', text: '{"points":[{"rps":1}]}', message: `Cannot load 'trace.json' at 'points[0].time': must be seconds or an ISO-8601 timestamp: got nothing` },
    { name: 'unordered times', text: '[{"t":10,"rps":1},{"t":5,"rps":1}]', message: `Cannot load 'trace.json' at '[1].t': times must be strictly increasing: got 5 after 10` },
    { name: 'an empty array', text: '[]', message: `Cannot load 'trace.json': expected at least one {"t", "rps"} sample: got none` },
    { name: 'an object of another kind', text: '{"a":1}', message: `Cannot load 'trace.json': expected an array of {"t", "rps"} samples, {"points": [...]}, or a Prometheus query_range answer` },
    { name: 'a Prometheus error', text: '{"status":"error","errorType":"bad_data","error":"parse error"}', message: `Cannot load 'trace.json' at 'status': the file holds a Prometheus error: bad_data: parse error` },
    { name: 'an instant query answer', text: '{"status":"success","data":{"resultType":"vector","result":[]}}', message: `Cannot load 'trace.json' at 'data.resultType': must be "matrix" (the answer of /api/v1/query_range): got "vector"` },
    { name: 'a query with no series', text: '{"status":"success","data":{"resultType":"matrix","result":[]}}', message: `Cannot load 'trace.json' at 'data.result': expected at least one series: the query returned none (check the metric name and labels)` },
    { name: 'a negative Prometheus sample', text: '{"status":"success","data":{"resultType":"matrix","result":[{"values":[[1,"-1"]]}]}}', message: `Cannot load 'trace.json' at 'data.result[0].values[0]': value must be ≥ 0 requests per second: got "-1"` },
  ])('throws an InputError naming the path for $name', ({ text, message }) => {
    expect(errorOf(() => parseTraceJson(text, 'trace.json')).message).toBe(message);
  });

  it('throws a syntax InputError with the line for malformed JSON', () => {
    const error = errorOf(() => parseTraceJson('[\n{"t":0,"rps":1},\n{"t":1,"rps":}\n]', 'trace.json'));
    expect(error.code).toBe('syntax');
    expect(error.message).toMatch(/^Cannot load 'trace\.json(:line 3)?': expected JSON: /);
  });
});

describe('sumPrometheusMatrix()', () => {
  it('makes times relative to the given origin', () => {
    expect(sumPrometheusMatrix([{ values: [[160, '1']] }], { file: 'p', originSeconds: 100 })).toEqual([{ t: 60, rps: 1 }]);
  });

  it('throws when every sample is NaN', () => {
    expect(errorOf(() => sumPrometheusMatrix([{ values: [[1, 'NaN']] }], { file: 'p' })).message).toBe(
      `Cannot load 'p' at 'data.result': expected at least one finite sample: all were NaN or infinite`,
    );
  });
});

describe('parseIsoSeconds()', () => {
  it.each([
    { text: '1970-01-01T00:01:00Z', want: 60 },
    { text: '1970-01-01', want: 0 },
    { text: '1970-01-01T01:00:00+01:00', want: 0 },
    { text: '1970-01-01T00:00:00-0130', want: 5400 },
    { text: '2024-02-29T00:00:00Z', want: Date.UTC(2024, 1, 29) / 1000 },
    { text: '2023-02-29T00:00:00Z', want: undefined },
    { text: 'yesterday', want: undefined },
    { text: '2024-01-01T25:00:00Z', want: undefined },
  ])('parses $text as $want', ({ text, want }) => {
    expect(parseIsoSeconds(text)).toBe(want);
  });
});

describe('parseTraceText()', () => {
  it.each([
    { file: 'day.json', text: '[{"t":0,"rps":1}]' },
    { file: 'day.CSV', text: '0,1' },
    { file: 'day.txt', text: 'time,rps\n0,1' },
  ])('picks the parser from the extension of $file', ({ file, text }) => {
    expect(parseTraceText(text, file)).toEqual([{ t: 0, rps: 1 }]);
  });
});
