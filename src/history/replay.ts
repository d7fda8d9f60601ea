/**
 * `hpa-lab replay`: runs the engine over a trace's observations sync by sync and measures how
 * often it decides what the recorded HPA decided. Each disagreement gets a cause, found by
 * re-running the same sync under one hypothesis at a time:
 * - `manual-scale`: the target's size was not the HPA's last decision (kubectl scale, a GitOps sync);
 * - `rollout`: more pods than the target's size while no scale-down ran (a surge of a rollout);
 * - `stale-metric`: with the previous or next step's readings the engine decides as recorded (the
 *   HPA read a sample one scrape older or newer than Prometheus' at the step);
 * - `version-difference`: another Kubernetes version's rules decide as recorded;
 * - `history`: none of these; the controller's memory (recommendations, scale events) from before
 *   the recording or a restart differs.
 */
import {
  applyHpaDefaults,
  createInitialState,
  formatExplanation,
  LATEST_KUBERNETES_VERSION,
  parseSelector,
  reconcile,
  SUPPORTED_KUBERNETES_VERSIONS,
  type AutoscalerState,
  type Decision,
  type HorizontalPodAutoscaler,
  type MetricReading,
  type Observation,
  type PodInfo,
} from '../engine/index.js';
import { hpaKey, type TraceHeader, type TraceHpa, type TracePod, type TraceReading, type TraceSync } from './trace-format.js';

/** Why the replayed decision differs from the recorded one. */
export type DisagreementCause = 'manual-scale' | 'rollout' | 'stale-metric' | 'version-difference' | 'history';

/** One sync where the engine and the recorded HPA differ. */
export interface Disagreement {
  readonly tMs: number;
  readonly hpa: string;
  readonly recorded: number;
  readonly replayed: number;
  readonly cause: DisagreementCause;
  /** One line saying what the evidence is. */
  readonly detail: string;
  /** The engine's steps for the replayed number. */
  readonly replayedSteps: string;
  /** The steps that give the recorded number under the cause (or the recorded conditions). */
  readonly recordedSteps: string;
}

/** Agreement of one HPA. */
export interface HpaReplay {
  readonly hpa: string;
  readonly syncs: number;
  /** Syncs compared: after the warm-up, with a recorded desired count. */
  readonly compared: number;
  readonly agreed: number;
  /** `agreed / compared` (1 when nothing was compared). */
  readonly agreement: number;
  readonly warmUpSeconds: number;
  readonly disagreements: readonly Disagreement[];
  readonly causes: Readonly<Partial<Record<DisagreementCause, number>>>;
}

/** What a replay found. */
export interface ReplayReport {
  readonly kubernetesVersion: string;
  readonly hpas: readonly HpaReplay[];
  readonly compared: number;
  readonly agreed: number;
  readonly agreement: number;
}

/** Options of {@link createReplayer}. */
export interface ReplayOptions {
  /** Kubernetes version of the engine (default: the trace's, else the latest). */
  readonly kubernetesVersion?: string;
  /** Keep at most this many disagreements per HPA in the report (default 1,000). */
  readonly maxDisagreements?: number;
  /** Called with each replayed sync (for plots and backtests). */
  readonly onSync?: (s: { readonly sync: TraceSync; readonly replayed: number; readonly decision: Decision }) => void;
}

interface HpaRun {
  readonly def: TraceHpa;
  readonly hpa: HorizontalPodAutoscaler;
  readonly labels: Readonly<Record<string, string>>;
  readonly warmUpMs: number;
  state: AutoscalerState;
  firstMs: number | undefined;
  prev: TraceSync | undefined;
  pending: TraceSync | undefined;
  syncs: number;
  compared: number;
  agreed: number;
  disagreements: Disagreement[];
  causes: Partial<Record<DisagreementCause, number>>;
}

/** The labels a pod needs to match the scale target's selector (equality requirements). */
export function labelsForSelector(selector: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const r of parseSelector(selector)) {
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values[0] !== undefined) labels[r.key] = r.values[0];
    else if (r.operator === 'exists') labels[r.key] = 'true';
  }
  return labels;
}

