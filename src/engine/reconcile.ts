/**
 * One pass of the HPA controller over one HPA, as a pure function.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/horizontal.go reconcileAutoscaler
 */
import { setConditionInPlace } from './conditions.js';
import { computeReplicasForMetrics } from './compute-replicas-for-metrics.js';
import { resolveControllerConfig } from './defaults.js';
import { tolerancesForHpa } from './tolerance-for-hpa.js';
import { versionRuleApplies } from './versions.js';
import type { ExplainStep } from './explain.js';
import { convertDesiredReplicasWithBehaviorRate, convertDesiredReplicasWithRules } from './rate-limit.js';
import { storeScaleEvent } from './scale-events.js';
import { stabilize, stabilizeWithBehaviors } from './stabilization.js';
import { statusEqual } from './status-equal.js';
import type {
  AutoscalerState,
  ControllerConfigInput,
  HorizontalPodAutoscaler,
  HorizontalPodAutoscalerCondition,
  HorizontalPodAutoscalerConditionType,
  HorizontalPodAutoscalerStatus,
  HPAScalingRules,
  HpaEvent,
  MetricStatus,
  Observation,
} from './types.js';

export interface ReconcileInput {
  /** The HPA with API defaults applied (see `applyHpaDefaults`). */
  readonly hpa: HorizontalPodAutoscaler;
  readonly observation: Observation;
  readonly state: AutoscalerState;
  /** The caller's clock reading, epoch milliseconds. */
  readonly nowMs: number;
  readonly config?: ControllerConfigInput | undefined;
}

/** What one metric contributed, in display units (percent for Utilization). */
export interface MetricProposal {
  readonly name: string;
  readonly label: string;
  readonly type: string;
  readonly current?: number;
  readonly target?: number;
  readonly targetType?: string;
  readonly proposal?: number;
  readonly error?: string;
}

export interface Decision {
  /** `status.desiredReplicas` after this pass. */
  readonly desiredReplicas: number;
  /** Replicas to write to the scale subresource; `null` = no rescale. */
  readonly scaleTo: number | null;
  /** The HPA status this pass writes. */
  readonly status: HorizontalPodAutoscalerStatus;
  /** Whether the status differs from the previous one (upstream skips identical updates). */
  readonly statusChanged: boolean;
  readonly events: readonly HpaEvent[];
  readonly metrics: readonly MetricProposal[];
  readonly explanation: readonly ExplainStep[];
  /** The error upstream's reconcile returns (logged and retried there), if any. */
  readonly error?: string;
}

export interface ReconcileResult {
  readonly decision: Decision;
  readonly state: AutoscalerState;
}

/** How much of the decision a pass builds up front. */
export interface ReconcileOptions {
  /**
   * `false`: the fast path for callers that do not print the decision (simulator, tuner, scan,
   * shadow, replay). The same rules run in the same order, so `desiredReplicas`, `scaleTo`,
   * `events`, `metrics`, `error` and the next `state` are those of the full pass; what only a
   * reader needs is built on first access instead: `explanation` (by re-running the full pass
   * on the same input), `status.currentMetrics` (formatted quantities) and `statusChanged`.
   * Default `true`.
   */
  readonly explain?: boolean;
}

/** State of an HPA the controller has never seen. */
export function createInitialState(): AutoscalerState {
  return { recommendations: null, scaleUpEvents: [], scaleDownEvents: [] };
}

function parseGroupVersion(apiVersion: string | undefined): string | undefined {
  if (!apiVersion) return undefined;
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return undefined;
  if (slash === 0 || slash === apiVersion.length - 1 || apiVersion.indexOf('/', slash + 1) >= 0) return `unexpected GroupVersion string: ${apiVersion}`;
  return undefined;
}

/**
 * Reconciles one HPA: reads the observation, proposes a replica count per metric, combines,
 * stabilizes, rate-limits and clamps, and returns the decision with the next state.
 *
 * When the shell's update of the scale subresource fails, call again with the same input and
 * `observation.rescaleError` set to get upstream's FailedRescale outcome.
 *
 * @example reconcile({ hpa, observation, state: createInitialState(), nowMs: 0 }).decision.desiredReplicas // -> 4
 */
