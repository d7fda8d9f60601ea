import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../core/index.js';
import { parseTrafficSpec } from '../sim/index.js';
import { createPrometheusClient, importTrafficFromPrometheus, loadTrafficPoints, PROMETHEUS_MAX_POINTS } from './prometheus-client.js';

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly params: URLSearchParams;
}

/** A canned Prometheus API: answers by path and query, records what it was asked. */
function cannedPrometheus(): { server: Server; seen: Seen[] } {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const params = new URLSearchParams(req.method === 'POST' ? body : url.search);
      seen.push({ method: req.method ?? '', path: url.pathname, params });
      const send = (status: number, value: unknown, type = 'application/json'): void => {
        res.writeHead(status, { 'content-type': type });
        res.end(typeof value === 'string' ? value : JSON.stringify(value));
      };
      const query = params.get('query') ?? '';
      switch (url.pathname) {
        case '/api/v1/query':
          if (query === 'bad(') return send(400, { status: 'error', errorType: 'bad_data', error: '1:5: parse error: unclosed left parenthesis' });
          if (query === 'slow') return send(503, { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' });
          return send(200, { status: 'success', data: { resultType: 'vector', result: [{ metric: { pod: 'asr-0' }, value: [Number(params.get('time') ?? 1714600000), '3'] }] } });
        case '/api/v1/query_range': {
          const start = Number(params.get('start'));
          const end = Number(params.get('end'));
          const step = Number(params.get('step'));
          if (query === 'absent_metric') return send(200, { status: 'success', data: { resultType: 'matrix', result: [] } });
          if ((end - start) / step > PROMETHEUS_MAX_POINTS) {
            return send(400, { status: 'error', errorType: 'bad_data', error: 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)' });
          }
          const grid: number[] = [];
          for (let t = start; t <= end; t += step) grid.push(t);
          // Two pods: asr-0 serves 2 rps throughout, asr-1 starts after the first sample with 1 rps.
          return send(200, {
            status: 'success',
            data: {
              resultType: 'matrix',
              result: [
                { metric: { pod: 'asr-0' }, values: grid.map((t) => [t, '2']) },
                { metric: { pod: 'asr-1' }, values: grid.slice(1).map((t) => [t, '1']) },
              ],
            },
          });
        }
        case '/api/v1/series':
          return send(200, { status: 'success', data: params.getAll('match[]').map((m) => ({ __name__: m, pod: 'asr-0' })) });
        case '/api/v1/targets':
          return send(200, {
            status: 'success',
            data: {
              activeTargets: [{ labels: { job: 'lightning-asr' }, scrapeUrl: 'http://127.0.0.1:2269/metrics', health: 'up', lastError: '', lastScrape: '2024-05-01T00:00:00Z' }],
              droppedTargets: [],
            },
          });
        default:
          return send(404, '404 page not found', 'text/plain');
      }
    });
  });
  return { server, seen };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return url;
}

