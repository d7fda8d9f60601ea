import { HorizontalPodAutoscaler as KubernetesHpaModel } from 'kubernetes-models/autoscaling/v2';
import type { HorizontalPodAutoscaler, ObjectMeta } from '../engine/index.js';
import {
  hpaObjectSchema,
  type HpaObjectInput,
  type MetricSpecInput,
  type MetricTargetInput,
  type ScalingRulesInput,
} from './hpa-schema.js';
import { describeValue, formatWarning, InputError, joinPath } from '../core/index.js';
import { isQuantity, parseQuantityMilli, QUANTITY_EXPECTATION } from './manifest-quantity.js';
import type { FieldPath } from './yaml-source.js';
import { fromZodIssue, type SpecIssue } from './zod-issue.js';

export type { SpecIssue } from './zod-issue.js';

/** A non-fatal remark about a valid HPA, with its field path. */
export interface SpecWarning {
  readonly path: FieldPath;
  readonly detail: string;
}

/** What `checkHpa()` found: the HPA when there is no issue, else every issue found. */
export interface HpaCheck {
  readonly hpa?: HorizontalPodAutoscaler;
  readonly issues: readonly SpecIssue[];
  readonly warnings: readonly SpecWarning[];
}

/** The `spec.metrics[i]` member each metric source type needs. */
const SOURCE_MEMBER = {
  Resource: 'resource',
  ContainerResource: 'containerResource',
  Pods: 'pods',
  Object: 'object',
  External: 'external',
} as const;

/** Target types each metric source supports (what the controller computes for it). */
const ALLOWED_TARGET_TYPES: Readonly<Record<keyof typeof SOURCE_MEMBER, readonly string[]>> = {
  Resource: ['Utilization', 'AverageValue'],
  ContainerResource: ['Utilization', 'AverageValue'],
  Pods: ['AverageValue'],
  Object: ['Value', 'AverageValue'],
  External: ['Value', 'AverageValue'],
};

/** The target field each target type reads. */
const TARGET_FIELD = { Utilization: 'averageUtilization', AverageValue: 'averageValue', Value: 'value' } as const;

