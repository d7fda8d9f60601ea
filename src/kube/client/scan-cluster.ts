/**
 * `scan --cluster`: every HPA ranked by trouble, from list calls only (one list of HPAs, then per
 * namespace one list of pods, events and deployments, with bounded concurrency). The engine runs
 * on the controller's own last readings (`status.currentMetrics`), so a disagreement means our
 * decision on those readings differs from the one the controller wrote.
 */
import {
  applyHpaDefaults,
  parseQuantityMilli,
  parseSelector,
  matchesSelector,
  reconcile,
  replicaCurve,
  syntheticObservation,
  type ControllerConfigInput,
  type HorizontalPodAutoscaler,
  type MetricStatus,
  type PodInfo,
  type SyntheticValue,
} from '../../engine/index.js';
import { formatColumns, formatTargets } from '../../controller/index.js';
import type { KubeClient } from './connect-cluster.js';
import { hpaFromApi, podFromApi, selectorString, type Json } from './from-api.js';
import { rescaleEvents } from './reconstruct-state.js';
import { mapLimit } from './map-limit.js';

/** One kind of trouble, with its weight in the ranking. */
export type TroubleKind = 'unknown-metrics' | 'pinned-at-max' | 'scaling-limited' | 'flapping' | 'fixed-point' | 'disagrees';

const WEIGHT: Record<TroubleKind, number> = { 'unknown-metrics': 100, 'pinned-at-max': 40, flapping: 30, 'fixed-point': 25, 'scaling-limited': 20, disagrees: 10 };

export interface Trouble {
  readonly kind: TroubleKind;
  readonly detail: string;
}

export interface ScanRow {
  readonly namespace: string;
  readonly name: string;
  readonly reference: string;
  readonly targets: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly currentReplicas: number;
  readonly liveDesiredReplicas: number;
  readonly ourDesiredReplicas: number | null;
  readonly score: number;
  readonly troubles: readonly Trouble[];
}

export interface ScanOptions {
  /** Undefined: every namespace. */
  readonly namespace?: string | undefined;
  readonly nowMs: number;
  /** Namespaces read at once (default 8). */
  readonly concurrency?: number;
  readonly config?: ControllerConfigInput;
  /** Rescales in the last hour that reverse direction this often count as flapping (default 2). */
  readonly flapReversals?: number;
}

const enc = encodeURIComponent;

/** Per-metric readings (milli, per pod or total) from the controller's currentMetrics. */
function readingsFromStatus(hpa: HorizontalPodAutoscaler, replicas: number, requestsMilli: Record<string, number>): SyntheticValue[] {
  const cur = hpa.status?.currentMetrics ?? [];
  return (hpa.spec.metrics ?? []).map((m, i) => {
    const s: MetricStatus | null | undefined = cur[i];
    if (!s) return { error: 'no current value in status' };
    const q = (v: string | undefined) => (v === undefined ? undefined : parseQuantityMilli(v));
    try {
      switch (m.type) {
        case 'Resource':
        case 'ContainerResource': {
          const c = s.resource?.current ?? s.containerResource?.current;
          const name = (m.resource ?? m.containerResource)?.name ?? '';
          if (c?.averageValue !== undefined) return q(c.averageValue);
          if (c?.averageUtilization !== undefined && requestsMilli[name]) return Math.round(((requestsMilli[name] ?? 0) * c.averageUtilization) / 100);
          return { error: 'no usable current value' };
        }
        case 'Pods':
          return q(s.pods?.current.averageValue) ?? { error: 'no current value' };
        case 'Object': {
          const c = s.object?.current;
          return c?.value !== undefined ? q(c.value) : c?.averageValue !== undefined ? (q(c.averageValue) ?? 0) * Math.max(1, replicas) : { error: 'no current value' };
        }
        case 'External': {
          const c = s.external?.current;
          return c?.value !== undefined ? q(c.value) : c?.averageValue !== undefined ? (q(c.averageValue) ?? 0) * Math.max(1, replicas) : { error: 'no current value' };
        }
        default:
          return { error: 'unknown type' };
      }
    } catch {
      return { error: 'unparsable current value' };
    }
  });
}

