/**
 * Time as a capability: code that needs "now" takes a `Clock`, so the simulator can drive it
 * with virtual time and tests never wait.
 */

/** A source of the current time in milliseconds (the unit of `Date.now`). */
export interface Clock {
  /** Current time in milliseconds. */
  now(): number;
}

/** A `Clock` moved only by its owner: the simulator's virtual time, and tests' time. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms` (≥ 0). */
  advance(ms: number): void;
  /** Sets time to `ms`; it may go backwards (use it only for resets). */
  set(ms: number): void;
}

/**
 * Creates a clock that stands still until `advance` or `set` is called.
 *
 * @throws {RangeError} when `startMs` or a new time is not finite, or `advance` gets a negative step
 * @example
 * const clock = createManualClock(1_000);
 * clock.advance(15_000);
 * clock.now(); // -> 16000
 */
export function createManualClock(startMs = 0): ManualClock {
  let nowMs = checkTime(startMs, 'startMs');
  return {
    now: () => nowMs,
    advance(ms: number): void {
      if (!(ms >= 0) || ms === Infinity) {
        throw new RangeError(`Cannot advance the clock as 'ms' must be a finite number ≥ 0: got ${ms}`);
      }
      nowMs += ms;
    },
    set(ms: number): void {
      nowMs = checkTime(ms, 'ms');
    },
  };
}

function checkTime(ms: number, field: string): number {
  if (!Number.isFinite(ms)) {
    throw new RangeError(`Cannot set the clock as '${field}' must be a finite number: got ${ms}`);
  }
  return ms;
}
