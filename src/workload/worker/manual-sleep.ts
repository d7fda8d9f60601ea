import type { Sleep } from './worker-app.js';

/** A sleep waiting in a {@link ManualSleep}. */
export interface PendingSleep {
  readonly ms: number;
  /** Ends the sleep as if its time had passed. */
  resolve(): void;
}

export interface ManualSleep {
  /** Pass this as the worker's `sleep`: it resolves only when released (or rejects on abort). */
  readonly sleep: Sleep;
  /** Sleeps not yet released, in call order. */
  readonly pending: readonly PendingSleep[];
  /** Releases every pending sleep; returns how many. */
  releaseAll(): number;
  /** Resolves once at least `count` sleeps are pending (polls the microtask/timer queue, bounded). */
  waitForPending(count: number, timeoutMs?: number): Promise<void>;
}

/**
 * A sleep driven by the test, so service times and model loads never depend on the wall clock.
 *
 * @example
 * const manual = createManualSleep();
 * const app = createWorkerApp({ sleep: manual.sleep, modelLoadMs: 1000 });
 * manual.pending[0]?.ms; // -> 1000
 * manual.releaseAll(); // the model is now loaded
 */
export function createManualSleep(): ManualSleep {
  const pending: PendingSleep[] = [];
  const remove = (p: PendingSleep): void => {
    const i = pending.indexOf(p);
    if (i >= 0) pending.splice(i, 1);
  };
  return {
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason as Error); // an AbortError unless the caller passed its own reason
          return;
        }
        const entry: PendingSleep = {
          ms,
          resolve: () => {
            remove(entry);
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = (): void => {
          remove(entry);
          reject(signal?.reason as Error);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.push(entry);
      }),
    pending,
    releaseAll() {
      const all = [...pending];
      for (const p of all) p.resolve();
      return all.length;
    },
    async waitForPending(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (pending.length < count) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${count} pending sleeps: ${pending.length} pending`);
        await new Promise((r) => setTimeout(r, 1));
      }
    },
  };
}
