/**
 * The settings `tune` searches: the first metric's target, min/max replicas, both stabilization
 * windows, the Pods and Percent policies with their periods, selectPolicy, and the per-direction
 * tolerance. Candidates are drawn from a seeded generator, so a seed and a budget name the same
 * list every time; candidate 0 is the original.
 */
import { applyHpaDefaults, formatMilliQuantity, parseQuantityMilli, type HorizontalPodAutoscaler, type HPAScalingRules, type MetricSpec } from '../engine/index.js';
import { createSeededRng, type Rng } from '../sim/index.js';

/** The knobs of one candidate, for tables (units in the names). */
export interface Knobs {
  readonly target: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly scaleUpWindowSeconds: number;
  readonly scaleDownWindowSeconds: number;
  readonly scaleUp: string;
  readonly scaleDown: string;
  readonly tolerance: string;
}

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;

/** The first metric with its target scaled by `factor`. */
function scaleTarget(m: MetricSpec, factor: number): MetricSpec {
  const scale = (t: { readonly type: string; readonly averageValue?: string | number; readonly value?: string | number; readonly averageUtilization?: number }) => {
    if (t.averageUtilization !== undefined) return { ...t, averageUtilization: Math.max(1, Math.round(t.averageUtilization * factor)) };
    if (t.averageValue !== undefined) return { ...t, averageValue: formatMilliQuantity(Math.max(1, Math.round(parseQuantityMilli(t.averageValue) * factor))) };
    if (t.value !== undefined) return { ...t, value: formatMilliQuantity(Math.max(1, Math.round(parseQuantityMilli(t.value) * factor))) };
    return t;
  };
  if (m.pods) return { ...m, pods: { ...m.pods, target: scale(m.pods.target) } };
  if (m.object) return { ...m, object: { ...m.object, target: scale(m.object.target) } };
  if (m.external) return { ...m, external: { ...m.external, target: scale(m.external.target) } };
  if (m.resource?.target) return { ...m, resource: { ...m.resource, target: scale(m.resource.target) } };
  if (m.containerResource?.target) return { ...m, containerResource: { ...m.containerResource, target: scale(m.containerResource.target) } };
  return m;
}

function targetText(m: MetricSpec | undefined): string {
  const t = m?.pods?.target ?? m?.object?.target ?? m?.external?.target ?? m?.resource?.target ?? m?.containerResource?.target;
  if (t === undefined) return '-';
  return t.averageUtilization !== undefined ? `${t.averageUtilization}%` : String(t.averageValue ?? t.value ?? '-');
}

function rulesText(r: HPAScalingRules | null | undefined): string {
  if (r === null || r === undefined) return '-';
  const ps = (r.policies ?? []).map((p) => `${p.type === 'Percent' ? `${p.value}%` : `${p.value}p`}/${p.periodSeconds}s`).join(' ');
  return `${ps} ${r.selectPolicy ?? 'Max'}`;
}

/** The knobs of an HPA, for tables. */
export function knobsOf(hpa: HorizontalPodAutoscaler): Knobs {
  const b = hpa.spec.behavior;
  const tol = [b?.scaleUp?.tolerance, b?.scaleDown?.tolerance].map((t) => (t === null || t === undefined ? '-' : String(t)));
  return {
    target: targetText(hpa.spec.metrics?.[0]),
    minReplicas: hpa.spec.minReplicas ?? 1,
    maxReplicas: hpa.spec.maxReplicas,
    scaleUpWindowSeconds: b?.scaleUp?.stabilizationWindowSeconds ?? 0,
    scaleDownWindowSeconds: b?.scaleDown?.stabilizationWindowSeconds ?? 300,
    scaleUp: rulesText(b?.scaleUp),
    scaleDown: rulesText(b?.scaleDown),
    tolerance: tol[0] === '-' && tol[1] === '-' ? '-' : `${tol[0]}/${tol[1]}`,
  };
}

/** One random neighbour-or-far candidate of `base`. */
function drawCandidate(base: HorizontalPodAutoscaler, rng: Rng): HorizontalPodAutoscaler {
  const spec = base.spec;
  const metrics = spec.metrics ?? [];
  const factor = pick(rng, [0.6, 0.7, 0.8, 0.9, 1, 1, 1.1, 1.2, 1.4]);
  const min0 = spec.minReplicas ?? 1;
  const max0 = spec.maxReplicas;
  const minReplicas = Math.min(max0, pick(rng, [1, Math.max(1, min0 - 1), min0, min0, min0 + 1, min0 * 2]));
  const maxReplicas = Math.max(minReplicas, pick(rng, [max0, max0, Math.ceil(max0 * 1.5), max0 * 2, Math.max(minReplicas, Math.floor(max0 * 0.75))]));
  const upPolicies = [
    { type: 'Percent', value: pick(rng, [50, 100, 200, 400, 900]), periodSeconds: pick(rng, [15, 15, 30, 60]) },
    { type: 'Pods', value: pick(rng, [1, 2, 4, 8]), periodSeconds: pick(rng, [15, 15, 30, 60]) },
  ];
  const downPolicies = [
    { type: 'Percent', value: pick(rng, [10, 25, 50, 100]), periodSeconds: pick(rng, [15, 60, 60, 120]) },
    { type: 'Pods', value: pick(rng, [1, 1, 2, 4]), periodSeconds: pick(rng, [15, 60, 60, 120]) },
  ];
  const tol = pick(rng, [null, null, '0.05', '0.1', '0.2']);
  const scaleUp: HPAScalingRules = {
    stabilizationWindowSeconds: pick(rng, [0, 0, 15, 30, 60, 120]),
    selectPolicy: pick(rng, ['Max', 'Max', 'Min']),
    policies: rng() < 0.3 ? [upPolicies[Math.floor(rng() * 2)]!] : upPolicies,
    ...(tol === null ? {} : { tolerance: tol }),
  };
  const scaleDown: HPAScalingRules = {
    stabilizationWindowSeconds: pick(rng, [0, 60, 120, 180, 300, 300, 600]),
    selectPolicy: pick(rng, ['Min', 'Max']),
    policies: rng() < 0.3 ? [downPolicies[Math.floor(rng() * 2)]!] : downPolicies,
    ...(tol === null ? {} : { tolerance: tol }),
  };
  return applyHpaDefaults({
    ...base,
    spec: {
      ...spec,
      minReplicas,
      maxReplicas,
      metrics: metrics.map((m, i) => (i === 0 ? scaleTarget(m, factor) : m)),
      behavior: { scaleUp, scaleDown },
    },
  });
}

/**
 * `budget` candidates for a seed: the original first, then distinct draws.
 *
 * @example sampleCandidates(hpa, { budget: 3, seed: 1 }).length // -> 3
 */
export function sampleCandidates(base: HorizontalPodAutoscaler, options: { readonly budget: number; readonly seed: number }): HorizontalPodAutoscaler[] {
  const rng = createSeededRng(options.seed);
  const out: HorizontalPodAutoscaler[] = [applyHpaDefaults(base)];
  const seen = new Set([JSON.stringify(out[0]!.spec)]);
  for (let tries = 0; out.length < options.budget && tries < options.budget * 20; tries++) {
    const c = drawCandidate(base, rng);
    const key = JSON.stringify(c.spec);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}
