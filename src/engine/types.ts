/**
 * Types of the HPA engine. Spec and status types use the field names of Kubernetes'
 * `autoscaling/v2` API verbatim; observations (pods, metric readings) use the fields the
 * controller reads, with times as epoch milliseconds and quantities as milli-units
 * (Kubernetes `Quantity.MilliValue()`), the unit the controller computes in.
 *
 * @see https://github.com/kubernetes/api/blob/master/autoscaling/v2/types.go
 */

import type { FeatureGates } from './versions.js';

/** A Kubernetes quantity as it appears in a manifest: `"500m"`, `"1350Mi"`, `5`. */
export type Quantity = string | number;

export interface CrossVersionObjectReference {
  readonly kind: string;
  readonly name: string;
  readonly apiVersion?: string;
}

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface MetricIdentifier {
  readonly name: string;
  readonly selector?: LabelSelector | null;
}

export type MetricTargetType = 'Utilization' | 'Value' | 'AverageValue';

export interface MetricTarget {
  readonly type: MetricTargetType | (string & {});
  readonly value?: Quantity;
  readonly averageValue?: Quantity;
  readonly averageUtilization?: number;
}

export interface ResourceMetricSource {
  readonly name: string;
  readonly target?: MetricTarget;
}

export interface ContainerResourceMetricSource {
  readonly name: string;
  readonly container: string;
  readonly target?: MetricTarget;
}

export interface PodsMetricSource {
  readonly metric: MetricIdentifier;
  readonly target: MetricTarget;
}

export interface ObjectMetricSource {
  readonly describedObject: CrossVersionObjectReference;
  readonly metric: MetricIdentifier;
  readonly target: MetricTarget;
}

export interface ExternalMetricSource {
  readonly metric: MetricIdentifier;
  readonly target: MetricTarget;
}

export type MetricSourceType = 'Resource' | 'ContainerResource' | 'Pods' | 'Object' | 'External';

export interface MetricSpec {
  readonly type: MetricSourceType | (string & {});
  readonly resource?: ResourceMetricSource;
  readonly containerResource?: ContainerResourceMetricSource;
  readonly pods?: PodsMetricSource;
  readonly object?: ObjectMetricSource;
  readonly external?: ExternalMetricSource;
}

export type HPAScalingPolicyType = 'Pods' | 'Percent';

export interface HPAScalingPolicy {
  readonly type: HPAScalingPolicyType | (string & {});
  readonly value: number;
  readonly periodSeconds: number;
}

export type ScalingPolicySelect = 'Max' | 'Min' | 'Disabled';

export interface HPAScalingRules {
  /** `null`/absent on scale-down means "the controller's downscale-stabilization flag". */
  readonly stabilizationWindowSeconds?: number | null;
  readonly selectPolicy?: ScalingPolicySelect | (string & {});
  readonly policies?: readonly HPAScalingPolicy[] | null;
  /** KEP-4951 per-direction tolerance (HPAConfigurableTolerance). */
  readonly tolerance?: Quantity | null;
}

export interface HorizontalPodAutoscalerBehavior {
  readonly scaleUp?: HPAScalingRules | null;
  readonly scaleDown?: HPAScalingRules | null;
}

export interface HorizontalPodAutoscalerSpec {
  readonly scaleTargetRef: CrossVersionObjectReference;
  readonly minReplicas?: number;
  readonly maxReplicas: number;
  readonly metrics?: readonly MetricSpec[];
  readonly behavior?: HorizontalPodAutoscalerBehavior | null;
}

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** `ScaledToZero`: Kubernetes 1.36+ with HPAScaleToZero (KEP-2021). */
export type HorizontalPodAutoscalerConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited' | 'ScaledToZero';

export interface HorizontalPodAutoscalerCondition {
  readonly type: HorizontalPodAutoscalerConditionType;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
  /** Epoch milliseconds. */
  readonly lastTransitionTime: number;
}

export interface MetricValueStatus {
  readonly value?: string;
  readonly averageValue?: string;
  readonly averageUtilization?: number;
}

export interface MetricStatus {
  readonly type: string;
  readonly resource?: { readonly name: string; readonly current: MetricValueStatus };
  readonly containerResource?: {
    readonly name: string;
    readonly container: string;
    readonly current: MetricValueStatus;
  };
  readonly pods?: { readonly metric: MetricIdentifier; readonly current: MetricValueStatus };
  readonly object?: {
    readonly describedObject: CrossVersionObjectReference;
    readonly metric: MetricIdentifier;
    readonly current: MetricValueStatus;
  };
  readonly external?: { readonly metric: MetricIdentifier; readonly current: MetricValueStatus };
}

export interface HorizontalPodAutoscalerStatus {
  readonly currentReplicas: number;
  readonly desiredReplicas: number;
  /** Epoch milliseconds of the last successful rescale. */
  readonly lastScaleTime?: number | undefined;
  readonly currentMetrics?: readonly (MetricStatus | null)[] | undefined;
  readonly conditions?: readonly HorizontalPodAutoscalerCondition[] | undefined;
}

export interface HorizontalPodAutoscaler {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: ObjectMeta;
  readonly spec: HorizontalPodAutoscalerSpec;
  readonly status?: HorizontalPodAutoscalerStatus;
}

