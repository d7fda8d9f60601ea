/**
 * A scale target made of real worker processes on this machine: a Deployment whose pods are
 * worker processes (`dist/workload/worker/main.js`) on free ports. The pieces, one file each:
 * `worker-process.ts` (spawning), `readiness-probe.ts` (`/health`), `drain-then-stop.ts`,
 * `crash-restart.ts` (back-off) and `replica-reconciler.ts` (which pods to create or delete).
 */
import type { Clock, Timers } from '../core/index.js';
import type { PodInfo, ScaleSubresource, ClusterTarget } from '../engine/index.js';
import { checkReplicas } from './check-replicas.js';
import { type ClusterEvent, createEventLog } from './cluster-event.js';
import { scheduleRestart } from './crash-restart.js';
import { drainThenStop } from './drain-then-stop.js';
import { makePodName } from './pod-name.js';
import { clearPodTimers, newPoolPod, type PoolContext, type PoolPod, type WorkerRouter } from './pool-pod.js';
import { probePod, scheduleProbe } from './readiness-probe.js';
import { reconcileReplicas } from './replica-reconciler.js';
import { WORKER_ENTRY } from './worker-entry.js';
import { randomBytes } from 'node:crypto';
import { WORKER_TOKEN_ENV } from '../workload/index.js';
import { isRunning, spawnWorkerProcess } from './worker-process.js';

export type { WorkerRouter } from './pool-pod.js';

/** Defaults of {@link LocalProcessPoolOptions}. */
export const DEFAULT_POOL_OPTIONS = {
  name: 'lightning-asr',
  healthIntervalMs: 1_000,
  healthTimeoutMs: 1_000,
  startTimeoutMs: 30_000,
  drainTimeoutMs: 30_000,
  /** After SIGTERM: the worker's own grace (30 s) plus a margin, then SIGKILL. */
  killTimeoutMs: 35_000,
  restartBackoffMs: 1_000,
  maxRestartBackoffMs: 30_000,
  maxEvents: 200,
} as const;

export interface LocalProcessPoolOptions {
  /** Deployment name: pods are `<name>-xxxxx`, labelled `app=<name>`; `lightning-asr` unless told. */
  readonly name?: string;
  /** Workers started at once; 1 unless told. */
  readonly initialReplicas?: number;
  readonly clock: Clock;
  readonly timers: Timers;
  /** The API server's registry: workers are added when listening, routed to when ready. */
  readonly router?: WorkerRouter;
  /** Extra worker flags (`--rtf 0.1 --max-concurrency 4 --model-load-ms 2000`). */
  readonly workerArgs?: readonly string[];
  /** Entry script; {@link WORKER_ENTRY} unless told. */
  readonly workerEntry?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * The key the workers require from `get_text` callers (passed in `$HPA_LAB_WORKER_TOKEN`; the
   * router must send it); a random one unless told.
   */
  readonly token?: string;
  /** Where the workers' pid files go, for a later run to reap (see `pid-file.ts`); none unless told. */
  readonly pidDir?: string;
  /** Readiness probe period. */
  readonly healthIntervalMs?: number;
  readonly healthTimeoutMs?: number;
  /** A worker that prints no `listening` line in this time is killed and restarted. */
  readonly startTimeoutMs?: number;
  /** Longest wait for the API server's in-flight requests on a worker before SIGTERM. */
  readonly drainTimeoutMs?: number;
  /** Longest wait after SIGTERM before SIGKILL. */
  readonly killTimeoutMs?: number;
  /** First restart delay after a crash, doubled on each crash until ready again. */
  readonly restartBackoffMs?: number;
  readonly maxRestartBackoffMs?: number;
  /** Name suffixes; Math.random unless told. */
  readonly random?: () => number;
  readonly maxEvents?: number;
  readonly onEvent?: (event: ClusterEvent) => void;
}

/** One worker process as the pool sees it. */
export interface PoolWorker {
  readonly name: string;
  readonly pid: number | undefined;
  readonly phase: 'Pending' | 'Running';
  readonly ready: boolean;
  readonly deleting: boolean;
  readonly restarts: number;
  /** `http://127.0.0.1:<port>` once listening. */
  readonly url: string | undefined;
  /** `http://127.0.0.1:<metricsPort>/metrics` once listening. */
  readonly metricsUrl: string | undefined;
}

/** A pod to scrape: its name and `/metrics` URL. */
export interface ScrapeTarget {
  readonly podName: string;
  readonly url: string;
}