async function inputErrorOf(promise: Promise<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

const { server, seen } = cannedPrometheus();
let baseUrl = '';
beforeAll(async () => {
  baseUrl = await listen(server);
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('createPrometheusClient()', () => {
  it('query() posts the expression and time and returns the data', async () => {
    const data = await createPrometheusClient(`${baseUrl}/`).query('sum(asr_active_requests)', 1714600123);
    expect(data).toEqual({ resultType: 'vector', result: [{ metric: { pod: 'asr-0' }, value: [1714600123, '3'] }] });
    const last = seen[seen.length - 1]!;
    expect([last.method, last.path, last.params.get('query'), last.params.get('time')]).toEqual(['POST', '/api/v1/query', 'sum(asr_active_requests)', '1714600123']);
  });

  it('queryRange() returns the matrix', async () => {
    const result = await createPrometheusClient(baseUrl).queryRange('rate(x[1m])', { startSec: 0, endSec: 120, stepSec: 60 });
    expect(result.map((s) => s.values.length)).toEqual([3, 2]);
  });

  it('series() sends every match[] selector', async () => {
    const labels = await createPrometheusClient(baseUrl).series(['asr_active_requests', 'up'], { startSec: 0, endSec: 10 });
    expect(labels).toEqual([{ __name__: 'asr_active_requests', pod: 'asr-0' }, { __name__: 'up', pod: 'asr-0' }]);
    expect(seen[seen.length - 1]!.params.get('start')).toBe('0');
  });

  it('targets() gets the scrape targets', async () => {
    const targets = await createPrometheusClient(baseUrl).targets();
    expect(targets.activeTargets.map((t) => [t.labels['job'], t.health])).toEqual([['lightning-asr', 'up']]);
    expect(seen[seen.length - 1]!.method).toBe('GET');
  });

  it.each([
    { name: 'bad_data as a syntax error', expr: 'bad(', code: 'syntax', detail: 'rejected /api/v1/query: bad_data: 1:5: parse error: unclosed left parenthesis' },
    { name: 'other errors as unreadable', expr: 'slow', code: 'unreadable', detail: 'rejected /api/v1/query: timeout: query timed out in expression evaluation' },
  ])('throws an InputError for a Prometheus error: $name', async ({ expr, code, detail }) => {
    const error = await inputErrorOf(createPrometheusClient(baseUrl).query(expr));
    expect(error.code).toBe(code);
    expect(error.message).toBe(`Cannot load '${baseUrl}': Prometheus at ${baseUrl} ${detail}`);
  });

  it('throws an unreadable InputError when the server is not a Prometheus API', async () => {
    const error = await inputErrorOf(createPrometheusClient(`${baseUrl}/not-prometheus`).targets());
    expect(error.code).toBe('unreadable');
    expect(error.message).toBe(
      `Cannot load '${baseUrl}/not-prometheus': expected a Prometheus API answer from ${baseUrl}/not-prometheus/api/v1/targets: got HTTP 404 "404 page not found"`,
    );
  });

  it('throws an unreachable InputError for a closed port', async () => {
    const url = await closedPortUrl();
    const error = await inputErrorOf(createPrometheusClient(url).query('up'));
    expect(error.code).toBe('unreachable');
    expect(error.message).toMatch(new RegExp(`^Cannot load '${url}': Prometheus at ${url} cannot be reached: .*ECONNREFUSED`));
  });

  it('throws an unreachable InputError when the server does not answer in time', async () => {
    const silent = createServer(() => {
      // never answers
    });
    const url = await listen(silent);
    try {
      const error = await inputErrorOf(createPrometheusClient(url, { timeoutMs: 50 }).query('up'));
      expect(error.message).toBe(`Cannot load '${url}': Prometheus at ${url} cannot be reached: no answer within 50 ms`);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('uses an injected fetch', async () => {
    const calls: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      calls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      return new Response(JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, '42'] } }));
    };
    expect(await createPrometheusClient('http://prometheus.invalid:9090', { fetch: fakeFetch }).query('42')).toEqual({ resultType: 'scalar', result: [1, '42'] });
    expect(calls).toEqual(['http://prometheus.invalid:9090/api/v1/query']);
  });
});

describe('importTrafficFromPrometheus()', () => {
  it('sums the series per timestamp, relative to the start', async () => {
    const points = await importTrafficFromPrometheus({ url: baseUrl, query: 'sum by (pod) (rate(asr_requests_total[1m]))', startSec: 1000, endSec: 1180, stepSec: 60 });
    expect(points).toEqual([{ t: 0, rps: 2 }, { t: 60, rps: 3 }, { t: 120, rps: 3 }, { t: 180, rps: 3 }]);
  });

  it('splits a window longer than 11,000 steps into several queries on one grid', async () => {
    const before = seen.length;
    const points = await importTrafficFromPrometheus({ url: baseUrl, query: 'x', startSec: 0, endSec: 30 * 86_400, stepSec: 60 });
    const ranges = seen.slice(before).map((s) => [Number(s.params.get('start')), Number(s.params.get('end'))]);
    expect(ranges).toEqual([
      [0, 10_999 * 60],
      [11_000 * 60, 21_999 * 60],
      [22_000 * 60, 32_999 * 60],
      [33_000 * 60, 30 * 86_400],
    ]);
    expect(points).toHaveLength(30 * 1440 + 1);
    expect(points.every((p, i) => p.t === i * 60)).toBe(true);
  });

  it('throws a schema InputError when the query returns no series', async () => {
    const error = await inputErrorOf(importTrafficFromPrometheus({ url: baseUrl, query: 'absent_metric', startSec: 0, endSec: 60, stepSec: 60 }));
    expect(error.code).toBe('schema');
    expect(error.message).toBe(
      `Cannot load '${baseUrl}': expected at least one series from "absent_metric" between 0 and 60: the query returned none (check the metric name, labels and time window)`,
    );
  });

  it('throws an unreachable InputError for a closed port', async () => {
    const url = await closedPortUrl();
    const error = await inputErrorOf(importTrafficFromPrometheus({ url, query: 'x', startSec: 0, endSec: 60, stepSec: 60 }));
    expect(error.code).toBe('unreachable');
  });

  it.each([
    { name: 'a zero step', input: { startSec: 0, endSec: 60, stepSec: 0 }, message: "Cannot import traffic from Prometheus as 'stepSec' must be a finite number > 0: got 0" },
    { name: 'an empty window', input: { startSec: 60, endSec: 60, stepSec: 15 }, message: "Cannot import traffic from Prometheus as 'endSec' must be > 'startSec': got 60..60" },
    {
      name: 'a window of too many points',
      input: { startSec: 0, endSec: 2 * 365 * 86_400, stepSec: 15 },
      message: "Cannot import traffic from Prometheus as the window needs 4204801 points at 'stepSec' 15: the limit is 1100000, use a larger step",
    },
  ])('throws a RangeError for $name', async ({ input, message }) => {
    await expect(importTrafficFromPrometheus({ url: baseUrl, query: 'x', ...input })).rejects.toThrow(new RangeError(message));
  });
});

describe('loadTrafficPoints()', () => {
  const readText = async (file: string): Promise<string> => (file === 'day.csv' ? 'time,rps\n0,5\n60,7\n' : '[{"t":0,"rps":1}]');

  it.each([
    { name: 'reads and parses a CSV trace file', spec: { type: 'trace', file: 'day.csv' }, want: [{ t: 0, rps: 5 }, { t: 60, rps: 7 }] },
    { name: 'reads and parses a JSON trace file', spec: { type: 'trace', file: 'day.json' }, want: [{ t: 0, rps: 1 }] },
    { name: 'returns undefined for inline points', spec: { type: 'trace', points: [{ t: 0, rps: 1 }] }, want: undefined },
    { name: 'returns undefined for a built-in shape', spec: { type: 'traffic-spike' }, want: undefined },
  ])('$name', async ({ spec, want }) => {
    expect(await loadTrafficPoints(parseTrafficSpec(spec), { readText, nowSeconds: 0 })).toEqual(want);
  });

  it('queries the last range of a prometheus spec before now', async () => {
    const before = seen.length;
    const spec = parseTrafficSpec({ type: 'prometheus', url: baseUrl, query: 'sum(rate(asr_requests_total[1m]))', range: '3m', stepSeconds: 60 });
    const points = await loadTrafficPoints(spec, { readText, nowSeconds: 1_000_000.5 });
    expect(points).toEqual([{ t: 0, rps: 2 }, { t: 60, rps: 3 }, { t: 120, rps: 3 }, { t: 180, rps: 3 }]);
    const asked = seen[before]!.params;
    expect([asked.get('start'), asked.get('end'), asked.get('step')]).toEqual(['999820', '1000000', '60']);
  });
});
