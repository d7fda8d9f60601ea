import { z } from 'zod';

/**
 * Structural zod schemas of autoscaling/v2 HorizontalPodAutoscaler (field names, types, enums,
 * integer ranges). Objects are strict: an unknown field (a typo, a v2beta1 field, a mis-indented
 * key) is an error, as with `kubectl apply --validate=strict`. Cross-field rules (target type per
 * source, minReplicas <= maxReplicas, quantity grammar) live in `validate-hpa.ts`.
 *
 * @see https://github.com/kubernetes/api/blob/master/autoscaling/v2/types.go
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/autoscaling/validation/validation.go
 */

/** Largest value of an int32 field. */
export const INT32_MAX = 2_147_483_647;
/** @see validation.go MaxPeriodSeconds */
export const MAX_PERIOD_SECONDS = 1800;
/** @see validation.go MaxStabilizationWindowSeconds */
export const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

export const METRIC_SOURCE_TYPES = ['Resource', 'ContainerResource', 'Pods', 'Object', 'External'] as const;
export const METRIC_TARGET_TYPES = ['Utilization', 'Value', 'AverageValue'] as const;
export const SELECT_POLICIES = ['Max', 'Min', 'Disabled'] as const;
export const SCALING_POLICY_TYPES = ['Pods', 'Percent'] as const;
export const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

const int32 = z.number().int().max(INT32_MAX);
/** A quantity is a string (`"500m"`) or a JSON number (`5`); its grammar is checked later. */
export const quantitySchema = z.union([z.string(), z.number()]);

export const crossVersionObjectReferenceSchema = z.strictObject({
  apiVersion: z.string().optional(),
  kind: z.string().min(1),
  name: z.string().min(1),
});

export const labelSelectorSchema = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(
      z.strictObject({
        key: z.string().min(1),
        operator: z.enum(SELECTOR_OPERATORS),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

export const metricIdentifierSchema = z.strictObject({
  name: z.string().min(1),
  selector: labelSelectorSchema.optional(),
});

export const metricTargetSchema = z.strictObject({
  type: z.enum(METRIC_TARGET_TYPES),
  value: quantitySchema.optional(),
  averageValue: quantitySchema.optional(),
  averageUtilization: int32.min(1).optional(),
});

export const metricSpecSchema = z.strictObject({
  type: z.enum(METRIC_SOURCE_TYPES),
  resource: z.strictObject({ name: z.string().min(1), target: metricTargetSchema }).optional(),
  containerResource: z
    .strictObject({ name: z.string().min(1), container: z.string().min(1), target: metricTargetSchema })
    .optional(),
  pods: z.strictObject({ metric: metricIdentifierSchema, target: metricTargetSchema }).optional(),
  object: z
    .strictObject({
      describedObject: crossVersionObjectReferenceSchema,
      metric: metricIdentifierSchema,
      target: metricTargetSchema,
    })
    .optional(),
  external: z.strictObject({ metric: metricIdentifierSchema, target: metricTargetSchema }).optional(),
});

export const scalingPolicySchema = z.strictObject({
  type: z.enum(SCALING_POLICY_TYPES),
  value: int32.min(1),
  periodSeconds: int32.min(1).max(MAX_PERIOD_SECONDS),
});

export const scalingRulesSchema = z.strictObject({
  stabilizationWindowSeconds: int32.min(0).max(MAX_STABILIZATION_WINDOW_SECONDS).optional(),
  selectPolicy: z.enum(SELECT_POLICIES).optional(),
  policies: z.array(scalingPolicySchema).optional(),
  tolerance: quantitySchema.optional(),
});

export const behaviorSchema = z.strictObject({
  scaleUp: scalingRulesSchema.optional(),
  scaleDown: scalingRulesSchema.optional(),
});

export const hpaSpecSchema = z.strictObject({
  scaleTargetRef: crossVersionObjectReferenceSchema,
  minReplicas: int32.min(0).optional(),
  maxReplicas: int32.min(1),
  metrics: z.array(metricSpecSchema).optional(),
  behavior: behaviorSchema.optional(),
});

/** `metadata` keeps the fields the tools use; the rest of ObjectMeta is accepted and dropped. */
export const objectMetaSchema = z.looseObject({
  name: z.string().min(1),
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

export const hpaObjectSchema = z.strictObject({
  apiVersion: z.literal('autoscaling/v2'),
  kind: z.literal('HorizontalPodAutoscaler'),
  metadata: objectMetaSchema,
  spec: hpaSpecSchema,
  /** Written by the controller; accepted (as `kubectl get -o yaml` prints it) and dropped. */
  status: z.unknown().optional(),
});

export type HpaObjectInput = z.infer<typeof hpaObjectSchema>;
export type MetricSpecInput = z.infer<typeof metricSpecSchema>;
export type MetricTargetInput = z.infer<typeof metricTargetSchema>;
export type ScalingRulesInput = z.infer<typeof scalingRulesSchema>;
