/**
 * The Kubernetes metrics chain for the local stack (`hpa-lab up --prometheus`): a real Prometheus
 * scraping the worker processes through file-based service discovery (rewritten as workers come
 * and go, each target labelled `pod`, `namespace` and `app`), the stack exporter standing in for
 * kube-state-metrics (`kube_deployment_status_replicas` of each Deployment, scraped as a static
 * job), the seed's recording and alerting rules, and the prometheus-adapter-compatible adapter over
 * it; the controller reads its metrics through the adapter's custom and external metrics APIs,
 * as the HPA does in Kubernetes.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScrapeTarget } from '../cluster/index.js';
import { sleepOn, type Timers, InputError } from '../core/index.js';
import type { ScrapeHealth } from '../controller/index.js';
import type { ScaleSubresource, MetricsSource } from '../engine/index.js';
import { checkAdapterPromql, compileAdapterConfigText, renderAdapterConfig, SEED_ADAPTER_VALUES, startAdapterServer, type AdapterServer } from '../metrics/adapter/index.js';
import { createAdapterMetricsSource, createPrometheusClient } from '../metrics/index.js';
import {
  DEFAULT_EVALUATION_INTERVAL,
  DEFAULT_SCRAPE_INTERVAL,
  durationMs,
  STACK_EXPORTER_JOB,
  STACK_FILES,
  startPrometheus,
  startStackExporter,
  type FileSdTarget,
  type PrometheusHandle,
  type StackExporter,
  type StartPrometheusOptions,
} from '../metrics/prometheus/index.js';
import type { HelmPrometheusSettings } from '../input/index.js';

/** How often the workers' file_sd file and the exporter's replica gauges are brought up to date. */
export const TARGETS_SYNC_INTERVAL_MS = 250;
/** The adapter's relist interval on the local stack (upstream's default, 10 min, is for a cluster). */
export const STACK_RELIST_INTERVAL_MS = 5_000;

/** A Deployment whose `status.replicas` the exporter publishes. */
export interface ExportedDeployment {
  readonly name: string;
  getScale(): Promise<ScaleSubresource>;
}

/** Options of {@link startPrometheusChain} that the stack's caller chooses. */
export interface PrometheusChainSettings {
  /** The run folder: Prometheus' config, rules, targets and data go to `<runDir>/prometheus/`. */
  readonly runDir: string;
  /** The values' Prometheus settings (intervals, retention, `additionalPrometheusRulesMap`). */
  readonly settings?: HelmPrometheusSettings;
  /** The values file, for error messages. */
  readonly valuesFile?: string;
  /**
   * prometheus-adapter configuration text, either shape (config file, or Helm values with
   * `prometheus-adapter.rules`), and its file name; the seed's rules unless told.
   */
  readonly adapterConfig?: { readonly text: string; readonly file: string };
  /** Override of the values' scrape interval (a Prometheus duration: `1s`). */
  readonly scrapeInterval?: string;
  readonly evaluationInterval?: string;
  /** The adapter's `--metrics-relist-interval`; {@link STACK_RELIST_INTERVAL_MS} unless told. */
  readonly relistIntervalMs?: number;
  /** The adapter's `--metrics-max-age`; max(2 relists, 3 scrapes, 10 s) unless told (above the scrape interval). */
  readonly metricsMaxAgeMs?: number;
  /** Restart Prometheus this long after it exits unexpectedly; never unless told. */
  readonly restartDelayMs?: number;
  /** The Prometheus binary; `prometheus` on PATH unless told. */
  readonly binary?: string;
  /** Receives one line per notable event (Prometheus exited, restarted, a failed update). */
  readonly log?: (line: string) => void;
  /** Runs Prometheus through a wrapper (the stack's lifeline supervisor); see `StartPrometheusOptions.wrap`. */
  readonly wrap?: StartPrometheusOptions['wrap'];
}

/** Options of {@link startPrometheusChain}. */
export interface PrometheusChainOptions extends PrometheusChainSettings {
  /** The workers to scrape (the pool's `scrapeTargets`). */
  readonly scrapeTargets: () => readonly ScrapeTarget[];
  /** The pod labels of the workers (`app: lightning-asr`). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Deployments published as `kube_deployment_status_replicas`. */
  readonly deployments: readonly ExportedDeployment[];
  readonly namespace: string;
  readonly timers: Timers;
}

