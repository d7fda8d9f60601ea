/**
 * `hpa-lab record`: reads an HPA's history from Prometheus — kube-state-metrics' HPA, Deployment
 * and Pod series and each metric of the HPA — and writes it as a trace, one step at a time.
 *
 * Streaming: the range is read in chunks of steps, each under Prometheus' 11,000 points per
 * series, sized so a chunk holds at most `maxValuesInMemory` values over all series (the first
 * chunk measures how many series there are); each chunk is written before the next is read.
 */
import { PROMETHEUS_MAX_POINTS, type PrometheusClient, type PrometheusMatrixSeries } from '../metrics/index.js';
import { hpaKey, TRACE_FORMAT, TRACE_VERSION, type TraceHeader, type TraceHpa, type TraceMetric, type TracePod, type TraceReading, type TraceSync } from './trace-format.js';

/** Options of {@link recordTrace}. */
export interface RecordOptions {
  readonly prometheus: Pick<PrometheusClient, 'queryRange'> & { readonly baseUrl?: string };
  readonly hpas: readonly TraceHpa[];
  readonly fromMs: number;
  readonly toMs: number;
  readonly stepSeconds: number;
  /** Window of the kube-state-metrics reads (their scrape interval); default `stepSeconds`. */
  readonly lookbackSeconds?: number;
  readonly kubernetesVersion?: string;
  /** Receives each line (JSON and a newline); awaited, so a file stream's back-pressure holds. */
  readonly write: (line: string) => void | Promise<void>;
  readonly onProgress?: (doneSteps: number, totalSteps: number) => void;
  /** Values held at once over all series (default 2,000,000). */
  readonly maxValuesInMemory?: number;
  /** Steps of the first chunk (default 240). */
  readonly firstChunkSteps?: number;
  /** ISO time written as `recordedAt` (default now). */
  readonly recordedAt?: string;
}

/** What a recording read. */
export interface RecordSummary {
  readonly steps: number;
  readonly syncs: number;
  readonly queries: number;
  readonly chunks: number;
}

const HPA_FAMILIES = {
  minReplicas: 'kube_horizontalpodautoscaler_spec_min_replicas',
  maxReplicas: 'kube_horizontalpodautoscaler_spec_max_replicas',
  currentReplicas: 'kube_horizontalpodautoscaler_status_current_replicas',
  desiredReplicas: 'kube_horizontalpodautoscaler_status_desired_replicas',
} as const;

