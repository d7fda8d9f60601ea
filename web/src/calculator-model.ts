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
  classifyCurve,
  syntheticObservation,
  type CurvePoint,
  type ExplainStep,
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
import { DEFAULT_CALC_NAME, type CalcMetric, type CalcState } from './state.js';

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
  const hpaName = calc.name?.trim() || DEFAULT_CALC_NAME;
  const hpa: HorizontalPodAutoscaler = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: hpaName },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: hpaName },
      minReplicas: calc.minReplicas,
      maxReplicas: Math.max(calc.maxReplicas, 1),
      metrics,
      ...(calc.behavior ? { behavior: calc.behavior } : {}),
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
  /** Why the number: `ceil(3 × 12 / 5) = 8 by the formula → 6 this sync (scale-up limit)`. */
  readonly why: string;
  /** The readings of the plots, in words. */
  readonly readings: CalcReadings | undefined;
  /** The iteration from the current size along the curve: x0, f(x0), f(f(x0)), ... */
  readonly cobweb: number[];
}

/** What the plots say, explicitly. */
export interface CalcReadings {
  /** The formula's answer now (largest proposal, clamped to min/max). */
  readonly formula: number;
  /** What this sync writes (after stabilization and the rate limits). */
  readonly nextSync: number;
  /** Where following the curve ends, if it settles. */
  readonly eventually: number | undefined;
  /** Syncs to get there (15 s each by default), when it settles. */
  readonly syncs: number | undefined;
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
  const empty = { inputs, decision: undefined, desiredReplicas: undefined, steps: [], metrics: [], curve: undefined, patternName: '', caption: '', sweep: undefined, why: '', readings: undefined, cobweb: [] };
  if (inputs.errors.length > 0 || calc.metrics.length === 0) return empty;
  const hpa = applyHpaDefaults(inputs.hpa);
  const config = { tolerance: calc.tolerance };
  const observe = (replicas: number, values: readonly SyntheticValue[]) =>
    syntheticObservation({ hpa, replicas, values, requestsMilli: inputs.requestsMilli, nowMs: 0 });
  const { decision } = reconcile({ hpa, observation: observe(calc.replicas, inputs.values), state: steadyState(), nowMs: 0, config });
  const sampled = sampledCurve({ hpa, values: inputs.values, requestsMilli: inputs.requestsMilli, startReplicas: Math.max(1, calc.replicas), config });
  const curve = sampled.curve;
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
    steps: decision.explanation.map((st) => describeStep(st).replace(/\b1 replicas\b/g, '1 replica')),
    metrics,
    curve,
    patternName: name,
    caption: parts.join(' '),
    sweep: sweepMetric(calc, inputs, hpa, config),
    why: whyLine(calc, decision, hpa),
    readings: {
      formula: formulaAnswer(decision, hpa),
      nextSync: decision.desiredReplicas,
      eventually: curve.settlesAt,
      syncs: sampled.path.length > 1 && curve.settlesAt !== undefined ? sampled.path.length - 1 : curve.settlesAt !== undefined ? 0 : undefined,
    },
    cobweb: sampled.path,
  };
}

const fmtNum = (x: number): string => (Number.isInteger(x) ? String(x) : String(Math.round(x * 1000) / 1000));

/** The combined proposal clamped to min and max: what the formula asks for before the limits. */
function formulaAnswer(decision: Decision, hpa: HorizontalPodAutoscaler): number {
  const combine = decision.explanation.find((s): s is Extract<ExplainStep, { kind: 'combine' }> => s.kind === 'combine');
  const p = combine && combine.proposal >= 0 ? combine.proposal : decision.desiredReplicas;
  return Math.min(hpa.spec.maxReplicas, Math.max(hpa.spec.minReplicas ?? 1, p));
}

const LIMIT_WORDS: Record<string, string> = {
  ScaleUpLimit: 'scale-up limit',
  ScaleDownLimit: 'scale-down limit',
  TooManyReplicas: 'maxReplicas',
  TooFewReplicas: 'minReplicas',
};

/**
 * The headline's reason in one line: the winning metric's formula, its answer, and what this sync
 * writes with the step that changed it.
 *
 * @example "ceil(3 × 12 / 5) = 8 by the formula → 6 this sync (scale-up limit)"
 */
function whyLine(calc: CalcState, decision: Decision, hpa: HorizontalPodAutoscaler): string {
  const combine = decision.explanation.find((s): s is Extract<ExplainStep, { kind: 'combine' }> => s.kind === 'combine');
  const metricSteps = decision.explanation.filter((s): s is Extract<ExplainStep, { kind: 'metric' }> => s.kind === 'metric');
  const win = metricSteps.find((m) => m.ok && m.proposal === combine?.proposal) ?? metricSteps.find((m) => m.ok);
  const next = decision.desiredReplicas;
  if (!win || win.proposal === undefined || !combine || combine.proposal < 0) return `${next} this sync (no metric could be computed: the HPA keeps its size)`;
  const unitOf = (v: number): string => {
    const m = calc.metrics[win.index];
    if (win.targetType === 'Utilization') return `${fmtNum(v)}%`;
    if (m?.kind === 'Resource' && m.name === 'cpu') return `${Math.round(v * 1000)}m`;
    if (m?.kind === 'Resource' && m.name === 'memory') return `${Math.round(v / 1048576)}Mi`;
    return fmtNum(v);
  };
  const perPod = win.targetType !== 'Value';
  let formula: string;
  if (win.detail?.withinTolerance) {
    formula = `${unitOf(win.current ?? 0)} / ${unitOf(win.target ?? 1)} = ${fmtNum(Math.round(win.detail.ratio * 1000) / 1000)} is within the tolerance of 1: keep ${win.proposal}`;
  } else if (win.current !== undefined && win.target !== undefined) {
    formula = perPod
      ? `ceil(${calc.replicas} × ${unitOf(win.current)} / ${unitOf(win.target)}) = ${win.proposal} by the formula`
      : `ceil(${unitOf(win.current)} / ${unitOf(win.target)}) = ${win.proposal} by the formula`;
  } else {
    formula = `${win.proposal} by the formula`;
  }
  if (calc.metrics.length > 1) formula += ` (${calc.metrics[win.index]?.name || win.name}, the largest proposal)`;
  if (next === win.proposal) return win.detail?.withinTolerance ? `${formula} this sync` : `${formula} = ${next} this sync`;
  const limit = decision.explanation.find((s): s is Extract<ExplainStep, { kind: 'limit' }> => s.kind === 'limit' && s.before !== s.after);
  const stab = decision.explanation.find((s): s is Extract<ExplainStep, { kind: 'stabilize' }> => s.kind === 'stabilize' && s.before !== s.after);
  const why = limit ? (LIMIT_WORDS[limit.reason] ?? limit.reason) : stab ? 'stabilization window' : next === hpa.spec.maxReplicas ? 'maxReplicas' : next === (hpa.spec.minReplicas ?? 1) ? 'minReplicas' : 'the limits';
  return `${formula} → ${next} this sync (${why})`;
}

