/**
 * The calculator (the blog's tool) as a pure function of its inputs: builds an autoscaling/v2 HPA
 * and a synthetic observation from the form, and asks the engine for the decision, its
 * explanation, the desired-vs-current curve and a sweep of desired replicas against one metric's
 * value. No DOM here, so it is tested in Node.
 */
import {
  describeStep,
  parseQuantityMilli,
  reconcile,
  replicaCurve,
  syntheticObservation,
  applyHpaDefaults,
  type AutoscalerState,
  type CurvePattern,
  type Decision,
  type HorizontalPodAutoscaler,
  type MetricSpec,
  type ReplicaCurve,
  type ResourceListMilli,
  type SyntheticValue,
} from '../../src/engine/index.js';
import type { CalcMetric, CalcState } from './state.js';

/** A field the user got wrong: where and why (shown next to the field). */
export interface CalcInputError {
  /** `metrics[0].current`, `maxReplicas`. */
  readonly field: string;
  readonly message: string;
}

/** How one metric's values are shown: cpu in millicores, memory in Mi, others as plain numbers. */
export interface DisplayUnit {
  readonly label: string;
  /** Milli-units per display unit. */
  readonly milliPerUnit: number;
}

/** The unit a metric row is displayed in. */
export function displayUnit(m: CalcMetric): DisplayUnit {
  if (m.kind === 'Resource' && m.name === 'cpu') return { label: 'm', milliPerUnit: 1 };
  if (m.kind === 'Resource' && m.name === 'memory') return { label: 'Mi', milliPerUnit: 1000 * 1024 * 1024 };
  return { label: '', milliPerUnit: 1000 };
}

/** The HPA and readings the form describes. */
export interface CalcInputs {
  readonly hpa: HorizontalPodAutoscaler;
  readonly values: SyntheticValue[];
  readonly requestsMilli: ResourceListMilli;
  readonly errors: CalcInputError[];
}

function quantity(text: string, field: string, errors: CalcInputError[], what: string): number | undefined {
  const t = text.trim();
  if (t === '') {
    errors.push({ field, message: `${what} is required: expected a quantity such as 600m, 1100Mi or 5` });
    return undefined;
  }
  try {
    const v = parseQuantityMilli(t);
    if (v < 0) throw new RangeError('negative');
    return v;
  } catch {
    errors.push({ field, message: `${what} must be a quantity ≥ 0 such as 600m, 1100Mi or 5: got '${t}'` });
    return undefined;
  }
}

/**
 * The HPA, readings and requests of the calculator's form.
 *
 * @example buildCalculatorInputs(BLOG_CALC).hpa.spec.metrics?.length // -> 2
 */
export function buildCalculatorInputs(calc: CalcState): CalcInputs {
  const errors: CalcInputError[] = [];
  const requests: Record<string, number> = {};
  const metrics: MetricSpec[] = [];
  const values: SyntheticValue[] = [];
  if (calc.maxReplicas < calc.minReplicas) errors.push({ field: 'maxReplicas', message: `maxReplicas must be ≥ minReplicas ${calc.minReplicas}: got ${calc.maxReplicas}` });
  calc.metrics.forEach((m, i) => {
    const at = (f: string): string => `metrics[${i}].${f}`;
    const name = m.name.trim();
    if (name === '') errors.push({ field: at('name'), message: 'the metric needs a name, such as cpu, memory or asr_active_requests' });
    let request: number | undefined;
    if (m.kind === 'Resource' && (m.targetType === 'Utilization' || m.request.trim() !== '' || m.current.trim().endsWith('%'))) {
      request = quantity(m.request, at('request'), errors, `The ${name} request`);
      if (request !== undefined) {
        if (request === 0) errors.push({ field: at('request'), message: `The ${name} request must be > 0 for a Utilization target` });
        requests[name] = (requests[name] ?? 0) + request;
      }
    }
    let current: number | undefined;
    const raw = m.current.trim();
    if (raw.endsWith('%')) {
      const pct = Number(raw.slice(0, -1));
      if (m.kind !== 'Resource') errors.push({ field: at('current'), message: `a percentage is only meaningful for a Resource metric: got '${raw}'` });
      else if (!Number.isFinite(pct) || pct < 0) errors.push({ field: at('current'), message: `expected a percentage such as 120%: got '${raw}'` });
      else if (request !== undefined) current = Math.round((request * pct) / 100);
    } else {
      current = quantity(m.current, at('current'), errors, `The current ${name} value`);
    }
    values.push(current);
    let target: MetricSpec;
    if (m.targetType === 'Utilization') {
      const pct = Number(m.target.trim());
      if (m.kind !== 'Resource') errors.push({ field: at('targetType'), message: 'Utilization targets are only for Resource metrics (cpu, memory)' });
      if (!(Number.isInteger(pct) && pct > 0)) errors.push({ field: at('target'), message: `averageUtilization must be an integer percentage > 0: got '${m.target}'` });
      target = { type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization: Number.isInteger(pct) && pct > 0 ? pct : 1 } } };
    } else {
      const q = quantity(m.target, at('target'), errors, `The ${name} target`);
      if (q === 0) errors.push({ field: at('target'), message: `The ${name} target must be > 0` });
      const t = m.target.trim();
      const spec = m.targetType === 'Value' ? { type: 'Value', value: t } : { type: 'AverageValue', averageValue: t };
      if (m.targetType === 'Value' && m.kind !== 'External') errors.push({ field: at('targetType'), message: 'Value targets are for External (and Object) metrics: use AverageValue' });
      target =
        m.kind === 'Resource'
          ? { type: 'Resource', resource: { name, target: spec } }
          : m.kind === 'Pods'
            ? { type: 'Pods', pods: { metric: { name }, target: spec } }
            : { type: 'External', external: { metric: { name }, target: spec } };
    }
    metrics.push(target);
  });
  const hpa: HorizontalPodAutoscaler = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'calculator' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'calculator' },
      minReplicas: calc.minReplicas,
      maxReplicas: Math.max(calc.maxReplicas, 1),
      metrics,
    },
  };
  return { hpa, values, requestsMilli: requests, errors };
}

