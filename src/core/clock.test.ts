import { describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock.js';

describe('createManualClock()', () => {
  it.each([
    { name: 'starts at 0 by default', start: undefined, steps: [] as number[], want: 0 },
    { name: 'starts at the given time', start: 1_000, steps: [], want: 1_000 },
    { name: 'adds every advance', start: 1_000, steps: [15_000, 0, 250], want: 16_250 },
  ])('$name', ({ start, steps, want }) => {
    const clock = createManualClock(start);
    for (const ms of steps) clock.advance(ms);
    expect(clock.now()).toBe(want);
  });

  it('set() moves time to the given reading, backwards too', () => {
    const clock = createManualClock(5_000);
    clock.set(100);
    expect(clock.now()).toBe(100);
  });

  it.each([
    { name: 'advance() with a negative step', act: () => createManualClock().advance(-1), message: "Cannot advance the clock as 'ms' must be a finite number ≥ 0: got -1" },
    { name: 'advance() with NaN', act: () => createManualClock().advance(Number.NaN), message: "Cannot advance the clock as 'ms' must be a finite number ≥ 0: got NaN" },
    { name: 'set() with Infinity', act: () => createManualClock().set(Infinity), message: "Cannot set the clock as 'ms' must be a finite number: got Infinity" },
    { name: 'a NaN start', act: () => createManualClock(Number.NaN), message: "Cannot set the clock as 'startMs' must be a finite number: got NaN" },
  ])('$name throws a RangeError', ({ act, message }) => {
    expect(act).toThrow(new RangeError(message));
  });
});
