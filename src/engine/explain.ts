/**
 * The explanation of a decision: ordered steps as data, each with a sentence for people.
 * The CLI and the web page print these; nothing here decides anything.
 */
import type { LimitResult } from './rate-limit.js';
import type { CalcDetail } from './replica-calculator.js';

export type ExplainStep =
  | { readonly kind: 'scale'; readonly text: string; readonly currentReplicas?: number; readonly statusReplicas?: number; readonly error?: string }
  | { readonly kind: 'precheck'; readonly text: string; readonly outcome: 'disabled' | 'aboveMax' | 'belowMin'; readonly desiredReplicas: number }
  | {
      readonly kind: 'metric';
      readonly text: string;
      readonly index: number;
      readonly name: string;
      readonly ok: boolean;
      readonly current?: number;
      readonly target?: number;
      readonly targetType?: string;
      readonly proposal?: number;
      readonly detail?: CalcDetail;
      readonly error?: string;
      readonly reason?: string;
    }
  | {
      readonly kind: 'combine';
      readonly text: string;
      readonly proposal: number;
      readonly winner: string;
      readonly invalid: number;
      readonly total: number;
      readonly failed: boolean;
    }
  | {
      readonly kind: 'stabilize';
      readonly text: string;
      readonly mode: 'legacy' | 'behavior';
      readonly before: number;
      readonly after: number;
      readonly reason: string;
      readonly scaleUpWindowSeconds?: number;
      readonly scaleDownWindowSeconds: number;
    }
  | {
      readonly kind: 'limit';
      readonly text: string;
      readonly before: number;
      readonly after: number;
      readonly reason: string;
      readonly limited: boolean;
      readonly selectPolicy?: string;
      readonly limit?: number;
      readonly policies?: LimitResult['policies'];
    }
  | { readonly kind: 'result'; readonly text: string; readonly desiredReplicas: number; readonly rescale: boolean; readonly reasonText: string };

const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(3).replace(/0+$/, '').replace(/\.$/, ''));

/** Sentence for one metric's calculation. */
export function describeMetric(m: {
  name: string;
  current: number;
  target: number;
  targetType: string;
  proposal: number;
  detail: CalcDetail;
  currentReplicas: number;
}): string {
  const d = m.detail;
  const unit = m.targetType === 'Utilization' ? '%' : '';
  const parts = [`${m.name}: current ${fmt(m.current)}${unit} / target ${fmt(m.target)}${unit} (${m.targetType}) → ratio ${fmt(d.ratio)}`];
  const left: string[] = [];
  if (d.unreadyPods?.length) left.push(`${d.unreadyPods.length} unready (${d.unreadyPods.join(', ')})`);
  if (d.missingPods?.length) left.push(`${d.missingPods.length} without metrics (${d.missingPods.join(', ')})`);
  if (d.ignoredPods?.length) left.push(`${d.ignoredPods.length} ignored: deleted or failed (${d.ignoredPods.join(', ')})`);
  if (left.length) parts.push(`pods left out: ${left.join('; ')}`);
  if (d.rebalance) {
    parts.push(`rebalanced: ratio ${fmt(d.rebalance.newRatio)} over ${d.rebalance.sampleCount} pods, ${d.rebalance.outcome}`);
  } else if (d.withinTolerance) {
    parts.push(`within tolerance, keep ${m.proposal}`);
  } else if (d.multiplier !== undefined) {
    parts.push(`ceil(${fmt(d.ratio)} × ${d.multiplier}) = ${m.proposal}`);
  }
  if (!d.withinTolerance || d.rebalance) parts.push(`proposal ${m.proposal}`);
  return parts.join('; ');
}

/** Prints the steps as numbered lines. */
export function formatExplanation(steps: readonly ExplainStep[]): string {
  return steps.map((s, i) => `${String(i + 1).padStart(2)}. ${s.text}`).join('\n');
}
