/**
 * `shadow --cluster`: the dry-run HPA. Every sync period it runs the engine for each selected HPA
 * on live metrics and never writes `/scale`. Mirror mode predicts what the real HPA decides and
 * counts agreement; candidate mode runs another spec on the same readings. Per-HPA engine state
 * is kept across syncs; API errors are counted and reported, and the loop goes on.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { reconcile, applyHpaDefaults, type AutoscalerState, type ControllerConfigInput, type HorizontalPodAutoscaler } from '../../engine/index.js';
import type { KubeClient } from './connect-cluster.js';
import { hpaFromApi, type Json } from './from-api.js';
import { KubeError } from './kube-error.js';
import { mapLimit } from './map-limit.js';
import { readHpaSnapshot } from './read-hpa.js';
import { engineConfigForVersion, readServerVersion } from './server-version.js';

export type ShadowMode = 'mirror' | 'candidate';

export interface ShadowOptions {
  /** Undefined: every namespace. */
  readonly namespace?: string | undefined;
  /** Only these HPAs (by name); empty: all. */
  readonly names?: readonly string[];
  readonly mode: ShadowMode;
  /** Candidate mode: the spec to run instead of the live one (matched by name; one HPA applies to all). */
  readonly candidates?: readonly HorizontalPodAutoscaler[];
  readonly emitEvents?: boolean;
  readonly registry?: Registry;
  readonly now: () => number;
  readonly concurrency?: number;
  readonly config?: ControllerConfigInput;
}

export interface ShadowResult {
  readonly namespace: string;
  readonly name: string;
  readonly mode: ShadowMode;
  readonly ourDesiredReplicas: number | null;
  readonly liveDesiredReplicas: number | null;
  readonly currentReplicas: number | null;
  /** Mirror mode: our decision equals the live status. */
  readonly agree: boolean | null;
  readonly reason: string;
  readonly errors: readonly string[];
}

export interface ShadowSync {
  readonly atMs: number;
  readonly durationMs: number;
  readonly results: readonly ShadowResult[];
  /** Errors that stopped the whole sync (listing HPAs). */
  readonly errors: readonly string[];
}

export interface Shadow {
  readonly registry: Registry;
  syncOnce(): Promise<ShadowSync>;
}

/** The Prometheus series shadow exposes. */
function createShadowMetrics(registry: Registry) {
  return {
    desired: new Gauge({ name: 'hpa_lab_shadow_desired_replicas', help: 'Replicas the engine decides for the HPA at the last sync (never written)', labelNames: ['namespace', 'hpa', 'mode'], registers: [registry] }),
    live: new Gauge({ name: 'hpa_lab_shadow_live_desired_replicas', help: "The live HPA's status.desiredReplicas at the last sync", labelNames: ['namespace', 'hpa'], registers: [registry] }),
    agree: new Counter({ name: 'hpa_lab_shadow_agreements_total', help: 'Mirror syncs where the engine and the live HPA agree', labelNames: ['namespace', 'hpa'], registers: [registry] }),
    disagree: new Counter({ name: 'hpa_lab_shadow_disagreements_total', help: 'Mirror syncs where the engine and the live HPA disagree', labelNames: ['namespace', 'hpa'], registers: [registry] }),
    errors: new Counter({ name: 'hpa_lab_shadow_api_errors_total', help: 'API errors met while reading the cluster', labelNames: ['code'], registers: [registry] }),
    syncs: new Counter({ name: 'hpa_lab_shadow_syncs_total', help: 'Syncs run', registers: [registry] }),
    duration: new Gauge({ name: 'hpa_lab_shadow_sync_duration_seconds', help: 'Duration of the last sync', registers: [registry] }),
  };
}

