/**
 * The last link: what the HPA controller does with the readings the API returned, computed by the
 * engine (one reconcile from a fresh controller state, as after a controller restart). It names
 * the holds the seeds' "HPA Not Scaling" section lists: at maxReplicas, inside a stabilization
 * window, rate-limited by a policy, or blocked by a failing second metric.
 */
import {
  applyHpaDefaults,
  createInitialState,
  reconcile,
  type HorizontalPodAutoscaler,
  type HorizontalPodAutoscalerCondition,
  type MetricReading,
  type PodInfo,
} from '../engine/index.js';
import type { Check } from './types.js';

/** Input of {@link decisionCheck}. */
export interface DecisionCheckInput {
  readonly hpa: HorizontalPodAutoscaler;
  /** One reading per `spec.metrics` entry; `undefined` where none could be taken. */
  readonly readings: readonly (MetricReading | undefined)[];
  /** The target's current replicas; default the pods with values, else minReplicas. */
  readonly replicas?: number;
  readonly selector: string;
  readonly nowMs: number;
}

const EQUALITY = /^\s*([A-Za-z0-9._/-]+)\s*==?\s*([A-Za-z0-9._-]*)\s*$/;

/** Pod labels that satisfy an equality-only selector, or undefined for other selectors. */
function labelsFor(selector: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (const part of selector.split(',').filter((p) => p.trim() !== '')) {
    const m = EQUALITY.exec(part);
    if (!m?.[1]) return undefined;
    labels[m[1]] = m[2] ?? '';
  }
  return labels;
}

function condition(conditions: readonly HorizontalPodAutoscalerCondition[] | undefined, type: HorizontalPodAutoscalerCondition['type']): HorizontalPodAutoscalerCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * Reconciles once with the readings and turns the outcome into a check.
 *
 * @example decisionCheck({ hpa, readings: [{ podValues: [...] }], replicas: 10, selector: 'app=asr', nowMs }).status // -> 'warn' (at maxReplicas)
 */
export function decisionCheck(input: DecisionCheckInput): Check {
  const hpa = applyHpaDefaults(input.hpa);
  const title = 'decision';
  const names = new Set<string>();
  for (const r of input.readings) if (r && 'podValues' in r) for (const v of r.podValues) names.add(v.podName);
  const replicas = input.replicas ?? (names.size > 0 ? names.size : (hpa.spec.minReplicas ?? 1));
  for (let i = 0; names.size < replicas; i++) names.add(`pod-${i}`);
  const podLabels = input.selector.trim() === '' ? undefined : labelsFor(input.selector);
  const selector = podLabels ? input.selector : 'hpa-lab/diagnose=true';
  const since = input.nowMs - 600_000;
  const pods: PodInfo[] = [...names].map((name) => ({
    name,
    labels: podLabels ?? { 'hpa-lab/diagnose': 'true' },
    phase: 'Running',
    startTimeMs: since,
    ready: { status: 'True', lastTransitionTimeMs: since },
  }));
  const metrics = input.readings.map((r) => r ?? { error: 'no reading: the metric could not be read' });
  const { decision } = reconcile({
    hpa,
    observation: { scale: { specReplicas: replicas, statusReplicas: replicas, selector }, pods, metrics },
    state: createInitialState(),
    nowMs: input.nowMs,
  });
  const conditions = decision.status.conditions;
  const active = condition(conditions, 'ScalingActive');
  const able = condition(conditions, 'AbleToScale');
  const limited = condition(conditions, 'ScalingLimited');
  const failed = decision.metrics.filter((m) => m.error !== undefined);
  const ok = decision.metrics.filter((m) => m.error === undefined);
  const proposals = ok.map((m) => `${m.name} ${m.current ?? '?'}/${m.target ?? '?'} → ${m.proposal ?? '?'}`).join('; ');
  const base = `current ${replicas}, desired ${decision.desiredReplicas}${proposals ? ` (${proposals})` : ''}`;
  if (active?.status === 'False') {
    const first = failed[0];
    if (failed.length < decision.metrics.length && first) {
      return {
        id: 'decision',
        title,
        status: 'fail',
        evidence: `blocked by a failing metric: ScalingActive=False ${active.reason}: ${first.error ?? ''}; ${base}`,
        fix: `fix ${first.name}: while any metric fails, the HPA scales up on the others but never down`,
      };
    }
    return { id: 'decision', title, status: 'fail', evidence: `ScalingActive=False ${active.reason}: ${active.message}`, fix: 'fix the first broken link of the metric chain above; the HPA holds its replicas meanwhile' };
  }
  if (limited?.status === 'True' && limited.reason === 'TooManyReplicas') {
    return { id: 'decision', title, status: 'warn', evidence: `at maxReplicas ${hpa.spec.maxReplicas}: ${limited.message}; ${base}`, fix: 'raise maxReplicas if the cluster has room for more pods (seed: not above the GPU nodes available)' };
  }
  if (able?.reason === 'ScaleDownStabilized' || able?.reason === 'ScaleUpStabilized') {
    return { id: 'decision', title, status: 'warn', evidence: `in a stabilization window: ${able.message}; ${base}`, fix: 'wait for the window to pass, or shorten behavior.scaleDown/scaleUp.stabilizationWindowSeconds' };
  }
  if (limited?.status === 'True') {
    return { id: 'decision', title, status: 'warn', evidence: `${limited.reason}: ${limited.message}; ${base}`, fix: 'the behavior policies limit the step: the next syncs continue, or allow larger steps in behavior.*.policies' };
  }
  if (failed.length > 0) {
    return { id: 'decision', title, status: 'warn', evidence: `${failed.map((m) => m.name).join(', ')} failed and is ignored while scaling up; ${base}`, fix: 'fix the failing metric: it will block scale-down' };
  }
  return { id: 'decision', title, status: 'pass', evidence: base };
}
