/**
 * The adapter bound to 127.0.0.1: builds the provider over a Prometheus URL, relists once before
 * serving (a `seriesQuery` Prometheus rejects is a configuration error, thrown with the rule's
 * path; an unreachable Prometheus is not: the adapter serves 404s until a relist succeeds, as
 * upstream does), then relists every `relistIntervalMs` (`--metrics-relist-interval`).
 */
import { type Clock, InputError } from '../../core/index.js';
import { httpFetch, serve, systemClock } from '../../platform/index.js';
import { createPrometheusClient, type PrometheusClient } from '../prometheus-client.js';
import { createAdapterApp, type AdapterApp } from './app.js';
import { createAdapterProvider, DEFAULT_RELIST_INTERVAL_MS, type AdapterProvider, type AdapterProviderOptions } from './provider.js';

/** Options of {@link startAdapterServer}. */
export interface StartAdapterServerOptions extends Omit<AdapterProviderOptions, 'prometheus' | 'clock'> {
  /** The system clock unless told. */
  readonly clock?: Clock;
  /** A client, or the Prometheus base URL. */
  readonly prometheus: PrometheusClient | string;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /**
   * Default {@link DEFAULT_RELIST_INTERVAL_MS} (10 min, as upstream). The relist looks back
   * `metricsMaxAgeMs`, which defaults to this interval as upstream's does: keep either above the
   * scrape interval, or series between two scrapes are missed.
   */
  readonly relistIntervalMs?: number;
  /** The configuration file, for error messages. */
  readonly file?: string;
}

/** A running adapter. */
export interface AdapterServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly provider: AdapterProvider;
  readonly app: AdapterApp;
  /** Relists now (and keeps the interval). */
  relist(): ReturnType<AdapterProvider['relist']>;
  close(): Promise<void>;
}

/**
 * Starts the adapter.
 *
 * @throws {InputError} `syntax` when Prometheus rejects a rule's `seriesQuery` at the first relist
 * @example
 * const adapter = await startAdapterServer({ compiled, prometheus: 'http://127.0.0.1:9090', relistIntervalMs: 1_000 });
 * await fetch(`${adapter.url}/apis/custom.metrics.k8s.io/v1beta1`); // -> APIResourceList
 * await adapter.close();
 */
export async function startAdapterServer(options: StartAdapterServerOptions): Promise<AdapterServer> {
  const prometheus = typeof options.prometheus === 'string' ? createPrometheusClient(options.prometheus, { fetch: httpFetch }) : options.prometheus;
  const { prometheus: _ignored, port, relistIntervalMs, file, ...providerOptions } = options;
  const intervalMs = relistIntervalMs ?? DEFAULT_RELIST_INTERVAL_MS;
  const provider = createAdapterProvider({ metricsMaxAgeMs: intervalMs, ...providerOptions, clock: options.clock ?? systemClock, prometheus });
  const first = await provider.relist();
  if (!first.ok && first.badQuery) {
    const { compiled } = options;
    const paths = [
      ...compiled.rules.map((r, k) => (r.seriesQuery === first.query ? compiled.config.paths.rules[k] : undefined)),
      ...compiled.externalRules.map((r, k) => (r.seriesQuery === first.query ? compiled.config.paths.externalRules[k] : undefined)),
    ].filter((p): p is string => p !== undefined);
    throw new InputError('syntax', file ?? 'adapter config', `${paths[0] ?? 'rules'}.seriesQuery`, `Prometheus rejects the series query ${JSON.stringify(first.query)}: ${first.error ?? ''}`);
  }
  const app = createAdapterApp(provider);
  // Long keep-alive, as the aggregator keeps its connections to an APIService.
  const served = await serve(app, { port: port ?? 0, keepAliveTimeoutMs: 65_000 });
  const boundPort = served.port;
  let running: ReturnType<AdapterProvider['relist']> | undefined;
  const relist = (): ReturnType<AdapterProvider['relist']> => {
    running ??= provider.relist().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => void relist(), intervalMs);
  timer.unref();
  return {
    url: served.url,
    port: boundPort,
    provider,
    app,
    relist,
    async close() {
      clearInterval(timer);
      await running;
      await served.close({ timeoutMs: 1_000 });
    },
  };
}
