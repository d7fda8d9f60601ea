import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE } from './defaults.js';
import { runSimulation } from './run.js';
import { timelineColumns, timelineRows } from './timeline.js';
import { parseTrafficSpec } from './traffic-schema.js';
import type { Scenario } from './types.js';

const activeRequests = (target: string): MetricSpec => ({ type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: target } } });

function hpa(name: string, overrides: Partial<HorizontalPodAutoscaler['spec']> = {}): HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: 1, maxReplicas: 10, metrics: [activeRequests('5')], ...overrides },
  };
}

function scenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    name: 'test',
    durationSeconds: 1800,
    hpas: [hpa('lightning-asr')],
    services: {},
    traffic: parseTrafficSpec({ type: 'traffic-spike', baseRps: 8, peakRps: 30, startSeconds: 300, holdSeconds: 600 }),
    pipeline: DEFAULT_PIPELINE,
    externalMetrics: {},
    controller: {},
    sloLatencySeconds: 5,
    stepSeconds: 1,
    timelineEverySyncs: 1,
    arrivals: 'poisson',
    ...overrides,
  };
}

describe('runSimulation()', () => {
  it('gives a deep-equal result for the same scenario and seed', () => {
    const s = scenario();
    expect(runSimulation(s, { seed: 3 })).toEqual(runSimulation(s, { seed: 3 }));
  });

  it('gives a different run for another seed (Poisson arrivals)', () => {
    const s = scenario();
    expect(runSimulation(s, { seed: 3 }).summary).not.toEqual(runSimulation(s, { seed: 4 }).summary);
  });

  it('matches the recorded short trace (snapshot)', () => {
    const r = runSimulation(scenario({ durationSeconds: 900 }), { seed: 1 });
    const rows = timelineRows(r.timeline).filter((_, i) => i % 8 === 0);
    expect({
      events: r.events.map((e) => `${e.t} ${e.reason} ${e.message}`),
      timeline: rows.map((row) => {
        const h = row.hpas['lightning-asr']!;
        return [row.t, h.replicas, h.readyReplicas, h.desiredReplicas, h.metrics['asr_active_requests']!.current];
      }),
      hpa: r.summary.hpas[0],
    }).toMatchSnapshot();
  });

  it('scales up on a spike and back down after it, with a sync every 15 s in the timeline', () => {
    const r = runSimulation(scenario(), { seed: 1 });
    const s = r.summary.hpas[0]!;
    expect(s.peakReplicas).toBeGreaterThanOrEqual(6);
    expect(s.scaleUps).toBeGreaterThan(0);
    expect(s.scaleDowns).toBeGreaterThan(0);
    expect(r.timeline.t).toHaveLength(1800 / 15 + 1);
    expect(r.timeline.t.slice(0, 3)).toEqual([0, 15, 30]);
    expect(r.events.filter((e) => e.reason === 'SuccessfulRescale').length).toBe(s.scaleUps + s.scaleDowns);
  });

  it('starts in steady state: the first reading is the initial load per pod', () => {
    const r = runSimulation(scenario({ arrivals: 'fluid', hpas: [hpa('lightning-asr', { minReplicas: 2 })] }), { seed: 1 });
    // 8 rps × ~1 s over 2 pods.
    expect(r.timeline.hpas[0]!.metrics[0]!.current[0]).toBeCloseTo(4, 1);
  });

  it('keeps every Nth sync in the timeline and the columns aligned', () => {
    const r = runSimulation(scenario({ timelineEverySyncs: 4 }), { seed: 1 });
    expect(r.timeline.t).toHaveLength(Math.floor(1800 / 15 / 4) + 1);
    for (const c of timelineColumns(r.timeline)) expect(c.values).toHaveLength(r.timeline.t.length);
  });

  it('reports progress from 0 to 1, in order', () => {
    const seen: number[] = [];
    runSimulation(scenario({ durationSeconds: 600 }), { seed: 1, onProgress: (f) => seen.push(f) });
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, i) => i === 0 || f >= seen[i - 1]!)).toBe(true);
  });

  it('lets a wrapper see every reconcile (one per HPA per sync)', () => {
    let calls = 0;
    runSimulation(scenario({ durationSeconds: 300 }), {
      seed: 1,
      reconcile: (input) => {
        calls++;
        return runSimulationEngine(input);
      },
    });
    expect(calls).toBe(300 / 15 + 1);
  });

  it('runs the API-server HPA on the ASR replica count (External lightning_asr_replica_count)', () => {
    const api = hpa('api-server', {
      metrics: [{ type: 'External', external: { metric: { name: 'lightning_asr_replica_count' }, target: { type: 'AverageValue', averageValue: '2' } } }],
      // The seed's API-server windows: up after 30 s, down after 60 s.
      behavior: { scaleUp: { stabilizationWindowSeconds: 30 }, scaleDown: { stabilizationWindowSeconds: 60 } },
    });
    const r = runSimulation(scenario({ hpas: [hpa('lightning-asr'), api], durationSeconds: 3600 }), { seed: 1 });
    const [asr, apiSeries] = r.timeline.hpas;
    // Wherever the ASR count held for 2 minutes (scrape + windows), the API server has ceil(ASR / 2).
    let stable = 0;
    let agree = 0;
    for (let i = 8; i < asr!.replicas.length; i++) {
      if (!asr!.replicas.slice(i - 8, i + 1).every((x) => x === asr!.replicas[i])) continue;
      stable++;
      if (apiSeries!.replicas[i] === Math.ceil(asr!.replicas[i]! / 2)) agree++;
    }
    expect(stable).toBeGreaterThan(100);
    expect(agree / stable).toBeGreaterThan(0.9);
    expect(r.summary.hpas[1]!.peakReplicas).toBe(Math.ceil(r.summary.hpas[0]!.peakReplicas / 2));
  });

  it('memory stays bounded: events merge identical repeats and nothing grows per step', () => {
    // A metric the pods do not export fails every sync: one merged event, not 1 a sync.
    const broken = hpa('lightning-asr', { metrics: [{ type: 'Pods', pods: { metric: { name: 'asr_missing' }, target: { type: 'AverageValue', averageValue: '5' } } }] });
    const r = runSimulation(scenario({ hpas: [broken], durationSeconds: 3600 }), { seed: 1 });
    const failed = r.events.filter((e) => e.reason === 'FailedGetPodsMetric');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.count).toBe(3600 / 15 + 1);
  });

  it.each([
    { name: 'a step longer than the sync period', overrides: { stepSeconds: 20 }, message: "'stepSeconds' must be ≤ the shortest sync or scrape interval (15 s): got 20" },
    { name: 'a zero duration', overrides: { durationSeconds: 0 }, message: "'durationSeconds' must be a finite number > 0: got 0" },
    { name: 'no HPA', overrides: { hpas: [] }, message: "'hpas' must list at least one HPA: got none" },
  ])('throws a RangeError for $name', ({ overrides, message }) => {
    expect(() => runSimulation(scenario(overrides), { seed: 1 })).toThrow(RangeError);
    expect(() => runSimulation(scenario(overrides), { seed: 1 })).toThrow(message);
  });
});

import { reconcile as runSimulationEngine, type HorizontalPodAutoscaler, type MetricSpec } from '../engine/index.js';
