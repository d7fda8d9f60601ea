/**
 * The main thread's side of `compute-worker.ts`: one worker for the calculator (requests
 * coalesced: while one computes, only the latest waiting one is kept) and one per kind of
 * simulation (kept warm; a new request replaces the waiting one; a long run is terminated by a
 * newer request or by "Cancel"). The worker is bundled inline (a blob URL),
 * so it also starts from `file://`; without workers the same code runs on the main thread.
 */
import type { Scenario, SimResult } from '../../src/sim/index.js';
import type { CalcResult } from './calculator-model.js';
import { handleRequest, type ComputeRequest, type ComputeResponse } from './compute-worker.js';
import ComputeWorker from './compute-worker.ts?worker&inline';
import type { CalcState } from './state.js';

/** Why a job ended without a result. */
export class CancelledError extends Error {
  override name = 'CancelledError';
}

/** A running simulation. */
export interface SimJob {
  readonly promise: Promise<{ runs: { name: string; result: SimResult }[]; computeMs: number }>;
  cancel(): void;
}

let nextId = 0;

function spawn(): Worker | undefined {
  try {
    return new ComputeWorker();
  } catch {
    return undefined;
  }
}

/** Where the page's numbers are computed. */
export interface Computer {
  /** Whether a worker computes (false: the main thread does, e.g. where workers are blocked). */
  readonly inWorker: boolean;
  /** The calculator's result; rejects with `CancelledError` when a newer request replaced it. */
  calc(calc: CalcState): Promise<{ result: CalcResult; computeMs: number }>;
  /** Runs configurations on one seed, cancelling the previous run of the same `channel`. */
  simulate(runs: readonly { name: string; scenario: Scenario }[], options: { seed: number; channel: string; onProgress?: (fraction: number) => void }): SimJob;
}

/** Creates the page's computer (one per page). */
export function createComputer(): Computer {
  const probe = spawn();
  const inWorker = probe !== undefined;

  // Calculator: one worker, requests coalesced.
  const calcWorker = probe;
  let calcBusy: { id: number; resolve: (v: { result: CalcResult; computeMs: number }) => void; reject: (e: Error) => void } | undefined;
  let calcWaiting: { calc: CalcState; resolve: (v: { result: CalcResult; computeMs: number }) => void; reject: (e: Error) => void } | undefined;
  const sendCalc = (): void => {
    if (calcBusy || !calcWaiting || !calcWorker) return;
    const w = calcWaiting;
    calcWaiting = undefined;
    const id = ++nextId;
    calcBusy = { id, resolve: w.resolve, reject: w.reject };
    calcWorker.postMessage({ id, type: 'calc', calc: w.calc } satisfies ComputeRequest);
  };
  calcWorker?.addEventListener('message', (e: MessageEvent<ComputeResponse>) => {
    const m = e.data;
    if (!calcBusy || m.id !== calcBusy.id) return;
    const busy = calcBusy;
    calcBusy = undefined;
    if (m.type === 'calc') busy.resolve({ result: m.result, computeMs: m.computeMs });
    else if (m.type === 'error') busy.reject(new Error(m.message));
    sendCalc();
  });

  // Simulations: a warm worker per channel, one run in flight, the latest request waiting.
  const channels = new Map<string, SimChannel>();

  return {
    inWorker,
    calc(calc) {
      if (!calcWorker) {
        return new Promise((resolve, reject) => {
          handleRequest({ id: ++nextId, type: 'calc', calc }, (m) => (m.type === 'calc' ? resolve({ result: m.result, computeMs: m.computeMs }) : m.type === 'error' ? reject(new Error(m.message)) : undefined));
        });
      }
      return new Promise((resolve, reject) => {
        calcWaiting?.reject(new CancelledError('replaced by a newer input'));
        calcWaiting = { calc, resolve, reject };
        sendCalc();
      });
    },
    simulate(runs, options) {
      const id = ++nextId;
      if (!inWorker) {
        let cancelled = false;
        const promise = new Promise<{ runs: { name: string; result: SimResult }[]; computeMs: number }>((resolve, reject) => {
          // Let the page paint "computing" first.
          setTimeout(() => {
            if (cancelled) return reject(new CancelledError('cancelled'));
            handleRequest({ id, type: 'sim', runs, seed: options.seed }, (m) => {
              if (m.type === 'sim') resolve({ runs: m.runs, computeMs: m.computeMs });
              else if (m.type === 'error') reject(new Error(m.message));
            });
          }, 0);
        });
        return { promise, cancel: () => void (cancelled = true) };
      }
      let ch = channels.get(options.channel);
      if (!ch) channels.set(options.channel, (ch = createChannel()));
      return ch.submit(id, runs, options);
    },
  };
}

