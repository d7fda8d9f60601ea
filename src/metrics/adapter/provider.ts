/**
 * The adapter's provider: the I/O half of prometheus-adapter's custom and external providers.
 * It relists series from Prometheus (`/api/v1/series`, one call per distinct `seriesQuery`, over
 * the last `metricsMaxAge`), swaps in new registries atomically, lists objects for wildcard
 * requests, runs the PromQL the library builds, and maps results to API bodies or `Status`es:
 *
 * - unknown metric, or a query that cannot be built: 404 `the server could not find the metric ...`
 * - Prometheus failing or answering a non-vector: 500 `Internal error occurred: unable to fetch metrics`
 *
 * There is no Kubernetes API here, so `pods/*` lists objects from the series labels of the last
 * relist (the object label of each series, in its namespace, selected by `labelSelector` over the
 * series' other labels), unless the caller injects an {@link ObjectLister}.
 *
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/pkg/custom-provider/provider.go
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/pkg/external-provider/provider.go
 */
import type { PrometheusClient } from '../prometheus-client.js';
import type { CompiledAdapterConfig } from './compile-adapter-config.js';
import { customMetricForName, customMetricsForNames, renderMetricValueList } from './custom-metric-values.js';
import { customDiscoveryDocument, externalDiscoveryDocument } from './discovery.js';
import { buildExternalSeriesRegistry, type ExternalSeriesRegistry } from './external-series-registry.js';
import { externalMetricValues, renderExternalMetricValueList } from './external-metric-values.js';
import { externalMetricNotFoundStatus, internalErrorStatus, metricNotFoundStatus, RESOURCE_NOT_FOUND_STATUS, type KubeStatus } from './kube-status.js';
import { matchesLabelSelector, type LabelSelector, type Clock, InputError } from '../../core/index.js';
import type { CustomMetricsVersion, MetricsRoute } from './metrics-route.js';
import { toPromQueryResult } from './prom-query-result.js';
import { assignRelistSeries, distinctSeriesQueries } from './relist.js';
import { NAMESPACE_RESOURCE } from './resource-converter.js';
import { buildSeriesRegistry, EMPTY_SERIES_REGISTRY, type SeriesRegistry } from './series-registry.js';
import type { CustomMetricInfo, GroupResource, PromQueryResult, Series } from './types.js';

/**
 * prometheus-adapter's `--metrics-relist-interval` default.
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/cmd/adapter/adapter.go
 */
export const DEFAULT_RELIST_INTERVAL_MS = 10 * 60_000;

/** Lists the names of objects of a resource in a namespace that match a label selector. */
export interface ObjectLister {
  listNames(request: { readonly resource: GroupResource; readonly namespace: string; readonly selector: LabelSelector }): Promise<readonly string[]> | readonly string[];
}

/** What the provider answers: an HTTP status and a JSON body (a list, a discovery document or a `Status`). */
export interface ProviderAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** The outcome of one relist. */
export interface RelistOutcome {
  readonly ok: boolean;
  readonly atMs: number;
  /** Series per distinct `seriesQuery` (successful relists only). */
  readonly seriesCounts?: Readonly<Record<string, number>>;
  readonly error?: string;
  /** The Prometheus error was a rejected query (`bad_data`): a configuration error, not an outage. */
  readonly badQuery?: boolean;
  /** The `seriesQuery` whose call failed. */
  readonly query?: string;
}

export interface AdapterProvider {
  readonly compiled: CompiledAdapterConfig;
  /** Re-reads the series; on failure the previous registries stay in place. */
  relist(): Promise<RelistOutcome>;
  /** The last relist's outcome (undefined before the first). */
  readonly lastRelist: RelistOutcome | undefined;
  /** Whether a relist has succeeded at least once. */
  readonly ready: boolean;
  readonly registry: SeriesRegistry;
  readonly externalRegistry: ExternalSeriesRegistry;
  /** Answers a routed request. Never throws. */
  answer(route: MetricsRoute): Promise<ProviderAnswer>;
}

/** Options of {@link createAdapterProvider}. */
export interface AdapterProviderOptions {
  readonly compiled: CompiledAdapterConfig;
  readonly prometheus: PrometheusClient;
  /** Item timestamps and the series window (entry points pass the system clock). */
  readonly clock: Clock;
  /** How far back a relist looks for series (`--metrics-max-age`); default the relist interval. */
  readonly metricsMaxAgeMs?: number;
  /** Lists objects for wildcard requests; default: from the series of the last relist. */
  readonly objectLister?: ObjectLister;
  /** Receives one line per relist failure and Prometheus error (upstream logs them). */
  readonly log?: (line: string) => void;
}

const EMPTY_EXTERNAL: ExternalSeriesRegistry = { listAllMetrics: () => [], queryForMetric: () => ({ found: false }) };

type ObjectIndex = ReadonlyMap<string, ReadonlyMap<string, readonly Readonly<Record<string, string>>[]>>;

