/**
 * The explanation of a decision: ordered steps as plain data (numbers and names), and
 * `describeStep` / `formatExplanation` that turn them into sentences for the CLI and the web
 * page. Building sentences is left to the reader of a decision, so the hot path stays cheap.
 */
import type { LimitResult } from './rate-limit.js';
import type { CalcDetail } from './replica-calculator.js';
import type { Tolerances } from './tolerance.js';
import { describeGate, describeVersion, minorOf, type FeatureGates } from './versions.js';

export type ExplainStep =
  | {
      readonly kind: 'version';
      readonly kubernetesVersion: string;
      readonly featureGates: FeatureGates;
      readonly tolerances: Tolerances;
      /** Whether behavior sets each direction's tolerance. */
      readonly toleranceFields: { readonly scaleUp: boolean; readonly scaleDown: boolean };
    }
  | {
      readonly kind: 'scale';
      readonly target: string;
      readonly currentReplicas?: number | undefined;
      readonly statusReplicas?: number | undefined;
      readonly error?: string | undefined;
    }
  | {
      readonly kind: 'precheck';
      readonly outcome: 'disabled' | 'aboveMax' | 'belowMin';
      readonly currentReplicas: number;
      readonly desiredReplicas: number;
      /** 1.36+ with HPAScaleToZero: zero replicas is judged by the ScaledToZero condition. */
      readonly scaleToZeroCondition?: boolean | undefined;
    }
  | {
      readonly kind: 'metric';
      readonly index: number;
      readonly name: string;
      readonly ok: boolean;
      readonly current?: number | undefined;
      readonly target?: number | undefined;
      readonly targetType?: string | undefined;
      readonly proposal?: number | undefined;
      readonly detail?: CalcDetail | undefined;
      readonly error?: string | undefined;
      readonly reason?: string | undefined;
    }
  | {
      readonly kind: 'combine';
      /** -1 when the metrics failed hard. */
      readonly proposal: number;
      readonly winner: string;
      readonly invalid: number;
      readonly total: number;
      readonly failed: boolean;
      /** Set when a selector problem stopped the calculation. */
      readonly error?: string | undefined;
    }
  | {
      readonly kind: 'stabilize';
      readonly mode: 'legacy' | 'behavior';
      readonly before: number;
      readonly after: number;
      readonly reason: string;
      readonly scaleUpWindowSeconds?: number | undefined;
      readonly scaleDownWindowSeconds: number;
      readonly upRecommendation?: number | undefined;
      readonly downRecommendation?: number | undefined;
    }
  | {
      readonly kind: 'limit';
      readonly mode: 'legacy' | 'behavior';
      readonly currentReplicas: number;
      readonly before: number;
      readonly after: number;
      readonly reason: string;
      readonly limited: boolean;
      readonly minReplicas: number;
      readonly maxReplicas: number;
      readonly selectPolicy?: string | undefined;
      readonly limit?: number | undefined;
      readonly policies?: LimitResult['policies'] | undefined;
      readonly scaleUpLimitFactor?: number | undefined;
      readonly scaleUpLimitMinimum?: number | undefined;
    }
  | {
      readonly kind: 'result';
      readonly currentReplicas: number;
      readonly desiredReplicas: number;
      readonly rescale: boolean;
      readonly reasonText: string;
      readonly error?: string | undefined;
    };

const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : String(Math.round(x * 1000) / 1000));

