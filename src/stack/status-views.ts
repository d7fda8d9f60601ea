/**
 * kubectl-style views of a running stack's status: `get hpa`, `describe hpa`, `get pods`, and
 * the watch line `hpa-lab up` prints per change.
 */
import { formatAge, formatColumns, formatDescribeHpa, formatGetHpa, formatTargets, type HpaView } from '../controller/index.js';
import type { MetricRead } from './recorded-metrics-source.js';
import type { StackStatus } from './stack-status.js';

const ageSeconds = (nowMs: number, sinceMs: number): number => Math.max(0, Math.floor((nowMs - sinceMs) / 1000));

/**
 * `kubectl get hpa` of the stack.
 *
 * @example formatStatusTable(status) // -> 'NAME  REFERENCE  TARGETS ...\nlightning-asr  Deployment/lightning-asr  3/5 ...'
 */
export function formatStatusTable(status: StackStatus): string {
  return formatGetHpa(status.hpas.map((v) => ({ hpa: v.hpa, status: v.status, ageSeconds: ageSeconds(status.nowMs, v.createdMs) })));
}

/**
 * `kubectl describe hpa NAME` of the stack, with a note when the target's replicas are only
 * recorded. Undefined when there is no such HPA.
 */
export function formatStackDescribe(status: StackStatus, name: string): string | undefined {
  const view = status.hpas.find((v) => v.name === name);
  if (view === undefined) return undefined;
  const text = formatDescribeHpa({
    hpa: view.hpa,
    status: view.status,
    events: view.events.map((e) => ({ type: e.type, reason: e.reason, message: e.count > 1 ? `${e.message} (x${e.count})` : e.message, ageSeconds: ageSeconds(status.nowMs, e.lastMs) })),
  });
  const target = status.targets.find((t) => t.name === view.hpa.spec.scaleTargetRef.name);
  const noted = target?.note === undefined ? text : `${text}\nNote: ${view.hpa.spec.scaleTargetRef.kind}/${target.name} replicas are ${target.note}.`;
  const pipeline = formatMetricsPipeline(status, name);
  return pipeline === undefined ? noted : `${noted}\n${pipeline}`;
}

function readVia(kind: 'built-in' | 'prometheus', read: MetricRead): string {
  if (kind === 'built-in') return 'the built-in scraper';
  if (read.type === 'External') return 'the adapter (external.metrics.k8s.io)';
  if (read.type === 'Pods' || read.type === 'Object') return 'the adapter (custom.metrics.k8s.io)';
  return 'resource metrics';
}

/**
 * The metrics pipeline the stack reads through, then each HPA metric's last reading (every HPA's,
 * or only `hpaName`'s). Undefined when the status does not say (a stack from an older hpa-lab).
 *
 * @example formatMetricsPipeline(status)
 * // -> 'metrics: Prometheus http://127.0.0.1:40123 → adapter http://127.0.0.1:40125 (scrape every 1s, relist every 1s)\n
 * //      lightning-asr reads asr_active_requests through the adapter (custom.metrics.k8s.io): lightning-asr-bcdfg=7 (0s ago)'
 */
export function formatMetricsPipeline(status: StackStatus, hpaName?: string): string | undefined {
  const m = status.metrics;
  if (m === undefined) return undefined;
  const header =
    m.kind === 'prometheus' && m.prometheus && m.adapter
      ? `metrics: Prometheus ${m.prometheus.url}${m.prometheus.up ? '' : ' (down)'} → adapter ${m.adapter.url} (scrape every ${m.scrapeIntervalSeconds}s, relist every ${m.adapter.relistIntervalSeconds}s)`
      : `metrics: built-in scraper (every ${m.scrapeIntervalSeconds}s; Prometheus not used)`;
  const reads = m.reads
    .filter((r) => hpaName === undefined || r.hpa === hpaName)
    .map((r) => {
      const ago = formatAge(ageSeconds(status.nowMs, r.atMs));
      return `  ${r.hpa} reads ${r.metric} through ${readVia(m.kind, r)}: ${r.ok ? r.value : `error: ${r.value}`} (${ago} ago)`;
    });
  return [header, ...reads].join('\n');
}

/**
 * `kubectl get pods` of the stack's targets (recorded ones marked).
 *
 * @example formatPodsTable(status) // -> 'NAME  READY  STATUS  RESTARTS  AGE  PID  INFLIGHT ...'
 */
export function formatPodsTable(status: StackStatus): string {
  const rows: string[][] = [['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'PID', 'IN-FLIGHT']];
  const inFlight = new Map(status.apiServer.workers.map((w) => [w.id, w]));
  for (const t of status.targets) {
    for (const p of t.pods) {
      const w = t.workers?.find((x) => x.name === p.name);
      const routed = inFlight.get(p.name);
      rows.push([
        p.name,
        p.ready?.status === 'True' ? '1/1' : '0/1',
        p.deleting ? 'Terminating' : p.phase,
        String(w?.restarts ?? 0),
        formatAge(ageSeconds(status.nowMs, p.startTimeMs ?? status.nowMs)),
        t.kind === 'recorded' ? '(recorded)' : String(w?.pid ?? '-'),
        routed === undefined ? '-' : `${routed.inFlight}${routed.draining ? ' (draining)' : ''}`,
      ]);
    }
  }
  return formatColumns(rows);
}

/** Column widths of the watch lines (kubectl aligns a watch by its first rows). */
const WATCH_WIDTHS = [16, 28, 22, 10, 10, 11] as const;

function watchColumns(cells: readonly string[]): string {
  return cells.map((c, i) => (i < WATCH_WIDTHS.length ? c.padEnd(Math.max(WATCH_WIDTHS[i] ?? 0, c.length + 3)) : c)).join('').trimEnd();
}

/** The header of `kubectl get hpa -w`. */
export function formatWatchHeader(): string {
  return watchColumns(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
}

/**
 * One `kubectl get hpa -w` line for an HPA; `key` is the same line without AGE, to print a line
 * only when something changed.
 *
 * @example formatWatchRow(view, nowMs).line // -> 'lightning-asr   Deployment/lightning-asr   12/5   1   10   1   5s'
 */
export function formatWatchRow(view: HpaView, nowMs: number): { readonly key: string; readonly line: string } {
  const cells = [
    view.name,
    `${view.hpa.spec.scaleTargetRef.kind}/${view.hpa.spec.scaleTargetRef.name}`,
    formatTargets(view.hpa, view.status),
    String(view.hpa.spec.minReplicas ?? 1),
    String(view.hpa.spec.maxReplicas),
    String(view.status?.currentReplicas ?? 0),
  ];
  return { key: cells.join('\t'), line: watchColumns([...cells, formatAge(ageSeconds(nowMs, view.createdMs))]) };
}