/** The pods of a trace step as the engine reads them. */
export function podInfosOf(pods: readonly TracePod[], labels: Readonly<Record<string, string>>, tMs: number): PodInfo[] {
  return pods.map((p) => ({
    name: p.name,
    labels,
    phase: p.phase,
    ...(p.deleting === true ? { deleting: true } : {}),
    ...(p.startTimeMs === undefined ? {} : { startTimeMs: p.startTimeMs }),
    ...(p.ready === undefined ? {} : { ready: { status: p.ready, lastTransitionTimeMs: p.readyTimeMs ?? p.startTimeMs ?? tMs } }),
    ...(p.requestsMilli === undefined ? {} : { containers: Object.entries(p.requestsMilli).map(([name, requestsMilli]) => ({ name, requestsMilli })) }),
  }));
}

/** A trace reading as the metrics API would have answered, for the listed pods. */
export function readingOf(reading: TraceReading | undefined, type: string, pods: readonly TracePod[], tMs: number): MetricReading {
  if (reading === undefined) return { error: 'no reading recorded' };
  if ('error' in reading) return { error: reading.error };
  if ('value' in reading) return type === 'External' ? { valuesMilli: [Math.round(reading.value * 1000)] } : { valueMilli: Math.round(reading.value * 1000), timestampMs: tMs };
  const listed = pods.filter((p) => reading.podValues[p.name] !== undefined);
  if (type === 'Resource' || type === 'ContainerResource') {
    return {
      podMetrics: listed.map((p) => ({ podName: p.name, timestampMs: tMs, windowSeconds: 60, containers: [{ name: Object.keys(p.requestsMilli ?? {})[0] ?? 'main', usageMilli: { cpu: Math.round(reading.podValues[p.name]! * 1000), memory: Math.round(reading.podValues[p.name]! * 1000) } }] })),
    };
  }
  return { podValues: listed.map((p) => ({ podName: p.name, valueMilli: Math.round(reading.podValues[p.name]! * 1000), timestampMs: tMs })) };
}

function windowMs(hpa: HorizontalPodAutoscaler): number {
  const b = hpa.spec.behavior;
  return Math.max(b?.scaleDown?.stabilizationWindowSeconds ?? 300, b?.scaleUp?.stabilizationWindowSeconds ?? 0) * 1000;
}

/**
 * A replayer for one trace: push its `sync` lines in order, then `finish()`.
 *
 * @example
 * const r = createReplayer(header);
 * for await (const s of syncs) r.push(s);
 * r.finish().agreement // -> 0.995
 */