type SimRuns = { name: string; result: SimResult }[];

interface SimTask {
  readonly id: number;
  readonly runs: readonly { name: string; scenario: Scenario }[];
  readonly seed: number;
  readonly onProgress: ((fraction: number) => void) | undefined;
  readonly resolve: (v: { runs: SimRuns; computeMs: number }) => void;
  readonly reject: (e: Error) => void;
  settled: boolean;
}

interface SimChannel {
  submit(id: number, runs: readonly { name: string; scenario: Scenario }[], options: { seed: number; onProgress?: (fraction: number) => void }): SimJob;
}

/** A run in flight younger than this finishes (its result dropped) rather than killing the worker. */
const RESTART_AFTER_MS = 250;

/**
 * One worker for one kind of run. A new request replaces the waiting one; the run in flight
 * finishes when it is young (a keystroke's run takes ~0.1 s, respawning a worker costs more),
 * and is terminated when it has run for a while (a month's run) or on "Cancel".
 */
function createChannel(): SimChannel {
  let worker: Worker | undefined;
  let inflight: { task: SimTask; startedAt: number } | undefined;
  let pending: SimTask | undefined;
  const settle = (t: SimTask, f: () => void): void => {
    if (t.settled) return;
    t.settled = true;
    f();
  };
  const ensure = (): Worker => {
    if (worker) return worker;
    const w = spawn()!;
    w.addEventListener('message', (e: MessageEvent<ComputeResponse>) => {
      const m = e.data;
      const cur = inflight?.task;
      if (!cur || m.id !== cur.id || w !== worker) return;
      if (m.type === 'progress') {
        if (!cur.settled) cur.onProgress?.(m.fraction);
        return;
      }
      inflight = undefined;
      if (m.type === 'sim') settle(cur, () => cur.resolve({ runs: m.runs, computeMs: m.computeMs }));
      else if (m.type === 'error') settle(cur, () => cur.reject(new Error(m.message)));
      next();
    });
    w.addEventListener('error', (e) => {
      const cur = inflight?.task;
      inflight = undefined;
      if (cur) settle(cur, () => cur.reject(new Error(e.message || 'the simulation worker failed')));
      w.terminate();
      if (worker === w) worker = undefined;
      next();
    });
    worker = w;
    return w;
  };
  const send = (t: SimTask): void => {
    inflight = { task: t, startedAt: performance.now() };
    ensure().postMessage({ id: t.id, type: 'sim', runs: t.runs, seed: t.seed } satisfies ComputeRequest);
  };
  const next = (): void => {
    if (inflight || !pending) return;
    const t = pending;
    pending = undefined;
    send(t);
  };
  const kill = (): void => {
    worker?.terminate();
    worker = undefined;
    const cur = inflight?.task;
    inflight = undefined;
    if (cur) settle(cur, () => cur.reject(new CancelledError('cancelled')));
  };
  return {
    submit(id, runs, options) {
      let task!: SimTask;
      const promise = new Promise<{ runs: SimRuns; computeMs: number }>((resolve, reject) => {
        task = { id, runs, seed: options.seed, onProgress: options.onProgress, resolve, reject, settled: false };
      });
      if (pending) settle(pending, () => pending!.reject(new CancelledError('replaced by a newer input')));
      pending = task;
      if (inflight) {
        const cur = inflight.task;
        if (performance.now() - inflight.startedAt >= RESTART_AFTER_MS) kill();
        // A young run finishes in the worker, but its result is no longer wanted.
        else settle(cur, () => cur.reject(new CancelledError('replaced by a newer input')));
      }
      next();
      const cancel = (): void => {
        if (pending === task) {
          pending = undefined;
          settle(task, () => task.reject(new CancelledError('cancelled')));
        } else if (inflight?.task === task) {
          kill();
          next();
        }
      };
      return { promise, cancel };
    },
  };
}

let shared: Computer | undefined;
/** The page's one computer. */
export function computer(): Computer {
  shared ??= createComputer();
  return shared;
}