/** Why an older apiVersion is refused, and what to do instead. */
const OLD_API_VERSIONS: Readonly<Record<string, string>> = {
  'autoscaling/v1':
    "autoscaling/v1 only has 'targetCPUUtilizationPercentage': rewrite it as autoscaling/v2 'spec.metrics' with a Resource cpu Utilization target",
  'autoscaling/v2beta2':
    "autoscaling/v2beta2 was removed in Kubernetes 1.26: its fields are the same as autoscaling/v2, so change 'apiVersion' to autoscaling/v2",
  'autoscaling/v2beta1':
    "autoscaling/v2beta1 was removed in Kubernetes 1.25: change 'apiVersion' to autoscaling/v2 and rewrite 'targetAverageUtilization'/'targetAverageValue' as 'target: {type, averageUtilization | averageValue | value}'",
};

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Checks one object against autoscaling/v2 HorizontalPodAutoscaler: the zod schema (structure,
 * enums, integer ranges, unknown fields), upstream's semantic validation (target type per
 * source, positive quantities, minReplicas <= maxReplicas, scale-to-zero needs an Object or
 * External metric, non-empty policies), then the official OpenAPI schema (`kubernetes-models`).
 * No defaults are applied: absent fields stay absent (the engine's `applyHpaDefaults` owns that).
 * `null` fields count as absent, as in Kubernetes.
 *
 * @example checkHpa({ apiVersion: 'autoscaling/v1', ... }).issues[0].path // -> ['apiVersion']
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/autoscaling/validation/validation.go
 */
export function checkHpa(raw: unknown): HpaCheck {
  if (!isPlainObject(raw)) {
    return { issues: [{ code: 'schema', path: [], detail: `expected a mapping (a Kubernetes object), got ${describeValue(raw)}` }], warnings: [] };
  }
  const input = stripNulls(raw) as Record<string, unknown>;
  const head = checkTypeMeta(input);
  if (head) return { issues: [head], warnings: [] };

  const parsed = hpaObjectSchema.safeParse(input);
  if (!parsed.success) {
    return { issues: parsed.error.issues.map((i) => fromZodIssue(i, input, hpaObjectSchema)), warnings: [] };
  }
  const data = parsed.data;
  const issues: SpecIssue[] = [];
  const warnings: SpecWarning[] = [];
  checkSemantics(data, issues, warnings);
  if (issues.length > 0) return { issues, warnings };

  const hpa = toHpa(data);
  const modelIssue = checkHpaOpenApi(hpa);
  if (modelIssue) return { issues: [modelIssue], warnings };
  return { hpa, issues, warnings };
}

/** Where `validateHpa()` reports: the file, a path prefix, and a line lookup. */
export interface ValidateHpaOptions {
  readonly file: string;
  /** Prepended to every reported path, e.g. `['documents', 1]`. */
  readonly pathPrefix?: FieldPath;
  /** 1-based line of a path (relative to the object), for messages. */
  readonly lineOf?: (path: FieldPath) => number | undefined;
}

/**
 * `checkHpa()` that throws the first issue as an `InputError` naming the file, the field path and
 * what was expected; warnings are returned formatted.
 *
 * @throws {InputError} code `schema` or `semantic`.
 * @example validateHpa(doc, { file: 'hpa.yaml' }).hpa.spec.maxReplicas // -> 3
 */
export function validateHpa(
  raw: unknown,
  options: ValidateHpaOptions,
): { readonly hpa: HorizontalPodAutoscaler; readonly warnings: readonly string[] } {
  const prefix = options.pathPrefix ?? [];
  const check = checkHpa(raw);
  const first = check.issues[0];
  if (first || !check.hpa) {
    const issue = first ?? { code: 'schema' as const, path: [], detail: 'expected a HorizontalPodAutoscaler' };
    const line = options.lineOf?.(issue.path);
    throw new InputError(issue.code, options.file, joinPath([...prefix, ...issue.path]), issue.detail, {
      ...(line === undefined ? {} : { line }),
    });
  }
  return {
    hpa: check.hpa,
    warnings: check.warnings.map((w) => formatWarning(options.file, joinPath([...prefix, ...w.path]), w.detail)),
  };
}

function checkTypeMeta(input: Record<string, unknown>): SpecIssue | undefined {
  const { apiVersion, kind } = input;
  if (kind !== 'HorizontalPodAutoscaler') {
    const lead = kind === undefined ? 'required field is missing: ' : '';
    const got = kind === undefined ? '' : `, got ${describeValue(kind)}`;
    return { code: 'schema', path: ['kind'], detail: `${lead}expected 'HorizontalPodAutoscaler'${got}` };
  }
  if (apiVersion === 'autoscaling/v2') return undefined;
  if (apiVersion === undefined) {
    return { code: 'schema', path: ['apiVersion'], detail: "required field is missing: expected 'autoscaling/v2'" };
  }
  const why = typeof apiVersion === 'string' ? OLD_API_VERSIONS[apiVersion] : undefined;
  return {
    code: 'schema',
    path: ['apiVersion'],
    detail: `expected 'autoscaling/v2', got ${describeValue(apiVersion)}${why ? `: ${why}` : ''}`,
  };
}

function checkSemantics(data: HpaObjectInput, issues: SpecIssue[], warnings: SpecWarning[]): void {
  const { metadata, spec } = data;
  if (metadata.name.length > 253 || !DNS1123_SUBDOMAIN.test(metadata.name)) {
    issues.push({
      code: 'schema',
      path: ['metadata', 'name'],
      detail: `expected a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit), got '${metadata.name}'`,
    });
  }
  checkPathSegmentName(spec.scaleTargetRef.kind, ['spec', 'scaleTargetRef', 'kind'], issues);
  checkPathSegmentName(spec.scaleTargetRef.name, ['spec', 'scaleTargetRef', 'name'], issues);
  if (spec.minReplicas !== undefined && spec.maxReplicas < spec.minReplicas) {
    issues.push({
      code: 'semantic',
      path: ['spec', 'maxReplicas'],
      detail: `expected a value >= 'minReplicas' (${spec.minReplicas}), got ${spec.maxReplicas}`,
    });
  }
  const metrics = spec.metrics ?? [];
  metrics.forEach((metric, i) => checkMetric(metric, ['spec', 'metrics', i], issues, warnings));
  if (spec.minReplicas === 0) {
    if (!metrics.some((m) => m.type === 'Object' || m.type === 'External')) {
      issues.push({
        code: 'semantic',
        path: ['spec', 'minReplicas'],
        detail:
          'expected a value >= 1: scaling to zero replicas (HPAScaleToZero) needs at least one Object or External metric, got 0',
      });
    } else {
      warnings.push({
        path: ['spec', 'minReplicas'],
        detail: 'is 0: scaling to zero needs the HPAScaleToZero feature gate (alpha, off by default) on the cluster',
      });
    }
  }
  for (const direction of ['scaleUp', 'scaleDown'] as const) {
    const rules = spec.behavior?.[direction];
    if (rules) checkScalingRules(rules, ['spec', 'behavior', direction], issues);
  }
}

/** Checks one `spec.metrics[i]`: the member for its type, target type and fields, quantities. */
function checkMetric(metric: MetricSpecInput, path: FieldPath, issues: SpecIssue[], warnings: SpecWarning[]): void {
  const member = SOURCE_MEMBER[metric.type];
  const source = metric[member];
  if (source === undefined) {
    issues.push({
      code: 'schema',
      path: [...path, member],
      detail: `required field is missing: metric type '${metric.type}' needs a '${member}' block`,
    });
  }
  for (const other of Object.values(SOURCE_MEMBER)) {
    if (other !== member && metric[other] !== undefined) {
      issues.push({
        code: 'schema',
        path: [...path, other],
        detail: `unexpected for metric type '${metric.type}': expected only '${member}'`,
      });
    }
  }
  if (source === undefined) return;
  if ('metric' in source) checkPathSegmentName(source.metric.name, [...path, member, 'metric', 'name'], issues);
  if ('describedObject' in source) {
    checkPathSegmentName(source.describedObject.kind, [...path, member, 'describedObject', 'kind'], issues);
    checkPathSegmentName(source.describedObject.name, [...path, member, 'describedObject', 'name'], issues);
  }
  if ('container' in source && !DNS1123_LABEL.test(source.container)) {
    issues.push({
      code: 'schema',
      path: [...path, member, 'container'],
      detail: `expected a container name (a DNS-1123 label: lowercase letters, digits and '-'), got '${source.container}'`,
    });
  }
  checkTarget(metric.type, source.target, [...path, member, 'target'], issues, warnings);
}

function checkTarget(
  sourceType: keyof typeof SOURCE_MEMBER,
  target: MetricTargetInput,
  path: FieldPath,
  issues: SpecIssue[],
  warnings: SpecWarning[],
): void {
  const allowed = ALLOWED_TARGET_TYPES[sourceType];
  if (!allowed.includes(target.type)) {
    const list = allowed.map((t) => `'${t}'`).join(allowed.length > 1 ? ' or ' : '');
    issues.push({
      code: 'schema',
      path: [...path, 'type'],
      detail: `expected ${list} for a ${sourceType} metric, got '${target.type}'`,
    });
    return;
  }
  const field = TARGET_FIELD[target.type];
  if (target[field] === undefined) {
    issues.push({
      code: 'schema',
      path: [...path, field],
      detail: `required field is missing: target type '${target.type}' needs '${field}'`,
    });
  }
  for (const key of ['value', 'averageValue'] as const) {
    const q = target[key];
    if (q === undefined) continue;
    if (!isQuantity(q)) {
      issues.push({ code: 'schema', path: [...path, key], detail: `${QUANTITY_EXPECTATION}, got ${describeValue(q)}` });
    } else if (parseQuantityMilli(q) <= 0) {
      issues.push({ code: 'semantic', path: [...path, key], detail: `expected a quantity > 0, got ${describeValue(q)}` });
    }
  }
  // Conflicts upstream rejects; other unused fields are ignored by the controller.
  if ((sourceType === 'Resource' || sourceType === 'ContainerResource') && target.averageUtilization !== undefined && target.averageValue !== undefined) {
    issues.push({
      code: 'schema',
      path: [...path, 'averageValue'],
      detail: `may not be set together with 'averageUtilization': target type '${target.type}' uses '${field}'`,
    });
  } else if (sourceType === 'External' && target.value !== undefined && target.averageValue !== undefined) {
    issues.push({
      code: 'schema',
      path: [...path, 'value'],
      detail: `may not be set together with 'averageValue': target type '${target.type}' uses '${field}'`,
    });
  } else {
    for (const unused of Object.values(TARGET_FIELD)) {
      if (unused !== field && target[unused] !== undefined) {
        warnings.push({ path: [...path, unused], detail: `is ignored: target type '${target.type}' uses '${field}'` });
      }
    }
  }
}

function checkScalingRules(rules: ScalingRulesInput, path: FieldPath, issues: SpecIssue[]): void {
  if (rules.policies !== undefined && rules.policies.length === 0) {
    issues.push({
      code: 'semantic',
      path: [...path, 'policies'],
      detail: "expected at least one policy, got an empty list (omit 'policies' to get the defaults)",
    });
  }
  if (rules.tolerance !== undefined) {
    const q = rules.tolerance;
    if (!isQuantity(q)) {
      issues.push({ code: 'schema', path: [...path, 'tolerance'], detail: `${QUANTITY_EXPECTATION}, got ${describeValue(q)}` });
    } else if (parseQuantityMilli(q) < 0) {
      issues.push({ code: 'semantic', path: [...path, 'tolerance'], detail: `expected a quantity >= 0, got ${describeValue(q)}` });
    }
  }
}

/** `IsValidPathSegmentName`: the name goes into an API URL. */
function checkPathSegmentName(name: string, path: FieldPath, issues: SpecIssue[]): void {
  if (name === '.' || name === '..' || name.includes('/') || name.includes('%')) {
    issues.push({ code: 'schema', path, detail: `expected a name that is not '.' or '..' and has no '/' or '%', got '${name}'` });
  }
}

function toHpa(data: HpaObjectInput): HorizontalPodAutoscaler {
  const { name, namespace, labels, annotations } = data.metadata;
  const metadata: ObjectMeta = {
    name,
    ...(namespace === undefined ? {} : { namespace }),
    ...(labels === undefined ? {} : { labels }),
    ...(annotations === undefined ? {} : { annotations }),
  };
  // zod's output has no `undefined`-valued keys, so it matches the engine's exact optional types.
  return { apiVersion: data.apiVersion, kind: data.kind, metadata, spec: data.spec as HorizontalPodAutoscaler['spec'] };
}

/**
 * Checks an HPA against the official Kubernetes OpenAPI schema (`kubernetes-models`), the second
 * opinion after the zod schema (int32 formats, required fields).
 *
 * @example checkHpaOpenApi({ ...hpa, spec: { ...hpa.spec, maxReplicas: 1.5 } })?.path // -> ['spec', 'maxReplicas']
 */
export function checkHpaOpenApi(hpa: HorizontalPodAutoscaler): SpecIssue | undefined {
  try {
    new KubernetesHpaModel(structuredClone(hpa) as unknown as ConstructorParameters<typeof KubernetesHpaModel>[0]).validate();
    return undefined;
  } catch (error) {
    const first = (error as { errors?: readonly { instancePath?: string; message?: string }[] }).errors?.[0];
    const path = (first?.instancePath ?? '')
      .split('/')
      .filter(Boolean)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
    return {
      code: 'schema',
      path,
      detail: `does not match the Kubernetes OpenAPI schema: ${first?.message ?? (error as Error).message}`,
    };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Removes `null`-valued keys recursively: Kubernetes treats them as absent. */
export function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => stripNulls(v));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== null) out[k] = stripNulls(v);
  }
  return out;
}
