/**
 * Chart specs and columns for a simulation's timeline: replicas and ready pods, each metric
 * against its target, and load with latency; HPA events become markers on the time axis.
 * Pure data (no DOM), shared by the scenario and compare views.
 */
import type { HpaSeries, Scenario, ServiceModel, SimEvent, SimResult } from '../../src/sim/index.js';
import { COLORS, PALETTE, type ChartData, type ChartSpec, type Marker } from './charts.js';

/** NaN (unknown) as a gap. */
export function gaps(values: readonly number[]): (number | null)[] {
  const out = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = Number.isFinite(v) ? v : null;
  }
  return out;
}

/** The direction of a rescale event: `up`, `down`, or `warning` / `other`. */
export function eventKind(e: SimEvent): 'up' | 'down' | 'warning' | 'other' {
  if (e.type === 'Warning') return 'warning';
  if (e.reason !== 'SuccessfulRescale') return 'other';
  return /below target/.test(e.message) ? 'down' : /above target/.test(e.message) ? 'up' : 'other';
}

const EVENT_COLORS = { up: COLORS.green, down: COLORS.orange, warning: COLORS.vermillion, other: COLORS.grey } as const;

const markerCache = new WeakMap<SimResult, Map<string, Marker[]>>();

/** Markers for one HPA's events (computed once per result: every chart of it shares them). */
export function eventMarkers(result: SimResult, hpa: string): Marker[] {
  let byHpa = markerCache.get(result);
  if (!byHpa) markerCache.set(result, (byHpa = new Map<string, Marker[]>()));
  const hit = byHpa.get(hpa);
  if (hit) return hit;
  const out: Marker[] = [];
  byHpa.set(hpa, out);
  for (const e of result.events) {
    if (e.hpa !== hpa) continue;
    const kind = eventKind(e);
    const size = /New size: (\d+)/.exec(e.message)?.[1];
    const label = kind === 'up' ? `↑${size ?? ''}` : kind === 'down' ? `↓${size ?? ''}` : kind === 'warning' ? `⚠ ${e.reason}` : e.reason;
    out.push({ x: e.t, color: EVENT_COLORS[kind], alpha: 0.3, dash: kind === 'warning' ? [2, 3] : [], label, message: `${e.type} ${e.reason}: ${e.message}${e.count > 1 ? ` (×${e.count})` : ''}` });
  }
  return out;
}

/** Mean seconds a request keeps a slot busy. */
export function meanServiceSeconds(model: ServiceModel): number {
  const st = model.serviceTime;
  return st.distribution === 'lognormal' ? st.medianSeconds * Math.exp((st.sigma * st.sigma) / 2) : st.meanSeconds;
}

const axisTime = (result: SimResult) => ({ label: 'time (h:mm from the start)', time: true, min: 0, max: result.durationSeconds });

/** Replicas (spec), ready pods, desired replicas and pods that exist. */
export function replicasChart(result: SimResult, series: HpaSeries, options: { height?: number; syncKey?: string } = {}): { spec: ChartSpec; data: ChartData } {
  const hpa = result.hpas.find((h) => h.metadata.name === series.hpa);
  return {
    spec: {
      title: `${series.hpa}: replicas and ready pods, with HPA events (green up, orange down, red warnings)`,
      height: options.height ?? 230,
      x: axisTime(result),
      y: { label: 'pods', min: 0, integer: true, max: hpa?.spec.maxReplicas ?? 1 },
      series: [
        { label: 'replicas (spec)', color: COLORS.blue, width: 2.25, stepped: true },
        { label: 'ready', color: COLORS.green, width: 1.75, stepped: true },
        { label: 'desired', color: COLORS.grey, dash: [4, 3], width: 1.25, stepped: true },
        { label: 'pods (incl. starting, draining)', color: COLORS.sky, width: 1, stepped: true },
      ],
      markers: eventMarkers(result, series.hpa),
      ...(options.syncKey ? { syncKey: options.syncKey } : {}),
    },
    data: [result.timeline.t, series.replicas, series.readyReplicas, series.desiredReplicas, series.pods],
  };
}

/** One metric as the HPA read it, against its target. */
export function metricChart(result: SimResult, series: HpaSeries, index: number, options: { syncKey?: string } = {}): { spec: ChartSpec; data: ChartData } {
  const m = series.metrics[index]!;
  const unit = m.targetType === 'Utilization' ? '% of request' : m.targetType === 'AverageValue' ? 'per pod' : 'total';
  return {
    spec: {
      title: `${series.hpa}: ${m.name} (${m.type}, ${m.targetType}, ${unit}) against its target`,
      height: 200,
      x: axisTime(result),
      y: { label: unit, min: 0 },
      series: [
        { label: `${m.name} as read`, color: COLORS.purple, width: 1.75 },
        { label: 'target', color: COLORS.black, dash: [6, 4], width: 1.25 },
      ],
      markers: eventMarkers(result, series.hpa),
      ...(options.syncKey ? { syncKey: options.syncKey } : {}),
    },
    data: [result.timeline.t, gaps(m.current), gaps(m.target)],
  };
}

