/**
 * What a run records as it goes: the timeline (one row per kept sync: offered load, and per HPA
 * its replicas, metrics, load, queue, latency and drops since the previous row) and the watch
 * lines (`kubectl get hpa --watch`: a line whenever replicas or desired replicas change).
 *
 * Rows are staged in one block and appended to the columns a block at a time (`ColumnBuffer`).
 */
import type { Decision } from '../engine/index.js';
import { ColumnBuffer } from './column-buffer.js';
import type { LatencyPercentiles } from './latency.js';
import type { SimulatedHpa } from './simulated-hpa.js';
import { metricShortName } from './summary.js';
import type { HpaSeries, Timeline, WatchLine } from './types.js';
import type { Workload } from './workload.js';

/** Per service: the counters at the last row, and the latency of the window it closed. */
interface PointMarks {
  arrivals: number;
  dropped: number;
  tSeconds: number;
  latency: LatencyPercentiles | undefined;
}

/** Records the timeline and the watch lines of a run. */
export class TimelineRecorder {
  readonly timeline: Timeline = { t: [], rps: [], hpas: [] };
  readonly watch: WatchLine[] = [];
  readonly #workload: Workload;
  readonly #hpas: readonly SimulatedHpa[];
  readonly #meanRps: (tSeconds: number) => number;
  readonly #rows: ColumnBuffer;
  /** By index in `workload.services`. */
  readonly #marks: PointMarks[];
  /** Of each HPA (by index), the index of its service. */
  readonly #serviceOf: number[];
  readonly #lastWatch: (WatchLine | undefined)[];

  constructor(input: { workload: Workload; hpas: readonly SimulatedHpa[]; meanRps: (tSeconds: number) => number; expectedRows: number }) {
    const { workload, hpas } = input;
    this.#workload = workload;
    this.#hpas = hpas;
    this.#meanRps = input.meanRps;
    this.#marks = workload.services.map(() => ({ arrivals: 0, dropped: 0, tSeconds: 0, latency: undefined }));
    this.#serviceOf = hpas.map((h) => workload.services.indexOf(h.service));
    this.#lastWatch = hpas.map(() => undefined);
    const columns: number[][] = [this.timeline.t, this.timeline.rps];
    for (const h of hpas) {
      const s = seriesOf(h);
      this.timeline.hpas.push(s);
      columns.push(s.replicas, s.readyReplicas, s.desiredReplicas, s.pods);
      for (const m of s.metrics) columns.push(m.current, m.target, m.proposal);
      columns.push(s.load, s.activePerPod, s.queue, s.latencyP50, s.latencyP95, s.latencyP99, s.dropped);
    }
    this.#rows = new ColumnBuffer(columns, { expectedRows: input.expectedRows });
  }

  /** After the sync of HPA number `index` at `tSeconds`: a watch line when something shown changed. */
  watchSync(index: number, tSeconds: number, decision: Decision): void {
    const h = this.#hpas[index]!;
    const replicas = h.service.specReplicas;
    const last = this.#lastWatch[index];
    if (last === undefined || last.replicas !== replicas || last.desiredReplicas !== decision.desiredReplicas) {
      const line: WatchLine = { t: tSeconds, hpa: h.name, replicas, desiredReplicas: decision.desiredReplicas, status: decision.status };
      this.watch.push(line);
      this.#lastWatch[index] = line;
    }
  }

  /** A timeline row at `tSeconds` (after the syncs); closes every service's latency window. */
  record(tSeconds: number): void {
    const t = tSeconds;
    const services = this.#workload.services;
    const meanRps = this.#meanRps;
    const marks = this.#marks;
    const rows = this.#rows;
    const row = rows.data;
    let c = rows.next();
    row[c++] = t;
    row[c++] = meanRps(t);
    for (let j = 0; j < services.length; j++) marks[j]!.latency = services[j]!.latency.flushWindow();
    const hpas = this.#hpas;
    for (let r = 0; r < hpas.length; r++) {
      const h = hpas[r]!;
      const svc = h.service;
      const mk = marks[this.#serviceOf[r]!]!;
      const d = h.sync.lastDecision;
      const ready = svc.readyCount(t);
      row[c++] = svc.specReplicas;
      row[c++] = ready;
      row[c++] = d?.desiredReplicas ?? svc.specReplicas;
      row[c++] = svc.pods.length;
      const metricCount = h.hpa.spec.metrics?.length ?? 0;
      for (let i = 0; i < metricCount; i++) {
        const p = d?.metrics[i];
        row[c++] = p?.current ?? Number.NaN;
        row[c++] = p?.target ?? Number.NaN;
        row[c++] = p?.proposal ?? Number.NaN;
      }
      const span = t - mk.tSeconds;
      row[c++] = span > 0 ? (svc.arrivals - mk.arrivals) / span : meanRps(t) * svc.model.trafficShare;
      row[c++] = ready > 0 ? svc.totalActive() / ready : Number.NaN;
      row[c++] = svc.totalQueued();
      row[c++] = mk.latency?.p50 ?? Number.NaN;
      row[c++] = mk.latency?.p95 ?? Number.NaN;
      row[c++] = mk.latency?.p99 ?? Number.NaN;
      row[c++] = svc.dropped - mk.dropped;
    }
    rows.commit();
    for (let j = 0; j < services.length; j++) {
      const svc = services[j]!;
      const mk = marks[j]!;
      mk.arrivals = svc.arrivals;
      mk.dropped = svc.dropped;
      mk.tSeconds = t;
    }
  }

  /** Writes the staged rows; returns the timeline. */
  finish(): Timeline {
    this.#rows.finish();
    return this.timeline;
  }
}

/** The empty series of an HPA. */
function seriesOf(h: SimulatedHpa): HpaSeries {
  const ref = h.hpa.spec.scaleTargetRef;
  return {
    hpa: h.name,
    reference: `${ref.kind}/${ref.name}`,
    service: h.service.name,
    replicas: [],
    readyReplicas: [],
    desiredReplicas: [],
    pods: [],
    metrics: (h.hpa.spec.metrics ?? []).map((m) => ({ name: metricShortName(m), type: String(m.type), targetType: targetTypeOf(m), current: [], target: [], proposal: [] })),
    load: [],
    activePerPod: [],
    queue: [],
    latencyP50: [],
    latencyP95: [],
    latencyP99: [],
    dropped: [],
  };
}

function targetTypeOf(m: { readonly type: string; readonly resource?: { readonly target?: { readonly type: string } }; readonly containerResource?: { readonly target?: { readonly type: string } }; readonly pods?: { readonly target: { readonly type: string } }; readonly object?: { readonly target: { readonly type: string } }; readonly external?: { readonly target: { readonly type: string } } }): string {
  return m.resource?.target?.type ?? m.containerResource?.target?.type ?? m.pods?.target.type ?? m.object?.target.type ?? m.external?.target.type ?? '';
}
