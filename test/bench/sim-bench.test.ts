import { describe, expect, it } from 'vitest';
import { benchSimulation, formatSimBench } from '../../bench/sim.js';

describe('benchSimulation()', () => {
  it('measures a short run and reports days per second, the engine share and heap (no speed asserted)', async () => {
    const r = await benchSimulation({ days: 0.25, timelineEverySyncs: 4 });
    expect(r.simulatedDays).toBe(0.25);
    expect(r.engineCalls).toBe((0.25 * 86_400) / 15 + 1);
    expect(r.timelinePoints).toBe(Math.floor((0.25 * 86_400) / 15 / 4) + 1);
    expect(r.daysPerSecond).toBeGreaterThan(0);
    expect(r.engineSeconds).toBeLessThanOrEqual(r.wallSeconds);
    expect(r.peakHeapBytes).toBeGreaterThan(0);
    expect(formatSimBench(r)).toMatch(/simulated days\/s/);
  });
});
