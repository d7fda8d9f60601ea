/**
 * The main thread's side of `compute-worker.ts`: one worker for the calculator (requests
 * coalesced: while one computes, only the latest waiting one is kept) and one for simulations
 * (kept warm between runs; a new run or "Cancel" terminates a running one). The worker is bundled inline (a blob URL),
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

  // Simulations: a worker per channel, terminated to cancel.
  const simWorkers = new Map<string, { worker: Worker; busy: { id: number; cancel: () => void } | undefined }>();

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
      simWorkers.get(options.channel)?.busy?.cancel();
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
      // A warm worker is reused; a busy one is terminated (that is the cancel) and replaced.
      let slot = simWorkers.get(options.channel);
      if (!slot) {
        slot = { worker: spawn()!, busy: undefined };
        simWorkers.set(options.channel, slot);
      }
      const worker = slot.worker;
      let onMessage: ((e: MessageEvent<ComputeResponse>) => void) | undefined;
      let onError: ((e: ErrorEvent) => void) | undefined;
      let rejectIt: ((e: Error) => void) | undefined;
      const detach = (): void => {
        if (onMessage) worker.removeEventListener('message', onMessage);
        if (onError) worker.removeEventListener('error', onError);
        if (slot.busy?.id === id) slot.busy = undefined;
      };
      const promise = new Promise<{ runs: { name: string; result: SimResult }[]; computeMs: number }>((resolve, reject) => {
        rejectIt = reject;
        onMessage = (e) => {
          const m = e.data;
          if (m.id !== id) return;
          if (m.type === 'progress') {
            options.onProgress?.(m.fraction);
            return;
          }
          detach();
          if (m.type === 'sim') resolve({ runs: m.runs, computeMs: m.computeMs });
          else if (m.type === 'error') reject(new Error(m.message));
        };
        onError = (e) => {
          detach();
          reject(new Error(e.message || 'the simulation worker failed'));
        };
        worker.addEventListener('message', onMessage);
        worker.addEventListener('error', onError);
      });
      const cancel = (): void => {
        if (slot.busy?.id !== id) return;
        detach();
        worker.terminate();
        simWorkers.delete(options.channel);
        rejectIt?.(new CancelledError('cancelled'));
      };
      slot.busy = { id, cancel };
      worker.postMessage({ id, type: 'sim', runs, seed: options.seed } satisfies ComputeRequest);
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
