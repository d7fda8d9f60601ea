/**
 * A small client of the Prometheus HTTP API (`/api/v1/query`, `query_range`, `series`, `targets`)
 * over the platform's `httpFetch`, and the import of a traffic trace from a range query. Errors are
 * `InputError`s: unreachable server (`unreachable`), a rejected query (`syntax` for `bad_data`,
 * else `unreadable`), or an answer that is not Prometheus' JSON (`unreadable`).
 *
 * @see https://prometheus.io/docs/prometheus/latest/querying/api/
 */
import { InputError } from '../core/index.js';
import { httpFetch } from '../platform/index.js';
import { parseTraceText, sumPrometheusMatrix, type PrometheusRangeSeries, resolvePrometheusWindow, type TracePoint, type TrafficSpec } from '../sim/index.js';

/** Label set of a series. */
export type PrometheusLabels = Readonly<Record<string, string>>;

/** `[unix seconds, "value"]`, as Prometheus encodes samples. */
export type PrometheusSample = readonly [number, string];

/** `data` of an instant query, by `resultType`. */
export type PrometheusQueryData =
  | { readonly resultType: 'vector'; readonly result: readonly { readonly metric: PrometheusLabels; readonly value: PrometheusSample }[] }
  | { readonly resultType: 'matrix'; readonly result: readonly PrometheusMatrixSeries[] }
  | { readonly resultType: 'scalar' | 'string'; readonly result: PrometheusSample };

/** One series of a range query. */
export interface PrometheusMatrixSeries extends PrometheusRangeSeries {
  readonly metric: PrometheusLabels;
  readonly values: readonly PrometheusSample[];
}

/** One scrape target from `/api/v1/targets`. */
export interface PrometheusTarget {
  readonly labels: PrometheusLabels;
  readonly discoveredLabels?: PrometheusLabels;
  readonly scrapePool?: string;
  readonly scrapeUrl: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
  readonly lastScrape: string;
  readonly lastScrapeDuration?: number;
  readonly scrapeInterval?: string;
}

/** `data` of `/api/v1/targets`. */
export interface PrometheusTargets {
  readonly activeTargets: readonly PrometheusTarget[];
  readonly droppedTargets: readonly { readonly discoveredLabels: PrometheusLabels }[];
}

/** A Prometheus HTTP API client bound to one server. */
export interface PrometheusClient {
  /** The server's base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** Instant query at `timeSec` (Unix seconds; the server's now when omitted). */
  query(expr: string, timeSec?: number): Promise<PrometheusQueryData>;
  /** Range query; the answer is a matrix. Prometheus caps it at 11,000 points per series. */
  queryRange(expr: string, range: { startSec: number; endSec: number; stepSec: number }): Promise<PrometheusMatrixSeries[]>;
  /** Label sets of the series matching any of the selectors. */
  series(match: readonly string[], range?: { startSec: number; endSec: number }): Promise<PrometheusLabels[]>;
  /** The scrape targets and their health. */
  targets(): Promise<PrometheusTargets>;
}

/** Options of `createPrometheusClient`. */
export interface PrometheusClientOptions {
  /** The `fetch` to use (tests inject one); default the platform's keep-alive `httpFetch`. */
  readonly fetch?: typeof fetch;
  /** Time to wait for each answer, default `DEFAULT_PROMETHEUS_TIMEOUT_MS`. */
  readonly timeoutMs?: number;
}

/** Default time to wait for one Prometheus answer. */
export const DEFAULT_PROMETHEUS_TIMEOUT_MS = 10_000;

/**
 * Points per series Prometheus returns at most from one range query.
 * @see https://github.com/prometheus/prometheus/blob/main/web/api/v1/api.go (queryRange: "exceeded maximum resolution of 11,000 points per timeseries")
 */
export const PROMETHEUS_MAX_POINTS = 11_000;

/** Most range queries one import sends: 100 x 11,000 = 1.1 M samples (a year at 30 s). */
const MAX_IMPORT_CHUNKS = 100;

