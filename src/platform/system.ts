/**
 * The real clock and timers, for entry points only (style.md §3): the CLI commands, the stack
 * wiring and the bench pass these to the shells, tests pass their own.
 */
import type { Clock, Timers } from '../core/index.js';

/** `Date.now()` as a {@link Clock}. */
export const systemClock: Clock = { now: () => Date.now() };

/** The global timers; unref'd, so a pending timer never keeps a finished process alive. */
export const systemTimers: Timers = {
  setTimeout(callback, delayMs) {
    const t = setTimeout(callback, delayMs);
    t.unref();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};
