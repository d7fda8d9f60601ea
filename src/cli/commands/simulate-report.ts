/**
 * What `hpa-lab simulate` writes: the `kubectl get hpa -w` style log, the summary and findings
 * as text, the JSON and CSV data, and the charts for `--plot` and `--html`.
 */
import { formatGetHpa } from '../../controller/index.js';
import type { HorizontalPodAutoscaler } from '../../engine/index.js';
import {
  formatDuration,
  formatTable,
  renderHtmlReport,
  renderTimeChartSvg,
  toCsv,
  type Cell,
  type Marker,
  type Panel,
  type ReportTable,
  type Series,
  type TimeChart,
} from '../../report/index.js';
import { timelineColumns, timelineRows, type SimResult } from '../../sim/index.js';

/** Log lines printed before the rest is summarised (the JSON has everything). */
export const MAX_LOG_LINES = 200;

const fmt = (x: number | null | undefined, digits = 2): string => {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  const r = Math.round(x * 10 ** digits) / 10 ** digits;
  return String(r);
};

/** The `kubectl get hpa -w` log with the HPA events in between, oldest first. */
export function formatWatchLog(result: SimResult, options: { maxLines?: number } = {}): string {
  const max = options.maxLines ?? MAX_LOG_LINES;
  const byName = new Map<string, HorizontalPodAutoscaler>(result.hpas.map((h) => [h.metadata.name, h]));
  // Lines in time order, watch lines first at equal times; only the printed ones are formatted.
  type Item = { t: number; order: number; watch?: SimResult['watch'][number]; event?: SimResult['events'][number] };
  const items: Item[] = [];
  for (const w of result.watch) if (byName.has(w.hpa)) items.push({ t: w.t, order: 0, watch: w });
  for (const e of result.events) items.push({ t: e.t, order: 1, event: e });
  items.sort((a, b) => a.t - b.t || a.order - b.order);
  const shown = items.slice(0, max);
  // One table for every shown watch line, so the columns line up as in `kubectl get hpa -w`.
  const rows = shown
    .filter((i) => i.watch !== undefined)
    .map((i) => ({ hpa: byName.get(i.watch!.hpa)!, status: { ...i.watch!.status, currentReplicas: i.watch!.replicas }, ageSeconds: i.t }));
  const table = formatGetHpa(rows, { header: true }).split('\n');
  let next = 1;
  const lines = [table[0]!];
  for (const i of shown) {
    if (i.watch !== undefined) lines.push(table[next++]!);
    else {
      const e = i.event!;
      const repeat = e.count > 1 ? ` (x${e.count} until ${formatDuration(e.lastT)})` : '';
      lines.push(`  ${formatDuration(e.t).padStart(6)}  ${e.type.padEnd(7)}  ${e.reason}  ${e.hpa}  ${e.message}${repeat}`);
    }
  }
  if (items.length > max) lines.push(`... ${items.length - max} more lines (write them all with --json FILE)`);
  return `${lines.join('\n')}\n`;
}

/** The summary as two tables: one row per HPA, one per service. */
export function summaryTables(result: SimResult): ReportTable[] {
  const s = result.summary;
  return [
    {
      title: 'Autoscalers',
      columns: ['HPA', 'POD-HOURS', 'PEAK', 'MEAN', 'FINAL', 'SCALE-UPS', 'SCALE-DOWNS', 'FLAPS', 'AT-MAX', 'ABOVE-TARGET'],
      rows: s.hpas.map((h) => [
        h.hpa,
        fmt(h.podHours),
        h.peakReplicas,
        fmt(h.meanReplicas),
        h.finalReplicas,
        h.scaleUps,
        h.scaleDowns,
        h.flaps,
        formatDuration(h.secondsAtMaxReplicas),
        formatDuration(h.secondsAboveTarget),
      ]),
    },
    {
      title: 'Services',
      columns: ['SERVICE', 'REQUESTS', 'DROPPED', 'SLO-MISSES', 'P50', 'P95', 'P99', 'TIME-TO-CAPACITY'],
      rows: s.services
        .filter((v) => v.requests > 0)
        .map((v) => [
          v.service,
          Math.round(v.requests),
          Math.round(v.dropped),
          v.sloMisses === null ? '-' : Math.round(v.sloMisses),
          v.latencyP50 === null ? '-' : `${fmt(v.latencyP50)}s`,
          v.latencyP95 === null ? '-' : `${fmt(v.latencyP95)}s`,
          v.latencyP99 === null ? '-' : `${fmt(v.latencyP99)}s`,
          v.maxTimeToCapacitySeconds === null
            ? v.capacityEpisodeCount > 0
              ? 'never'
              : '-'
            : `max ${formatDuration(v.maxTimeToCapacitySeconds)}, mean ${formatDuration(v.meanTimeToCapacitySeconds ?? 0)} (${v.capacityEpisodeCount})`,
        ]),
    },
  ];
}