// ---------------------------------------------------------------------------------------------
// Observation: what the controller reads in one sync.

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** Resource requests of one container, in milli-units (`cpu: 500` = 500m; memory in milli-bytes). */
export type ResourceListMilli = Readonly<Record<string, number>>;

export interface ContainerInfo {
  readonly name: string;
  readonly requestsMilli?: ResourceListMilli;
  /** Init containers only: `Always` marks a sidecar whose requests count. */
  readonly restartPolicy?: string;
}

/** The fields of a core/v1 Pod that the HPA controller reads. */
export interface PodInfo {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly phase: PodPhase | (string & {});
  /** `metadata.deletionTimestamp` is set. */
  readonly deleting?: boolean;
  /** `status.startTime`; absent means nil. */
  readonly startTimeMs?: number;
  /** The `Ready` condition; absent means the pod has none. */
  readonly ready?: { readonly status: ConditionStatus | (string & {}); readonly lastTransitionTimeMs: number };
  readonly containers?: readonly ContainerInfo[];
  readonly initContainers?: readonly ContainerInfo[];
  /** Pod-level `spec.resources.requests` (PodLevelResources). */
  readonly podRequestsMilli?: ResourceListMilli;
}

/** One PodMetrics item of metrics.k8s.io. */
export interface PodMetricsItem {
  readonly podName: string;
  readonly timestampMs: number;
  readonly windowSeconds: number;
  readonly containers: readonly { readonly name: string; readonly usageMilli: ResourceListMilli }[];
}

/** One value of custom.metrics.k8s.io for a pod. */
export interface PodMetricValue {
  readonly podName: string;
  readonly valueMilli: number;
  readonly timestampMs: number;
  /** `windowSeconds` of the API; absent means 60 s. */
  readonly windowSeconds?: number;
}

/** A metrics API call that failed. */
export interface ReadingError {
  readonly error: string;
}

/**
 * The reading for one metric of `spec.metrics`, in the same position: what the metrics API
 * answered for it, or the error it gave.
 */
export type MetricReading =
  | ReadingError
  | { readonly podMetrics: readonly PodMetricsItem[] } // Resource, ContainerResource
  | { readonly podValues: readonly PodMetricValue[] } // Pods
  | { readonly valueMilli: number; readonly timestampMs?: number } // Object
  | { readonly valuesMilli: readonly number[] }; // External

export interface ScaleSubresource {
  /** `spec.replicas`: the controller's current replicas. */
  readonly specReplicas: number;
  /** `status.replicas`: used by AverageValue Object/External targets. */
  readonly statusReplicas: number;
  /** `status.selector` as a label-selector string. */
  readonly selector: string;
}

export interface Observation {
  /** The scale subresource, or the error reading it produced. */
  readonly scale: ScaleSubresource | ReadingError;
  /** Pods of the namespace (the engine applies the selector). */
  readonly pods: readonly PodInfo[];
  /** One reading per `spec.metrics` entry, same order. */
  readonly metrics: readonly MetricReading[];
  /** Other HPAs of the namespace, for the AmbiguousSelector check. */
  readonly otherHpas?: readonly { readonly name: string; readonly selector: string }[];
  /**
   * Set by a shell whose update of the scale subresource to the size this engine decided
   * failed: re-running the same reconcile with it yields upstream's FailedRescale outcome.
   */
  readonly rescaleError?: string;
}

// ---------------------------------------------------------------------------------------------
// State carried between syncs (plain data, serializable).

export interface TimestampedRecommendation {
  readonly recommendation: number;
  readonly timestampMs: number;
}

export interface ScaleEvent {
  readonly replicaChange: number;
  readonly timestampMs: number;
  readonly outdated: boolean;
}

export interface AutoscalerState {
  /** `null`: the controller has no entry for this HPA yet. */
  readonly recommendations: readonly TimestampedRecommendation[] | null;
  readonly scaleUpEvents: readonly ScaleEvent[];
  readonly scaleDownEvents: readonly ScaleEvent[];
  /** The HPA status as last written. */
  readonly status?: HorizontalPodAutoscalerStatus;
}

// ---------------------------------------------------------------------------------------------
// Controller settings (kube-controller-manager flags).

export interface ControllerConfig {
  readonly tolerance: number;
  readonly downscaleStabilizationWindowSeconds: number;
  readonly cpuInitializationPeriodSeconds: number;
  readonly delayOfInitialReadinessStatusSeconds: number;
  readonly scaleUpLimitFactor: number;
  readonly scaleUpLimitMinimum: number;
  /** The Kubernetes minor version the controller behaves as ("1.38"); default the newest. */
  readonly kubernetesVersion: string;
  /** Gates of that version with `--feature-gates` overrides applied. */
  readonly featureGates: FeatureGates;
}

/**
 * Settings as callers give them: any field may be left out (production default), and
 * `featureGates` holds only the overrides over the version's defaults.
 */
export type ControllerConfigInput = Partial<Omit<ControllerConfig, 'featureGates'>> & {
  readonly featureGates?: Partial<FeatureGates> | undefined;
};

// ---------------------------------------------------------------------------------------------
// Result.

export interface HpaEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}