export function reconcile(input: ReconcileInput, options?: ReconcileOptions): ReconcileResult {
  const explain = options?.explain !== false;
  const config = resolveControllerConfig(input.config);
  const { hpa, observation: obs, nowMs } = input;
  const spec = hpa.spec;
  const prev: HorizontalPodAutoscalerStatus = input.state.status ?? hpa.status ?? EMPTY_STATUS;
  const namespace = hpa.metadata.namespace ?? 'default';
  // Only error messages and the explanation name the target.
  const targetOf = () => `${spec.scaleTargetRef.kind}/${spec.scaleTargetRef.name}`;
  const conditions: HorizontalPodAutoscalerCondition[] = prev.conditions ? prev.conditions.slice() : [];
  const events: HpaEvent[] = [];
  // The fast path keeps no steps: every `steps?.push(...)` then skips building its argument.
  const steps: ExplainStep[] | undefined = explain ? [] : undefined;
  const cond = (type: HorizontalPodAutoscalerConditionType, status: 'True' | 'False', reason: string, message: string) => {
    setConditionInPlace(conditions, type, status, reason, message, nowMs);
  };
  let recommendations = input.state.recommendations;
  let scaleUpEvents = input.state.scaleUpEvents;
  let scaleDownEvents = input.state.scaleDownEvents;

  const finish = (
    status: HorizontalPodAutoscalerStatus,
    scaleTo: number | null,
    metrics: readonly MetricProposal[],
    error: string | undefined,
  ): ReconcileResult => {
    const state = { recommendations, scaleUpEvents, scaleDownEvents, status };
    if (steps === undefined) return { decision: new FastDecision(input, prev, { status, scaleTo, events, metrics, error }), state };
    const decision: { -readonly [K in keyof Decision]: Decision[K] } = {
      desiredReplicas: status.desiredReplicas,
      scaleTo,
      status,
      statusChanged: !statusEqual(prev, status),
      events,
      metrics,
      explanation: steps,
    };
    if (error !== undefined) decision.error = error;
    return { decision, state };
  };
  const makeStatus = (currentReplicas: number, desiredReplicas: number, lastScaleTime: number | undefined, currentMetrics: readonly (MetricStatus | null)[] | undefined): HorizontalPodAutoscalerStatus => {
    const st: { -readonly [K in keyof HorizontalPodAutoscalerStatus]: HorizontalPodAutoscalerStatus[K] } = { currentReplicas, desiredReplicas };
    if (lastScaleTime !== undefined) st.lastScaleTime = lastScaleTime;
    if (currentMetrics !== undefined) st.currentMetrics = currentMetrics;
    st.conditions = conditions;
    return st;
  };

  const scaleToZeroCondition = config.featureGates.HPAScaleToZero && versionRuleApplies('ScaleToZeroCondition', config.kubernetesVersion);
  steps?.push({
    kind: 'version',
    kubernetesVersion: config.kubernetesVersion,
    featureGates: config.featureGates,
    tolerances: tolerancesForHpa(hpa, config),
    toleranceFields: { scaleUp: spec.behavior?.scaleUp?.tolerance != null, scaleDown: spec.behavior?.scaleDown?.tolerance != null },
  });

  // 1. The scale subresource.
  const gvError = parseGroupVersion(spec.scaleTargetRef.apiVersion);
  if (gvError !== undefined || 'error' in obs.scale) {
    const err = gvError ?? (obs.scale as { error: string }).error;
    events.push({ type: 'Warning', reason: 'FailedGetScale', message: err });
    cond('AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${err}`);
    steps?.push({ kind: 'scale', target: targetOf(), error: err });
    return finish(makeStatus(prev.currentReplicas, prev.desiredReplicas, prev.lastScaleTime, prev.currentMetrics), null, [], `failed to query scale subresource for ${targetOf()}: ${err}`);
  }
  const scale = obs.scale;
  cond('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
  const currentReplicas = scale.specReplicas;
  steps?.push({ kind: 'scale', target: targetOf(), currentReplicas, statusReplicas: scale.statusReplicas });
  // recordInitialRecommendation: first sight records the current size.
  if (recommendations === null) recommendations = [{ recommendation: currentReplicas, timestampMs: nowMs }];

  const minReplicas = spec.minReplicas ?? 1;
  let desiredReplicas = 0;
  let rescaleReason = '';
  let rescale = true;
  let metricStatuses: readonly (MetricStatus | null)[] | undefined;
  let proposals: MetricProposal[] = [];
  let softError: string | undefined;

  // From 1.36 with HPAScaleToZero, 0 replicas means "disabled" unless this controller put the
  // target there (ScaledToZero=True); before, only when minReplicas is not 0.
  const scaledToZero = scaleToZeroCondition && conditions.some((c) => c.type === 'ScaledToZero' && c.status === 'True');
  if (currentReplicas === 0 && (scaleToZeroCondition ? !scaledToZero : minReplicas !== 0)) {
    desiredReplicas = 0;
    rescale = false;
    cond('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    steps?.push({ kind: 'precheck', outcome: 'disabled', currentReplicas, desiredReplicas: 0, scaleToZeroCondition });
  } else if (currentReplicas > spec.maxReplicas) {
    rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
    desiredReplicas = spec.maxReplicas;
    steps?.push({ kind: 'precheck', outcome: 'aboveMax', currentReplicas, desiredReplicas });
  } else if (currentReplicas < minReplicas) {
    rescaleReason = 'Current number of replicas below Spec.MinReplicas';
    desiredReplicas = minReplicas;
    steps?.push({ kind: 'precheck', outcome: 'belowMin', currentReplicas, desiredReplicas });
  } else {
    const computed = computeReplicasForMetrics(input, { config, specReplicas: scale.specReplicas, statusReplicas: scale.statusReplicas, namespace, steps, events, cond, explain });
    metricStatuses = computed.statuses;
    proposals = computed.proposals;
    if (computed.replicas === -1) {
      const err = computed.error ?? 'failed to compute desired number of replicas';
      events.push({ type: 'Warning', reason: 'FailedComputeMetricsReplicas', message: err });
      steps?.push({ kind: 'result', currentReplicas, desiredReplicas: prev.desiredReplicas, rescale: false, reasonText: '', error: err });
      return finish(
        makeStatus(currentReplicas, prev.desiredReplicas, prev.lastScaleTime, metricStatuses),
        null,
        proposals,
        `failed to compute desired number of replicas based on listed metrics for ${targetOf()}: ${err}`,
      );
    }
    softError = computed.error;
    let rescaleMetric = '';
    if (computed.replicas > desiredReplicas) {
      desiredReplicas = computed.replicas;
      rescaleMetric = computed.metric;
    }
    if (desiredReplicas > currentReplicas) rescaleReason = `${rescaleMetric} above target`;
    if (desiredReplicas < currentReplicas) rescaleReason = 'All metrics below target';

    const prenormalized = desiredReplicas;
    if (!spec.behavior) {
      const window = config.downscaleStabilizationWindowSeconds;
      const st = stabilize({ recommendations, desiredReplicas: prenormalized, nowMs, windowSeconds: window });
      recommendations = st.recommendations;
      const held = st.replicas !== prenormalized;
      if (held) cond('AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
      else cond('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
      steps?.push({ kind: 'stabilize', mode: 'legacy', before: prenormalized, after: st.replicas, reason: held ? 'ScaleDownStabilized' : 'ReadyForNewScale', scaleDownWindowSeconds: window });
      const lim = convertDesiredReplicasWithRules({
        currentReplicas,
        desiredReplicas: st.replicas,
        minReplicas,
        maxReplicas: spec.maxReplicas,
        scaleUpLimitFactor: config.scaleUpLimitFactor,
        scaleUpLimitMinimum: config.scaleUpLimitMinimum,
      });
      cond('ScalingLimited', lim.replicas === st.replicas ? 'False' : 'True', lim.reason, lim.message);
      steps?.push({
        kind: 'limit',
        mode: 'legacy',
        currentReplicas,
        before: st.replicas,
        after: lim.replicas,
        reason: lim.reason,
        limited: lim.replicas !== st.replicas,
        minReplicas,
        maxReplicas: spec.maxReplicas,
        limit: lim.limit,
        scaleUpLimitFactor: config.scaleUpLimitFactor,
        scaleUpLimitMinimum: config.scaleUpLimitMinimum,
      });
      desiredReplicas = lim.replicas;
    } else {
      const b = spec.behavior;
      const scaleUpRules = b.scaleUp ?? EMPTY_RULES;
      const scaleDownRules = b.scaleDown ?? EMPTY_RULES;
      const upWindow = scaleUpRules.stabilizationWindowSeconds ?? 0;
      // maybeInitScaleDownStabilizationWindow: nil means the controller's flag.
      const downWindow = scaleDownRules.stabilizationWindowSeconds ?? config.downscaleStabilizationWindowSeconds;
      const st = stabilizeWithBehaviors({
        recommendations,
        currentReplicas,
        desiredReplicas: prenormalized,
        nowMs,
        scaleUpWindowSeconds: upWindow,
        scaleDownWindowSeconds: downWindow,
      });
      recommendations = st.recommendations;
      const held = st.replicas !== prenormalized;
      if (held) cond('AbleToScale', 'True', st.reason, st.message);
      else cond('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
      steps?.push({
        kind: 'stabilize',
        mode: 'behavior',
        before: prenormalized,
        after: st.replicas,
        reason: held ? st.reason : 'ReadyForNewScale',
        scaleUpWindowSeconds: upWindow,
        scaleDownWindowSeconds: downWindow,
        upRecommendation: st.upRecommendation,
        downRecommendation: st.downRecommendation,
      });
      const lim = convertDesiredReplicasWithBehaviorRate({
        currentReplicas,
        desiredReplicas: st.replicas,
        minReplicas,
        maxReplicas: spec.maxReplicas,
        scaleUp: scaleUpRules,
        scaleDown: scaleDownRules,
        scaleUpEvents,
        scaleDownEvents,
        nowMs,
      });
      cond('ScalingLimited', lim.replicas === st.replicas ? 'False' : 'True', lim.reason, lim.message);
      const dir = st.replicas > currentReplicas ? scaleUpRules : st.replicas < currentReplicas ? scaleDownRules : undefined;
      steps?.push({
        kind: 'limit',
        mode: 'behavior',
        currentReplicas,
        before: st.replicas,
        after: lim.replicas,
        reason: lim.reason,
        limited: lim.replicas !== st.replicas,
        minReplicas,
        maxReplicas: spec.maxReplicas,
        selectPolicy: dir?.selectPolicy,
        limit: lim.limit,
        policies: lim.policies,
      });
      desiredReplicas = lim.replicas;
    }
    rescale = desiredReplicas !== currentReplicas;
  }

  if (rescale) {
    if (obs.rescaleError !== undefined) {
      events.push({ type: 'Warning', reason: 'FailedRescale', message: `New size: ${desiredReplicas}; reason: ${rescaleReason}; error: ${obs.rescaleError}` });
      cond('AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${obs.rescaleError}`);
      steps?.push({ kind: 'result', currentReplicas, desiredReplicas, rescale: false, reasonText: rescaleReason, error: `rescale failed: ${obs.rescaleError}` });
      return finish(makeStatus(currentReplicas, prev.desiredReplicas, prev.lastScaleTime, metricStatuses), null, proposals, `failed to rescale ${targetOf()}: ${obs.rescaleError}`);
    }
    cond('AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desiredReplicas}`);
    if (scaleToZeroCondition) {
      const objectOrExternal = (spec.metrics ?? []).some((m) => m.type === 'Object' || m.type === 'External');
      if (currentReplicas > 0 && desiredReplicas === 0 && minReplicas === 0 && objectOrExternal) {
        cond('ScaledToZero', 'True', 'ScaledToZero', 'the HPA controller scaled the workload to zero');
      } else if (currentReplicas === 0 && desiredReplicas > 0) {
        cond('ScaledToZero', 'False', 'ScaledFromZero', 'the HPA controller scaled the workload from zero');
      }
    }
    events.push({ type: 'Normal', reason: 'SuccessfulRescale', message: `New size: ${desiredReplicas}; reason: ${rescaleReason}` });
    const stored = storeScaleEvent({ behavior: spec.behavior, scaleUpEvents, scaleDownEvents, prevReplicas: currentReplicas, newReplicas: desiredReplicas, nowMs });
    scaleUpEvents = stored.scaleUpEvents;
    scaleDownEvents = stored.scaleDownEvents;
    steps?.push({ kind: 'result', currentReplicas, desiredReplicas, rescale: true, reasonText: rescaleReason });
    return finish(makeStatus(currentReplicas, desiredReplicas, nowMs, metricStatuses), desiredReplicas, proposals, softError);
  }
  if (steps !== undefined && steps[steps.length - 1]?.kind !== 'precheck') steps.push({ kind: 'result', currentReplicas, desiredReplicas: currentReplicas, rescale: false, reasonText: '' });
  return finish(makeStatus(currentReplicas, currentReplicas, prev.lastScaleTime, metricStatuses), null, proposals, softError);
}

/**
 * The fast path's decision: the full pass's fields, with `statusChanged` compared on read and
 * `explanation` computed on first read by running the full pass on the same input (the engine
 * is pure). It holds that input and the previous status, not earlier decisions, so keeping
 * states does not chain memory. Both are prototype getters, not own properties (JSON and deep
 * equality skip them).
 */
class FastDecision implements Decision {
  readonly desiredReplicas: number;
  readonly scaleTo: number | null;
  readonly status: HorizontalPodAutoscalerStatus;
  readonly events: readonly HpaEvent[];
  readonly metrics: readonly MetricProposal[];
  declare readonly error?: string;
  readonly #input: ReconcileInput;
  readonly #prev: HorizontalPodAutoscalerStatus;
  #explanation: readonly ExplainStep[] | undefined;

  constructor(
    input: ReconcileInput,
    prev: HorizontalPodAutoscalerStatus,
    parts: {
      status: HorizontalPodAutoscalerStatus;
      scaleTo: number | null;
      events: readonly HpaEvent[];
      metrics: readonly MetricProposal[];
      error: string | undefined;
    },
  ) {
    this.desiredReplicas = parts.status.desiredReplicas;
    this.scaleTo = parts.scaleTo;
    this.status = parts.status;
    this.events = parts.events;
    this.metrics = parts.metrics;
    if (parts.error !== undefined) (this as { error?: string }).error = parts.error;
    this.#input = input;
    this.#prev = prev;
  }

  get statusChanged(): boolean {
    return !statusEqual(this.#prev, this.status);
  }

  get explanation(): readonly ExplainStep[] {
    this.#explanation ??= reconcile(this.#input).decision.explanation;
    return this.#explanation;
  }
}

const EMPTY_STATUS: HorizontalPodAutoscalerStatus = { currentReplicas: 0, desiredReplicas: 0 };
const EMPTY_RULES: HPAScalingRules = {};

const FAST: ReconcileOptions = { explain: false };

/**
 * `reconcile(input, { explain: false })`: the decision without its explanation, for callers
 * that do not print it. Same rules, same numbers, same next state.
 *
 * @example reconcileFast({ hpa, observation, state: createInitialState(), nowMs: 0 }).decision.desiredReplicas // -> 4
 */
export function reconcileFast(input: ReconcileInput): ReconcileResult {
  return reconcile(input, FAST);
}
