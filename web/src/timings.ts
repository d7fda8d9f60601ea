/**
 * Recompute and redraw times, measured with `performance.now()` around the work a change causes,
 * exposed as `window.__hpaLabTimings` for tests and `bench/web.ts`.
 */

/** One measured update. */
export interface Timing {
  readonly view: string;
  /** Engine or simulator work (the numbers). */
  readonly recomputeMs: number;
  /** Charts, tables and text (the pixels), until uPlot's batched draw has run. */
  readonly redrawMs: number;
  readonly totalMs: number;
  /** Simulated seconds, for scenario and compare updates. */
  readonly simulatedSeconds?: number;
}

export interface Timings {
  last: Timing | undefined;
  samples: Timing[];
  /** Updates finished so far (tests wait for it to grow). */
  count: number;
  /** Called after each update is recorded (the benchmark waits on it, then on a frame). */
  onRecord?: ((t: Timing) => void) | undefined;
}

declare global {
  interface Window {
    __hpaLabTimings?: Timings;
  }
}

const MAX_SAMPLES = 1000;

function timings(): Timings {
  window.__hpaLabTimings ??= { last: undefined, samples: [], count: 0 };
  return window.__hpaLabTimings;
}

/** Records one update. */
export function recordTiming(t: Timing): void {
  const all = timings();
  all.last = t;
  all.samples.push(t);
  if (all.samples.length > MAX_SAMPLES) all.samples.shift();
  all.count += 1;
  all.onRecord?.(t);
}

