/**
 * Every metric of an HPA → the largest proposal, with upstream's treatment of failing metrics and
 * selector problems.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/horizontal.go computeReplicasForMetrics, validateAndParseSelector
 */
import { versionRuleApplies } from './versions.js';
import { computeMetric, metricLabel, type MetricOutcome } from './compute-metric.js';
import type { ExplainStep } from './explain.js';
import type { MetricProposal, ReconcileInput } from './reconcile.js';
import { tolerancesForHpa } from './tolerance-for-hpa.js';
import { matchesLabelSelector, parseLabelSelector as parseSelector, type LabelSelector as ParsedSelector } from '../core/index.js';
import type { ControllerConfig, HorizontalPodAutoscalerConditionType, HpaEvent, MetricSpec, MetricStatus, PodInfo } from './types.js';

export type SetConditionFn = (type: HorizontalPodAutoscalerConditionType, status: 'True' | 'False', reason: string, message: string) => void;

export interface MetricsPass {
  readonly config: ControllerConfig;
  readonly specReplicas: number;
  readonly statusReplicas: number;
  readonly namespace: string;
  /** Where the pass appends its explanation steps (none on the fast path) and events, and sets conditions. */
  readonly steps: ExplainStep[] | undefined;
  readonly events: HpaEvent[];
  readonly cond: SetConditionFn;
  /** Fast path: no `detail` in the per-metric results (only the explanation reads it). */
  readonly explain: boolean;
}

