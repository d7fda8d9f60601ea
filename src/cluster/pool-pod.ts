/**
 * The local process pool's pieces share two things: one pod's mutable record (its worker process,
 * readiness, timers, back-off) and the pool's context (clock, timers, router, settings, events).
 */
import type { Clock, TimerHandle, Timers } from '../core/index.js';
import type { ClusterEvent } from './cluster-event.js';
import type { WorkerProcess } from './worker-process.js';

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

/** The pool's timings, resolved from its options and defaults. */
export interface PoolSettings {
  readonly healthIntervalMs: number;
  readonly healthTimeoutMs: number;
  readonly startTimeoutMs: number;
  readonly drainTimeoutMs: number;
  readonly killTimeoutMs: number;
  readonly restartBackoffMs: number;
  readonly maxRestartBackoffMs: number;
}

/** What every piece of the pool may use. */
export interface PoolContext {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly router: WorkerRouter | undefined;
  readonly settings: PoolSettings;
  /** Records a ReplicaSet or pod event at the clock's time. */
  event(type: ClusterEvent['type'], reason: string, object: string, message: string): void;
  /** True once the pool is closing: no restart, no new pod. */
  isClosed(): boolean;
}

/** One pod of the pool: a name that outlives its worker processes (restarts keep the pod). */
export interface PoolPod {
  readonly name: string;
  readonly createdMs: number;
  restarts: number;
  phase: 'Pending' | 'Running';
  ready: boolean;
  readyChangedMs: number;
  deleting: boolean;
  /** The current worker process; undefined between a crash and its restart, and after the stop. */
  worker: WorkerProcess | undefined;
  /** Resolves when the current (or last) worker process has exited. */
  exited: Promise<void>;
  url: string | undefined;
  metricsUrl: string | undefined;
  healthTimer: TimerHandle | undefined;
  startTimer: TimerHandle | undefined;
  restartTimer: TimerHandle | undefined;
  probing: boolean;
  backoffMs: number;
}

/** A new pod record, Pending, with no process yet. */
export function newPoolPod(name: string, nowMs: number, backoffMs: number): PoolPod {
  return {
    name,
    createdMs: nowMs,
    restarts: 0,
    phase: 'Pending',
    ready: false,
    readyChangedMs: nowMs,
    deleting: false,
    worker: undefined,
    exited: Promise.resolve(),
    url: undefined,
    metricsUrl: undefined,
    healthTimer: undefined,
    startTimer: undefined,
    restartTimer: undefined,
    probing: false,
    backoffMs,
  };
}

/** Sets the pod's readiness (and the router's, unless it is being deleted); ready resets the back-off. */
export function setPodReady(ctx: PoolContext, pod: PoolPod, ready: boolean): void {
  if (pod.ready === ready) return;
  pod.ready = ready;
  pod.readyChangedMs = ctx.clock.now();
  if (ready) pod.backoffMs = ctx.settings.restartBackoffMs;
  if (!pod.deleting) ctx.router?.setReady(pod.name, ready);
}

/** Cancels the pod's probe, start and restart timers. */
export function clearPodTimers(timers: Timers, pod: PoolPod): void {
  for (const t of [pod.healthTimer, pod.startTimer, pod.restartTimer]) if (t !== undefined) timers.clearTimeout(t);
  pod.healthTimer = pod.startTimer = pod.restartTimer = undefined;
}
