/**
 * The seeds' stack on one machine, wired: the API server on 127.0.0.1:7100, a pool of ASR-like
 * worker processes behind it, the built-in scraper reading their `/metrics` (or a real Prometheus
 * and the adapter, see `prometheus-chain.ts`), and the HPA controller scaling the pool, with a
 * status endpoint for the `status` / `describe` commands.
 */
import { sleepOn, type Timers, type Clock, InputError } from '../core/index.js';
import type { ControllerConfigInput, HorizontalPodAutoscaler, ClusterTarget } from '../engine/index.js';
import { DEFAULT_API_PORT, startApiServer, type ApiServerHandle } from '../workload/api-server/index.js';
import { makeWav, SAMPLES_PATH } from '../workload/index.js';
import { reapOrphans, supervisedCommand, type ReapedProcess, type ClusterEvent, createLocalProcessPool, type LocalProcessPool, createSimulatedTarget, type SimulatedTarget } from '../cluster/index.js';
import { loadControllerState, savedStateOf, type SavedHpa, createController, DEFAULT_SYNC_PERIOD_MS, type Controller, type SyncResult, createScraper, DEFAULT_SCRAPE_INTERVAL_MS, type Scraper, startStatusServer } from '../controller/index.js';
import { join } from 'node:path';
import { systemClock, systemTimers, type LoopbackServer } from '../platform/index.js';
import { startPrometheusChain, type PrometheusChain, type PrometheusChainSettings } from './prometheus-chain.js';
import { createRecordedMetricsSource } from './recorded-metrics-source.js';
import type { MetricsPipelineStatus, StackStatus, TargetStatus } from './stack-status.js';
import { createMetricsSourceApp, METRICS_SOURCE_GROUPS, startKubeApi, type KubeApi, type WorldTarget } from '../kube/index.js';

/** The API server's Deployment in the seeds' chart: its HPA follows the worker count. */
export const API_SERVER_DEPLOYMENT = 'api-server';
/**
 * Why the API server's replicas are recorded rather than run, naming the port it actually serves.
 *
 * @example apiServerNote(18100) // -> 'recorded, not run: one API server process serves port 18100 (...)'
 */
export function apiServerNote(port: number): string {
  return `recorded, not run: one API server process serves port ${port} (its routing state, in-flight counts per worker, lives in that process)`;
}

/** With equal periods, how long after each scrape the controller syncs. */
export const SYNC_AFTER_SCRAPE_MS = 200;

/** Settings of `--fast`: scrape and sync every second, probe readiness 4 times a second. */
export const FAST_SETTINGS = { syncPeriodMs: 1_000, scrapeIntervalMs: 1_000, healthIntervalMs: 250 } as const;

export interface StackOptions {
  /** The HPAs to run: one worker Deployment's, and optionally `api-server`'s (as in the seeds' values). */
  readonly hpas: readonly HorizontalPodAutoscaler[];
  /** The license key clients send as `Authorization: Token <key>`. */
  readonly token: string;
  /** API server port on 127.0.0.1; 7100 unless told (0: a free port). */
  readonly port?: number;
  /** Status endpoint port; 0 (a free port) unless told. */
  readonly statusPort?: number;
  readonly syncPeriodMs?: number;
  readonly scrapeIntervalMs?: number;
  /** Readiness probe period of the workers; 1 s unless told. */
  readonly healthIntervalMs?: number;
  /** Controller state file; none unless told. */
  readonly statePath?: string;
  /** Flags for every worker process (`--rtf`, `--max-concurrency`, `--model-load-ms`, `--grace-ms`). */
  readonly workerArgs?: readonly string[];
  /** First restart delay of a crashed worker; 1 s unless told. */
  readonly restartBackoffMs?: number;
  readonly config?: ControllerConfigInput | undefined;
  readonly namespace?: string;
  /** The stack's clock and timers; the system's unless told. */
  readonly clock?: Clock;
  readonly timers?: Timers;
  readonly onSync?: (result: SyncResult) => void;
  readonly onClusterEvent?: (event: ClusterEvent) => void;
  /**
   * Read metrics through a real Prometheus and the adapter (as the HPA does in Kubernetes) instead
   * of the built-in scraper; `scrapeIntervalMs` is then unused (Prometheus scrapes at the
   * chain's interval).
   */
  readonly prometheus?: PrometheusChainSettings;
  /**
   * Serve the Kubernetes API of the stack's world on 127.0.0.1:`port` (0: a free port): the
   * HPAs, the Deployments and their Pods, Events, the metrics APIs (see `src/kube`).
   */
  readonly kubeApi?: { readonly port: number; readonly kubeVersion?: string };
  /**
   * The run folder (`.hpa-lab`): the workers' and Prometheus' pid files go to `<runDir>/pids`, and
   * what a previous stack left there (its owner dead) is killed first. None unless told.
   */
  readonly runDir?: string;
  /** Lets `{"url"}` requests name regular files under this absolute directory (`--audio-dir`). */
  readonly audioDir?: string;
  /**
   * Lets `{"url"}` requests name URLs under this loopback http URL (`--audio-origin`); the API
   * server's own `/samples/` unless told.
   */
  readonly audioOrigin?: string;
}