export interface LocalProcessPool extends ClusterTarget {
  readonly name: string;
  /** `app=<name>` */
  readonly selector: string;
  workers(): readonly PoolWorker[];
  /** Every listening worker's metrics URL (unready and terminating ones too, as Prometheus sees them). */
  scrapeTargets(): readonly ScrapeTarget[];
  /** ReplicaSet and pod events: SuccessfulCreate, SuccessfulDelete, Killing, BackOff, Started. */
  events(): readonly ClusterEvent[];
  /** Sends a signal to a worker's process (to simulate a crash). False when there is none. */
  kill(podName: string, signal?: NodeJS.Signals): boolean;
}

/**
 * Starts a pool of worker processes, `initialReplicas` of them at once.
 *
 * Scale-up spawns workers (Pending until they print `listening`, then Running; Ready once
 * `/health` answers 200). Scale-down picks pods in ReplicaSet order with the least busy first
 * (see `compareForDeletion`), marks each draining in the router at once (no new request), waits
 * for its in-flight requests, then sends SIGTERM (the worker finishes anything left within its
 * grace period) and SIGKILL only after `killTimeoutMs`. A worker that exits on its own is
 * restarted in the same pod after a back-off, with a `BackOff` event.
 *
 * Workers run in their own process group, so a terminal's Ctrl-C reaches only the parent, which
 * stops them in order; they are killed if the parent exits without closing the pool, and stop by
 * themselves when it dies any other way (their IPC channel is their lifeline). With `pidDir`,
 * each worker has a pid file for the next run to reap should even that fail.
 *
 * @throws {RangeError} when `initialReplicas` is not an integer >= 0
 * @example
 * const pool = createLocalProcessPool({ clock: systemClock, timers: systemTimers, router: api.app.workers });
 * await pool.setReplicas(3);
 * (await pool.listPods()).map((p) => p.ready?.status); // -> ['True', 'True', 'False'] while one loads
 * await pool.close();
 */