/** Creates a shadow over a cluster; call `syncOnce` every sync period. */
export function createShadow(client: KubeClient, opts: ShadowOptions): Shadow {
  const registry = opts.registry ?? new Registry();
  const m = createShadowMetrics(registry);
  const states = new Map<string, AutoscalerState>();
  const lastDesired = new Map<string, number>();
  let config: ControllerConfigInput | undefined;
  const candidateFor = (name: string): HorizontalPodAutoscaler | undefined => {
    const c = opts.candidates ?? [];
    return c.find((h) => h.metadata.name === name) ?? (c.length === 1 ? c[0] : undefined);
  };

  async function emitEvent(ns: string, live: HorizontalPodAutoscaler, r: ShadowResult): Promise<void> {
    const nowIso = new Date(opts.now()).toISOString();
    await client.post(
      `/api/v1/namespaces/${encodeURIComponent(ns)}/events`,
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { generateName: `${live.metadata.name}.hpa-lab-`, namespace: ns },
        involvedObject: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: live.metadata.name, namespace: ns },
        reason: r.mode === 'mirror' ? 'ShadowPrediction' : 'ShadowCandidate',
        message: `hpa-lab shadow (${r.mode}): desired ${r.ourDesiredReplicas ?? '?'}, live ${r.liveDesiredReplicas ?? '?'}: ${r.reason}`,
        type: 'Normal',
        source: { component: 'hpa-lab-shadow' },
        firstTimestamp: nowIso,
        lastTimestamp: nowIso,
        count: 1,
      },
      { what: `an event on horizontalpodautoscaler ${ns}/${live.metadata.name}`, once: true },
    );
  }

  async function one(live: HorizontalPodAutoscaler, nowMs: number): Promise<ShadowResult> {
    const ns = live.metadata.namespace ?? 'default';
    const key = `${ns}/${live.metadata.name}`;
    const base = { namespace: ns, name: live.metadata.name, mode: opts.mode } as const;
    let hpa = live;
    if (opts.mode === 'candidate') {
      const cand = candidateFor(live.metadata.name);
      if (!cand) return { ...base, ourDesiredReplicas: null, liveDesiredReplicas: live.status?.desiredReplicas ?? null, currentReplicas: live.status?.currentReplicas ?? null, agree: null, reason: 'no candidate spec for this HPA in --spec', errors: [] };
      const spec = applyHpaDefaults({ metadata: live.metadata, spec: { ...cand.spec, scaleTargetRef: live.spec.scaleTargetRef } }).spec;
      hpa = { ...live, spec };
    }
    try {
      const snap = await readHpaSnapshot(client, { namespace: ns, hpa, nowMs });
      for (const e of snap.errors) m.errors.inc({ code: e.code });
      const prev = states.get(key) ?? { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };
      // Mirror: the live status is the previous status; candidate: our own status goes on.
      const { status: _own, ...memory } = prev;
      void _own;
      const state: AutoscalerState = opts.mode === 'mirror' ? { ...memory, ...(live.status ? { status: live.status } : {}) } : prev;
      const result = reconcile({ hpa, observation: snap.observation, state, nowMs, ...(config ? { config } : {}) });
      states.set(key, result.state);
      const ours = result.decision.status.desiredReplicas;
      const liveDesired = live.status?.desiredReplicas ?? null;
      const agree = opts.mode === 'mirror' && liveDesired !== null ? ours === liveDesired : null;
      m.desired.set({ namespace: ns, hpa: live.metadata.name, mode: opts.mode }, ours);
      if (liveDesired !== null) m.live.set({ namespace: ns, hpa: live.metadata.name }, liveDesired);
      if (agree === true) m.agree.inc({ namespace: ns, hpa: live.metadata.name });
      if (agree === false) m.disagree.inc({ namespace: ns, hpa: live.metadata.name });
      const last = result.decision.explanation[result.decision.explanation.length - 1];
      const reason = last?.kind === 'result' ? (last.error ?? (last.rescale ? last.reasonText : 'no change')) : (result.decision.error ?? '');
      const r: ShadowResult = { ...base, ourDesiredReplicas: ours, liveDesiredReplicas: liveDesired, currentReplicas: 'error' in snap.scale ? null : snap.scale.specReplicas, agree, reason, errors: snap.errors.map((e) => e.message) };
      if (opts.emitEvents && lastDesired.get(key) !== ours) {
        try {
          await emitEvent(ns, live, r);
        } catch (error) {
          m.errors.inc({ code: error instanceof KubeError ? error.code : 'other' });
          return { ...r, errors: [...r.errors, (error as Error).message] };
        }
      }
      lastDesired.set(key, ours);
      return r;
    } catch (error) {
      if (!(error instanceof KubeError)) throw error;
      m.errors.inc({ code: error.code });
      return { ...base, ourDesiredReplicas: null, liveDesiredReplicas: live.status?.desiredReplicas ?? null, currentReplicas: null, agree: null, reason: 'not computed', errors: [error.message] };
    }
  }

  return {
    registry,
    async syncOnce() {
      const t0 = opts.now();
      if (config === undefined) config = { ...engineConfigForVersion(await readServerVersion(client)), ...opts.config };
      m.syncs.inc();
      const path = opts.namespace === undefined ? '/apis/autoscaling/v2/horizontalpodautoscalers' : `/apis/autoscaling/v2/namespaces/${encodeURIComponent(opts.namespace)}/horizontalpodautoscalers`;
      let hpas: HorizontalPodAutoscaler[];
      try {
        const list = await client.get<Json>(path, { what: `horizontalpodautoscalers ${opts.namespace === undefined ? 'in all namespaces' : `in namespace ${opts.namespace}`}` });
        hpas = ((list.items ?? []) as Json[]).map((o) => applyHpaDefaults(hpaFromApi(o)));
      } catch (error) {
        if (!(error instanceof KubeError)) throw error;
        m.errors.inc({ code: error.code });
        const durationMs = opts.now() - t0;
        m.duration.set(durationMs / 1000);
        return { atMs: t0, durationMs, results: [], errors: [error.message] };
      }
      const names = opts.names ?? [];
      const selected = names.length ? hpas.filter((h) => names.includes(h.metadata.name)) : hpas;
      const missing = names.filter((n) => !hpas.some((h) => h.metadata.name === n));
      const results = await mapLimit(selected, opts.concurrency ?? 16, (h) => one(h, t0));
      const durationMs = opts.now() - t0;
      m.duration.set(durationMs / 1000);
      return { atMs: t0, durationMs, results, errors: missing.map((n) => `context '${client.context}': horizontalpodautoscaler ${opts.namespace ?? '*'}/${n} not found`) };
    },
  };
}

/** One sync as lines: a kubectl-style table and the errors. */
export function formatShadowSync(s: ShadowSync, formatColumns: (rows: string[][]) => string): string {
  const rows = [['NAMESPACE', 'NAME', 'MODE', 'CURRENT', 'OURS', 'LIVE', 'AGREE', 'REASON']];
  for (const r of s.results) {
    rows.push([r.namespace, r.name, r.mode, String(r.currentReplicas ?? '-'), String(r.ourDesiredReplicas ?? '-'), String(r.liveDesiredReplicas ?? '-'), r.agree === null ? '-' : r.agree ? 'yes' : 'NO', r.reason]);
  }
  const errors = [...s.errors, ...s.results.flatMap((r) => r.errors)];
  return `# sync at ${new Date(s.atMs).toISOString()} (${s.durationMs} ms, ${s.results.length} HPA(s))\n${formatColumns(rows)}\n${errors.map((e) => `! ${e}\n`).join('')}`;
}