/** One metric's line of the result. */
export interface CalcMetricResult {
  readonly label: string;
  /** Proposal of this metric alone (undefined when it failed). */
  readonly proposal: number | undefined;
  readonly winner: boolean;
  readonly pattern: CurvePattern | undefined;
  readonly error?: string;
}

/** Desired replicas against one metric's value, the others held (the blog's Figures 2 and 3). */
export interface CalcSweep {
  readonly metric: number;
  readonly unit: DisplayUnit;
  readonly xLabel: string;
  /** Metric value per pod (total for External), in `unit`. */
  readonly x: number[];
  /** This metric's proposal, within min and max. */
  readonly proposal: (number | null)[];
  /** Desired replicas with every metric (the larger wins), clamped to min/max. */
  readonly desired: number[];
  readonly currentX: number | undefined;
  /** The metric value where it meets its target, in `unit`. */
  readonly targetX: number | undefined;
}

export interface CalcResult {
  readonly inputs: CalcInputs;
  readonly decision: Decision | undefined;
  readonly desiredReplicas: number | undefined;
  /** The explanation, one sentence per engine step. */
  readonly steps: string[];
  readonly metrics: CalcMetricResult[];
  readonly curve: ReplicaCurve | undefined;
  /** The pattern in words for the caption: `staircase (f(x) = x + 1)`. */
  readonly patternName: string;
  readonly caption: string;
  readonly sweep: CalcSweep | undefined;
}

const PATTERN_NAMES: Record<CurvePattern, string> = {
  staircase: 'staircase',
  'fixed-point': 'fixed point',
  converging: 'converging',
  'scale-down': 'scale-down',
  mixed: 'mixed',
};

/** The pattern's name as the page shows it (`fixed-point` -> `fixed point`). */
export function patternName(p: CurvePattern): string {
  return PATTERN_NAMES[p];
}

function formulaOf(curve: ReplicaCurve, maxReplicas: number): string {
  if (curve.pattern === 'fixed-point') return ' (f(x) = x)';
  if (curve.pattern !== 'staircase') return '';
  const steps = new Set(curve.points.filter((p) => p.currentReplicas < maxReplicas).map((p) => p.desiredReplicas - p.currentReplicas));
  const [only] = steps;
  return steps.size === 1 && only !== undefined ? ` (f(x) = x + ${only})` : ' (f(x) > x)';
}

function labelOf(m: CalcMetric): string {
  return m.kind === 'Resource' ? m.name : `${m.kind} ${m.name}`;
}

/**
 * Everything the calculator shows, computed by the engine.
 *
 * @example computeCalculator(BLOG_CALC).desiredReplicas // -> 2
 */