function grKey(gr: GroupResource): string {
  return `${gr.resource}.${gr.group}`;
}

/** object key `resource.group` -> `namespace/name` -> label sets of its series. */
function buildObjectIndex(compiled: CompiledAdapterConfig, seriesPerRule: readonly (readonly Series[])[]): ObjectIndex {
  const index = new Map<string, Map<string, Record<string, string>[]>>();
  seriesPerRule.forEach((list, k) => {
    const namer = compiled.rules[k];
    if (!namer) return;
    const nsLabel = namer.converter.labelForResource(NAMESPACE_RESOURCE);
    for (const series of list) {
      const namespace = nsLabel.ok ? (series.labels[nsLabel.label] ?? '') : '';
      for (const gr of namer.converter.resourcesForSeries(series).resources) {
        if (gr.group === '' && gr.resource === 'namespaces') continue;
        const label = namer.converter.labelForResource(gr);
        const name = label.ok ? series.labels[label.label] : undefined;
        if (!name) continue;
        let byObject = index.get(grKey(gr));
        if (!byObject) index.set(grKey(gr), (byObject = new Map<string, Record<string, string>[]>()));
        const key = `${namespace}/${name}`;
        const sets = byObject.get(key);
        if (sets) sets.push(series.labels);
        else byObject.set(key, [series.labels]);
      }
    }
  });
  return index;
}

function seriesOf(labels: Readonly<Record<string, string>>): Series {
  const { __name__: name = '', ...rest } = labels;
  return { name, labels: rest };
}

