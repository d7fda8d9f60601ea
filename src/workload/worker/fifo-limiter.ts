/** Gives back a slot taken with {@link FifoLimiter.acquire}; calling it twice is harmless. */
export type Release = () => void;

export interface FifoLimiter {
  /**
   * Resolves with a release function once a slot is free, in arrival order. Rejects with the
   * signal's reason if it aborts while waiting (the waiter leaves the queue).
   */
  acquire(signal?: AbortSignal): Promise<Release>;
  /** Slots taken. */
  readonly inUse: number;
  /** Callers waiting for a slot. */
  readonly waiting: number;
  readonly maxConcurrency: number;
}

interface Waiter {
  readonly grant: (release: Release) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/**
 * A counting semaphore with a first-in-first-out queue: at most `maxConcurrency` holders at a
 * time, the rest served strictly in arrival order (a GPU serving a fixed batch of requests).
 *
 * @throws {RangeError} when `maxConcurrency` is not a positive integer
 * @example
 * const limiter = createFifoLimiter(1);
 * const release = await limiter.acquire();
 * limiter.inUse; // -> 1
 * release();
 */
export function createFifoLimiter(maxConcurrency: number): FifoLimiter {
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
    throw new RangeError(`Cannot create a limiter as 'maxConcurrency' must be an integer >= 1: got ${maxConcurrency}`);
  }
  let inUse = 0;
  const queue: Waiter[] = [];

  const makeRelease = (): Release => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      inUse--;
      const next = queue.shift();
      if (next !== undefined) {
        next.signal?.removeEventListener('abort', next.onAbort);
        inUse++;
        next.grant(makeRelease());
      }
    };
  };

  return {
    acquire(signal?: AbortSignal): Promise<Release> {
      if (signal?.aborted) return Promise.reject(signal.reason as Error) /* an AbortError unless the caller passed its own reason */;
      if (inUse < maxConcurrency && queue.length === 0) {
        inUse++;
        return Promise.resolve(makeRelease());
      }
      return new Promise<Release>((resolve, reject) => {
        const waiter: Waiter = {
          grant: resolve,
          reject,
          signal,
          onAbort: () => {
            const i = queue.indexOf(waiter);
            if (i >= 0) queue.splice(i, 1);
            reject(signal?.reason as Error);
          },
        };
        signal?.addEventListener('abort', waiter.onAbort, { once: true });
        queue.push(waiter);
      });
    },
    get inUse() {
      return inUse;
    },
    get waiting() {
      return queue.length;
    },
    maxConcurrency,
  };
}
