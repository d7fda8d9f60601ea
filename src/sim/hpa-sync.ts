/**
 * The pure part of one HPA sync, written once for every world: reconcile an observation with
 * the engine, keep the autoscaler state between syncs (its windows and the HPA `status`), keep
 * the last decision (its events, per-metric values and explanation), and decide the scale to
 * apply. The simulator (`run.ts`) applies it to its modelled deployment at once; the live
 * controller (`src/controller/controller.ts`) is an async shell around it that reads the target
 * and the metrics, writes the scale, runs the timers and persists the state.
 *
 * Why here: it needs only the engine (and the core below it), so it belongs to the model layer
 * beside the engine's other caller, the simulator; the controller sits above the simulator and
 * may import it, while the simulator may not import the controller. A folder of its own would be
 * one more layer for one file.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/horizontal.go (reconcileAutoscaler)
 */
import {
  applyHpaDefaults,
  createInitialState,
  reconcile,
  type AutoscalerState,
  type ControllerConfigInput,
  type Decision,
  type HorizontalPodAutoscaler,
  type Observation,
  type ReconcileInput,
  type ReconcileResult,
} from '../engine/index.js';

/** Options of `HpaSync`. */
export interface HpaSyncOptions {
  /** The controller's flags (tolerance, windows, ...); the engine's defaults for what is missing. */
  readonly config?: ControllerConfigInput | undefined;
  /** The engine's `reconcile` unless told (a wrapper may time or trace it). */
  readonly reconcile?: ((input: ReconcileInput) => ReconcileResult) | undefined;
}

/** One sync in progress: the engine's result and the scale it asks for. */
export interface SyncPlan {
  readonly input: ReconcileInput;
  readonly result: ReconcileResult;
  /** The replicas to write to the target, or `null` to leave it as it is. */
  readonly scaleTo: number | null;
}

/** One HPA under control: its spec with API defaults, its state and its last decision. */
export class HpaSync {
  readonly name: string;
  #hpa: HorizontalPodAutoscaler;
  readonly #config: ControllerConfigInput | undefined;
  readonly #reconcile: (input: ReconcileInput) => ReconcileResult;
  #state: AutoscalerState = createInitialState();
  #lastDecision: Decision | undefined = undefined;
  #lastSyncMs: number | undefined = undefined;

  constructor(hpa: HorizontalPodAutoscaler, options: HpaSyncOptions = {}) {
    this.#hpa = applyHpaDefaults(hpa);
    this.name = this.#hpa.metadata.name;
    this.#config = options.config;
    this.#reconcile = options.reconcile ?? reconcile;
  }

  /** The HPA with API defaults applied. */
  get hpa(): HorizontalPodAutoscaler {
    return this.#hpa;
  }

  /**
   * Takes a new spec (an edited HPA: `kubectl apply/edit/patch`); the next sync uses it and the
   * state (windows, scale events) carries over, as the controller keeps it per HPA key.
   */
  updateSpec(hpa: HorizontalPodAutoscaler): void {
    this.#hpa = applyHpaDefaults(hpa);
  }

  /** What the controller carries between syncs (recommendations, scale events, `status`). */
  get state(): AutoscalerState {
    return this.#state;
  }

  /** The decision of the last committed sync. */
  get lastDecision(): Decision | undefined {
    return this.#lastDecision;
  }

  /** When the last committed sync ran (ms). */
  get lastSyncMs(): number | undefined {
    return this.#lastSyncMs;
  }

  /** Takes the state over from a saved one (a restarted controller keeps its windows). */
  restore(state: AutoscalerState): void {
    this.#state = state;
  }

  /**
   * Reconciles `observation` at `nowMs` against the current state. Nothing is kept until
   * `commit`: apply `plan.scaleTo` to the target first (when not null); if that fails, `replan`.
   *
   * @example
   * const plan = sync.plan(observation, nowMs);
   * if (plan.scaleTo !== null) target.scaleTo(plan.scaleTo);
   * const decision = sync.commit(plan);
   */
  plan(observation: Observation, nowMs: number): SyncPlan {
    const input: ReconcileInput = this.#config === undefined ? { hpa: this.hpa, observation, state: this.#state, nowMs } : { hpa: this.hpa, observation, state: this.#state, nowMs, config: this.#config };
    return planOf(input, this.#reconcile(input));
  }

  /**
   * The plan when writing its scale failed with `message`: reconcile again with
   * `observation.rescaleError`, whose FailedRescale outcome is kept (as the engine documents).
   */
  replan(failed: SyncPlan, message: string): SyncPlan {
    const input: ReconcileInput = { ...failed.input, observation: { ...failed.input.observation, rescaleError: message } };
    return planOf(input, this.#reconcile(input));
  }

  /** Keeps the plan's state and decision; returns the decision. */
  commit(plan: SyncPlan): Decision {
    this.#state = plan.result.state;
    this.#lastDecision = plan.result.decision;
    this.#lastSyncMs = plan.input.nowMs;
    return plan.result.decision;
  }
}

/** The plan of a result: its scale when it differs from the target's `spec.replicas`. */
function planOf(input: ReconcileInput, result: ReconcileResult): SyncPlan {
  const scaleTo = result.decision.scaleTo;
  const scale = input.observation.scale;
  const current = 'error' in scale ? null : scale.specReplicas;
  return { input, result, scaleTo: scaleTo === current ? null : scaleTo };
}