/** The sample the API server serves at `/samples/test-audio.wav` (the seeds' load test's file name). */
export const SAMPLE_AUDIO_NAME = 'test-audio.wav';
/** Its length: 30 s of 16 kHz mono, 3 s of work per request at the default rtf of 0.1. */
export const SAMPLE_AUDIO_SECONDS = 30;

export interface Stack {
  readonly api: ApiServerHandle;
  /** The worker Deployment's processes. */
  readonly pool: LocalProcessPool;
  /** The API server's recorded replicas, when an HPA targets `api-server`. */
  readonly apiServerReplicas: SimulatedTarget | undefined;
  /** The built-in scraper (not started when the stack reads through Prometheus). */
  readonly scraper: Scraper;
  /** Prometheus, the adapter and the stack exporter, with `options.prometheus`. */
  readonly prometheus: PrometheusChain | undefined;
  readonly controller: Controller;
  /** The Kubernetes API, with `options.kubeApi`. */
  readonly kube: KubeApi | undefined;
  readonly statusServer: LoopbackServer;
  /** `http://127.0.0.1:<port>/status` */
  readonly statusUrl: string;
  readonly startedMs: number;
  /** Processes a previous stack left running (found by their pid files in `runDir`) and killed at start. */
  readonly reaped: readonly ReapedProcess[];
  /** Replicas restored from the state file per Deployment (absent: started at minReplicas). */
  readonly restoredReplicas: Readonly<Record<string, number>>;
  /** `http://127.0.0.1:<port>/samples/test-audio.wav`: a sample for the `{"url"}` form. */
  readonly sampleAudioUrl: string;
  status(): Promise<StackStatus>;
  /**
   * Stops in order: the controller, the scraper (or the adapter, Prometheus and the exporter), the
   * API server (no new request; in-flight ones finish within `graceMs`, 30 s unless told), the
   * workers (each drained, then SIGTERM), the status endpoint. Safe to call twice.
   */
  stop(options?: { readonly graceMs?: number }): Promise<void>;
}

/**
 * Which Deployment the worker pool runs: the one target of the HPAs that is not `api-server`.
 *
 * @throws {InputError} when the HPAs target no worker Deployment, or more than one
 * @example workerDeploymentOf(helmValuesHpas) // -> 'lightning-asr'
 */
export function workerDeploymentOf(hpas: readonly HorizontalPodAutoscaler[], file = 'HPAs'): string {
  const names = [...new Set(hpas.map((h) => h.spec.scaleTargetRef.name).filter((n) => n !== API_SERVER_DEPLOYMENT))];
  if (names.length === 1) return names[0] as string;
  if (names.length === 0) throw new InputError('semantic', file, 'spec.scaleTargetRef', `no HPA targets a worker Deployment (only '${API_SERVER_DEPLOYMENT}'): add the workers' HPA`);
  throw new InputError('semantic', file, 'spec.scaleTargetRef', `the local stack runs one worker Deployment besides '${API_SERVER_DEPLOYMENT}': got ${names.map((n) => `'${n}'`).join(', ')}`);
}

/** The HPA's minReplicas (at least 1): how many replicas a target starts with when nothing was saved. */
const minReplicasOf = (hpas: readonly HorizontalPodAutoscaler[], deployment: string): number =>
  Math.max(1, ...hpas.filter((h) => h.spec.scaleTargetRef.name === deployment).map((h) => h.spec.minReplicas ?? 1));