/** Sum of the container requests of the first pod picked, per resource (milli). */
function podRequests(pods: readonly PodInfo[]): Record<string, number> {
  const out: Record<string, number> = {};
  const p = pods[0];
  for (const c of p?.containers ?? []) for (const [k, v] of Object.entries(c.requestsMilli ?? {})) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Ranks one HPA. */
export function rankHpa(input: { hpa: HorizontalPodAutoscaler; pods: readonly PodInfo[]; events: readonly Json[]; nowMs: number; config?: ControllerConfigInput; flapReversals?: number }): ScanRow {
  const hpa = applyHpaDefaults(input.hpa);
  const st = hpa.status;
  const ns = hpa.metadata.namespace ?? 'default';
  const troubles: Trouble[] = [];
  const specs = hpa.spec.metrics ?? [];
  const current = st?.currentReplicas ?? 0;
  const max = hpa.spec.maxReplicas;
  const min = hpa.spec.minReplicas ?? 1;
  const unknown = specs.filter((_, i) => !st?.currentMetrics?.[i]).length;
  const active = st?.conditions?.find((c) => c.type === 'ScalingActive');
  if (unknown > 0 || active?.status === 'False') troubles.push({ kind: 'unknown-metrics', detail: `${unknown} of ${specs.length} metric(s) <unknown>${active?.status === 'False' ? ` (ScalingActive False ${active.reason})` : ''}` });
  if (current >= max && (st?.desiredReplicas ?? 0) >= max) troubles.push({ kind: 'pinned-at-max', detail: `at maxReplicas ${max}` });
  const limited = st?.conditions?.find((c) => c.type === 'ScalingLimited');
  if (limited?.status === 'True') troubles.push({ kind: 'scaling-limited', detail: `ScalingLimited ${limited.reason}` });
  const hour = rescaleEvents(input.events).filter((r) => input.nowMs - r.atMs < 3_600_000);
  let reversals = 0;
  for (let i = 2; i < hour.length; i++) {
    const a = hour[i - 2]?.newSize ?? 0;
    const b = hour[i - 1]?.newSize ?? 0;
    const c = hour[i]?.newSize ?? 0;
    if ((b - a) * (c - b) < 0) reversals++;
  }
  if (reversals >= (input.flapReversals ?? 2)) troubles.push({ kind: 'flapping', detail: `${hour.length} rescales in the last hour, ${reversals} reversals` });
  let ours: number | null = null;
  if (st && current > 0 && unknown === 0) {
    const requestsMilli = podRequests(input.pods);
    const values = readingsFromStatus(hpa, current, requestsMilli);
    const curve = replicaCurve({ hpa, values, requestsMilli, startReplicas: current, ...(input.config ? { config: input.config } : {}) });
    const fixed = curve.perMetricPattern.findIndex((p) => p === 'fixed-point');
    if (fixed >= 0 && current > min) troubles.push({ kind: 'fixed-point', detail: `metric ${fixed + 1}: at its current per-pod reading f(x) = x at every size: if its usage does not fall as pods are added (memory, a constant), it never scales down` });
    const observation = syntheticObservation({ hpa, replicas: current, values, requestsMilli, nowMs: input.nowMs });
    const { decision } = reconcile({ hpa, observation, state: { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] }, nowMs: input.nowMs, ...(input.config ? { config: input.config } : {}) });
    ours = decision.status.desiredReplicas;
    if (ours !== st.desiredReplicas) troubles.push({ kind: 'disagrees', detail: `on its own readings ours ${ours}, live ${st.desiredReplicas} (stabilization or rate limits, or readings moved: see explain --cluster)` });
  }
  return {
    namespace: ns,
    name: hpa.metadata.name,
    reference: `${hpa.spec.scaleTargetRef.kind}/${hpa.spec.scaleTargetRef.name}`,
    targets: formatTargets(hpa, st),
    minReplicas: min,
    maxReplicas: max,
    currentReplicas: current,
    liveDesiredReplicas: st?.desiredReplicas ?? 0,
    ourDesiredReplicas: ours,
    score: troubles.reduce((a, t) => a + WEIGHT[t.kind], 0),
    troubles,
  };
}