/** Summary and findings as text. */
export function formatSummaryText(result: SimResult): string {
  const out: string[] = [];
  for (const t of summaryTables(result)) {
    out.push(`${t.title}:`, formatTable(t.columns, t.rows));
  }
  const n = result.summary.nodes;
  if (n !== undefined) {
    const unit = n.resource === 'nvidia.com/gpu' ? 'GPU-HOURS' : `${n.resource.toUpperCase()}-HOURS`;
    out.push(
      'Nodes:',
      formatTable(
        ['POOL', 'NODE-HOURS', unit, 'PEAK', 'FINAL', 'ADDED', 'REMOVED', 'POD-TIME PENDING', 'PEAK PENDING', 'DROPPED WHILE WAITING', 'SLO-MISSES WHILE WAITING'],
        [[n.pool, n.nodeHours.toFixed(2), n.resourceHours.toFixed(2), n.peakNodes, n.finalNodes, n.nodesAdded, n.nodesRemoved, formatDuration(Math.round(n.podPendingSeconds)), n.peakPendingPods, Math.round(n.droppedWhileWaiting), n.sloMissesWhileWaiting === null ? '-' : Math.round(n.sloMissesWhileWaiting)]],
      ),
    );
  }
  out.push(formatFindingsText(result));
  return out.join('\n');
}

