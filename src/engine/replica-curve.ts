/**
 * The blog's visualization, as data: desired replicas against current replicas when each pod's
 * usage stays fixed, and the pattern it shows (seed 003: the staircase f(x) = x + 1 walks the
 * target to maxReplicas; the fixed point f(x) = x never scales down).
 */
import { applyHpaDefaults } from './defaults.js';
import { reconcile } from './reconcile.js';
import type { ControllerConfigInput, HorizontalPodAutoscaler, MetricReading, Observation, PodInfo, ResourceListMilli } from './types.js';

/** Per-metric reading of a synthetic observation, in milli-units: one value for every pod, or one per pod. */
export type SyntheticValue = number | readonly number[] | { readonly error: string } | undefined;

/** `Array.isArray` that keeps the element type of a readonly list. */
const isNumberList = (v: SyntheticValue): v is readonly number[] => Array.isArray(v);

export interface SyntheticObservationInput {
  readonly hpa: HorizontalPodAutoscaler;
  readonly replicas: number;
  /** Per `spec.metrics` entry: per-pod value (Pods, Resource usage), total (Object, External). */
  readonly values: readonly SyntheticValue[];
  /** Per-pod container requests (one container named `app`), for Utilization targets. */
  readonly requestsMilli?: ResourceListMilli;
  readonly nowMs: number;
  /** Pods started this long ago (default 1 h, past every readiness rule). */
  readonly podAgeSeconds?: number;
}

/**
 * An observation of `replicas` identical, ready pods reading the given values: the input of
 * `explain` and of the web calculator.
 *
 * @example syntheticObservation({ hpa, replicas: 3, values: [5000], nowMs: 0 }).pods.length // -> 3
 */
export function syntheticObservation(input: SyntheticObservationInput): Observation {
  const { hpa, replicas, nowMs } = input;
  const ageMs = (input.podAgeSeconds ?? 3600) * 1000;
  const pods: PodInfo[] = [];
  for (let i = 0; i < replicas; i++) {
    pods.push({
      name: `${hpa.spec.scaleTargetRef.name}-${i}`,
      labels: { app: hpa.spec.scaleTargetRef.name },
      phase: 'Running',
      startTimeMs: nowMs - ageMs,
      ready: { status: 'True', lastTransitionTimeMs: nowMs - ageMs + 1000 },
      containers: [{ name: 'app', ...(input.requestsMilli ? { requestsMilli: input.requestsMilli } : {}) }],
    });
  }
  const perPod = (v: SyntheticValue, i: number): number => (typeof v === 'number' ? v : isNumberList(v) ? (v[i] ?? v[v.length - 1] ?? 0) : 0);
  const metrics: MetricReading[] = (hpa.spec.metrics ?? []).map((m, k): MetricReading => {
    const v = input.values[k];
    if (v === undefined) return { error: 'no value given for this metric' };
    if (typeof v === 'object' && 'error' in v) return { error: v.error };
    switch (m.type) {
      case 'Resource':
      case 'ContainerResource': {
        const resource = (m.resource ?? m.containerResource)?.name ?? 'cpu';
        return {
          podMetrics: pods.map((p, i) => ({ podName: p.name, timestampMs: nowMs, windowSeconds: 60, containers: [{ name: 'app', usageMilli: { [resource]: perPod(v, i) } }] })),
        };
      }
      case 'Pods':
        return { podValues: pods.map((p, i) => ({ podName: p.name, valueMilli: perPod(v, i), timestampMs: nowMs })) };
      case 'Object':
        return { valueMilli: typeof v === 'number' ? v : (v).reduce((a, b) => a + b, 0), timestampMs: nowMs };
      default:
        return { valuesMilli: typeof v === 'number' ? [v] : (v) };
    }
  });
  return { scale: { specReplicas: replicas, statusReplicas: replicas, selector: `app=${hpa.spec.scaleTargetRef.name}` }, pods, metrics };
}

export type CurvePattern = 'staircase' | 'fixed-point' | 'converging' | 'scale-down' | 'mixed';

