/**
 * The HPA controller's sync loop, for real targets: every sync period, for each HPA, read the
 * scale and pods of its target, read its metrics, run the sync step, write the scale, keep the
 * events, and save the state so a restart keeps the windows.
 *
 * This file is the async shell (metrics source reads, scale target, timers, state file) around
 * the pure sync step the simulator uses too: `HpaSync` of `src/sim` (reconcile with the engine,
 * keep the state and the last decision, decide the scale to apply).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/horizontal.go
 */
import type { AutoscalerState, ControllerConfigInput, Decision, HorizontalPodAutoscaler, HorizontalPodAutoscalerStatus, MetricReading, PodInfo, ReadingError, ScaleSubresource, ClusterTarget, MetricsSource } from '../engine/index.js';
import { sleepOn, type Timers, type Clock } from '../core/index.js';
import { HpaSync } from '../sim/index.js';
import { loadControllerState, savedStateOf, saveControllerState, specHashOf, stateKeyOf, type HpaEventRecord, type SavedHpa } from './state-file.js';

/** kube-controller-manager's `--horizontal-pod-autoscaler-sync-period` default. */
export const DEFAULT_SYNC_PERIOD_MS = 15_000;
/** Events kept per HPA (the oldest are dropped). */
export const DEFAULT_MAX_EVENTS = 50;

/** One HPA under control: the autoscaler, what it scales and where its metrics come from. */
export interface ControlledHpa {
  readonly hpa: HorizontalPodAutoscaler;
  readonly target: ClusterTarget;
  readonly metrics: MetricsSource;
  /**
   * The HPA as it stands now, read at the start of each sync (the Kubernetes world's edits:
   * `kubectl apply/edit/patch hpa`); `hpa` is used when absent or when it returns undefined.
   */
  readonly current?: () => HorizontalPodAutoscaler | undefined;
}

export interface ControllerOptions {
  /** Synced in this order every period. Names must be unique. */
  readonly hpas: readonly ControlledHpa[];
  readonly clock: Clock;
  readonly timers: Timers;
  /** 15 s unless told. */
  readonly syncPeriodMs?: number;
  /** Where the state is loaded from at start and saved after every decision; none unless told. */
  readonly statePath?: string;
  readonly config?: ControllerConfigInput | undefined;
  readonly namespace?: string;
  readonly maxEvents?: number;
  /** Called after each HPA's sync (the `up` command prints a watch line from it). */
  readonly onSync?: (result: SyncResult) => void;
}

/** What one sync of one HPA did. */
export interface SyncResult {
  readonly name: string;
  readonly nowMs: number;
  readonly decision: Decision;
  /** The target's scale before the decision, or the error reading it. */
  readonly scale: ScaleSubresource | ReadingError;
  /** True when `decision.scaleTo` was written to the target. */
  readonly rescaled: boolean;
  /** The HPA after this sync, as `views()` shows it. */
  readonly view: HpaView;
}

/** An HPA as `kubectl get/describe hpa` shows it. */
export interface HpaView {
  readonly name: string;
  /** With API defaults applied. */
  readonly hpa: HorizontalPodAutoscaler;
  readonly status: HorizontalPodAutoscalerStatus | undefined;
  readonly createdMs: number;
  readonly events: readonly HpaEventRecord[];
  readonly lastSyncMs: number | undefined;
  /** The last decision's per-metric values and explanation. */
  readonly lastDecision: Pick<Decision, 'desiredReplicas' | 'scaleTo' | 'metrics' | 'explanation'> | undefined;
}

export interface Controller {
  readonly syncPeriodMs: number;
  /** Loads the state file, syncs at once (resolving after that first sync), then every period until `stop`. */
  start(): Promise<void>;
  /** Ends the loop after the sync in progress; the state is saved. */
  stop(): Promise<void>;
  /** One sync of every HPA (loads the state file first if not yet loaded). */
  syncOnce(): Promise<SyncResult[]>;
  views(): HpaView[];
  /** The engine state of one HPA (for tests and the explain view). */
  stateOf(name: string): AutoscalerState | undefined;
}