/** At most this many sizes on the desired-vs-current curve (a 10 000-replica curve is sampled). */
export const CURVE_SAMPLES = 120;

/** The sizes the curve is computed at: every size up to `CURVE_SAMPLES`, else a spread including 1, `start` and `max`. */
export function curveSizes(max: number, start: number): number[] {
  if (max <= CURVE_SAMPLES) return Array.from({ length: max }, (_, i) => i + 1);
  const set = new Set<number>([1, max, Math.min(max, Math.max(1, start))]);
  for (let i = 0; i < CURVE_SAMPLES; i++) set.add(Math.max(1, Math.round(1 + ((max - 1) * i) / (CURVE_SAMPLES - 1))));
  return [...set].sort((a, b) => a - b);
}

/**
 * The engine's `replicaCurve` at sampled sizes (its cost grows with the square of maxReplicas),
 * plus the path from the start size along f (the cobweb), each size on it computed exactly.
 */
function sampledCurve(input: { hpa: HorizontalPodAutoscaler; values: readonly SyntheticValue[]; requestsMilli: ResourceListMilli; startReplicas: number; config: { tolerance: number } }): { curve: ReplicaCurve; path: number[] } {
  const hpa = input.hpa;
  const min = Math.max(1, hpa.spec.minReplicas ?? 1);
  const max = hpa.spec.maxReplicas;
  const nMetrics = hpa.spec.metrics?.length ?? 0;
  const memo = new Map<number, CurvePoint>();
  const at = (x: number): CurvePoint => {
    const hit = memo.get(x);
    if (hit) return hit;
    const observation = syntheticObservation({ hpa, replicas: x, values: input.values, requestsMilli: input.requestsMilli, nowMs: 0 });
    const { decision } = reconcile({ hpa: { ...hpa, spec: { ...hpa.spec, minReplicas: 1, maxReplicas: Math.max(max, x) } }, observation, state: steadyState(), nowMs: 0, config: input.config });
    const perMetric = decision.metrics.map((m) => m.proposal);
    const valid = perMetric.filter((v): v is number => v !== undefined);
    const combined = valid.length ? Math.max(...valid) : x;
    const p = { currentReplicas: x, desiredReplicas: Math.min(max, Math.max(min, combined)), perMetric };
    memo.set(x, p);
    return p;
  };
  const points = curveSizes(max, input.startReplicas).map(at);
  const pattern = classifyCurve(points, max);
  const perMetricPattern = Array.from({ length: nMetrics }, (_, k) =>
    classifyCurve(points.map((p) => ({ currentReplicas: p.currentReplicas, desiredReplicas: Math.min(max, Math.max(min, p.perMetric[k] ?? p.currentReplicas)) })), max),
  );
  const path = [Math.min(max, Math.max(1, input.startReplicas))];
  let settlesAt: number | undefined;
  for (let i = 0; i < 60; i++) {
    const x = path[path.length - 1]!;
    const next = at(x).desiredReplicas;
    if (next === x) {
      settlesAt = x;
      break;
    }
    if (path.includes(next)) break;
    path.push(next);
  }
  const summary =
    pattern === 'staircase'
      ? `staircase: f(x) > x at every size below maxReplicas, so each sync adds pods until maxReplicas ${max} (the per-pod usage does not fall as pods are added)`
      : pattern === 'fixed-point'
        ? 'fixed point: f(x) = x at every size, so whatever size the target has it keeps; it never scales down (fixed usage, such as memory)'
        : pattern === 'converging'
          ? `converging: the curve crosses f(x) = x${settlesAt !== undefined ? ` and settles at ${settlesAt} replica${settlesAt === 1 ? '' : 's'}` : ''}`
          : pattern === 'scale-down'
            ? `scale-down: f(x) < x at every size, so it shrinks to minReplicas ${min}`
            : 'mixed: no single pattern; follow the table';
  const curve: ReplicaCurve = { points, pattern, summary, perMetricPattern, ...(settlesAt === undefined ? {} : { settlesAt }) };
  return { curve, path };
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
/** Fewer sweep points when each one reconciles thousands of pods. */
const sweepPoints = (replicas: number): number => (replicas > 1000 ? 41 : SWEEP_POINTS);

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
  const n = sweepPoints(calc.replicas);
  for (let i = 0; i < n; i++) {
    const v = (top * i) / (n - 1);
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