/** Lists and ranks every HPA of a namespace, or of all namespaces. */
export async function scanCluster(client: KubeClient, opts: ScanOptions): Promise<ScanRow[]> {
  const hpaPath = opts.namespace === undefined ? '/apis/autoscaling/v2/horizontalpodautoscalers' : `/apis/autoscaling/v2/namespaces/${enc(opts.namespace)}/horizontalpodautoscalers`;
  const list = await client.get<Json>(hpaPath, { what: `horizontalpodautoscalers ${opts.namespace === undefined ? 'in all namespaces' : `in namespace ${opts.namespace}`}` });
  const hpas = ((list.items ?? []) as Json[]).map(hpaFromApi);
  const byNs = new Map<string, HorizontalPodAutoscaler[]>();
  for (const h of hpas) {
    const ns = h.metadata.namespace ?? 'default';
    byNs.set(ns, [...(byNs.get(ns) ?? []), h]);
  }
  const perNs = await mapLimit([...byNs.entries()], opts.concurrency ?? 8, async ([ns, nsHpas]) => {
    const fs = enc('involvedObject.kind=HorizontalPodAutoscaler');
    const [pods, events, deployments] = await Promise.all([
      client.get<Json>(`/api/v1/namespaces/${enc(ns)}/pods`, { what: `pods in namespace ${ns}` }),
      client.get<Json>(`/api/v1/namespaces/${enc(ns)}/events?fieldSelector=${fs}`, { what: `events in namespace ${ns}` }).catch(() => ({ items: [] })),
      client.get<Json>(`/apis/apps/v1/namespaces/${enc(ns)}/deployments`, { what: `deployments in namespace ${ns}` }).catch(() => ({ items: [] })),
    ]);
    const podInfos = ((pods.items ?? []) as Json[]).map(podFromApi);
    const eventsByHpa = new Map<string, Json[]>();
    for (const e of (events.items ?? []) as Json[]) {
      const n = String(e.involvedObject?.name ?? '');
      eventsByHpa.set(n, [...(eventsByHpa.get(n) ?? []), e]);
    }
    const selectors = new Map<string, string>();
    for (const d of (deployments.items ?? []) as Json[]) selectors.set(String(d.metadata?.name ?? ''), selectorString(d.spec?.selector));
    return nsHpas.map((hpa) => {
      const ref = hpa.spec.scaleTargetRef;
      const sel = ref.kind === 'Deployment' ? selectors.get(ref.name) : undefined;
      const parsed = sel ? parseSelector(sel) : undefined;
      const picked = parsed ? podInfos.filter((p) => matchesSelector(parsed, p.labels)) : [];
      return rankHpa({ hpa, pods: picked, events: eventsByHpa.get(hpa.metadata.name) ?? [], nowMs: opts.nowMs, ...(opts.config ? { config: opts.config } : {}), ...(opts.flapReversals !== undefined ? { flapReversals: opts.flapReversals } : {}) });
    });
  });
  return perNs.flat().sort((a, b) => b.score - a.score || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

/** The kubectl-style table (NAMESPACE column with -A). */
export function formatScanTable(rows: readonly ScanRow[], opts: { allNamespaces: boolean }): string {
  if (rows.length === 0) return 'No resources found.\n';
  const head = [...(opts.allNamespaces ? ['NAMESPACE'] : []), 'NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'SCORE', 'TROUBLE'];
  const body = rows.map((r) => [
    ...(opts.allNamespaces ? [r.namespace] : []),
    r.name,
    r.reference,
    r.targets,
    String(r.minReplicas),
    String(r.maxReplicas),
    String(r.currentReplicas),
    String(r.score),
    r.troubles.map((t) => t.kind).join(',') || '<none>',
  ]);
  return `${formatColumns([head, ...body])}\n`;
}