interface Entry {
  readonly controlled: ControlledHpa;
  readonly sync: HpaSync;
  /** The last `current()` answer the sync's spec was taken from. */
  source: HorizontalPodAutoscaler | undefined;
  readonly name: string;
  createdMs: number;
  events: HpaEventRecord[];
  /** The target's replicas after the last sync, saved for a restart. */
  replicas: number | undefined;
}

const viewOf = (e: Entry): HpaView => {
  const d = e.sync.lastDecision;
  return {
    name: e.name,
    hpa: e.sync.hpa,
    status: e.sync.state.status,
    createdMs: e.createdMs,
    events: e.events.slice(),
    lastSyncMs: e.sync.lastSyncMs,
    lastDecision: d === undefined ? undefined : { desiredReplicas: d.desiredReplicas, scaleTo: d.scaleTo, metrics: d.metrics, explanation: d.explanation },
  };
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Creates the controller. Nothing runs until `start` or `syncOnce`.
 *
 * On each HPA: a failed `getScale` is the engine's FailedGetScale; a metrics source that throws
 * gives an error reading per metric; when `setReplicas` fails, reconcile runs again with
 * `observation.rescaleError` and its FailedRescale outcome is kept, as the engine documents.
 *
 * @throws {RangeError} when two HPAs share a name or `syncPeriodMs` is not > 0
 * @example
 * const controller = createController({ hpas: [{ hpa, target: pool, metrics: scraper }], clock, timers, syncPeriodMs: 1_000, statePath: '.hpa-lab/state.json' });
 * await controller.start();
 * controller.views()[0].status?.desiredReplicas; // -> 3
 */
export function createController(options: ControllerOptions): Controller {
  const { clock, timers } = options;
  const syncPeriodMs = options.syncPeriodMs ?? DEFAULT_SYNC_PERIOD_MS;
  if (!(syncPeriodMs > 0) || !Number.isFinite(syncPeriodMs)) {
    throw new RangeError(`Cannot create the controller as 'syncPeriodMs' must be a finite number > 0: got ${syncPeriodMs}`);
  }
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  const namespace = options.namespace ?? 'default';
  const entries: Entry[] = [];
  for (const c of options.hpas) {
    const name = c.hpa.metadata.name;
    if (entries.some((e) => e.name === name)) throw new RangeError(`Cannot create the controller as two HPAs are named '${name}'`);
    entries.push({ controlled: c, sync: new HpaSync(c.hpa, { config: options.config }), source: undefined, name, createdMs: clock.now(), events: [], replicas: undefined });
  }

  let loaded: Promise<void> | undefined;
  const load = (): Promise<void> =>
    (loaded ??= (async () => {
      if (options.statePath === undefined) return;
      const saved = await loadControllerState(options.statePath);
      for (const e of entries) {
        const s = savedStateOf(saved, e.controlled.hpa, namespace);
        if (s === undefined) continue;
        e.sync.restore(s.state);
        e.createdMs = s.createdMs;
        e.events = s.events.slice(-maxEvents);
      }
    })());

  let saving: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    const path = options.statePath;
    if (path === undefined) return Promise.resolve();
    const hpas: Record<string, SavedHpa> = {};
    for (const e of entries) {
      const replicas = e.replicas === undefined ? {} : { replicas: e.replicas };
      hpas[stateKeyOf(e.controlled.hpa, namespace)] = { createdMs: e.createdMs, state: e.sync.state, events: e.events, specHash: specHashOf(e.controlled.hpa), ...replicas };
    }
    const nowMs = clock.now();
    // Writes run one after another, each with the newest content.
    saving = saving.then(() => saveControllerState(path, hpas, nowMs));
    return saving;
  };

  const record = (e: Entry, nowMs: number, events: readonly { type: 'Normal' | 'Warning'; reason: string; message: string }[]): void => {
    for (const ev of events) {
      const same = e.events.findIndex((x) => x.type === ev.type && x.reason === ev.reason && x.message === ev.message);
      if (same >= 0) {
        const old = e.events[same] as HpaEventRecord;
        e.events.splice(same, 1);
        e.events.push({ ...old, lastMs: nowMs, count: old.count + 1 });
      } else {
        e.events.push({ type: ev.type, reason: ev.reason, message: ev.message, firstMs: nowMs, lastMs: nowMs, count: 1 });
      }
    }
    if (e.events.length > maxEvents) e.events.splice(0, e.events.length - maxEvents);
  };

  const syncHpa = async (e: Entry): Promise<SyncResult> => {
    const nowMs = clock.now();
    const current = e.controlled.current?.();
    if (current !== undefined && current !== e.source) {
      e.source = current;
      e.sync.updateSpec(current);
    }
    const { target, metrics: source } = e.controlled;
    const hpa = e.sync.hpa;
    let scale: ScaleSubresource | ReadingError;
    try {
      scale = await target.getScale();
    } catch (error) {
      scale = { error: messageOf(error) };
    }
    let pods: PodInfo[] = [];
    let metrics: MetricReading[] = [];
    if (!('error' in scale)) {
      try {
        pods = await target.listPods();
      } catch (error) {
        const err = `unable to list the target's pods: ${messageOf(error)}`;
        metrics = (hpa.spec.metrics ?? []).map(() => ({ error: err }));
      }
      if (metrics.length === 0) {
        try {
          metrics = await source.read({ hpa, pods, namespace, selector: scale.selector, nowMs });
        } catch (error) {
          const err = messageOf(error);
          metrics = (hpa.spec.metrics ?? []).map(() => ({ error: err }));
        }
      }
    }
    let plan = e.sync.plan({ scale, pods, metrics }, nowMs);
    let rescaled = false;
    if (plan.scaleTo !== null) {
      try {
        await target.setReplicas(plan.scaleTo);
        rescaled = true;
      } catch (error) {
        plan = e.sync.replan(plan, messageOf(error));
      }
    }
    if (rescaled && plan.scaleTo !== null) e.replicas = plan.scaleTo;
    else if (!('error' in scale)) e.replicas = scale.specReplicas;
    const d = e.sync.commit(plan);
    record(e, nowMs, d.events);
    return { name: e.name, nowMs, decision: d, scale, rescaled, view: viewOf(e) };
  };

  const syncOnce = async (): Promise<SyncResult[]> => {
    await load();
    const results: SyncResult[] = [];
    for (const e of entries) {
      const r = await syncHpa(e);
      results.push(r);
      try {
        await save();
      } catch (error) {
        record(e, r.nowMs, [{ type: 'Warning', reason: 'FailedSaveState', message: `cannot save the controller state to '${options.statePath ?? ''}': ${messageOf(error)}` }]);
        saving = Promise.resolve();
      }
      options.onSync?.(r);
    }
    return results;
  };

  const stopper = new AbortController();
  let loop: Promise<void> | undefined;
  return {
    syncPeriodMs,
    async start() {
      if (loop !== undefined) return;
      await load();
      let firstSync: () => void = () => undefined;
      const first = new Promise<void>((r) => (firstSync = r));
      loop = (async () => {
        try {
          // Syncs stay on a fixed grid from the first one (a long sync skips ahead on the grid).
          let nextMs = clock.now();
          while (!stopper.signal.aborted) {
            try {
              await syncOnce();
            } catch {
              // syncOnce reports failures as events; an unexpected throw must not end the loop.
            }
            firstSync();
            if (stopper.signal.aborted) return;
            const nowMs = clock.now();
            do nextMs += syncPeriodMs;
            while (nextMs <= nowMs);
            await sleepOn(timers, nextMs - nowMs, stopper.signal);
          }
        } finally {
          firstSync();
        }
      })();
      await first;
    },
    async stop() {
      stopper.abort();
      await loop;
      await saving.catch(() => undefined);
    },
    syncOnce,
    views: () => entries.map(viewOf),
    stateOf: (name) => entries.find((e) => e.name === name)?.sync.state,
  };
}
