/**
 * Defaults copied from Kubernetes, each with its upstream source. Pinned by tests.
 */
import { defaultFeatureGates, LATEST_KUBERNETES_VERSION, resolveFeatureGates } from './versions.js';
import type {
  ControllerConfig,
  ControllerConfigInput,
  HorizontalPodAutoscaler,
  HorizontalPodAutoscalerBehavior,
  HPAScalingRules,
  MetricSpec,
} from './types.js';

/** @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/config/v1alpha1/defaults.go */
export const DEFAULT_SYNC_PERIOD_SECONDS = 15;
/** `--horizontal-pod-autoscaler-tolerance` @see pkg/controller/podautoscaler/config/v1alpha1/defaults.go */
export const DEFAULT_TOLERANCE = 0.1;
/** `--horizontal-pod-autoscaler-downscale-stabilization` (5 min) @see pkg/controller/podautoscaler/config/v1alpha1/defaults.go */
export const DEFAULT_DOWNSCALE_STABILIZATION_WINDOW_SECONDS = 300;
/** `--horizontal-pod-autoscaler-cpu-initialization-period` (5 min) @see pkg/controller/podautoscaler/config/v1alpha1/defaults.go */
export const DEFAULT_CPU_INITIALIZATION_PERIOD_SECONDS = 300;
/** `--horizontal-pod-autoscaler-initial-readiness-delay` (30 s) @see pkg/controller/podautoscaler/config/v1alpha1/defaults.go */
export const DEFAULT_INITIAL_READINESS_DELAY_SECONDS = 30;
/** `scaleUpLimitFactor` @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/horizontal.go */
export const SCALE_UP_LIMIT_FACTOR = 2;
/** `scaleUpLimitMinimum` @see pkg/controller/podautoscaler/horizontal.go */
export const SCALE_UP_LIMIT_MINIMUM = 4;
/** Window assumed for custom metrics without `windowSeconds` @see pkg/controller/podautoscaler/metrics/client.go */
export const DEFAULT_METRIC_WINDOW_SECONDS = 60;
/** `minReplicas` when unset @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/autoscaling/v2/defaults.go */
export const DEFAULT_MIN_REPLICAS = 1;
/** Metric when `metrics` is empty: CPU at 80 % utilization @see pkg/apis/autoscaling/v2/defaults.go */
export const DEFAULT_CPU_UTILIZATION = 80;

/** Scale-up rules when `behavior` is set but `scaleUp` fields are not @see pkg/apis/autoscaling/v2/defaults.go GenerateHPAScaleUpRules */
export const DEFAULT_SCALE_UP_RULES: Required<Omit<HPAScalingRules, 'tolerance'>> = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};

/**
 * Scale-down rules when `behavior` is set; the window stays nil so the controller substitutes
 * its downscale-stabilization flag. @see pkg/apis/autoscaling/v2/defaults.go GenerateHPAScaleDownRules
 */
export const DEFAULT_SCALE_DOWN_RULES: Required<Omit<HPAScalingRules, 'tolerance'>> = {
  stabilizationWindowSeconds: null,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

/** kube-controller-manager's production settings. */
export const DEFAULT_CONTROLLER_CONFIG: ControllerConfig = {
  tolerance: DEFAULT_TOLERANCE,
  downscaleStabilizationWindowSeconds: DEFAULT_DOWNSCALE_STABILIZATION_WINDOW_SECONDS,
  cpuInitializationPeriodSeconds: DEFAULT_CPU_INITIALIZATION_PERIOD_SECONDS,
  delayOfInitialReadinessStatusSeconds: DEFAULT_INITIAL_READINESS_DELAY_SECONDS,
  scaleUpLimitFactor: SCALE_UP_LIMIT_FACTOR,
  scaleUpLimitMinimum: SCALE_UP_LIMIT_MINIMUM,
  kubernetesVersion: LATEST_KUBERNETES_VERSION,
  featureGates: defaultFeatureGates(LATEST_KUBERNETES_VERSION),
};

const resolved = new WeakMap<ControllerConfigInput, ControllerConfig>();

/**
 * Merges partial settings over the production defaults (memoized per settings object): the
 * gates are those of `kubernetesVersion` (default the newest) with `featureGates` overrides.
 */
export function resolveControllerConfig(partial?: ControllerConfigInput): ControllerConfig {
  if (!partial) return DEFAULT_CONTROLLER_CONFIG;
  let hit = resolved.get(partial);
  if (hit === undefined) {
    hit = mergeConfig(partial);
    resolved.set(partial, hit);
  }
  return hit;
}

function mergeConfig(partial: ControllerConfigInput): ControllerConfig {
  const version = partial.kubernetesVersion ?? LATEST_KUBERNETES_VERSION;
  const { featureGates, ...rest } = partial;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<ControllerConfig>;
  return {
    ...DEFAULT_CONTROLLER_CONFIG,
    ...defined,
    kubernetesVersion: version,
    featureGates: resolveFeatureGates(version, featureGates),
  };
}

/**
 * `copyHPAScalingRules`: each non-nil field of the user's rules replaces the default.
 * A non-nil empty `policies` list replaces the defaults with nothing.
 */
export function completeScalingRules(
  user: HPAScalingRules | null | undefined,
  defaults: Required<Omit<HPAScalingRules, 'tolerance'>>,
): HPAScalingRules {
  const out: { -readonly [K in keyof HPAScalingRules]: HPAScalingRules[K] } = { ...defaults };
  if (user) {
    if (user.selectPolicy != null) out.selectPolicy = user.selectPolicy;
    if (user.stabilizationWindowSeconds != null) out.stabilizationWindowSeconds = user.stabilizationWindowSeconds;
    if (user.policies != null) out.policies = user.policies;
    if (user.tolerance != null) out.tolerance = user.tolerance;
  }
  return out;
}

/** `SetDefaults_HorizontalPodAutoscalerBehavior`: only when `behavior` is set. */
export function defaultBehavior(
  behavior: HorizontalPodAutoscalerBehavior | null | undefined,
): HorizontalPodAutoscalerBehavior | null {
  if (!behavior) return null;
  return {
    scaleUp: completeScalingRules(behavior.scaleUp, DEFAULT_SCALE_UP_RULES),
    scaleDown: completeScalingRules(behavior.scaleDown, DEFAULT_SCALE_DOWN_RULES),
  };
}

/**
 * API-server defaulting of an HPA (`SetDefaults_HorizontalPodAutoscaler`): `minReplicas` 1,
 * CPU 80 % when `metrics` is empty, and complete behavior rules when `behavior` is set.
 * Idempotent.
 *
 * @example applyHpaDefaults(hpa).spec.minReplicas // -> 1 when unset
 */
export function applyHpaDefaults(hpa: HorizontalPodAutoscaler): HorizontalPodAutoscaler {
  const spec = hpa.spec;
  const metrics: readonly MetricSpec[] =
    spec.metrics && spec.metrics.length > 0
      ? spec.metrics
      : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  const behavior = defaultBehavior(spec.behavior);
  const { behavior: _drop, ...rest } = spec;
  void _drop;
  return {
    ...hpa,
    spec: {
      ...rest,
      minReplicas: spec.minReplicas ?? DEFAULT_MIN_REPLICAS,
      metrics,
      ...(behavior ? { behavior } : {}),
    },
  };
}