/** The default PromQL of a metric of the HPA (`$NAMESPACE` is replaced per HPA). */
export function defaultMetricQuery(metric: { readonly name: string; readonly type: string }): Pick<TraceMetric, 'query' | 'shape'> {
  const ns = 'namespace="$NAMESPACE"';
  switch (metric.type) {
    case 'Pods':
      return { query: `sum by (namespace, pod) (${metric.name}{${ns}})`, shape: 'per-pod' };
    case 'Resource':
    case 'ContainerResource':
      return metric.name === 'cpu'
        ? { query: `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${ns},container!="",container!="POD"}[5m]))`, shape: 'per-pod' }
        : { query: `sum by (namespace, pod) (container_memory_working_set_bytes{${ns},container!="",container!="POD"})`, shape: 'per-pod' };
    default:
      return { query: `sum(${metric.name}{${ns}})`, shape: 'value' };
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function quote(s: string): string {
  return JSON.stringify(s);
}

/** A namespace matcher for the HPAs' namespaces. */
function nsMatcher(namespaces: readonly string[]): string {
  return namespaces.length === 1 ? `namespace=${quote(namespaces[0]!)}` : `namespace=~${quote(namespaces.map(escapeRegex).join('|'))}`;
}

/** Values of one chunk: by series key, an array of `steps` (NaN = no sample). */
type Columns = Map<string, Float64Array>;

interface Chunk {
  readonly startMs: number;
  readonly steps: number;
}

/**
 * Records the HPAs' history over `[fromMs, toMs]` at `stepSeconds` and writes the trace lines.
 *
 * @throws {InputError} when Prometheus cannot be reached or rejects a query
 */
export async function recordTrace(options: RecordOptions): Promise<RecordSummary> {
  const stepMs = options.stepSeconds * 1000;
  const totalSteps = Math.floor((options.toMs - options.fromMs) / stepMs) + 1;
  const lookbackSeconds = options.lookbackSeconds ?? options.stepSeconds;
  const window = `${Math.max(1, Math.round(lookbackSeconds * 1000) - 1)}ms`;
  const namespaces = [...new Set(options.hpas.map((h) => h.namespace))].sort();
  const ns = nsMatcher(namespaces);
  const header: TraceHeader = {
    kind: 'header',
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    recordedAt: options.recordedAt ?? new Date().toISOString(),
    source: options.prometheus.baseUrl === undefined ? {} : { prometheus: options.prometheus.baseUrl },
    fromMs: options.fromMs,
    toMs: options.fromMs + (totalSteps - 1) * stepMs,
    stepSeconds: options.stepSeconds,
    lookbackSeconds,
    ...(options.kubernetesVersion === undefined ? {} : { kubernetesVersion: options.kubernetesVersion }),
    hpas: options.hpas,
  };
  await options.write(`${JSON.stringify(header)}\n`);

  // The metric queries, deduplicated over HPAs: by final PromQL text.
  const metricQueries = new Map<string, string>();
  for (const h of options.hpas) {
    for (const m of h.metrics) {
      const q = m.query.replaceAll('$NAMESPACE', h.namespace);
      metricQueries.set(q, q);
    }
  }

  let queries = 0;
  let syncs = 0;
  let chunks = 0;
  const budget = options.maxValuesInMemory ?? 2_000_000;
  let chunkSteps = Math.min(options.firstChunkSteps ?? 240, PROMETHEUS_MAX_POINTS, totalSteps);
  for (let done = 0; done < totalSteps; ) {
    const steps = Math.min(chunkSteps, totalSteps - done);
    const chunk: Chunk = { startMs: options.fromMs + done * stepMs, steps };
    const range = { startSec: chunk.startMs / 1000, endSec: (chunk.startMs + (steps - 1) * stepMs) / 1000, stepSec: options.stepSeconds };
    let series = 0;
    const read = async (expr: string, keyOf: (labels: Readonly<Record<string, string>>) => string | undefined): Promise<Columns> => {
      queries++;
      const result: PrometheusMatrixSeries[] = await options.prometheus.queryRange(expr, range);
      const cols: Columns = new Map();
      for (const s of result) {
        const key = keyOf(s.metric);
        if (key === undefined) continue;
        let col = cols.get(key);
        if (col === undefined) {
          col = new Float64Array(steps).fill(Number.NaN);
          cols.set(key, col);
          series++;
        }
        for (const [sec, text] of s.values) {
          const i = Math.round((sec * 1000 - chunk.startMs) / stepMs);
          if (i >= 0 && i < steps) col[i] = Number(text);
        }
      }
      return cols;
    };
    const last = (family: string, filter = ''): string => `last_over_time(${family}{${ns}}[${window}])${filter}`;
    const hpaKeyOf = (l: Readonly<Record<string, string>>): string | undefined => (l['horizontalpodautoscaler'] === undefined ? undefined : `${l['namespace']}/${l['horizontalpodautoscaler']}`);
    const depKeyOf = (l: Readonly<Record<string, string>>): string | undefined => (l['deployment'] === undefined ? undefined : `${l['namespace']}/${l['deployment']}`);
    const podKeyOf = (l: Readonly<Record<string, string>>): string | undefined => (l['pod'] === undefined ? undefined : `${l['namespace']}/${l['pod']}\u0000${l['deployment'] ?? ''}`);

    const hpaCols: Record<keyof typeof HPA_FAMILIES, Columns> = {
      minReplicas: await read(last(HPA_FAMILIES.minReplicas), hpaKeyOf),
      maxReplicas: await read(last(HPA_FAMILIES.maxReplicas), hpaKeyOf),
      currentReplicas: await read(last(HPA_FAMILIES.currentReplicas), hpaKeyOf),
      desiredReplicas: await read(last(HPA_FAMILIES.desiredReplicas), hpaKeyOf),
    };
    const conditions = await read(last('kube_horizontalpodautoscaler_status_condition', ' == 1'), (l) => {
      const k = hpaKeyOf(l);
      return k === undefined ? undefined : `${k}\u0000${l['condition']}\u0000${l['status']}`;
    });
    const specReplicas = await read(last('kube_deployment_spec_replicas'), depKeyOf);
    const statusReplicas = await read(last('kube_deployment_status_replicas'), depKeyOf);
    const phase = await read(last('kube_pod_status_phase', ' == 1'), (l) => {
      const k = podKeyOf(l);
      return k === undefined ? undefined : `${k}\u0000${l['phase']}`;
    });
    const ready = await read(last('kube_pod_status_ready', ' == 1'), (l) => {
      const k = podKeyOf(l);
      return k === undefined ? undefined : `${k}\u0000${l['condition']}`;
    });
    const deletion = await read(last('kube_pod_deletion_timestamp'), podKeyOf);
    const start = await read(last('kube_pod_start_time'), podKeyOf);
    const readyTime = await read(last('kube_pod_status_ready_time'), podKeyOf);
    const requests = await read(last('kube_pod_container_resource_requests'), (l) => {
      const k = podKeyOf(l);
      return k === undefined ? undefined : `${k}\u0000${l['container']}\u0000${l['resource']}`;
    });
    const metricCols = new Map<string, Columns>();
    for (const q of metricQueries.keys()) {
      // Each query is one namespace's ($NAMESPACE substituted): values by pod name.
      metricCols.set(q, await read(q, (l) => l['pod'] ?? ''));
    }

    // Index pods by namespace once per chunk.
    const podsByNs = indexPods(phase, ready, deletion, start, readyTime, requests);
    for (let i = 0; i < steps; i++) {
      const tMs = chunk.startMs + i * stepMs;
      for (const h of options.hpas) {
        const key = hpaKey(h);
        const depKey = `${h.namespace}/${h.deployment}`;
        const at = (cols: Columns, k: string): number | null => {
          const v = cols.get(k)?.[i];
          return v === undefined || Number.isNaN(v) ? null : v;
        };
        const conds: Record<string, string> = {};
        for (const type of ['AbleToScale', 'ScalingActive', 'ScalingLimited']) {
          for (const [s, word] of [['true', 'True'], ['false', 'False'], ['unknown', 'Unknown']] as const) {
            if (at(conditions, `${key}\u0000${type}\u0000${s}`) !== null) conds[type] = word;
          }
        }
        const pods = podsAt(podsByNs.get(h.namespace), h.deployment, i);
        const names = new Set(pods.map((p) => p.name));
        const metrics: TraceReading[] = h.metrics.map((m) => {
          const cols = metricCols.get(m.query.replaceAll('$NAMESPACE', h.namespace))!;
          if (m.shape === 'value') {
            const v = at(cols, '');
            return v === null ? { error: `no value of ${m.name} in Prometheus` } : { value: v };
          }
          const podValues: Record<string, number> = {};
          for (const name of names) {
            const v = at(cols, name);
            if (v !== null) podValues[name] = v;
          }
          return { podValues };
        });
        const line: TraceSync = {
          kind: 'sync',
          tMs,
          hpa: key,
          minReplicas: at(hpaCols.minReplicas, key),
          maxReplicas: at(hpaCols.maxReplicas, key),
          specReplicas: at(specReplicas, depKey),
          statusReplicas: at(statusReplicas, depKey),
          currentReplicas: at(hpaCols.currentReplicas, key),
          desiredReplicas: at(hpaCols.desiredReplicas, key),
          conditions: conds,
          pods,
          metrics,
        };
        syncs++;
        await options.write(`${JSON.stringify(line)}\n`);
      }
    }
    chunks++;
    done += steps;
    options.onProgress?.(done, totalSteps);
    chunkSteps = Math.max(10, Math.min(PROMETHEUS_MAX_POINTS, Math.floor(budget / Math.max(1, series))));
  }
  await options.write(`${JSON.stringify({ kind: 'end', syncs })}\n`);
  return { steps: totalSteps, syncs, queries, chunks };
}

interface PodColumns {
  readonly name: string;
  readonly deployment: string;
  phase: Map<string, Float64Array>;
  ready: Map<string, Float64Array>;
  deletion?: Float64Array;
  start?: Float64Array;
  readyTime?: Float64Array;
  requests: Map<string, Float64Array>;
}

function indexPods(phase: Columns, ready: Columns, deletion: Columns, start: Columns, readyTime: Columns, requests: Columns): Map<string, Map<string, PodColumns>> {
  const out = new Map<string, Map<string, PodColumns>>();
  const get = (podKey: string): PodColumns => {
    const [nsPod, deployment = ''] = podKey.split('\u0000');
    const slash = nsPod!.indexOf('/');
    const ns = nsPod!.slice(0, slash);
    const name = nsPod!.slice(slash + 1);
    let byName = out.get(ns);
    if (byName === undefined) out.set(ns, (byName = new Map<string, PodColumns>()));
    let p = byName.get(name);
    if (p === undefined) byName.set(name, (p = { name, deployment, phase: new Map(), ready: new Map(), requests: new Map() }));
    return p;
  };
  const split = (k: string): [string, string] => {
    const parts = k.split('\u0000');
    return [`${parts[0]}\u0000${parts[1]}`, parts.slice(2).join('\u0000')];
  };
  for (const [k, col] of phase) {
    const [pk, ph] = split(k);
    get(pk).phase.set(ph, col);
  }
  for (const [k, col] of ready) {
    const [pk, c] = split(k);
    get(pk).ready.set(c, col);
  }
  for (const [k, col] of deletion) get(k).deletion = col;
  for (const [k, col] of start) get(k).start = col;
  for (const [k, col] of readyTime) get(k).readyTime = col;
  for (const [k, col] of requests) {
    const [pk, cr] = split(k);
    get(pk).requests.set(cr, col);
  }
  return out;
}

/** Whether a pod belongs to the deployment: its `deployment` label, else its name's prefix. */
function belongs(p: PodColumns, deployment: string): boolean {
  return p.deployment !== '' ? p.deployment === deployment : p.name.startsWith(`${deployment}-`);
}

function podsAt(byName: Map<string, PodColumns> | undefined, deployment: string, i: number): TracePod[] {
  if (byName === undefined) return [];
  const pods: TracePod[] = [];
  for (const p of byName.values()) {
    if (!belongs(p, deployment)) continue;
    let phase: string | undefined;
    for (const [ph, col] of p.phase) if (!Number.isNaN(col[i]!)) phase = ph;
    if (phase === undefined) continue;
    let ready: string | undefined;
    for (const [c, col] of p.ready) if (!Number.isNaN(col[i]!)) ready = c === 'true' ? 'True' : c === 'false' ? 'False' : 'Unknown';
    const ms = (col: Float64Array | undefined): number | undefined => (col === undefined || Number.isNaN(col[i]!) ? undefined : Math.round(col[i]! * 1000));
    const requestsMilli: Record<string, Record<string, number>> = {};
    for (const [cr, col] of p.requests) {
      if (Number.isNaN(col[i]!)) continue;
      const [container = '', resource = ''] = cr.split('\u0000');
      (requestsMilli[container] ??= {})[resource] = Math.round(col[i]! * 1000);
    }
    const startTimeMs = ms(p.start);
    const readyTimeMs = ms(p.readyTime);
    pods.push({
      name: p.name,
      phase,
      ...(ready === undefined ? {} : { ready }),
      ...(ms(p.deletion) === undefined ? {} : { deleting: true }),
      ...(startTimeMs === undefined ? {} : { startTimeMs }),
      ...(readyTimeMs === undefined ? {} : { readyTimeMs }),
      ...(Object.keys(requestsMilli).length === 0 ? {} : { requestsMilli }),
    });
  }
  pods.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return pods;
}