/** Offered load and what ready pods can serve. */
export function loadChart(result: SimResult, series: HpaSeries, scenario: Scenario, options: { syncKey?: string } = {}): { spec: ChartSpec; data: ChartData } {
  const model = scenario.services[series.service];
  const perPod = model ? model.concurrency / meanServiceSeconds(model) : undefined;
  return {
    spec: {
      title: `${series.service}: offered load and ready capacity`,
      height: 200,
      x: axisTime(result),
      y: { label: 'requests per second', min: 0 },
      yModes: true,
      series: [
        { label: 'load (rps)', color: COLORS.blue, width: 1.5, fill: 'rgba(0,114,178,0.08)' },
        { label: 'ready capacity (rps)', color: COLORS.green, dash: [5, 4], width: 1.25, stepped: true },
      ],
      markers: eventMarkers(result, series.hpa),
      ...(options.syncKey ? { syncKey: options.syncKey } : {}),
    },
    data: [result.timeline.t, series.load, perPod === undefined ? series.readyReplicas.map(() => null) : series.readyReplicas.map((r) => r * perPod)],
  };
}

/** The whole run's load, small: a range brush for a long run (drag to zoom every chart). */
export function overviewChart(result: SimResult, series: HpaSeries, options: { syncKey: string }): { spec: ChartSpec; data: ChartData } {
  return {
    spec: {
      title: `Whole run (${Math.round(result.durationSeconds / 86_400)} days): drag here to zoom every chart below`,
      height: 150,
      x: axisTime(result),
      y: { label: 'rps', min: 0 },
      brush: true,
      series: [
        { label: 'load (rps)', color: COLORS.blue, width: 1, fill: 'rgba(0,114,178,0.1)' },
        { label: 'replicas', color: COLORS.grey, width: 1, stepped: true, right: true },
      ],
      y2: { label: 'pods', min: 0 },
      syncKey: options.syncKey,
    },
    data: [result.timeline.t, series.load, series.replicas],
  };
}

/** Latency percentiles, in their own panel (seconds, not on the load axis). */
export function latencyChart(result: SimResult, series: HpaSeries, options: { syncKey?: string } = {}): { spec: ChartSpec; data: ChartData } {
  return {
    spec: {
      title: `${series.service}: request latency percentiles`,
      height: 180,
      x: axisTime(result),
      y: { label: 'latency (s)', min: 0 },
      yModes: true,
      series: [
        { label: 'p50', color: COLORS.sky, width: 1 },
        { label: 'p95', color: COLORS.orange, width: 1.5 },
        { label: 'p99', color: COLORS.vermillion, width: 1.5 },
      ],
      markers: eventMarkers(result, series.hpa),
      ...(options.syncKey ? { syncKey: options.syncKey } : {}),
    },
    data: [result.timeline.t, gaps(series.latencyP50), gaps(series.latencyP95), gaps(series.latencyP99)],
  };
}

/** Several runs overlaid: one line per configuration of `pick(series)`. */
export function overlayChart(
  runs: readonly { readonly name: string; readonly result: SimResult }[],
  hpa: string,
  options: { readonly title: string; readonly yLabel: string; readonly pick: (s: HpaSeries) => readonly number[]; readonly stepped?: boolean; readonly integer?: boolean; readonly syncKey?: string },
): { spec: ChartSpec; data: ChartData } {
  const first = runs[0]!.result;
  const t = first.timeline.t;
  const columns = runs.map((r) => {
    const s = r.result.timeline.hpas.find((x) => x.hpa === hpa) ?? r.result.timeline.hpas[0];
    const ys = s ? gaps(options.pick(s)) : [];
    // Runs share the sync grid; guard against a shorter one.
    return t.map((_, i) => ys[i] ?? null);
  });
  return {
    spec: {
      title: options.title,
      height: 230,
      x: axisTime(first),
      y: { label: options.yLabel, min: 0, ...(options.integer ? { integer: true } : {}) },
      series: runs.map((r, i) => ({ label: r.name, color: PALETTE[i % PALETTE.length]!, width: i === 0 ? 2.25 : 1.75, ...(options.stepped ? { stepped: true } : {}) })),
      ...(options.syncKey ? { syncKey: options.syncKey } : {}),
    },
    data: [t, ...columns],
  };
}