export function createReplayer(header: TraceHeader, options: ReplayOptions = {}): { push(sync: TraceSync): void; finish(): ReplayReport } {
  const version = options.kubernetesVersion ?? header.kubernetesVersion ?? LATEST_KUBERNETES_VERSION;
  const maxKept = options.maxDisagreements ?? 1000;
  const runs = new Map<string, HpaRun>();
  for (const def of header.hpas) {
    const hpa = applyHpaDefaults(def.spec);
    runs.set(hpaKey(def), { def, hpa, labels: labelsForSelector(def.selector), warmUpMs: windowMs(hpa), state: createInitialState(), firstMs: undefined, prev: undefined, pending: undefined, syncs: 0, compared: 0, agreed: 0, disagreements: [], causes: {} });
  }
  const others = [...new Set([LATEST_KUBERNETES_VERSION, ...SUPPORTED_KUBERNETES_VERSIONS])].filter((v) => v !== version);

  const observe = (run: HpaRun, sync: TraceSync, metricsFrom: TraceSync): { hpa: HorizontalPodAutoscaler; observation: Observation } => {
    const before = run.prev?.specReplicas ?? sync.currentReplicas ?? sync.specReplicas ?? 0;
    const spec = run.hpa.spec;
    const min = sync.minReplicas ?? spec.minReplicas;
    const max = sync.maxReplicas ?? spec.maxReplicas;
    const hpa = min === spec.minReplicas && max === spec.maxReplicas ? run.hpa : { ...run.hpa, spec: { ...spec, ...(min === undefined ? {} : { minReplicas: min }), maxReplicas: max } };
    const types = (spec.metrics ?? []).map((m) => String(m.type));
    return {
      hpa,
      observation: {
        scale: { specReplicas: before, statusReplicas: sync.statusReplicas ?? before, selector: run.def.selector },
        pods: podInfosOf(sync.pods, run.labels, sync.tMs),
        metrics: types.map((type, i) => readingOf(metricsFrom.metrics[i], type, sync.pods, sync.tMs)),
      },
    };
  };
  const decide = (run: HpaRun, sync: TraceSync, metricsFrom: TraceSync, kubernetesVersion: string): { decision: Decision; state: AutoscalerState } => {
    const { hpa, observation } = observe(run, sync, metricsFrom);
    return reconcile({ hpa, observation, state: run.state, nowMs: sync.tMs, config: { kubernetesVersion } });
  };

  const classify = (run: HpaRun, sync: TraceSync, next: TraceSync | undefined, recorded: number): { cause: DisagreementCause; detail: string; steps: string } => {
    const prev = run.prev;
    if (prev !== undefined && prev.specReplicas !== null && prev.desiredReplicas !== null && prev.specReplicas !== prev.desiredReplicas) {
      return { cause: 'manual-scale', detail: `the target's size was ${prev.specReplicas} while the HPA's last decision was ${prev.desiredReplicas}`, steps: conditionsText(sync) };
    }
    const live = sync.pods.filter((p) => p.deleting !== true).length;
    if (sync.specReplicas !== null && live > sync.specReplicas && (prev?.specReplicas ?? 0) <= sync.specReplicas && sync.statusReplicas !== null && sync.statusReplicas > sync.specReplicas) {
      return { cause: 'rollout', detail: `${live} live pods for a size of ${sync.specReplicas}: a rollout's surge`, steps: conditionsText(sync) };
    }
    for (const [label, other] of [['previous', prev], ['next', next]] as const) {
      if (other === undefined) continue;
      const alt = decide(run, sync, other, version).decision;
      if (alt.desiredReplicas === recorded) return { cause: 'stale-metric', detail: `with the ${label} step's readings the engine decides ${recorded}, as recorded`, steps: formatExplanation(alt.explanation) };
    }
    for (const v of others) {
      const alt = decide(run, sync, sync, v).decision;
      if (alt.desiredReplicas === recorded) return { cause: 'version-difference', detail: `Kubernetes ${v}'s rules decide ${recorded}, as recorded (replayed with ${version})`, steps: formatExplanation(alt.explanation) };
    }
    return { cause: 'history', detail: 'no hypothesis reproduces it: the controller remembered recommendations or scale events from before the recording', steps: conditionsText(sync) };
  };

  const process = (run: HpaRun, sync: TraceSync, next: TraceSync | undefined): void => {
    run.firstMs ??= sync.tMs;
    run.syncs++;
    const { decision, state } = decide(run, sync, sync, version);
    const recorded = sync.desiredReplicas;
    if (recorded !== null && sync.tMs - run.firstMs >= run.warmUpMs) {
      run.compared++;
      if (decision.desiredReplicas === recorded) run.agreed++;
      else {
        const c = classify(run, sync, next, recorded);
        run.causes[c.cause] = (run.causes[c.cause] ?? 0) + 1;
        if (run.disagreements.length < maxKept) {
          run.disagreements.push({ tMs: sync.tMs, hpa: hpaKey(run.def), recorded, replayed: decision.desiredReplicas, cause: c.cause, detail: c.detail, replayedSteps: formatExplanation(decision.explanation), recordedSteps: c.steps });
        }
      }
    }
    options.onSync?.({ sync, replayed: decision.desiredReplicas, decision });
    run.state = state;
    run.prev = sync;
  };

  return {
    push(sync) {
      const run = runs.get(sync.hpa);
      if (run === undefined) return;
      if (run.pending !== undefined) process(run, run.pending, sync);
      run.pending = sync;
    },
    finish() {
      for (const run of runs.values()) {
        if (run.pending !== undefined) process(run, run.pending, undefined);
        run.pending = undefined;
      }
      const hpas: HpaReplay[] = [...runs.values()].map((r) => ({
        hpa: hpaKey(r.def),
        syncs: r.syncs,
        compared: r.compared,
        agreed: r.agreed,
        agreement: r.compared === 0 ? 1 : r.agreed / r.compared,
        warmUpSeconds: r.warmUpMs / 1000,
        disagreements: r.disagreements,
        causes: r.causes,
      }));
      const compared = hpas.reduce((a, h) => a + h.compared, 0);
      const agreed = hpas.reduce((a, h) => a + h.agreed, 0);
      return { kubernetesVersion: version, hpas, compared, agreed, agreement: compared === 0 ? 1 : agreed / compared };
    },
  };
}

function conditionsText(sync: TraceSync): string {
  const parts = Object.entries(sync.conditions).map(([k, v]) => `${k}=${v}`);
  return `recorded: desiredReplicas ${sync.desiredReplicas ?? '?'}, size ${sync.specReplicas ?? '?'}${parts.length > 0 ? `, ${parts.join(', ')}` : ''}`;
}
