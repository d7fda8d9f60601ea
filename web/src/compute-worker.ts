/**
 * The page's computations off the main thread: the same engine (calculator) and simulator as
 * the CLI, in a Web Worker, so typing never waits for them. Messages: `calc` answers with the
 * calculator's result; `sim` runs configurations on one seed, posting progress about every 1 %.
 */
import { runSimulation, type Scenario, type SimResult } from '../../src/sim/index.js';
import { computeCalculator, type CalcResult } from './calculator-model.js';
import type { CalcState } from './state.js';
import { thinTimelines } from './thin-timeline.js';

/** A request to the worker. */
export type ComputeRequest =
  | { readonly id: number; readonly type: 'calc'; readonly calc: CalcState }
  | { readonly id: number; readonly type: 'sim'; readonly runs: readonly { readonly name: string; readonly scenario: Scenario }[]; readonly seed: number };

/** A message from the worker. */
export type ComputeResponse =
  | { readonly id: number; readonly type: 'calc'; readonly result: CalcResult; readonly computeMs: number }
  | { readonly id: number; readonly type: 'sim'; readonly runs: { readonly name: string; readonly result: SimResult }[]; readonly computeMs: number }
  | { readonly id: number; readonly type: 'progress'; readonly fraction: number }
  | { readonly id: number; readonly type: 'error'; readonly message: string };

/** Answers one request (also used on the main thread when workers are unavailable). */
export function handleRequest(req: ComputeRequest, post: (m: ComputeResponse) => void): void {
  const t0 = performance.now();
  try {
    if (req.type === 'calc') {
      post({ id: req.id, type: 'calc', result: computeCalculator(req.calc), computeMs: performance.now() - t0 });
      return;
    }
    const n = req.runs.length;
    let lastPosted = -1;
    // Charts get a thinned timeline of a long run (the summary was computed from every row).
    const runs: { name: string; result: SimResult }[] = req.runs.map((r, i) => ({
      name: r.name,
      result: runSimulation(r.scenario, {
        seed: req.seed,
        onProgress: (f) => {
          const fraction = (i + f) / n;
          if (fraction - lastPosted >= 0.01) {
            lastPosted = fraction;
            post({ id: req.id, type: 'progress', fraction });
          }
        },
      }),
    }));
    // The page does not show the `kubectl get hpa -w` lines (megabytes for a month): not sent.
    const thinned = thinTimelines(runs.map((r) => ({ ...r.result, watch: [] })));
    runs.forEach((r, i) => (r.result = thinned[i]!));
    post({ id: req.id, type: 'sim', runs, computeMs: performance.now() - t0 });
  } catch (error) {
    post({ id: req.id, type: 'error', message: (error as Error).message });
  }
}

// In a worker (no `document`), answer messages.
if (typeof document === 'undefined' && typeof self !== 'undefined' && typeof (self as { postMessage?: unknown }).postMessage === 'function') {
  self.addEventListener('message', (e: MessageEvent<ComputeRequest>) => handleRequest(e.data, (m) => (self as unknown as Worker).postMessage(m)));
}
