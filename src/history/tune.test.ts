import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../input/files/index.js';
import { sampleCandidates } from './tune-space.js';
import { paretoFront, recommend, scoreCandidates, type TuneScore } from './tune.js';

const score = (podHours: number, sloMissRate: number, flaps: number): TuneScore => ({ podHours, sloMissRate, flaps, requests: 1, sloMisses: 0, dropped: 0, maxTimeToCapacitySeconds: null });

describe('paretoFront() and recommend()', () => {
  const scores = [score(10, 0.01, 1), score(8, 0.01, 1), score(12, 0, 0), score(8, 0.02, 0), score(9, 0.02, 2)];
  it('keeps the non-dominated configurations, cheapest first', () => {
    expect(paretoFront(scores)).toEqual([1, 3, 2]);
  });
  it.each([
    { objective: { maxSloMissRate: 0.01 }, want: { index: 1, meetsObjective: true } },
    { objective: { maxSloMissRate: 0 }, want: { index: 2, meetsObjective: true } },
    { objective: { maxSloMissRate: 0.01, maxFlaps: 0 }, want: { index: 2, meetsObjective: true } },
    { objective: { maxSloMissRate: -1 }, want: { index: 2, meetsObjective: false } },
  ])('recommends for $objective', ({ objective, want }) => {
    expect(recommend(scores, objective)).toEqual(want);
  });
});

describe('sampleCandidates() and scoreCandidates()', () => {
  it('are deterministic for a seed, on one thread or on workers', async () => {
    const loaded = await loadScenarioFile(new URL('../../examples/scenarios/traffic-spike.yaml', import.meta.url).pathname);
    const scenario = { ...loaded.scenario, durationSeconds: 900 };
    const a = sampleCandidates(scenario.hpas[0]!, { budget: 6, seed: 7 });
    const b = sampleCandidates(scenario.hpas[0]!, { budget: 6, seed: 7 });
    expect(a).toEqual(b);
    expect(a.length).toBe(6);
    const inline = await scoreCandidates(scenario, a, { hpaIndex: 0, seed: 1, workers: 1 });
    const threads = await scoreCandidates(scenario, a, { hpaIndex: 0, seed: 1, workers: 2 });
    expect(threads).toEqual(inline);
  }, 30_000);
});