function describeMetric(s: Extract<ExplainStep, { kind: 'metric' }>): string {
  if (!s.ok) return `${s.name}: ${s.reason ?? 'failed'}: ${s.error ?? ''}`;
  const d = s.detail;
  const unit = s.targetType === 'Utilization' ? '%' : '';
  const parts = [`${s.name}: current ${fmt(s.current ?? 0)}${unit} / target ${fmt(s.target ?? 0)}${unit} (${s.targetType ?? '?'})`];
  if (!d) return parts[0] ?? '';
  parts[0] += ` → ratio ${fmt(d.ratio)}`;
  const left: string[] = [];
  if (d.unreadyPods?.length) left.push(`${d.unreadyPods.length} unready (${d.unreadyPods.join(', ')})`);
  if (d.missingPods?.length) left.push(`${d.missingPods.length} without metrics (${d.missingPods.join(', ')})`);
  if (d.ignoredPods?.length) left.push(`${d.ignoredPods.length} ignored: deleted or terminated (${d.ignoredPods.join(', ')})`);
  if (left.length) parts.push(`pods left out: ${left.join('; ')}`);
  if (d.requestsFrom?.length) {
    const words: Record<string, string> = {
      'pod-level': 'pod-level spec.resources.requests (PodLevelResources)',
      aggregate: "the containers' aggregate, since the pod-level requests do not name this resource (PodRequests)",
      containers: 'the sum over containers',
      container: 'the named container',
    };
    parts.push(`requests from ${d.requestsFrom.map((f) => words[f] ?? f).join(' and ')}`);
  }
  if (d.saturated === 'negative-sum') {
    parts.push(
      'the running sum of the external values went below zero: upstream takes that for int64 overflow and saturates the usage to MaxInt64, so the proposal is capped at MaxInt32 (what Kubernetes does, even though the total may be positive)',
    );
  } else if (d.saturated === 'overflow') {
    parts.push('the sum of the external values overflowed int64: usage saturates to MaxInt64 and the proposal is capped at MaxInt32');
  }
  if (d.rebalance) {
    parts.push(`rebalanced: ratio ${fmt(d.rebalance.newRatio)} over ${d.rebalance.sampleCount} pods, ${d.rebalance.outcome}`);
    parts.push(`proposal ${s.proposal ?? '?'}`);
  } else if (d.withinTolerance) {
    parts.push(`within tolerance, keep ${s.proposal ?? '?'}`);
  } else if (d.multiplier !== undefined) {
    parts.push(`ceil(${fmt(d.ratio)} × ${d.multiplier}) = ${s.proposal ?? '?'}`);
  }
  return parts.join('; ');
}

/**
 * One sentence for one step.
 *
 * @example describeStep({ kind: 'result', currentReplicas: 2, desiredReplicas: 4, rescale: true, reasonText: 'pods metric x above target' }) // -> 'Scale 2 → 4: pods metric x above target'
 */
export function describeStep(s: ExplainStep): string {
  switch (s.kind) {
    case 'version':
      return describeVersionStep(s);
    case 'scale':
      return s.error !== undefined
        ? `Could not read the scale of ${s.target}: ${s.error}`
        : `${s.target} has ${s.currentReplicas ?? '?'} replicas (spec), ${s.statusReplicas ?? '?'} in status`;
    case 'precheck':
      return s.outcome === 'disabled'
        ? s.scaleToZeroCondition
          ? 'The target has 0 replicas and the HPA did not scale it there (no ScaledToZero=True condition): autoscaling is disabled (HPAScaleToZero, condition-based since 1.36)'
          : 'The target has 0 replicas and minReplicas ≥ 1: autoscaling is disabled (it was scaled to zero by hand)'
        : s.outcome === 'aboveMax'
          ? `${s.currentReplicas} replicas is above maxReplicas: set to ${s.desiredReplicas} without reading metrics`
          : `${s.currentReplicas} replicas is below minReplicas: set to ${s.desiredReplicas} without reading metrics`;
    case 'metric':
      return describeMetric(s);
    case 'combine':
      if (s.error !== undefined) return s.error;
      if (s.failed) {
        return s.invalid >= s.total
          ? `No metric could be computed (${s.invalid} of ${s.total} failed): no scaling, status keeps desired replicas`
          : `${s.invalid} of ${s.total} metrics failed and the others would scale down: a failing metric forbids scale-down, so hold`;
      }
      return s.total > 1
        ? `Largest proposal wins: ${s.proposal} from ${s.winner}${s.invalid > 0 ? ` (${s.invalid} failed metric(s) ignored: scale-up or hold is still allowed)` : ''}`
        : `Proposal: ${s.proposal} from ${s.winner}`;
    case 'stabilize':
      if (s.mode === 'legacy') {
        return s.after !== s.before
          ? `Stabilization (no behavior, ${s.scaleDownWindowSeconds}s window): a higher recommendation in the window holds ${s.after} instead of ${s.before}`
          : `Stabilization (no behavior, ${s.scaleDownWindowSeconds}s window): nothing higher in the window, keep ${s.before}`;
      }
      if (s.after === s.before) return `Stabilization (up window ${s.scaleUpWindowSeconds ?? 0}s, down window ${s.scaleDownWindowSeconds}s): keep ${s.before}`;
      return s.reason === 'ScaleDownStabilized'
        ? `Stabilization: the highest recommendation of the last ${s.scaleDownWindowSeconds}s is ${s.downRecommendation ?? s.after}, so ${s.after} instead of ${s.before}`
        : `Stabilization: the lowest recommendation of the last ${s.scaleUpWindowSeconds ?? 0}s is ${s.upRecommendation ?? s.after}, so ${s.after} instead of ${s.before}`;
    case 'limit': {
      if (s.mode === 'legacy') {
        return s.limited
          ? `Limits (no behavior: at most max(${s.scaleUpLimitFactor ?? 2}×${s.currentReplicas}, ${s.scaleUpLimitMinimum ?? 4}) = ${s.limit ?? '?'}, min ${s.minReplicas}, max ${s.maxReplicas}): ${s.reason}, ${s.before} → ${s.after}`
          : `Limits (no behavior: scale-up cap ${s.limit ?? '?'}, min ${s.minReplicas}, max ${s.maxReplicas}): ${s.before} is within range`;
      }
      const policyText = s.policies?.length
        ? ` (${s.policies.map((p) => `${p.type} ${p.value}/${p.periodSeconds}s allows ${p.allowed}`).join(', ')}; selectPolicy ${s.selectPolicy ?? 'Max'})`
        : s.selectPolicy === 'Disabled'
          ? ' (selectPolicy Disabled)'
          : '';
      return s.limited
        ? `Rate limit${policyText}: ${s.reason}, ${s.before} → ${s.after}`
        : `Rate limit${policyText}: ${s.before} is allowed (min ${s.minReplicas}, max ${s.maxReplicas})`;
    }
    case 'result':
      if (s.error !== undefined) return `No scaling: ${s.error}`;
      return s.rescale ? `Scale ${s.currentReplicas} → ${s.desiredReplicas}: ${s.reasonText}` : `No change: stay at ${s.currentReplicas}`;
  }
}