/** A running chain. */
export interface PrometheusChain {
  /** The Prometheus process now (a new one after {@link PrometheusChain.restartPrometheus}). */
  readonly prometheus: PrometheusHandle;
  readonly adapter: AdapterServer;
  readonly exporter: StackExporter;
  readonly scrapeIntervalMs: number;
  readonly evaluationIntervalMs: number;
  readonly relistIntervalMs: number;
  /** The adapter's configuration, as written to the run folder (config-file shape). */
  readonly adapterConfigFile: string;
  /** What the controller reads: the adapter's custom and external metrics APIs over HTTP. */
  readonly metrics: MetricsSource;
  /** Whether the Prometheus process is running. */
  prometheusUp(): boolean;
  /** Writes the file_sd targets and the replica gauges now (also done every {@link TARGETS_SYNC_INTERVAL_MS}). */
  syncTargets(): Promise<void>;
  /** Starts Prometheus again on the same port and data directory (stopping it first if it runs). */
  restartPrometheus(): Promise<PrometheusHandle>;
  /** The workers' scrape health as Prometheus reports it (`/api/v1/targets`); [] when it does not answer. */
  scrapeHealth(): Promise<ScrapeHealth[]>;
  /** Stops, in order: the target updates, the adapter, Prometheus, the exporter. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * A duration in milliseconds as a Prometheus duration.
 *
 * @example prometheusDuration(1_000) // -> '1s'
 * @example prometheusDuration(1_500) // -> '1500ms'
 */
export function prometheusDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}

/** Compiles the adapter configuration and checks its PromQL with promtool. */
async function loadAdapterConfig(source: { readonly text: string; readonly file: string }): Promise<ReturnType<typeof compileAdapterConfigText>> {
  const loaded = compileAdapterConfigText(source.text, source.file);
  const problem = (await checkAdapterPromql(loaded.compiled))[0];
  if (problem) throw new InputError('syntax', source.file, problem.path, `invalid PromQL ${JSON.stringify(problem.query)}: ${problem.message}`);
  return loaded;
}

const exitText = (e: { readonly code: number | null; readonly signal: NodeJS.Signals | null }): string => (e.signal ? `signal ${e.signal}` : `code ${String(e.code)}`);

/**
 * Starts the exporter, Prometheus (fresh data directory) and the adapter, and keeps Prometheus'
 * targets and the replica gauges up to date. On a failure half-way, what was started is stopped.
 *
 * @throws {InputError} for a bad adapter configuration or rules map
 * @throws {Error} when Prometheus cannot start (binary missing, bad config)
 * @example
 * const chain = await startPrometheusChain({ runDir: '.hpa-lab', scrapeTargets: () => pool.scrapeTargets(), podLabels: { app: 'lightning-asr' }, deployments: [pool], namespace: 'default', timers: systemTimers, scrapeInterval: '1s' });
 * createController({ hpas: [{ hpa, target: pool, metrics: chain.metrics }], ... });
 * await chain.stop();
 */
