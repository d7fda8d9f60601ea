/**
 * A scale target made of real worker processes on this machine: a Deployment whose pods are
 * `node --import tsx src/workload/worker/main.ts` processes on free ports. It watches their
 * `/health` (the readiness probe), tells the API server's router which ones to use, drains
 * before stopping, and restarts a crashed worker as the kubelet restarts a container.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PodInfo, ScaleSubresource } from '../engine/index.js';
import type { Clock } from '../core/clock.js';
import { httpRequest } from '../platform/index.js';
import { checkReplicas } from './check-replicas.js';
import { type ClusterEvent, createEventLog } from './cluster-event.js';
import type { ClusterTarget } from '../engine/cluster-target.js';
import { pickForDeletion } from './deletion-order.js';
import { makePodName } from './pod-name.js';
import { sleepOn, type TimerHandle, type Timers } from '../core/timers.js';

/** The part of the API server's worker registry the pool drives (`WorkerRegistry` fits). */
export interface WorkerRouter {
  addWorker(input: { readonly id: string; readonly url: string; readonly ready?: boolean }): void;
  setReady(id: string, ready: boolean): boolean;
  /** Stops routing to the worker and resolves when its in-flight requests are answered. */
  markDraining(id: string): Promise<void>;
  removeWorker(id: string): boolean;
  /** In-flight requests per worker, for picking the least busy one to remove. */
  get?(id: string): { readonly inFlight: number } | undefined;
}

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