export function createLocalProcessPool(options: LocalProcessPoolOptions): LocalProcessPool {
  const o = { ...DEFAULT_POOL_OPTIONS, ...definedOnly(options) };
  const { clock, timers, router } = options;
  const name = o.name;
  const selector = `app=${name}`;
  const labels = { app: name };
  const random = options.random ?? Math.random;
  const entry = options.workerEntry ?? WORKER_ENTRY;
  const token = options.token ?? randomBytes(16).toString('hex');
  const log = createEventLog(o.maxEvents, options.onEvent);
  const pods = new Map<string, PoolPod>();
  const removals = new Set<Promise<void>>();
  let desired = options.initialReplicas ?? 1;
  let closed = false;
  checkReplicas(name, desired);

  const ctx: PoolContext = {
    clock,
    timers,
    router,
    settings: o,
    event: (type, reason, object, message) => log.push({ type, reason, object, message, atMs: clock.now() }),
    isClosed: () => closed,
  };

  const killAllNow = (): void => {
    for (const p of pods.values()) if (p.worker && p.worker.child.exitCode === null) p.worker.child.kill('SIGKILL');
  };
  process.on('exit', killAllNow);

  const onMessage = (p: PoolPod, worker: PoolPod['worker'], msg: Record<string, unknown>): void => {
    if (worker !== p.worker) return;
    if (msg['event'] === 'listening' && typeof msg['port'] === 'number' && typeof msg['metricsPort'] === 'number') {
      if (p.startTimer !== undefined) timers.clearTimeout(p.startTimer);
      p.startTimer = undefined;
      p.url = `http://127.0.0.1:${msg['port']}`;
      p.metricsUrl = `http://127.0.0.1:${msg['metricsPort']}/metrics`;
      p.phase = 'Running';
      ctx.event('Normal', 'Started', `Pod/${p.name}`, `Started container worker (pid ${worker?.child.pid ?? '?'}, port ${msg['port']}, metrics port ${msg['metricsPort']})`);
      if (!p.deleting) {
        router?.addWorker({ id: p.name, url: p.url, ready: false });
        void probePod(ctx, p);
        scheduleProbe(ctx, p);
      }
    } else if (msg['event'] === 'ready') {
      void probePod(ctx, p);
    }
  };

  const startWorker = (p: PoolPod): void => {
    p.url = undefined;
    p.metricsUrl = undefined;
    const worker = spawnWorkerProcess({
      entry,
      args: ['--port', '0', '--metrics-port', '0', ...(options.workerArgs ?? [])],
      env: { ...options.env, [WORKER_TOKEN_ENV]: token },
      pidDir: options.pidDir,
      what: `worker ${p.name}`,
      onMessage: (msg) => onMessage(p, worker, msg),
      onExit: (exit) => {
        if (worker !== p.worker) return;
        p.worker = undefined;
        clearPodTimers(timers, p);
        if (p.deleting || closed) return;
        scheduleRestart(ctx, p, { exit, stderrTail: worker.stderrTail, restart: () => startWorker(p) });
      },
    });
    p.worker = worker;
    p.exited = worker.exited;
    p.startTimer = timers.setTimeout(() => {
      p.startTimer = undefined;
      if (worker === p.worker && p.url === undefined && worker.child.exitCode === null) {
        worker.stderrTail += `\nno 'listening' line within ${o.startTimeoutMs} ms`;
        worker.child.kill('SIGKILL');
      }
    }, o.startTimeoutMs);
  };

  const createPod = (): void => {
    const p = newPoolPod(makePodName(name, new Set(pods.keys()), random), clock.now(), o.restartBackoffMs);
    pods.set(p.name, p);
    ctx.event('Normal', 'SuccessfulCreate', `ReplicaSet/${name}`, `Created pod: ${p.name}`);
    startWorker(p);
  };

  const removePod = (p: PoolPod): void => {
    p.deleting = true;
    if (p.restartTimer !== undefined) timers.clearTimeout(p.restartTimer);
    p.restartTimer = undefined;
    ctx.event('Normal', 'SuccessfulDelete', `ReplicaSet/${name}`, `Deleted pod: ${p.name}`);
    const removal = (async () => {
      await drainThenStop(ctx, p);
      clearPodTimers(timers, p);
      router?.removeWorker(p.name);
      pods.delete(p.name);
    })();
    removals.add(removal);
    void removal.finally(() => removals.delete(removal));
  };

  const converge = (): void => {
    if (closed) return;
    const plan = reconcileReplicas({ pods: pods.values(), desired, busy: (pod) => router?.get?.(pod)?.inFlight ?? 0 });
    for (let n = 0; n < plan.create; n++) createPod();
    for (const p of plan.remove) removePod(p);
  };
  converge();

  return {
    name,
    selector,
    getScale(): Promise<ScaleSubresource> {
      let existing = 0;
      for (const p of pods.values()) if (!p.deleting) existing++;
      return Promise.resolve({ specReplicas: desired, statusReplicas: existing, selector });
    },
    setReplicas(replicas) {
      // The executor's throws become the rejection.
      return new Promise<void>((resolve) => {
        checkReplicas(name, replicas);
        if (closed) throw new Error(`Cannot scale '${name}' as the target is closed`);
        desired = replicas;
        converge();
        resolve();
      });
    },
    listPods(): Promise<PodInfo[]> {
      return Promise.resolve(
        [...pods.values()].map((p) => ({
          name: p.name,
          labels,
          phase: p.phase,
          ...(p.deleting ? { deleting: true } : {}),
          startTimeMs: p.createdMs,
          ready: { status: p.ready ? 'True' : 'False', lastTransitionTimeMs: p.readyChangedMs },
          containers: [{ name: 'worker' }],
        })),
      );
    },
    workers: () =>
      [...pods.values()].map((p) => ({
        name: p.name,
        pid: p.worker?.child.pid,
        phase: p.phase,
        ready: p.ready,
        deleting: p.deleting,
        restarts: p.restarts,
        url: p.url,
        metricsUrl: p.metricsUrl,
      })),
    scrapeTargets: () => {
      const out: ScrapeTarget[] = [];
      for (const p of pods.values()) if (p.metricsUrl !== undefined && p.worker !== undefined) out.push({ podName: p.name, url: p.metricsUrl });
      return out;
    },
    events: () => log.list(),
    kill(podName, signal = 'SIGKILL') {
      const child = pods.get(podName)?.worker?.child;
      if (child === undefined || !isRunning(child)) return false;
      return child.kill(signal);
    },
    async close() {
      if (!closed) {
        closed = true;
        desired = 0;
        for (const p of pods.values()) if (!p.deleting) removePod(p);
      }
      while (removals.size > 0) await Promise.all([...removals]);
      process.off('exit', killAllNow);
    },
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