/**
 * The replicas a Deployment had when the last stack with the same HPA (identity and spec) saved
 * its state, as a Deployment keeps `spec.replicas` while its controller restarts.
 */
function savedReplicas(saved: Readonly<Record<string, SavedHpa>>, hpas: readonly HorizontalPodAutoscaler[], deployment: string, namespace: string): number | undefined {
  for (const h of hpas) {
    if (h.spec.scaleTargetRef.name !== deployment) continue;
    const r = savedStateOf(saved, h, namespace)?.replicas;
    if (r !== undefined && r >= 1) return r;
  }
  return undefined;
}

/**
 * The namespace of the stack's world: the one the HPAs name (the seeds' `smallest`), `default`
 * when they name none.
 *
 * @throws {InputError} when the HPAs name two namespaces (one local world has one)
 */
export function stackNamespaceOf(hpas: readonly HorizontalPodAutoscaler[], file = 'HPAs'): string {
  const named = [...new Set(hpas.map((h) => h.metadata.namespace).filter((n): n is string => n !== undefined && n !== ''))];
  if (named.length > 1) throw new InputError('semantic', file, 'metadata.namespace', `the local stack runs one namespace: got ${named.map((n) => `'${n}'`).join(', ')}`);
  return named[0] ?? 'default';
}