function describeVersionStep(s: Extract<ExplainStep, { kind: 'version' }>): string {
  const gate = describeGate('HPAConfigurableTolerance', s.kubernetesVersion, s.featureGates.HPAConfigurableTolerance);
  const tol = (['scaleUp', 'scaleDown'] as const).map((d) => {
    const label = d === 'scaleUp' ? 'scale-up' : 'scale-down';
    const v = fmt(s.tolerances[d]);
    if (!s.toleranceFields[d]) return `${label} tolerance ${v} from --horizontal-pod-autoscaler-tolerance`;
    return s.featureGates.HPAConfigurableTolerance
      ? `${label} tolerance ${v} from behavior.${d}.tolerance (${gate})`
      : `${label} tolerance ${v} from --horizontal-pod-autoscaler-tolerance, behavior.${d}.tolerance dropped (${gate})`;
  });
  const rules =
    !s.toleranceFields.scaleUp && !s.toleranceFields.scaleDown && s.tolerances.scaleUp === s.tolerances.scaleDown
      ? [`tolerance ${fmt(s.tolerances.scaleUp)} both ways from --horizontal-pod-autoscaler-tolerance`]
      : tol;
  if (s.featureGates.PodLevelResources) rules.push(`pod-level requests used where set (${describeGate('PodLevelResources', s.kubernetesVersion, true)})`);
  const minor = minorOf(s.kubernetesVersion);
  if (s.featureGates.HPAScaleToZero && minor >= 36) rules.push(`zero replicas judged by the ScaledToZero condition (${describeGate('HPAScaleToZero', s.kubernetesVersion, true)})`);
  if (minor >= 38) rules.push('Succeeded pods ignored like Failed ones (1.38)');
  if (minor < 33) rules.push('tolerance tested as |1 − ratio| ≤ tolerance (before 1.33)');
  return `${describeVersion(s.kubernetesVersion, s.featureGates)}: ${rules.join('; ')}`;
}

/** Prints the steps as numbered lines. */
export function formatExplanation(steps: readonly ExplainStep[]): string {
  return steps.map((s, i) => `${String(i + 1).padStart(2)}. ${describeStep(s)}`).join('\n');
}