export interface CurvePoint {
  readonly currentReplicas: number;
  /** Combined proposal clamped to [min, max] (what the HPA heads for, before rate limits). */
  readonly desiredReplicas: number;
  /** Per metric proposal (undefined when the metric failed). */
  readonly perMetric: readonly (number | undefined)[];
}

export interface ReplicaCurve {
  readonly points: readonly CurvePoint[];
  readonly pattern: CurvePattern;
  /** One line naming the pattern and what it means for the user. */
  readonly summary: string;
  /** Where the curve settles when followed from `startReplicas` (a fixed point), if it does. */
  readonly settlesAt?: number;
  /** Per metric, the pattern that metric alone shows. */
  readonly perMetricPattern: readonly CurvePattern[];
}

/** Names the pattern of f(x) over x = 1..max. */
export function classifyCurve(points: readonly { currentReplicas: number; desiredReplicas: number }[], maxReplicas: number): CurvePattern {
  const below = points.filter((p) => p.currentReplicas < maxReplicas);
  if (below.length > 0 && below.every((p) => p.desiredReplicas > p.currentReplicas)) return 'staircase';
  if (points.length > 0 && points.every((p) => p.desiredReplicas === p.currentReplicas)) return 'fixed-point';
  if (points.every((p) => p.desiredReplicas <= p.currentReplicas)) return points.some((p) => p.desiredReplicas === p.currentReplicas) ? 'converging' : 'scale-down';
  // Rises below some size and falls above it: it converges to the sizes where f(x) = x.
  const firstFixed = points.find((p) => p.desiredReplicas === p.currentReplicas);
  if (firstFixed && points.every((p) => (p.currentReplicas < firstFixed.currentReplicas ? p.desiredReplicas >= p.currentReplicas : p.desiredReplicas <= p.currentReplicas))) {
    return 'converging';
  }
  return 'mixed';
}

/** Every size up to this many replicas is a point of the curve; above it the curve is sampled. */
export const CURVE_EVERY_POINT_MAX = 200;
/**
 * Largest size the curve evaluates: each point observes that many pods, so this is a limit of
 * hpa-lab (the time and memory of one `explain`), not of Kubernetes (maxReplicas may be 2^31 - 1).
 */
export const CURVE_MAX_REPLICAS = 10_000;
/** Points drawn above `CURVE_EVERY_POINT_MAX`, spaced geometrically up to the last size. */
const CURVE_SAMPLED_POINTS = 60;

/** The sizes the curve evaluates: every one up to 200, then a geometric sample up to min(max, 10000). */
export function curveSizes(maxReplicas: number, extra: readonly number[] = []): number[] {
  const last = Math.min(maxReplicas, CURVE_MAX_REPLICAS);
  const sizes = new Set<number>();
  for (let x = 1; x <= Math.min(last, CURVE_EVERY_POINT_MAX); x++) sizes.add(x);
  if (last > CURVE_EVERY_POINT_MAX) {
    const ratio = (last / CURVE_EVERY_POINT_MAX) ** (1 / CURVE_SAMPLED_POINTS);
    for (let i = 1; i <= CURVE_SAMPLED_POINTS; i++) sizes.add(Math.min(last, Math.round(CURVE_EVERY_POINT_MAX * ratio ** i)));
    sizes.add(last);
  }
  for (const x of extra) if (Number.isInteger(x) && x >= 1 && x <= last) sizes.add(x);
  return [...sizes].sort((a, b) => a - b);
}

/** Follows f from `start` to a fixed point, evaluating at most `maxSteps` sizes. */
function follow(at: (x: number) => CurvePoint | undefined, start: number, maxSteps: number): number | undefined {
  let x = start;
  for (let i = 0; i < maxSteps; i++) {
    const p = at(x);
    if (!p) return undefined;
    if (p.desiredReplicas === x) return x;
    x = p.desiredReplicas;
  }
  return undefined;
}

