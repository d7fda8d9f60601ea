/**
 * Timers as a capability (style.md §3): shells that wait or repeat take a `Timers`, so tests can
 * drive them and entry points pass the system's (see `src/platform/system.ts`).
 */

/** The part of the DOM/Node `AbortSignal` that `sleepOn` uses (core has no DOM or Node types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** An opaque handle returned by {@link Timers.setTimeout} (a Node `Timeout` object, a browser number). */
export type TimerHandle = object | number;

/** Schedules callbacks; the same contract as the global `setTimeout` / `clearTimeout`. */
export interface Timers {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * Resolves after `delayMs` on the given timers, or at once when `signal` aborts (never rejects).
 *
 * @example
 * await sleepOn(timers, 1_000); // one second later
 */
export function sleepOn(timers: Timers, delayMs: number, signal?: AbortSignalLike): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      timers.clearTimeout(handle);
      resolve();
    };
    const handle = timers.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, delayMs));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