function errorText(error: unknown): string {
  if (error instanceof InputError) return error.detail;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Creates the provider. Call `relist()` once before serving (the server does, then on its interval).
 *
 * @example
 * const provider = createAdapterProvider({ compiled, prometheus: createPrometheusClient('http://127.0.0.1:9090') });
 * await provider.relist(); // -> { ok: true, atMs: ..., seriesCounts: { asr_active_requests: 2 } }
 */
export function createAdapterProvider(options: AdapterProviderOptions): AdapterProvider {
  const { compiled, prometheus } = options;
  const { clock } = options;
  const maxAgeMs = options.metricsMaxAgeMs ?? DEFAULT_RELIST_INTERVAL_MS;
  const log = options.log ?? (() => {});
  let registry: SeriesRegistry = EMPTY_SERIES_REGISTRY;
  let externalRegistry: ExternalSeriesRegistry = EMPTY_EXTERNAL;
  let objects: ObjectIndex = new Map();
  let lastRelist: RelistOutcome | undefined;
  let ready = false;

  const seriesLister: ObjectLister = {
    listNames: ({ resource, namespace, selector }) => {
      const byObject = objects.get(grKey(resource));
      if (!byObject) return [];
      const names: string[] = [];
      for (const [key, sets] of byObject) {
        const slash = key.indexOf('/');
        if (key.slice(0, slash) !== namespace) continue;
        if (sets.some((labels) => matchesLabelSelector(selector, labels))) names.push(key.slice(slash + 1));
      }
      return names.sort();
    },
  };
  const lister = options.objectLister ?? seriesLister;

  async function relist(): Promise<RelistOutcome> {
    const atMs = clock.now();
    const queries = distinctSeriesQueries([...compiled.rules, ...compiled.externalRules]);
    const range = { startSec: (atMs - maxAgeMs) / 1000, endSec: atMs / 1000 };
    const responses = new Map<string, Series[]>();
    let failedQuery = '';
    try {
      await Promise.all(
        queries.map(async (q) => {
          try {
            const labels = await prometheus.series([q], range);
            responses.set(q, labels.map(seriesOf));
          } catch (error) {
            failedQuery ||= q;
            throw error;
          }
        }),
      );
    } catch (error) {
      const badQuery = error instanceof InputError && error.code === 'syntax';
      lastRelist = { ok: false, atMs, error: `unable to update list of all metrics: ${errorText(error)}`, query: failedQuery, ...(badQuery ? { badQuery } : {}) };
      log(lastRelist.error ?? '');
      return lastRelist;
    }
    const custom = assignRelistSeries(compiled.rules, responses);
    const external = assignRelistSeries(compiled.externalRules, responses);
    if (!custom.ok || !external.ok) {
      lastRelist = { ok: false, atMs, error: custom.ok ? (external.ok ? '' : external.message) : custom.message };
      return lastRelist;
    }
    registry = buildSeriesRegistry(custom.seriesPerRule, compiled.rules, compiled.mapper);
    externalRegistry = buildExternalSeriesRegistry(external.seriesPerRule, compiled.externalRules);
    objects = buildObjectIndex(compiled, custom.seriesPerRule);
    ready = true;
    lastRelist = { ok: true, atMs, seriesCounts: Object.fromEntries([...responses].map(([q, s]) => [q, s.length])) };
    return lastRelist;
  }

  /** Runs an instant query; a failure or a non-vector result is upstream's 500. */
  async function vectorQuery(query: string): Promise<{ ok: true; result: PromQueryResult & { type: 'vector' } } | { ok: false; status: KubeStatus }> {
    try {
      const result = toPromQueryResult(await prometheus.query(query, clock.now() / 1000));
      if (result.type !== 'vector') {
        log(`unexpected results from prometheus: expected vector, got ${result.type} for ${query}`);
        return { ok: false, status: internalErrorStatus('unable to fetch metrics') };
      }
      return { ok: true, result };
    } catch (error) {
      log(`unable to fetch metrics from prometheus: ${errorText(error)}`);
      return { ok: false, status: internalErrorStatus('unable to fetch metrics') };
    }
  }

  const fail = (status: KubeStatus): ProviderAnswer => ({ status: status.code, body: status });

  function renderCustom(items: Parameters<typeof renderMetricValueList>[0], version: CustomMetricsVersion): ProviderAnswer {
    const rendered = renderMetricValueList(items, version);
    return rendered.ok ? { status: 200, body: rendered.body } : fail(rendered.status);
  }

  async function bySelector(route: Extract<MetricsRoute, { kind: 'customMetricBySelector' }>): Promise<ProviderAnswer> {
    const info: CustomMetricInfo = route.info;
    const resource = compiled.mapper.resourceFor(info) ?? info;
    let names: readonly string[];
    try {
      names = await lister.listNames({ resource, namespace: route.namespace, selector: route.selector });
    } catch (error) {
      log(`unable to list matching resource names: ${errorText(error)}`);
      return fail(internalErrorStatus('unable to list matching resources'));
    }
    const q = registry.queryForMetric(info, { namespace: route.namespace, names, metricSelector: route.metricSelector });
    if (!q.found) return fail(metricNotFoundStatus(info, info.metric));
    const fetched = await vectorQuery(q.query);
    if (!fetched.ok) return fail(fetched.status);
    const items = customMetricsForNames({
      info,
      samples: fetched.result.samples,
      registry,
      mapper: compiled.mapper,
      nowMs: clock.now(),
      metricSelector: route.metricSelector,
      namespace: route.namespace,
      names,
    });
    return items.ok ? renderCustom(items.items, route.version) : fail(items.status);
  }

  async function byName(route: Extract<MetricsRoute, { kind: 'customMetricByName' }>): Promise<ProviderAnswer> {
    const info = route.info;
    const q = registry.queryForMetric(info, { namespace: route.namespace, names: [route.name], metricSelector: route.metricSelector });
    if (!q.found) return fail(metricNotFoundStatus(info, info.metric));
    const fetched = await vectorQuery(q.query);
    if (!fetched.ok) return fail(fetched.status);
    const one = customMetricForName({
      info,
      samples: fetched.result.samples,
      registry,
      mapper: compiled.mapper,
      nowMs: clock.now(),
      metricSelector: route.metricSelector,
      namespace: route.namespace,
      name: route.name,
    });
    return one.ok ? renderCustom([one.item], route.version) : fail(one.status);
  }

  async function external(route: Extract<MetricsRoute, { kind: 'externalMetric' }>): Promise<ProviderAnswer> {
    const q = externalRegistry.queryForMetric({ metric: route.metric, namespace: route.namespace, metricSelector: route.selector });
    if (!q.found) return fail(externalMetricNotFoundStatus(route.namespace, route.metric));
    if (!q.result.ok) {
      log(`unable to generate a query for the metric: ${q.result.message}`);
      return fail(internalErrorStatus('unable to fetch metrics'));
    }
    let result: PromQueryResult;
    try {
      result = toPromQueryResult(await prometheus.query(q.result.query, clock.now() / 1000));
    } catch (error) {
      log(`unable to fetch metrics from prometheus: ${errorText(error)}`);
      return fail(internalErrorStatus('unable to fetch metrics'));
    }
    const values = externalMetricValues(route.metric, result);
    return values.ok ? { status: 200, body: renderExternalMetricValueList(values.items) } : fail(values.status);
  }

  return {
    compiled,
    relist,
    get lastRelist() {
      return lastRelist;
    },
    get ready() {
      return ready;
    },
    get registry() {
      return registry;
    },
    get externalRegistry() {
      return externalRegistry;
    },
    async answer(route) {
      switch (route.kind) {
        case 'customDiscovery':
          return { status: 200, body: customDiscoveryDocument(registry.listAllMetrics(), route.version) };
        case 'externalDiscovery':
          return { status: 200, body: externalDiscoveryDocument(externalRegistry.listAllMetrics()) };
        case 'customMetricBySelector':
          return bySelector(route);
        case 'customMetricByName':
          return byName(route);
        case 'externalMetric':
          return external(route);
        default:
          // metrics.k8s.io (resourceRules) is not served by this adapter; group documents are the app's.
          return fail(RESOURCE_NOT_FOUND_STATUS);
      }
    },
  };
}