/** Proposal of -1 means a hard failure (upstream returns -1 and the status keeps its desired replicas). */
export function computeReplicasForMetrics(
  input: ReconcileInput,
  pass: MetricsPass,
): { replicas: number; metric: string; statuses?: (MetricStatus | null)[]; proposals: MetricProposal[]; error?: string | undefined } {
  const { config, specReplicas, statusReplicas, namespace, steps, events, cond } = pass;
  const { hpa, observation: obs } = input;
  const scale = obs.scale as { selector: string };
  // validateAndParseSelector
  if (!scale.selector) {
    events.push({ type: 'Warning', reason: 'SelectorRequired', message: 'selector is required' });
    cond('ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector");
    steps?.push({ kind: 'combine', proposal: -1, winner: '', invalid: 0, total: 0, failed: true, error: "The target's scale has no selector: cannot tell which pods it owns" });
    return { replicas: -1, metric: '', proposals: [], error: 'selector is required' };
  }
  const parsed = parseSelectorCached(scale.selector);
  if (typeof parsed === 'string') {
    const msg = `couldn't convert selector into a corresponding internal selector object: ${parsed}`;
    events.push({ type: 'Warning', reason: 'InvalidSelector', message: msg });
    cond('ScalingActive', 'False', 'InvalidSelector', msg);
    steps?.push({ kind: 'combine', proposal: -1, winner: '', invalid: 0, total: 0, failed: true, error: msg });
    return { replicas: -1, metric: '', proposals: [], error: msg };
  }
  const selector = parsed;
  const pods = selectPods(obs.pods, selector);
  if (obs.otherHpas?.length && pods.length > 0) {
    const selecting = [`${namespace}/${hpa.metadata.name}`];
    for (const other of obs.otherHpas) {
      const sel = parseSelectorCached(other.selector);
      if (typeof sel === 'string') continue;
      if (pods.some((p) => matchesSelector(sel, p.labels))) selecting.push(`${namespace}/${other.name}`);
    }
    if (selecting.length > 1) {
      const msg = `pods by selector ${scale.selector} are controlled by multiple HPAs: [${selecting.join(' ')}]`;
      events.push({ type: 'Warning', reason: 'AmbiguousSelector', message: msg });
      cond('ScalingActive', 'False', 'AmbiguousSelector', msg);
      steps?.push({ kind: 'combine', proposal: -1, winner: '', invalid: 0, total: 0, failed: true, error: msg });
      return { replicas: -1, metric: '', proposals: [], error: msg };
    }
  }

  const tolerances = tolerancesForHpa(hpa, config);
  const ctx = {
    specReplicas,
    statusReplicas,
    pods,
    namespace,
    tolerances,
    settings: {
      cpuInitializationPeriodSeconds: config.cpuInitializationPeriodSeconds,
      delayOfInitialReadinessStatusSeconds: config.delayOfInitialReadinessStatusSeconds,
      podLevelResources: config.featureGates.PodLevelResources,
      ignoreSucceededPods: versionRuleApplies('IgnoreSucceededPods', config.kubernetesVersion),
      nowMs: input.nowMs,
      detail: pass.explain,
    },
  };
  const metricSpecs = hpa.spec.metrics ?? [];
  const statuses: (MetricStatus | null)[] = [];
  const proposals: MetricProposal[] = [];
  let replicas = 0;
  let metric = '';
  let invalid = 0;
  let first: Extract<MetricOutcome, { ok: false }> | undefined;
  for (let i = 0; i < metricSpecs.length; i++) {
    const ms = metricSpecs[i] as MetricSpec;
    const o = computeMetric(ms, obs.metrics[i], ctx);
    const label = metricLabel(ms);
    if (!o.ok) {
      events.push({ type: 'Warning', reason: o.reason, message: o.error });
      if (!first) first = o;
      invalid++;
      statuses.push(null);
      proposals.push({ name: o.name, label, type: String(ms.type), error: o.error, ...(o.target === undefined ? {} : { target: o.target }), ...(o.targetType ? { targetType: o.targetType } : {}) });
      steps?.push({ kind: 'metric', index: i, name: o.name, ok: false, error: o.error, reason: o.reason });
      continue;
    }
    statuses.push(o.status);
    proposals.push({ name: o.name, label, type: String(ms.type), current: o.current, target: o.target, targetType: o.targetType, proposal: o.replicas });
    steps?.push({
      kind: 'metric',
      index: i,
      name: o.name,
      ok: true,
      current: o.current,
      target: o.target,
      targetType: o.targetType,
      proposal: o.replicas,
      detail: o.detail,
    });
    // A proposal of 0 never lowers the maximum.
    if (replicas === 0 || o.replicas > replicas) {
      replicas = o.replicas;
      metric = o.name;
    }
  }
  const error = first ? `invalid metrics (${invalid} invalid out of ${metricSpecs.length}), first error is: ${first.error}` : undefined;
  if (invalid >= metricSpecs.length || (invalid > 0 && replicas < specReplicas)) {
    if (first) cond('ScalingActive', 'False', first.reason, `the HPA was unable to compute the replica count: ${first.error}`);
    steps?.push({ kind: 'combine', proposal: -1, winner: '', invalid, total: metricSpecs.length, failed: true });
    return { replicas: -1, metric: '', statuses, proposals, error };
  }
  cond('ScalingActive', 'True', 'ValidMetricFound', validMetricMessage(metric));
  steps?.push({ kind: 'combine', proposal: replicas, winner: metric, invalid, total: metricSpecs.length, failed: false });
  return { replicas, metric, statuses, proposals, error };
}

/**
 * The observed pods the selector matches: the observation's own array when it matches them all
 * (the usual case; callers that reuse an unchanged pod list then hit the per-list memos).
 */
function selectPods(all: readonly PodInfo[], selector: ParsedSelector): readonly PodInfo[] {
  let i = 0;
  while (i < all.length && matchesSelector(selector, (all[i] as PodInfo).labels)) i++;
  if (i === all.length) return all;
  const pods: PodInfo[] = all.slice(0, i);
  for (i++; i < all.length; i++) {
    const p = all[i] as PodInfo;
    if (matchesSelector(selector, p.labels)) pods.push(p);
  }
  return pods;
}

const validMetricMessages = new Map<string, string>();

/**
 * The ValidMetricFound message, one string per metric name: the condition it sets is then the
 * very string already in the list, compared by identity instead of character by character.
 */
function validMetricMessage(metric: string): string {
  let hit = validMetricMessages.get(metric);
  if (hit === undefined) {
    hit = `the HPA was able to successfully calculate a replica count from ${metric}`;
    if (validMetricMessages.size >= 1_000) validMetricMessages.clear();
    validMetricMessages.set(metric, hit);
  }
  return hit;
}

const selectorCache = new Map<string, ParsedSelector | string>();

/**
 * `parseLabelSelector`, memoized per selector string (a parsed selector is never mutated): the
 * error message for an invalid one. Keeping the parsed object also lets `matchesSelector` hit
 * its per-labels memo across syncs.
 */
function parseSelectorCached(text: string): ParsedSelector | string {
  let hit = selectorCache.get(text);
  if (hit !== undefined) return hit;
  try {
    hit = parseSelector(text);
  } catch (e) {
    hit = (e as Error).message;
  }
  if (selectorCache.size >= 1_000) selectorCache.clear();
  selectorCache.set(text, hit);
  return hit;
}

const matchCache = new WeakMap<ParsedSelector, WeakMap<object, boolean>>();

/**
 * `matchesLabelSelector`, memoized per labels object: pods of one template share their labels
 * object, so a sync over thousands of pods evaluates each selector once per template.
 */
function matchesSelector(selector: ParsedSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (labels === undefined) return matchesLabelSelector(selector, labels);
  let perSelector = matchCache.get(selector);
  if (perSelector === undefined) {
    perSelector = new WeakMap();
    matchCache.set(selector, perSelector);
  }
  const hit = perSelector.get(labels);
  if (hit !== undefined) return hit;
  const result = matchesLabelSelector(selector, labels);
  perSelector.set(labels, result);
  return result;
}