/**
 * Desired replicas against current replicas x when every pod keeps the same readings (fixed
 * per-pod usage), as in the blog's Figures 4 and 5: every x = 1..maxReplicas for HPAs up to
 * `CURVE_EVERY_POINT_MAX` replicas; above, every x up to 200 then a geometric sample up to
 * `min(maxReplicas, CURVE_MAX_REPLICAS)`, so the work is bounded for any valid HPA.
 *
 * @example replicaCurve({ hpa, values: [600], requestsMilli: { cpu: 500 } }).pattern // -> 'staircase'
 */
export function replicaCurve(input: {
  readonly hpa: HorizontalPodAutoscaler;
  readonly values: readonly SyntheticValue[];
  readonly requestsMilli?: ResourceListMilli;
  readonly startReplicas?: number;
  readonly config?: ControllerConfigInput | undefined;
}): ReplicaCurve {
  const hpa = applyHpaDefaults(input.hpa);
  const min = Math.max(1, hpa.spec.minReplicas ?? 1);
  const max = hpa.spec.maxReplicas;
  const nMetrics = hpa.spec.metrics?.length ?? 0;
  const last = Math.min(max, CURVE_MAX_REPLICAS);
  const cache = new Map<number, CurvePoint>();
  const at = (x: number): CurvePoint | undefined => {
    if (!Number.isInteger(x) || x < 1 || x > last) return undefined;
    const known = cache.get(x);
    if (known) return known;
    const observation = syntheticObservation({ hpa, replicas: x, values: input.values, nowMs: 0, ...(input.requestsMilli ? { requestsMilli: input.requestsMilli } : {}) });
    const { decision } = reconcile({ hpa: { ...hpa, spec: { ...hpa.spec, minReplicas: 1, maxReplicas: Math.max(max, x) } }, observation, state: { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] }, nowMs: 0, ...(input.config ? { config: input.config } : {}) });
    const perMetric = decision.metrics.map((m) => m.proposal);
    const valid = perMetric.filter((v): v is number => v !== undefined);
    const combined = valid.length ? Math.max(...valid) : x;
    const point = { currentReplicas: x, desiredReplicas: Math.min(max, Math.max(min, combined)), perMetric };
    cache.set(x, point);
    return point;
  };
  const start = input.startReplicas ?? min;
  const points: CurvePoint[] = curveSizes(max, [start, min]).map((x) => at(x)!);
  const pattern = classifyCurve(points, max);
  const perMetricPattern = Array.from({ length: nMetrics }, (_, k) =>
    classifyCurve(
      points.map((p) => ({ currentReplicas: p.currentReplicas, desiredReplicas: Math.min(max, Math.max(min, p.perMetric[k] ?? p.currentReplicas)) })),
      max,
    ),
  );
  const settlesAt = follow(at, start, max <= CURVE_EVERY_POINT_MAX ? points.length + 2 : 64);
  const summary =
    pattern === 'staircase'
      ? `staircase: f(x) > x at every size below maxReplicas, so each sync adds pods until maxReplicas ${max} (the per-pod usage does not fall as pods are added)`
      : pattern === 'fixed-point'
        ? `fixed point: f(x) = x at every size, so whatever size the target has it keeps; it never scales down (fixed usage, such as memory)`
        : pattern === 'converging'
          ? `converging: the curve crosses f(x) = x${settlesAt !== undefined ? ` and settles at ${settlesAt} replicas` : ''}`
          : pattern === 'scale-down'
            ? `scale-down: f(x) < x at every size, so it shrinks to minReplicas ${min}`
            : 'mixed: no single pattern; follow the table';
  const sampled = max > CURVE_EVERY_POINT_MAX
    ? ` (sampled: every size to ${CURVE_EVERY_POINT_MAX}, then ${points.length - CURVE_EVERY_POINT_MAX} sizes to ${last}${last < max ? `; hpa-lab draws at most ${CURVE_MAX_REPLICAS} replicas, maxReplicas is ${max}` : ''})`
    : '';
  return { points, pattern, summary: `${summary}${sampled}`, perMetricPattern, ...(settlesAt === undefined ? {} : { settlesAt }) };
}
