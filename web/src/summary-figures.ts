/**
 * The summary figures of a run, as labelled rows: what the HPA cost (pod-hours, replicas), how
 * it moved (scale-ups, scale-downs, flaps) and what users felt (SLO misses, latency, drops).
 */
import type { SimResult } from '../../src/sim/index.js';
import { fmt, fmtSeconds } from './dom.js';

/** One figure: a stable key (for tests and comparisons), a label, the value as text and as a number. */
export interface Figure {
  readonly key: string;
  readonly label: string;
  readonly text: string;
  readonly value: number | null;
  /** Lower is better (for highlighting the best of a comparison); `undefined`: neither. */
  readonly lowerIsBetter?: boolean;
}

/** The figures of one HPA and the service it scales. */
export function summaryFigures(result: SimResult, hpaName: string): Figure[] {
  const s = result.summary.hpas.find((x) => x.hpa === hpaName) ?? result.summary.hpas[0];
  if (!s) return [];
  const svc = result.summary.services.find((x) => x.service === s.service);
  const pct = (n: number | null | undefined): string => (n === null || n === undefined || !svc || svc.requests === 0 ? '' : ` (${fmt((100 * n) / svc.requests, 2)} %)`);
  const f = (key: string, label: string, value: number | null | undefined, text: string, lowerIsBetter?: boolean): Figure => ({
    key,
    label,
    value: value ?? null,
    text,
    ...(lowerIsBetter === undefined ? {} : { lowerIsBetter }),
  });
  return [
    f('podHours', 'Pod-hours', s.podHours, fmt(s.podHours, 1), true),
    f('peakReplicas', 'Peak replicas', s.peakReplicas, `${s.peakReplicas} of ${s.maxReplicas}`),
    f('meanReplicas', 'Mean replicas', s.meanReplicas, fmt(s.meanReplicas, 2), true),
    f('scaleUps', 'Scale-ups', s.scaleUps, String(s.scaleUps)),
    f('scaleDowns', 'Scale-downs', s.scaleDowns, String(s.scaleDowns)),
    f('flaps', 'Flaps', s.flaps, String(s.flaps), true),
    f('secondsAtMaxReplicas', 'Time at maxReplicas', s.secondsAtMaxReplicas, fmtSeconds(s.secondsAtMaxReplicas), true),
    f('secondsAboveTarget', 'Time above target', s.secondsAboveTarget, fmtSeconds(s.secondsAboveTarget), true),
    f('sloMisses', 'SLO misses', svc?.sloMisses, svc?.sloMisses === null || svc?.sloMisses === undefined ? 'no SLO' : `${fmt(svc.sloMisses, 0)}${pct(svc.sloMisses)}`, true),
    f('dropped', 'Dropped requests', svc?.dropped, svc ? `${fmt(svc.dropped, 0)}${pct(svc.dropped)}` : '–', true),
    f('latencyP95', 'p95 latency', svc?.latencyP95, svc?.latencyP95 == null ? '–' : `${fmt(svc.latencyP95, 2)} s`, true),
    f('latencyP99', 'p99 latency', svc?.latencyP99, svc?.latencyP99 == null ? '–' : `${fmt(svc.latencyP99, 2)} s`, true),
    f('maxTimeToCapacitySeconds', 'Longest time to capacity', svc?.maxTimeToCapacitySeconds, fmtSeconds(svc?.maxTimeToCapacitySeconds), true),
    f('requests', 'Requests', svc?.requests, svc ? fmt(svc.requests, 0) : '–'),
  ];
}
