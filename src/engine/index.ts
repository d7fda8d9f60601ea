/**
 * The HPA engine: Kubernetes' HorizontalPodAutoscaler algorithm (autoscaling/v2) as pure
 * functions. No I/O, no clock, no randomness: callers pass readings and `nowMs`.
 */
export * from './types.js';
export {
  applyHpaDefaults,
  completeScalingRules,
  defaultBehavior,
  resolveControllerConfig,
  DEFAULT_CONTROLLER_CONFIG,
  DEFAULT_CPU_INITIALIZATION_PERIOD_SECONDS,
  DEFAULT_CPU_UTILIZATION,
  DEFAULT_DOWNSCALE_STABILIZATION_WINDOW_SECONDS,
  DEFAULT_INITIAL_READINESS_DELAY_SECONDS,
  DEFAULT_METRIC_WINDOW_SECONDS,
  DEFAULT_MIN_REPLICAS,
  DEFAULT_SCALE_DOWN_RULES,
  DEFAULT_SCALE_UP_RULES,
  DEFAULT_SYNC_PERIOD_SECONDS,
  DEFAULT_TOLERANCE,
  SCALE_UP_LIMIT_FACTOR,
  SCALE_UP_LIMIT_MINIMUM,
} from './defaults.js';
export { tolerancesForHpa } from './tolerance-for-hpa.js';
export {
  FEATURE_GATES,
  VERSION_RULES,
  LATEST_KUBERNETES_VERSION,
  SUPPORTED_KUBERNETES_VERSIONS,
  OLDEST_KUBERNETES_MINOR,
  NEWEST_KUBERNETES_MINOR,
  SUPPORTED_RANGE_TEXT,
  checkGate,
  defaultFeatureGates,
  describeGate,
  describeVersion,
  gateStage,
  minorOf,
  parseFeatureGates,
  parseKubernetesVersion,
  resolveFeatureGates,
  versionRuleApplies,
  type FeatureGateName,
  type FeatureGates,
  type GateInfo,
  type GateStage,
  type VersionRule,
} from './versions.js';
export { statusEqual } from './status-equal.js';
export { reconcile, reconcileFast, createInitialState, type Decision, type MetricProposal, type ReconcileInput, type ReconcileOptions, type ReconcileResult } from './reconcile.js';
export { computeMetric, metricLabel, resourceSamples, type MetricContext, type MetricOutcome } from './compute-metric.js';
export {
  getResourceReplicas,
  getPlainMetricReplicas,
  getValueMetricReplicas,
  getPerPodMetricReplicas,
  getUsageRatioReplicaCount,
  getResourceUtilizationRatio,
  getMetricUsageRatio,
  countReadyPods,
  sumSaturating,
  sumExternalPerPod,
  type CalcDetail,
  type CalcResult,
  type CalculatorSettings,
} from './replica-calculator.js';
export { groupPods, type PodGroups, type PodSample, type PodSamples, type GroupPodsOptions } from './pod-groups.js';
export { calculateRequests, calculatePodRequestsFromContainers, aggregateContainerRequest, isPodLevelRequestsSet, isSupportedPodLevelResource, podLevelRequest, type RequestsSource } from './requests.js';
export { isWithinTolerance, type Tolerances } from './tolerance.js';
export { stabilize, stabilizeWithBehaviors, type StabilizeResult, type StabilizeWithBehaviorsResult } from './stabilization.js';
export {
  convertDesiredReplicasWithRules,
  convertDesiredReplicasWithBehaviorRate,
  calculateScaleUpLimitWithScalingRules,
  calculateScaleDownLimitWithBehaviors,
  getReplicasChangePerPeriod,
  LIMIT_MESSAGES,
  type LimitReason,
  type LimitResult,
} from './rate-limit.js';
export { storeScaleEvent, getLongestPolicyPeriod } from './scale-events.js';
export { setCondition } from './conditions.js';
export {
  parseLabelSelector as parseSelector,
  matchesLabelSelector as matchesSelector,
  formatMetaLabelSelectorGo as formatLabelSelectorGo,
  type LabelSelector as ParsedSelector,
} from '../core/index.js';
export { parseQuantityMilli, formatMilliQuantity, isQuantity } from '../core/index.js';
export { formatInt64, ceilToInt32, truncToInt32, MAX_INT32, MAX_INT64 } from './int-math.js';
export { describeStep, formatExplanation, type ExplainStep } from './explain.js';
export { syntheticObservation, replicaCurve, classifyCurve, type SyntheticValue, type SyntheticObservationInput, type CurvePattern, type CurvePoint, type ReplicaCurve } from './replica-curve.js';
export type { MetricsSource, MetricsReadInput } from './metrics-source.js';
export type { ClusterTarget } from './cluster-target.js';