/** Findings as text, most severe first. */
export function formatFindingsText(result: SimResult): string {
  if (result.findings.length === 0) return 'Findings: none\n';
  const order = { critical: 0, warning: 1, info: 2 } as const;
  const sorted = [...result.findings].sort((a, b) => order[a.severity] - order[b.severity] || a.t - b.t);
  const lines = ['Findings:'];
  for (const f of sorted) {
    lines.push(`  [${f.severity}] ${f.title}`, `    evidence: ${f.evidence}`, `    fix: ${f.fix}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The JSON of one run. */
export function resultJson(result: SimResult): Record<string, unknown> {
  return {
    scenario: result.scenario,
    seed: result.seed,
    durationSeconds: result.durationSeconds,
    stepSeconds: result.stepSeconds,
    syncPeriodSeconds: result.syncPeriodSeconds,
    hpas: result.hpas,
    timelineNotes: {
      t: 'seconds from t = 0 (the HPA creation, or the end of warmUp); one row per kept sync',
      replicas: "spec.replicas after this sync's decision (the size before it is the previous row's)",
      desiredReplicas: "this sync's desiredReplicas (after stabilization and scaling policies)",
    },
    timeline: timelineRows(result.timeline),
    events: result.events,
    watch: result.watch,
    summary: result.summary,
    findings: result.findings,
  };
}

/** The timeline as CSV: one row per kept sync, one column per series; unknown values empty. */
export function timelineCsv(result: SimResult): string {
  const cols = timelineColumns(result.timeline);
  const n = result.timeline.t.length;
  const rows: Cell[][] = [];
  for (let i = 0; i < n; i++) {
    rows.push(cols.map((c) => {
      const v = c.values[i];
      return v === undefined || Number.isNaN(v) ? null : Math.round(v * 1e6) / 1e6;
    }));
  }
  return toCsv(cols.map((c) => c.name), rows);
}

/** Rescale markers of one HPA (at most 60, so long runs stay legible). */
function rescaleMarkers(result: SimResult, hpa: string): Marker[] {
  const out: Marker[] = [];
  for (const e of result.events) {
    if (e.hpa !== hpa || e.reason !== 'SuccessfulRescale') continue;
    const m = /New size: (\d+)/.exec(e.message);
    out.push({ t: e.t, label: m ? `→${m[1]}` : 'rescale', kind: /below target/.test(e.message) ? 'down' : 'up' });
  }
  return out.length > 60 ? [] : out;
}

/**
 * Replicas (with ready and desired), each metric against its target, and the load, on one time
 * axis; `latency: true` adds a latency panel (the HTML report).
 */
export function runChart(result: SimResult, options: { latency?: boolean } = {}): TimeChart {
  const tl = result.timeline;
  const panels: Panel[] = [];
  for (const s of tl.hpas) {
    const hpa = result.hpas.find((h) => h.metadata.name === s.hpa);
    panels.push({
      title: `${s.hpa}: replicas`,
      yLabel: 'pods',
      yMin: 0,
      series: [
        { name: 'replicas', t: tl.t, y: s.replicas, step: true },
        { name: 'ready', t: tl.t, y: s.readyReplicas, step: true, dashed: true },
        { name: 'desired', t: tl.t, y: s.desiredReplicas, step: true, dashed: true },
      ],
      markers: rescaleMarkers(result, s.hpa),
      thresholds: hpa === undefined ? [] : [{ y: hpa.spec.maxReplicas, label: `maxReplicas ${hpa.spec.maxReplicas}` }],
    });
    for (const m of s.metrics) {
      const unit = m.targetType === 'Utilization' ? '%' : '';
      panels.push({
        title: `${s.hpa}: ${m.name} vs target`,
        yLabel: unit === '%' ? '% of request' : m.name,
        yMin: 0,
        series: [
          { name: `${m.name}${unit ? ' (%)' : ''}`, t: tl.t, y: m.current },
          { name: 'target', t: tl.t, y: m.target, dashed: true, step: true },
        ],
      });
    }
  }
  const load: Series[] = [{ name: 'offered (rps)', t: tl.t, y: tl.rps }];
  for (const s of tl.hpas) load.push({ name: `${s.service} arrivals (rps)`, t: tl.t, y: s.load, dashed: true });
  panels.push({ title: 'Load', yLabel: 'requests/s', yMin: 0, series: load });
  if (options.latency) {
    const lat: Series[] = [];
    for (const s of tl.hpas) {
      if (s.latencyP50.every((v) => Number.isNaN(v))) continue;
      lat.push(
        { name: `${s.service} p50`, t: tl.t, y: s.latencyP50 },
        { name: `${s.service} p95`, t: tl.t, y: s.latencyP95, dashed: true },
        { name: `${s.service} p99`, t: tl.t, y: s.latencyP99, dashed: true },
      );
    }
    if (lat.length > 0) panels.push({ title: 'Latency', yLabel: 'seconds', yMin: 0, series: lat });
  }
  return {
    title: `hpa-lab simulate: ${result.scenario}`,
    subtitle: `seed ${result.seed}, ${formatDuration(result.durationSeconds)} at ${result.stepSeconds} s resolution, sync every ${result.syncPeriodSeconds} s`,
    panels,
  };
}

/** One panel per HPA overlaying every configuration's replica line, and the load. */
export function compareChart(runs: readonly { name: string; result: SimResult }[]): TimeChart {
  const first = runs[0]!.result;
  const panels: Panel[] = [];
  for (const s of first.timeline.hpas) {
    const series: Series[] = [];
    for (const r of runs) {
      const other = r.result.timeline.hpas.find((h) => h.hpa === s.hpa);
      if (other !== undefined) series.push({ name: r.name, t: r.result.timeline.t, y: other.replicas, step: true });
    }
    panels.push({ title: `${s.hpa}: replicas`, yLabel: 'pods', yMin: 0, series });
  }
  panels.push({ title: 'Load', yLabel: 'requests/s', yMin: 0, series: [{ name: 'offered (rps)', t: first.timeline.t, y: first.timeline.rps }] });
  return {
    title: `hpa-lab simulate --compare: ${first.scenario}`,
    subtitle: `${runs.map((r) => r.name).join(' vs ')}; seed ${first.seed}, same traffic`,
    panels,
  };
}

/** The summaries side by side: one table per HPA, a row per figure, a column per configuration. */
export function compareTables(runs: readonly { name: string; result: SimResult }[]): ReportTable[] {
  const first = runs[0]!.result;
  const columns = ['', ...runs.map((r) => r.name)];
  const tables: ReportTable[] = [];
  for (const h of first.summary.hpas) {
    const of = (r: { result: SimResult }) => r.result.summary.hpas.find((x) => x.hpa === h.hpa);
    const svcOf = (r: { result: SimResult }) => r.result.summary.services.find((x) => x.service === h.service);
    const row = (label: string, get: (r: { result: SimResult }) => string | number): (string | number)[] => [label, ...runs.map(get)];
    tables.push({
      title: h.hpa,
      columns,
      rows: [
        row('pod-hours', (r) => fmt(of(r)?.podHours)),
        row('peak replicas', (r) => of(r)?.peakReplicas ?? '-'),
        row('mean replicas', (r) => fmt(of(r)?.meanReplicas)),
        row('scale-ups', (r) => of(r)?.scaleUps ?? '-'),
        row('scale-downs', (r) => of(r)?.scaleDowns ?? '-'),
        row('flaps', (r) => of(r)?.flaps ?? '-'),
        row('at maxReplicas', (r) => formatDuration(of(r)?.secondsAtMaxReplicas ?? 0)),
        row('above target', (r) => formatDuration(of(r)?.secondsAboveTarget ?? 0)),
        row('dropped', (r) => Math.round(svcOf(r)?.dropped ?? 0)),
        row('SLO misses', (r) => (svcOf(r)?.sloMisses == null ? '-' : Math.round(svcOf(r)!.sloMisses!))),
        row('p99 latency', (r) => (svcOf(r)?.latencyP99 == null ? '-' : `${fmt(svcOf(r)!.latencyP99)}s`)),
        row('max time to capacity', (r) => {
          const v = svcOf(r)?.maxTimeToCapacitySeconds;
          return v === null || v === undefined ? '-' : formatDuration(v);
        }),
        row('findings', (r) => r.result.findings.filter((f) => f.hpa === h.hpa).map((f) => f.kind).join(', ') || '-'),
      ],
    });
  }
  return tables;
}

/** The self-contained HTML report of one run or a comparison. */
export function htmlReport(runs: readonly { name: string; result: SimResult }[], options: { description?: string } = {}): string {
  const first = runs[0]!.result;
  if (runs.length === 1) {
    return renderHtmlReport({
      title: `Simulation: ${first.scenario}`,
      subtitle: `${options.description ? `${options.description}. ` : ''}Seed ${first.seed}, ${formatDuration(first.durationSeconds)} simulated.`,
      charts: [{ title: 'Replicas, metrics and load', svg: renderTimeChartSvg(runChart(first, { latency: true })) }],
      summaryTables: summaryTables(first),
      findings: first.findings.map((f) => ({ title: f.title, severity: f.severity, evidence: f.evidence, fix: f.fix })),
      events: first.events.map((e) => ({ t: e.t, hpa: e.hpa, type: e.type, reason: e.reason, message: e.count > 1 ? `${e.message} (x${e.count})` : e.message })),
      notes: [
        'Requests are simulated as a fluid (per-second counts per pod); metrics reach the HPA through the scrape interval and adapter delay as in the seeds’ stack.',
      ],
      generatedBy: 'hpa-lab simulate',
    });
  }
  return renderHtmlReport({
    title: `Comparison: ${first.scenario}`,
    subtitle: `${runs.map((r) => r.name).join(' vs ')} on the same traffic, seed ${first.seed}`,
    charts: [
      { title: 'Replicas of each configuration', svg: renderTimeChartSvg(compareChart(runs)) },
      ...runs.map((r) => ({ title: r.name, svg: renderTimeChartSvg(runChart(r.result)) })),
    ],
    summaryTables: compareTables(runs),
    findings: runs.flatMap((r) => r.result.findings.map((f) => ({ title: `${r.name}: ${f.title}`, severity: f.severity, evidence: f.evidence, fix: f.fix }))),
    events: [],
    generatedBy: 'hpa-lab simulate --compare',
  });
}
