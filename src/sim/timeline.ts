/**
 * The timeline as rows (for JSON) and as flat columns (for CSV). The result keeps it columnar
 * (one packed number array per series) so a 30-day run stays small; NaN means unknown and
 * becomes `null` in rows.
 */
import type { Timeline } from './types.js';

/** One HPA at one time in a timeline row. */
export interface TimelineHpaRow {
  readonly replicas: number;
  readonly readyReplicas: number;
  readonly desiredReplicas: number;
  readonly pods: number;
  /** By metric name: current value and target (units; Utilization in %), proposal. */
  readonly metrics: Record<string, { current: number | null; target: number | null; proposal: number | null }>;
  readonly load: number | null;
  readonly activePerPod: number | null;
  readonly queue: number | null;
  readonly latencyP50: number | null;
  readonly latencyP95: number | null;
  readonly latencyP99: number | null;
  readonly dropped: number | null;
}

/** One row of the timeline: `t` seconds, the scenario's rps, and each HPA by name. */
export interface TimelineRow {
  readonly t: number;
  readonly rps: number | null;
  readonly hpas: Record<string, TimelineHpaRow>;
}

const orNull = (x: number | undefined): number | null => (x === undefined || Number.isNaN(x) ? null : x);

/**
 * The timeline as rows.
 *
 * @example timelineRows(result.timeline)[0];
 * // -> { t: 0, rps: 10, hpas: { 'lightning-asr': { replicas: 2, readyReplicas: 2, ... } } }
 */
export function timelineRows(timeline: Timeline): TimelineRow[] {
  const rows: TimelineRow[] = [];
  for (let i = 0; i < timeline.t.length; i++) {
    const hpas: Record<string, TimelineHpaRow> = {};
    for (const s of timeline.hpas) {
      const metrics: TimelineHpaRow['metrics'] = {};
      for (const m of s.metrics) metrics[m.name] = { current: orNull(m.current[i]), target: orNull(m.target[i]), proposal: orNull(m.proposal[i]) };
      hpas[s.hpa] = {
        replicas: s.replicas[i]!,
        readyReplicas: s.readyReplicas[i]!,
        desiredReplicas: s.desiredReplicas[i]!,
        pods: s.pods[i]!,
        metrics,
        load: orNull(s.load[i]),
        activePerPod: orNull(s.activePerPod[i]),
        queue: orNull(s.queue[i]),
        latencyP50: orNull(s.latencyP50[i]),
        latencyP95: orNull(s.latencyP95[i]),
        latencyP99: orNull(s.latencyP99[i]),
        dropped: orNull(s.dropped[i]),
      };
    }
    rows.push({ t: timeline.t[i]!, rps: orNull(timeline.rps[i]), hpas });
  }
  return rows;
}

/**
 * The timeline as named columns (`t`, `rps`, `lightning-asr.replicas`,
 * `lightning-asr.asr_active_requests`, `lightning-asr.asr_active_requests.target`, ...), each
 * the same length; NaN stays NaN (a CSV writer prints it empty).
 */
export function timelineColumns(timeline: Timeline): { readonly name: string; readonly values: readonly number[] }[] {
  const cols: { name: string; values: readonly number[] }[] = [
    { name: 't', values: timeline.t },
    { name: 'rps', values: timeline.rps },
  ];
  for (const s of timeline.hpas) {
    const p = `${s.hpa}.`;
    cols.push(
      { name: `${p}replicas`, values: s.replicas },
      { name: `${p}readyReplicas`, values: s.readyReplicas },
      { name: `${p}desiredReplicas`, values: s.desiredReplicas },
      { name: `${p}pods`, values: s.pods },
    );
    for (const m of s.metrics) {
      cols.push({ name: `${p}${m.name}`, values: m.current }, { name: `${p}${m.name}.target`, values: m.target });
    }
    cols.push(
      { name: `${p}load`, values: s.load },
      { name: `${p}activePerPod`, values: s.activePerPod },
      { name: `${p}queue`, values: s.queue },
      { name: `${p}latencyP50`, values: s.latencyP50 },
      { name: `${p}latencyP95`, values: s.latencyP95 },
      { name: `${p}latencyP99`, values: s.latencyP99 },
      { name: `${p}dropped`, values: s.dropped },
    );
  }
  return cols;
}