export function computeCalculator(calc: CalcState): CalcResult {
  const inputs = buildCalculatorInputs(calc);
  const empty = { inputs, decision: undefined, desiredReplicas: undefined, steps: [], metrics: [], curve: undefined, patternName: '', caption: '', sweep: undefined };
  if (inputs.errors.length > 0 || calc.metrics.length === 0) return empty;
  const hpa = applyHpaDefaults(inputs.hpa);
  const config = { tolerance: calc.tolerance };
  const observe = (replicas: number, values: readonly SyntheticValue[]) =>
    syntheticObservation({ hpa, replicas, values, requestsMilli: inputs.requestsMilli, nowMs: 0 });
  const { decision } = reconcile({ hpa, observation: observe(calc.replicas, inputs.values), state: steadyState(), nowMs: 0, config });
  const curve = replicaCurve({ hpa, values: inputs.values, requestsMilli: inputs.requestsMilli, startReplicas: Math.max(1, calc.replicas), config });
  const proposals = decision.metrics.map((m) => m.proposal);
  const best = Math.max(...proposals.map((p) => p ?? -1));
  const metrics: CalcMetricResult[] = calc.metrics.map((m, k) => ({
    label: labelOf(m),
    proposal: proposals[k],
    winner: calc.metrics.length > 1 && proposals[k] !== undefined && proposals[k] === best && proposals.findIndex((p) => p === best) === k,
    pattern: curve.perMetricPattern[k],
    ...(decision.metrics[k]?.error === undefined ? {} : { error: decision.metrics[k].error }),
  }));
  const name = `${patternName(curve.pattern)}${formulaOf(curve, hpa.spec.maxReplicas)}`;
  const parts = [`Pattern: ${name}. ${capitalize(curve.summary)}.`];
  if (calc.metrics.length > 1) parts.push(`Each metric alone: ${metrics.map((m) => `${m.label} ${m.pattern ? patternName(m.pattern) : '?'}`).join(', ')}; the largest proposal wins at every size.`);
  if (curve.settlesAt !== undefined && curve.pattern !== 'fixed-point') parts.push(`From ${Math.max(1, calc.replicas)} replica${Math.max(1, calc.replicas) === 1 ? '' : 's'}, the HPA settles at ${curve.settlesAt}.`);
  return {
    inputs,
    decision,
    desiredReplicas: decision.desiredReplicas,
    steps: decision.explanation.map(describeStep),
    metrics,
    curve,
    patternName: name,
    caption: parts.join(' '),
    sweep: sweepMetric(calc, inputs, hpa, config),
  };
}

/**
 * A controller that has run this HPA before with no recommendation in the window: the one-shot
 * answer of the formula, as in the blog and in `replicaCurve`. (A controller that sees the HPA
 * for the first time records the current size, which holds a scale-down for the window.)
 */
function steadyState(): AutoscalerState {
  return { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const SWEEP_POINTS = 161;

function sweepMetric(calc: CalcState, inputs: CalcInputs, hpa: HorizontalPodAutoscaler, config: { tolerance: number }): CalcSweep | undefined {
  const k = Math.min(calc.sweepMetric, calc.metrics.length - 1);
  const m = calc.metrics[k];
  const current = inputs.values[k];
  if (!m || typeof current !== 'number') return undefined;
  const unit = displayUnit(m);
  const targetMilli = targetValueMilli(m, inputs.requestsMilli[m.name]);
  const top = Math.max(2 * (targetMilli ?? 0), 1.25 * current, unit.milliPerUnit);
  const x: number[] = [];
  const proposal: (number | null)[] = [];
  const desired: number[] = [];
  const state = steadyState();
  for (let i = 0; i < SWEEP_POINTS; i++) {
    const v = (top * i) / (SWEEP_POINTS - 1);
    const values = inputs.values.slice();
    values[k] = v;
    const observation = syntheticObservation({ hpa, replicas: calc.replicas, values, requestsMilli: inputs.requestsMilli, nowMs: 0 });
    const { decision } = reconcile({ hpa, observation, state, nowMs: 0, config });
    x.push(v / unit.milliPerUnit);
    const p = decision.metrics[k]?.proposal;
    proposal.push(p === undefined ? null : Math.min(calc.maxReplicas, Math.max(calc.minReplicas, p)));
    desired.push(decision.desiredReplicas);
  }
  const what = m.kind === 'External' ? 'total' : 'per pod';
  return {
    metric: k,
    unit,
    xLabel: `${labelOf(m)} ${what}${unit.label ? ` (${unit.label})` : ''}`,
    x,
    proposal,
    desired,
    currentX: current / unit.milliPerUnit,
    targetX: targetMilli === undefined ? undefined : targetMilli / unit.milliPerUnit,
  };
}

function targetValueMilli(m: CalcMetric, requestMilli: number | undefined): number | undefined {
  if (m.targetType === 'Utilization') {
    const pct = Number(m.target);
    return requestMilli === undefined ? undefined : (requestMilli * pct) / 100;
  }
  try {
    return parseQuantityMilli(m.target.trim());
  } catch {
    return undefined;
  }
}