export async function startPrometheusChain(options: PrometheusChainOptions): Promise<PrometheusChain> {
  const log = options.log ?? (() => undefined);
  const scrapeInterval = options.scrapeInterval ?? options.settings?.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL;
  const evaluationInterval = options.evaluationInterval ?? options.settings?.evaluationInterval ?? DEFAULT_EVALUATION_INTERVAL;
  const scrapeIntervalMs = durationMs(scrapeInterval);
  const evaluationIntervalMs = durationMs(evaluationInterval);
  const relistIntervalMs = options.relistIntervalMs ?? STACK_RELIST_INTERVAL_MS;
  const metricsMaxAgeMs = options.metricsMaxAgeMs ?? Math.max(2 * relistIntervalMs, 3 * scrapeIntervalMs, 10_000);
  const adapterSource = options.adapterConfig ?? { text: SEED_ADAPTER_VALUES, file: 'seed 002 prometheus-adapter values' };
  const loaded = await loadAdapterConfig(adapterSource);
  const dir = join(options.runDir, 'prometheus');
  // A fresh TSDB per run: series of the last run's pods would otherwise count for a while.
  await rm(join(dir, 'data'), { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const adapterConfigFile = join(dir, STACK_FILES.adapterConfig);
  await writeFile(adapterConfigFile, renderAdapterConfig(loaded.config));

  const cleanups: (() => Promise<unknown>)[] = [];
  let stopping = false;
  let syncing: Promise<void> | undefined;
  try {
    const exporter = await startStackExporter();
    cleanups.unshift(() => exporter.close());

    const fileSdTargets = (): FileSdTarget[] =>
      options
        .scrapeTargets()
        .map((t) => ({ address: new URL(t.url).host, pod: t.podName, namespace: options.namespace, labels: options.podLabels }))
        .sort((a, b) => a.pod.localeCompare(b.pod));
    const updateGauges = async (): Promise<void> => {
      for (const d of options.deployments) exporter.setDeploymentReplicas({ namespace: options.namespace, deployment: d.name }, (await d.getScale()).statusReplicas);
    };
    await updateGauges();

    const startOptions = (targets: readonly FileSdTarget[], port?: number): StartPrometheusOptions => ({
      runDir: options.runDir,
      ...(options.settings ? { settings: options.settings } : {}),
      ...(options.valuesFile === undefined ? {} : { valuesFile: options.valuesFile }),
      scrapeInterval,
      evaluationInterval,
      staticJobs: [{ jobName: STACK_EXPORTER_JOB, targets: [exporter.address], honorLabels: true }],
      targets,
      ...(port === undefined ? {} : { port }),
      ...(options.binary === undefined ? {} : { binary: options.binary }),
      ...(options.wrap === undefined ? {} : { wrap: options.wrap }),
    });
    const initial = fileSdTargets();
    let prometheus = await startPrometheus(startOptions(initial));
    cleanups.unshift(() => prometheus.stop());
    let lastSd = JSON.stringify(initial);

    const adapter = await startAdapterServer({ compiled: loaded.compiled, prometheus: prometheus.url, relistIntervalMs, metricsMaxAgeMs, file: loaded.file });
    cleanups.unshift(() => adapter.close());

    const syncTargets = async (): Promise<void> => {
      const targets = fileSdTargets();
      const key = JSON.stringify(targets);
      if (key !== lastSd) {
        await prometheus.writeFileSd(targets);
        lastSd = key;
      }
      await updateGauges();
    };
    const loop = async (): Promise<void> => {
      while (!stopping) {
        syncing = syncTargets().catch((error: unknown) => log(`cannot update Prometheus' targets: ${(error as Error).message}`));
        await syncing;
        await sleepOn(options.timers, TARGETS_SYNC_INTERVAL_MS);
      }
    };
    const looping = loop();

    let restarting: Promise<PrometheusHandle> | undefined;
    const exited = new WeakSet<PrometheusHandle>();
    const running = (handle: PrometheusHandle): boolean => !exited.has(handle);
    const watch = (handle: PrometheusHandle): void => {
      void handle.exited.then(async (exit) => {
        exited.add(handle);
        if (stopping || handle !== prometheus || restarting !== undefined) return;
        const delayMs = options.restartDelayMs;
        log(`Prometheus (pid ${handle.pid}) exited unexpectedly (${exitText(exit)}): the HPAs hold (FailedGetPodsMetric)${delayMs === undefined ? '' : `; restarting in ${delayMs / 1000} s`}`);
        if (delayMs === undefined) return;
        await sleepOn(options.timers, delayMs);
        if (stopping || handle !== prometheus) return;
        await restartPrometheus().then(
          (p) => log(`Prometheus restarted (pid ${p.pid}) at ${p.url}`),
          (error: unknown) => log(`cannot restart Prometheus: ${(error as Error).message}`),
        );
      });
    };
    const restartPrometheus = (): Promise<PrometheusHandle> => {
      restarting ??= (async () => {
        const old = prometheus;
        await old.stop();
        const targets = fileSdTargets();
        const next = await startPrometheus(startOptions(targets, old.port));
        lastSd = JSON.stringify(targets);
        prometheus = next;
        watch(next);
        return next;
      })().finally(() => {
        restarting = undefined;
      });
      return restarting;
    };
    watch(prometheus);

    const metrics = createAdapterMetricsSource({ baseUrl: adapter.url, timeoutMs: Math.max(2_000, Math.min(10_000, scrapeIntervalMs)) });
    let stopped: Promise<void> | undefined;
    return {
      get prometheus() {
        return prometheus;
      },
      adapter,
      exporter,
      scrapeIntervalMs,
      evaluationIntervalMs,
      relistIntervalMs,
      adapterConfigFile,
      metrics,
      prometheusUp: () => restarting === undefined && running(prometheus),
      syncTargets,
      restartPrometheus,
      async scrapeHealth() {
        if (!running(prometheus)) return [];
        try {
          const { activeTargets } = await createPrometheusClient(prometheus.url, { timeoutMs: 2_000 }).targets();
          return activeTargets
            .filter((t) => t.labels['pod'] !== undefined)
            .map((t) => ({
              podName: t.labels['pod'] ?? '',
              url: t.scrapeUrl,
              ok: t.health === 'up',
              atMs: Date.parse(t.lastScrape) || 0,
              ...(t.lastError ? { error: t.lastError } : {}),
            }));
        } catch {
          return [];
        }
      },
      stop() {
        stopped ??= (async () => {
          stopping = true;
          await looping;
          await restarting?.catch(() => undefined);
          await adapter.close();
          await prometheus.stop();
          await exporter.close();
        })();
        return stopped;
      },
    };
  } catch (error) {
    stopping = true;
    await syncing;
    for (const c of cleanups) await c().catch(() => undefined);
    throw error;
  }
}