/** The worker entry the pool starts, `src/workload/worker/main.ts` (`main.js` when running compiled code). */
export const WORKER_ENTRY = fileURLToPath(new URL(`../workload/worker/main.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url));

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

interface Proc {
  readonly name: string;
  readonly createdMs: number;
  restarts: number;
  phase: 'Pending' | 'Running';
  ready: boolean;
  readyChangedMs: number;
  deleting: boolean;
  child: ChildProcess | undefined;
  exited: Promise<void>;
  url: string | undefined;
  metricsUrl: string | undefined;
  healthTimer: TimerHandle | undefined;
  startTimer: TimerHandle | undefined;
  restartTimer: TimerHandle | undefined;
  probing: boolean;
  backoffMs: number;
  stderrTail: string;
}

const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

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
 * stops them in order; they are killed if the parent exits without closing the pool.
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
  const log = createEventLog(o.maxEvents, options.onEvent);
  const procs = new Map<string, Proc>();
  const removals = new Set<Promise<void>>();
  let desired = options.initialReplicas ?? 1;
  let closed = false;
  checkReplicas(name, desired);

  const event = (type: ClusterEvent['type'], reason: string, object: string, message: string): void =>
    log.push({ type, reason, object, message, atMs: clock.now() });

  const killAllNow = (): void => {
    for (const p of procs.values()) if (p.child && p.child.exitCode === null) p.child.kill('SIGKILL');
  };
  process.on('exit', killAllNow);

  const setReady = (p: Proc, ready: boolean): void => {
    if (p.ready === ready) return;
    p.ready = ready;
    p.readyChangedMs = clock.now();
    if (ready) p.backoffMs = o.restartBackoffMs;
    if (!p.deleting) router?.setReady(p.name, ready);
  };

  const probe = async (p: Proc): Promise<void> => {
    if (p.probing || p.url === undefined || p.deleting) return;
    p.probing = true;
    const child = p.child;
    let ok = false;
    try {
      const r = await httpRequest(`${p.url}/health`, { timeoutMs: o.healthTimeoutMs });
      ok = r.status === 200;
    } catch {
      ok = false;
    } finally {
      p.probing = false;
    }
    // Ignore an answer from a process that has been replaced meanwhile.
    if (child === p.child && !p.deleting) setReady(p, ok);
  };

  const scheduleProbe = (p: Proc): void => {
    if (p.healthTimer !== undefined) timers.clearTimeout(p.healthTimer);
    p.healthTimer = timers.setTimeout(() => {
      p.healthTimer = undefined;
      if (p.deleting || p.child === undefined) return;
      void probe(p).finally(() => {
        if (!p.deleting && p.child !== undefined) scheduleProbe(p);
      });
    }, o.healthIntervalMs);
  };

  const clearTimers = (p: Proc): void => {
    for (const t of [p.healthTimer, p.startTimer, p.restartTimer]) if (t !== undefined) timers.clearTimeout(t);
    p.healthTimer = p.startTimer = p.restartTimer = undefined;
  };

  const onLine = (p: Proc, child: ChildProcess, line: string): void => {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    if (child !== p.child) return;
    if (msg['event'] === 'listening' && typeof msg['port'] === 'number' && typeof msg['metricsPort'] === 'number') {
      if (p.startTimer !== undefined) timers.clearTimeout(p.startTimer);
      p.startTimer = undefined;
      p.url = `http://127.0.0.1:${msg['port']}`;
      p.metricsUrl = `http://127.0.0.1:${msg['metricsPort']}/metrics`;
      p.phase = 'Running';
      event('Normal', 'Started', `Pod/${p.name}`, `Started container worker (pid ${child.pid ?? '?'}, port ${msg['port']}, metrics port ${msg['metricsPort']})`);
      if (!p.deleting) {
        router?.addWorker({ id: p.name, url: p.url, ready: false });
        void probe(p);
        scheduleProbe(p);
      }
    } else if (msg['event'] === 'ready') {
      void probe(p);
    }
  };

  const startProcess = (p: Proc): void => {
    p.url = undefined;
    p.metricsUrl = undefined;
    p.stderrTail = '';
    const child = spawn(process.execPath, ['--import', TSX_LOADER, entry, '--port', '0', '--metrics-port', '0', ...(options.workerArgs ?? [])], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, ...options.env },
    });
    p.child = child;
    let buffer = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      buffer += chunk;
      let i: number;
      while ((i = buffer.indexOf('\n')) >= 0) {
        onLine(p, child, buffer.slice(0, i));
        buffer = buffer.slice(i + 1);
      }
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      p.stderrTail = (p.stderrTail + chunk).slice(-2_000);
    });
    p.exited = new Promise<void>((resolve) => {
      let done = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null, error?: Error): void => {
        if (done) return;
        done = true;
        resolve();
        onExit(p, child, { code, signal, error });
      };
      child.once('exit', (code, signal) => finish(code, signal));
      child.once('error', (error) => finish(null, null, error));
    });
    p.startTimer = timers.setTimeout(() => {
      p.startTimer = undefined;
      if (child === p.child && p.url === undefined && child.exitCode === null) {
        p.stderrTail += `\nno 'listening' line within ${o.startTimeoutMs} ms`;
        child.kill('SIGKILL');
      }
    }, o.startTimeoutMs);
  };

  const onExit = (p: Proc, child: ChildProcess, how: { code: number | null; signal: NodeJS.Signals | null; error?: Error | undefined }): void => {
    if (child !== p.child) return;
    p.child = undefined;
    clearTimers(p);
    if (p.deleting || closed) return;
    // A crash: the container restarts in the same pod after a back-off, as the kubelet does.
    setReady(p, false);
    const why = how.error ? `failed to start: ${how.error.message}` : how.signal ? `killed by ${how.signal}` : `exited with code ${how.code}`;
    const lastLine = p.stderrTail.trim().split('\n').at(-1)?.trim();
    event('Warning', 'BackOff', `Pod/${p.name}`, `Back-off restarting failed container worker in pod ${p.name}: ${why}${lastLine ? ` (${lastLine})` : ''}; restart in ${p.backoffMs} ms`);
    const delayMs = p.backoffMs;
    p.backoffMs = Math.min(o.maxRestartBackoffMs, p.backoffMs * 2);
    p.restartTimer = timers.setTimeout(() => {
      p.restartTimer = undefined;
      if (p.deleting || closed) return;
      p.restarts++;
      startProcess(p);
    }, delayMs);
  };

  const createPod = (): void => {
    const podName = makePodName(name, new Set(procs.keys()), random);
    const nowMs = clock.now();
    const p: Proc = {
      name: podName,
      createdMs: nowMs,
      restarts: 0,
      phase: 'Pending',
      ready: false,
      readyChangedMs: nowMs,
      deleting: false,
      child: undefined,
      exited: Promise.resolve(),
      url: undefined,
      metricsUrl: undefined,
      healthTimer: undefined,
      startTimer: undefined,
      restartTimer: undefined,
      probing: false,
      backoffMs: o.restartBackoffMs,
      stderrTail: '',
    };
    procs.set(podName, p);
    event('Normal', 'SuccessfulCreate', `ReplicaSet/${name}`, `Created pod: ${podName}`);
    startProcess(p);
  };

  const stopProcess = async (p: Proc): Promise<void> => {
    const child = p.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    event('Normal', 'Killing', `Pod/${p.name}`, 'Stopping container worker');
    child.kill('SIGTERM');
    let timer: TimerHandle | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = timers.setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        resolve();
      }, o.killTimeoutMs);
    });
    await Promise.race([p.exited, killed]);
    if (timer !== undefined) timers.clearTimeout(timer);
    await p.exited;
  };

  const removePod = (p: Proc): void => {
    p.deleting = true;
    if (p.restartTimer !== undefined) timers.clearTimeout(p.restartTimer);
    p.restartTimer = undefined;
    event('Normal', 'SuccessfulDelete', `ReplicaSet/${name}`, `Deleted pod: ${p.name}`);
    const removal = (async () => {
      if (router !== undefined && p.url !== undefined) {
        // No new request from now on; wait for those already sent (bounded).
        await Promise.race([router.markDraining(p.name), sleepOn(timers, o.drainTimeoutMs)]);
      }
      await stopProcess(p);
      clearTimers(p);
      router?.removeWorker(p.name);
      procs.delete(p.name);
    })();
    removals.add(removal);
    void removal.finally(() => removals.delete(removal));
  };

  const converge = (): void => {
    if (closed) return;
    const active = [...procs.values()].filter((p) => !p.deleting);
    for (let n = active.length; n < desired; n++) createPod();
    if (active.length > desired) {
      const candidates = active.map((p) => ({
        name: p.name,
        phase: p.phase,
        ready: p.ready,
        readySinceMs: p.readyChangedMs,
        createdMs: p.createdMs,
        restarts: p.restarts,
        busy: router?.get?.(p.name)?.inFlight ?? 0,
        proc: p,
      }));
      for (const victim of pickForDeletion(candidates, active.length - desired)) removePod(victim.proc);
    }
  };
  converge();

  return {
    name,
    selector,
    async getScale(): Promise<ScaleSubresource> {
      let existing = 0;
      for (const p of procs.values()) if (!p.deleting) existing++;
      return { specReplicas: desired, statusReplicas: existing, selector };
    },
    async setReplicas(replicas) {
      checkReplicas(name, replicas);
      if (closed) throw new Error(`Cannot scale '${name}' as the target is closed`);
      desired = replicas;
      converge();
    },
    async listPods(): Promise<PodInfo[]> {
      return [...procs.values()].map((p) => ({
        name: p.name,
        labels,
        phase: p.phase,
        ...(p.deleting ? { deleting: true } : {}),
        startTimeMs: p.createdMs,
        ready: { status: p.ready ? 'True' : 'False', lastTransitionTimeMs: p.readyChangedMs },
        containers: [{ name: 'worker' }],
      }));
    },
    workers: () =>
      [...procs.values()].map((p) => ({
        name: p.name,
        pid: p.child?.pid,
        phase: p.phase,
        ready: p.ready,
        deleting: p.deleting,
        restarts: p.restarts,
        url: p.url,
        metricsUrl: p.metricsUrl,
      })),
    scrapeTargets: () => {
      const out: ScrapeTarget[] = [];
      for (const p of procs.values()) if (p.metricsUrl !== undefined && p.child !== undefined) out.push({ podName: p.name, url: p.metricsUrl });
      return out;
    },
    events: () => log.list(),
    kill(podName, signal = 'SIGKILL') {
      const child = procs.get(podName)?.child;
      if (child === undefined || child.exitCode !== null) return false;
      return child.kill(signal);
    },
    async close() {
      if (!closed) {
        closed = true;
        desired = 0;
        for (const p of procs.values()) if (!p.deleting) removePod(p);
      }
      while (removals.size > 0) await Promise.all([...removals]);
      process.off('exit', killAllNow);
    },
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