/**
 * Starts the stack and its controller loop. On a failure half-way, what was started is stopped.
 *
 * @throws {InputError} when the HPAs do not fit the stack (see {@link workerDeploymentOf}) or the state file is bad
 * @example
 * const stack = await startStack({ hpas, token: 'secret', port: 0, ...FAST_SETTINGS });
 * stack.api.url; // -> 'http://127.0.0.1:7100'
 * await stack.stop();
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? systemTimers;
  const workerName = workerDeploymentOf(options.hpas);
  const syncPeriodMs = options.syncPeriodMs ?? DEFAULT_SYNC_PERIOD_MS;
  const scrapeIntervalMs = options.scrapeIntervalMs ?? DEFAULT_SCRAPE_INTERVAL_MS;
  const namespace = options.namespace ?? stackNamespaceOf(options.hpas);
  const startedMs = clock.now();
  const cleanups: (() => Promise<unknown>)[] = [];
  const onEvent = options.onClusterEvent;
  const pidDir = options.runDir === undefined ? undefined : join(options.runDir, 'pids');
  // What a stack killed without a chance to stop its children left behind (the lifelines end them; this is the backstop).
  const reaped = pidDir === undefined ? [] : await reapOrphans(pidDir);
  const saved = options.statePath === undefined ? {} : await loadControllerState(options.statePath);
  const restoredReplicas: Record<string, number> = {};
  const initialReplicas = (deployment: string): number => {
    const r = savedReplicas(saved, options.hpas, deployment, namespace);
    if (r === undefined) return minReplicasOf(options.hpas, deployment);
    restoredReplicas[deployment] = r;
    return r;
  };

  try {
    const samples = new Map([[SAMPLE_AUDIO_NAME, makeWav(SAMPLE_AUDIO_SECONDS, 16_000)]]);
    const api = await startApiServer({ port: options.port ?? DEFAULT_API_PORT, token: options.token, samples });
    cleanups.unshift(() => api.stop({ graceMs: 0 }));
    const audioArgs = [
      '--audio-origin',
      options.audioOrigin ?? `${api.url}${SAMPLES_PATH}`,
      ...(options.audioDir === undefined ? [] : ['--audio-dir', options.audioDir]),
    ];
    const pool = createLocalProcessPool({
      name: workerName,
      initialReplicas: initialReplicas(workerName),
      clock,
      timers,
      router: api.app.workers,
      token: options.token,
      ...(pidDir === undefined ? {} : { pidDir }),
      workerArgs: [...(options.workerArgs ?? []), ...audioArgs],
      ...(options.healthIntervalMs === undefined ? {} : { healthIntervalMs: options.healthIntervalMs }),
      ...(options.restartBackoffMs === undefined ? {} : { restartBackoffMs: options.restartBackoffMs }),
      ...(onEvent === undefined ? {} : { onEvent }),
    });
    cleanups.unshift(() => pool.close());
    const hasApiHpa = options.hpas.some((h) => h.spec.scaleTargetRef.name === API_SERVER_DEPLOYMENT);
    const apiServerReplicas = hasApiHpa
      ? createSimulatedTarget({
          name: API_SERVER_DEPLOYMENT,
          clock,
          initialReplicas: initialReplicas(API_SERVER_DEPLOYMENT),
          random: Math.random,
          ...(onEvent === undefined ? {} : { onEvent }),
        })
      : undefined;
    // kube_deployment_status_replicas of the workers, summed as the seeds' external rule does.
    const replicaCount = async (): Promise<number> => (await pool.getScale()).statusReplicas;
    const scraper = createScraper({
      discover: () => pool.scrapeTargets(),
      clock,
      timers,
      intervalMs: scrapeIntervalMs,
      external: { lightning_asr_replica_count: replicaCount, [`${workerName.replace(/-/g, '_')}_replica_count`]: replicaCount },
    });
    cleanups.unshift(() => scraper.close());
    const chain = options.prometheus
      ? await startPrometheusChain({
          ...options.prometheus,
          scrapeTargets: () => pool.scrapeTargets(),
          podLabels: { app: workerName },
          deployments: apiServerReplicas ? [pool, apiServerReplicas] : [pool],
          namespace,
          timers,
          wrap: (binary, args) => supervisedCommand(binary, args, { pidDir }),
        })
      : undefined;
    if (chain) cleanups.unshift(() => chain.stop());
    const metrics = createRecordedMetricsSource(chain ? chain.metrics : scraper, { clock });
    const targetOf = (h: HorizontalPodAutoscaler): ClusterTarget =>
      h.spec.scaleTargetRef.name === API_SERVER_DEPLOYMENT && apiServerReplicas ? apiServerReplicas : pool;
    let kube: KubeApi | undefined;
    if (options.kubeApi) {
      const kubeNamespace = namespace;
      const source = chain ? chain.metrics : scraper;
      const sourceApp = createMetricsSourceApp({
        source,
        clock,
        pods: async (ns) => (ns === namespace ? pool.listPods() : []),
        podMetricNames: () => [...new Set(options.hpas.flatMap((h) => (h.spec.metrics ?? []).flatMap((m) => (m.pods ? [m.pods.metric.name] : []))))],
        externalMetricNames: () => [...new Set(options.hpas.flatMap((h) => (h.spec.metrics ?? []).flatMap((m) => (m.external ? [m.external.metric.name] : []))))],
      });
      const adapterApp = chain?.adapter.app;
      const handler = (request: Request): Promise<Response> =>
        adapterApp && !new URL(request.url).pathname.startsWith('/apis/metrics.k8s.io/') ? Promise.resolve(adapterApp.fetch(request)) : sourceApp(request);
      const targets: WorldTarget[] = [
        { name: pool.name, target: pool, labels: { app: pool.name }, deletePod: (name) => pool.kill(name, 'SIGKILL'), restartsOf: (name) => pool.workers().find((w) => w.name === name)?.restarts ?? 0, events: () => pool.events() },
        ...(apiServerReplicas ? [{ name: apiServerReplicas.name, target: apiServerReplicas, labels: { app: apiServerReplicas.name }, events: () => apiServerReplicas.events() }] : []),
      ];
      kube = await startKubeApi({
        clock,
        timers,
        namespace: kubeNamespace,
        hpas: options.hpas,
        targets,
        port: options.kubeApi.port,
        token: options.token,
        ...(options.kubeApi.kubeVersion === undefined ? {} : { kubeVersion: options.kubeApi.kubeVersion }),
        metrics: { handler, groups: METRICS_SOURCE_GROUPS },
      });
      const started = kube;
      cleanups.unshift(() => started.close());
    }
    const world = kube?.world;
    const onSync = world || options.onSync
      ? (r: SyncResult) => {
          world?.recordSync(r);
          options.onSync?.(r);
        }
      : undefined;
    // The workers' HPA first, so the API server's follows this sync's worker count.
    const ordered = [...options.hpas].sort((a, b) => Number(a.spec.scaleTargetRef.name === API_SERVER_DEPLOYMENT) - Number(b.spec.scaleTargetRef.name === API_SERVER_DEPLOYMENT));
    const controller = createController({
      hpas: ordered.map((hpa) => ({ hpa, target: targetOf(hpa), metrics, ...(world ? { current: () => world.current(hpa.metadata.name) } : {}) })),
      clock,
      timers,
      syncPeriodMs,
      namespace,
      ...(options.statePath === undefined ? {} : { statePath: options.statePath }),
      ...(options.config === undefined ? {} : { config: options.config }),
      ...(onSync === undefined ? {} : { onSync }),
    });
    cleanups.unshift(() => controller.stop());

    const pipeline = (): MetricsPipelineStatus => {
      if (!chain) return { kind: 'built-in', scrapeIntervalSeconds: scrapeIntervalMs / 1000, reads: metrics.reads() };
      const relist = chain.adapter.provider.lastRelist;
      return {
        kind: 'prometheus',
        scrapeIntervalSeconds: chain.scrapeIntervalMs / 1000,
        prometheus: { url: chain.prometheus.url, pid: chain.prometheus.pid, up: chain.prometheusUp(), dir: chain.prometheus.dir, evaluationIntervalSeconds: chain.evaluationIntervalMs / 1000 },
        adapter: {
          url: chain.adapter.url,
          relistIntervalSeconds: chain.relistIntervalMs / 1000,
          configFile: chain.adapterConfigFile,
          ...(relist ? { lastRelist: { ok: relist.ok, atMs: relist.atMs, ...(relist.error === undefined ? {} : { error: relist.error }) } } : {}),
        },
        exporterUrl: chain.exporter.url,
        reads: metrics.reads(),
      };
    };
    const status = async (): Promise<StackStatus> => {
      const targets: TargetStatus[] = [
        { name: pool.name, kind: 'processes', specReplicas: (await pool.getScale()).specReplicas, pods: await pool.listPods(), workers: pool.workers(), events: pool.events() },
      ];
      if (apiServerReplicas) {
        targets.push({
          name: apiServerReplicas.name,
          kind: 'recorded',
          note: apiServerNote(api.port),
          specReplicas: (await apiServerReplicas.getScale()).specReplicas,
          pods: await apiServerReplicas.listPods(),
          events: apiServerReplicas.events(),
        });
      }
      return {
        kind: 'hpa-lab/stack-status',
        nowMs: clock.now(),
        startedMs,
        pid: process.pid,
        namespace,
        apiUrl: api.url,
        syncPeriodSeconds: syncPeriodMs / 1000,
        scrapeIntervalSeconds: (chain ? chain.scrapeIntervalMs : scrapeIntervalMs) / 1000,
        hpas: controller.views(),
        targets,
        scrape: chain ? await chain.scrapeHealth() : scraper.health(),
        metrics: pipeline(),
        apiServer: {
          inFlight: api.app.stats().inFlight,
          workers: api.app.workers.list().map((w) => ({ id: w.id, ready: w.ready, draining: w.draining, inFlight: w.inFlight, routedTotal: w.routedTotal })),
        },
      };
    };
    const statusServer = await startStatusServer(status, options.statusPort === undefined ? {} : { port: options.statusPort });
    cleanups.unshift(() => statusServer.close());

    // The controller syncs a moment after each scrape (same period, fixed phase), so a sync
    // reads samples at most that moment old when the periods are equal: in --fast mode a load
    // step reaches a decision within about one period.
    if (!chain) {
      await scraper.start();
      if (syncPeriodMs === scrapeIntervalMs) await sleepOn(timers, Math.min(SYNC_AFTER_SCRAPE_MS, scrapeIntervalMs / 4));
    }
    await controller.start();

    let stopping: Promise<void> | undefined;
    return {
      api,
      pool,
      apiServerReplicas,
      scraper,
      prometheus: chain,
      controller,
      kube,
      statusServer,
      statusUrl: `${statusServer.url}/status`,
      startedMs,
      reaped,
      restoredReplicas,
      sampleAudioUrl: `${api.url}${SAMPLES_PATH}${SAMPLE_AUDIO_NAME}`,
      status,
      stop(stopOptions = {}) {
        stopping ??= (async () => {
          await controller.stop();
          await kube?.close();
          await scraper.close();
          await chain?.stop();
          await api.stop({ graceMs: stopOptions.graceMs ?? 30_000 });
          await pool.close();
          await apiServerReplicas?.close();
          await statusServer.close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    for (const c of cleanups) await c().catch(() => undefined);
    throw error;
  }
}
