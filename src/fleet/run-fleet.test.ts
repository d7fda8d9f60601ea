import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../input/files/index.js';
import { DEFAULT_FLEET, FleetAggregator, fleetMember, runFleetMember, type FleetMemberResult, type Scenario } from '../sim/index.js';
import { runFleet } from './index.js';

async function twoHours(): Promise<Scenario> {
  const loaded = await loadScenarioFile('examples/scenarios/off-hours.yaml');
  return { ...loaded.scenario, durationSeconds: 2 * 3600 };
}

const fleet = { ...DEFAULT_FLEET, size: 6 };
const patch = { spec: { behavior: { scaleDown: { stabilizationWindowSeconds: 600 } } } };

describe('fleets', () => {
  it('generates members deterministically from the fleet seed and the index', async () => {
    const scenario = await twoHours();
    const a = fleetMember(scenario, fleet, { seed: 1, index: 3 });
    const b = fleetMember(scenario, fleet, { seed: 1, index: 3 });
    expect(a).toEqual(b);
    expect(a.name).toBe('api-server-3');
    expect(a.scenario.hpas).toHaveLength(1);
    expect(fleetMember(scenario, fleet, { seed: 1, index: 4 }).seed).not.toBe(a.seed);
    expect(a.trafficFactor).toBeGreaterThanOrEqual(0.5);
    expect(a.trafficFactor).toBeLessThanOrEqual(4);
  });

  it('gives the same report on worker threads as on the calling thread, in any completion order', async () => {
    const scenario = await twoHours();
    const streamed: FleetMemberResult[] = [];
    const threaded = await runFleet(scenario, { fleet, seed: 7, workers: 2, patch, onMember: (r) => streamed.push(r) });
    const inline = await runFleet(scenario, { fleet, seed: 7, workers: 0, patch });
    expect(threaded).toEqual(inline);
    expect(streamed.map((r) => r.base.index).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    for (const r of streamed) expect(r).toEqual(runFleetMember(scenario, fleet, { seed: 7, index: r.base.index, patch }));
    expect(threaded.members).toBe(6);
    expect(threaded.totals.podHours).toBeCloseTo(
      streamed.reduce((a, r) => a + r.base.podHours, 0),
      9,
    );
    // A longer scale-down window never costs fewer pod-hours here.
    expect(threaded.patched!.change.podHours).toBeGreaterThanOrEqual(0);
  });

  it('keeps only the top members in its lists', () => {
    const agg = new FleetAggregator({ simulatedSeconds: 60, top: 2 });
    const summary = (index: number, flaps: number) => ({
      index,
      name: `m-${index}`,
      trafficFactor: 1,
      podHours: 1,
      meanReplicas: 1,
      peakReplicas: 1,
      scaleUps: 0,
      scaleDowns: 0,
      flaps,
      requests: 100,
      dropped: 0,
      sloMisses: index,
      latencyP99: null,
      secondsAboveTarget: 0,
      secondsAtMaxReplicas: 0,
    });
    for (const [i, f] of [[0, 3], [1, 0], [2, 5], [3, 3]] as const) agg.add({ base: summary(i, f) });
    const report = agg.report();
    expect(report.flappers.map((s) => s.name)).toEqual(['m-2', 'm-0']);
    expect(report.worstSloMisses.map((s) => s.name)).toEqual(['m-3', 'm-2']);
    expect(report.totals.flaps).toBe(11);
  });
});