function causeOf(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Creates a client of the Prometheus at `baseUrl` (e.g. `http://127.0.0.1:9090`; a path prefix
 * such as `/prometheus` is kept). Queries are sent as form POSTs, so long PromQL fits.
 *
 * @throws {InputError} from every method: `unreachable` when the server cannot be reached or
 *   does not answer within `timeoutMs`; `syntax` when Prometheus rejects the query as `bad_data`;
 *   `unreadable` for other Prometheus errors and for answers that are not its JSON
 * @example
 * const prometheus = createPrometheusClient('http://127.0.0.1:9090');
 * await prometheus.query('sum(asr_active_requests)'); // -> { resultType: 'vector', result: [...] }
 */
export function createPrometheusClient(baseUrl: string, options: PrometheusClientOptions = {}): PrometheusClient {
  const base = baseUrl.replace(/\/+$/, '');
  const fetchFn = options.fetch ?? httpFetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROMETHEUS_TIMEOUT_MS;

  async function call<T>(endpoint: string, params: URLSearchParams | undefined): Promise<T> {
    const url = `${base}/api/v1/${endpoint}`;
    let response: Response;
    try {
      const init: RequestInit = { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } };
      response = await fetchFn(
        url,
        params === undefined
          ? { ...init, method: 'GET' }
          : { ...init, method: 'POST', body: params, headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' } },
      );
    } catch (error) {
      const cause = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : causeOf(error);
      throw new InputError('unreachable', base, '', `Prometheus at ${base} cannot be reached: ${cause}`, { cause: error });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new InputError('unreachable', base, '', `Prometheus at ${base} cannot be reached: ${causeOf(error)}`, { cause: error });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
    if (record?.['status'] === 'error') {
      const errorType = typeof record['errorType'] === 'string' ? record['errorType'] : 'error';
      throw new InputError(
        errorType === 'bad_data' ? 'syntax' : 'unreadable',
        base,
        '',
        `Prometheus at ${base} rejected /api/v1/${endpoint}: ${errorType}: ${typeof record['error'] === 'string' ? record['error'] : `HTTP ${response.status}`}`,
      );
    }
    if (!response.ok || record?.['status'] !== 'success' || !('data' in record)) {
      const snippet = text.length > 80 ? `${text.slice(0, 77)}...` : text;
      throw new InputError(
        'unreadable',
        base,
        '',
        `expected a Prometheus API answer from ${url}: got HTTP ${response.status} ${JSON.stringify(snippet)}`,
      );
    }
    return record['data'] as T;
  }

  return {
    baseUrl: base,
    query: (expr, timeSec) => {
      const params = new URLSearchParams({ query: expr });
      if (timeSec !== undefined) params.set('time', String(timeSec));
      return call<PrometheusQueryData>('query', params);
    },
    queryRange: async (expr, { startSec, endSec, stepSec }) => {
      const data = await call<PrometheusQueryData>(
        'query_range',
        new URLSearchParams({ query: expr, start: String(startSec), end: String(endSec), step: String(stepSec) }),
      );
      if (data.resultType !== 'matrix' || !Array.isArray(data.result)) {
        throw new InputError('unreadable', base, 'data.resultType', `must be "matrix" for a range query: got ${JSON.stringify(data.resultType)}`);
      }
      return data.result as PrometheusMatrixSeries[];
    },
    series: (match, range) => {
      const params = new URLSearchParams();
      for (const m of match) params.append('match[]', m);
      if (range !== undefined) {
        params.set('start', String(range.startSec));
        params.set('end', String(range.endSec));
      }
      return call<PrometheusLabels[]>('series', params);
    },
    targets: () => call<PrometheusTargets>('targets', undefined),
  };
}

/** Input of `importTrafficFromPrometheus`. */
export interface ImportTrafficInput extends PrometheusClientOptions {
  /** Base URL of the Prometheus server. */
  readonly url: string;
  /** PromQL giving requests per second, e.g. `sum(rate(asr_requests_total[1m]))`. */
  readonly query: string;
  readonly startSec: number;
  readonly endSec: number;
  readonly stepSec: number;
}

/**
 * Imports traffic from a Prometheus range query: series are summed per timestamp and `t` is
 * relative to `startSec`. Windows longer than `PROMETHEUS_MAX_POINTS` steps are fetched in
 * consecutive chunks (30 days at 60 s is 4 requests).
 *
 * @throws {RangeError} when the window or step is not positive and finite
 * @throws {InputError} as the client's methods, and `schema` when the query returns no series
 * @example
 * await importTrafficFromPrometheus({ url: 'http://127.0.0.1:9090', query: 'sum(rate(asr_requests_total[1m]))',
 *   startSec: 1_700_000_000, endSec: 1_700_003_600, stepSec: 60 });
 * // -> [{ t: 0, rps: 12.5 }, { t: 60, rps: 13 }, ...]
 */
export async function importTrafficFromPrometheus(input: ImportTrafficInput): Promise<TracePoint[]> {
  const { url, query, startSec, endSec, stepSec } = input;
  if (!(stepSec > 0) || !Number.isFinite(stepSec)) {
    throw new RangeError(`Cannot import traffic from Prometheus as 'stepSec' must be a finite number > 0: got ${stepSec}`);
  }
  if (!Number.isFinite(startSec) || !Number.isFinite(endSec) || !(endSec > startSec)) {
    throw new RangeError(`Cannot import traffic from Prometheus as 'endSec' must be > 'startSec': got ${startSec}..${endSec}`);
  }
  const clientOptions: PrometheusClientOptions = {
    ...(input.fetch === undefined ? {} : { fetch: input.fetch }),
    ...(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }),
  };
  // Prometheus evaluates at startSec + k * stepSec <= endSec; chunks split that grid, so the
  // result is the same as one (too large) query.
  const gridPoints = Math.floor((endSec - startSec) / stepSec + 1e-9) + 1;
  const chunks = Math.ceil(gridPoints / PROMETHEUS_MAX_POINTS);
  if (chunks > MAX_IMPORT_CHUNKS) {
    throw new RangeError(
      `Cannot import traffic from Prometheus as the window needs ${gridPoints} points at 'stepSec' ${stepSec}: the limit is ${MAX_IMPORT_CHUNKS * PROMETHEUS_MAX_POINTS}, use a larger step`,
    );
  }
  const client = createPrometheusClient(url, clientOptions);
  const series: PrometheusMatrixSeries[] = [];
  for (let c = 0; c < chunks; c++) {
    const first = c * PROMETHEUS_MAX_POINTS;
    const last = Math.min(first + PROMETHEUS_MAX_POINTS, gridPoints) - 1;
    const range = { startSec: startSec + first * stepSec, endSec: startSec + last * stepSec, stepSec };
    series.push(...(await client.queryRange(query, range)));
  }
  if (series.length === 0) {
    throw new InputError(
      'schema',
      client.baseUrl,
      '',
      `expected at least one series from ${JSON.stringify(query)} between ${startSec} and ${endSec}: the query returned none (check the metric name, labels and time window)`,
    );
  }
  return sumPrometheusMatrix(series, { file: client.baseUrl, path: 'query_range', originSeconds: startSec });
}

/** Capabilities `loadTrafficPoints` needs: the caller's file reader and clock reading. */
export interface LoadTrafficPointsOptions extends PrometheusClientOptions {
  /** Reads a trace file as text (the CLI resolves it against the scenario's folder). */
  readonly readText: (file: string) => Promise<string>;
  /** Unix seconds now, where a `prometheus` spec's `range` ends. */
  readonly nowSeconds: number;
}

/**
 * The I/O half of a traffic spec: reads and parses a `trace` spec's `file`, or runs a
 * `prometheus` spec's query over its window; `undefined` for the other types. Pass the result to
 * `createTraffic(spec, { points })`.
 *
 * @throws {InputError} from `readText`, the trace parsers and `importTrafficFromPrometheus`
 * @example
 * const points = await loadTrafficPoints(spec, { readText: (f) => readFile(f, 'utf8'), nowSeconds: Date.now() / 1000 });
 * createTraffic(spec, points === undefined ? {} : { points });
 */
export async function loadTrafficPoints(spec: TrafficSpec, options: LoadTrafficPointsOptions): Promise<TracePoint[] | undefined> {
  if (spec.type === 'trace' && spec.file !== undefined) return parseTraceText(await options.readText(spec.file), spec.file);
  if (spec.type !== 'prometheus') return undefined;
  return importTrafficFromPrometheus({
    url: spec.url,
    query: spec.query,
    ...resolvePrometheusWindow(spec, options.nowSeconds),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}
