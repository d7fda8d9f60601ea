import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../input/files/index.js';
import { captureSimulation } from './sim-capture.js';
import { frameToTraceSync, simulatedTraceHeader } from './sim-trace.js';
import { createReplayer, labelsForSelector } from './replay.js';
import type { TraceSync } from './trace-format.js';

const START_MS = Date.UTC(2026, 0, 1);

async function spike(): Promise<{ header: ReturnType<typeof simulatedTraceHeader>; syncs: TraceSync[] }> {
  const loaded = await loadScenarioFile(new URL('../../examples/scenarios/traffic-spike.yaml', import.meta.url).pathname);
  const { result, frames } = captureSimulation(loaded.scenario, { seed: loaded.seed ?? 1 });
  const header = simulatedTraceHeader(result.hpas, { startEpochMs: START_MS, durationSeconds: result.durationSeconds, stepSeconds: result.syncPeriodSeconds, scenario: 'traffic-spike' });
  return { header, syncs: frames.map((f) => frameToTraceSync(f, START_MS)) };
}

describe('createReplayer()', () => {
  it('agrees with every decision of the simulator on its own history', async () => {
    const { header, syncs } = await spike();
    const r = createReplayer(header);
    for (const s of syncs) r.push(s);
    const report = r.finish();
    expect(report.compared).toBe(syncs.length - 300 / 15);
    expect(report.agreement).toBe(1);
  });

  it.each([
    {
      name: 'a manual scale: the size is not the last decision',
      edit: (s: TraceSync[], i: number) => {
        s[i - 1] = { ...s[i - 1]!, specReplicas: s[i - 1]!.specReplicas! + 3 };
        s[i] = { ...s[i]!, desiredReplicas: s[i]!.desiredReplicas! + 3 };
      },
      cause: 'manual-scale',
    },
    {
      name: 'a stale metric: the HPA read the previous step',
      edit: (s: TraceSync[], i: number) => {
        s[i] = { ...s[i]!, metrics: s[i]!.metrics.map((m) => ('podValues' in m ? { podValues: Object.fromEntries(Object.keys(m.podValues).map((k) => [k, 40])) } : m)) };
        s[i + 1] = { ...s[i + 1]!, metrics: s[i + 1]!.metrics.map((m) => ('podValues' in m ? { podValues: Object.fromEntries(Object.keys(m.podValues).map((k) => [k, 40])) } : m)) };
      },
      cause: 'stale-metric',
    },
  ])('classifies $name', async ({ edit, cause }) => {
    const { header, syncs } = await spike();
    // A calm stretch after the spike's decay, well past the warm-up.
    const i = 150;
    edit(syncs, i);
    const r = createReplayer(header);
    for (const s of syncs) r.push(s);
    const report = r.finish();
    const causes = report.hpas[0]!.disagreements.map((d) => d.cause);
    expect(causes).toContain(cause);
    for (const d of report.hpas[0]!.disagreements) expect(d.replayedSteps.length).toBeGreaterThan(0);
  });
});

describe('labelsForSelector()', () => {
  it.each([
    { selector: 'app=lightning-asr', want: { app: 'lightning-asr' } },
    { selector: 'app in (a),tier', want: { app: 'a', tier: 'true' } },
    { selector: 'app!=x', want: {} },
  ])('$selector', ({ selector, want }) => {
    expect(labelsForSelector(selector)).toEqual(want);
  });
});
