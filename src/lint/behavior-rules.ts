/**
 * Rules on an HPA's own fields: stabilization windows against the sync period and the API
 * maximum, policy periods, policies that `selectPolicy` never picks (computed with the engine's
 * rate limit), minReplicas 0, and windows short enough to flap on the metrics pipeline's lag.
 */
import {
  applyHpaDefaults,
  calculateScaleDownLimitWithBehaviors,
  calculateScaleUpLimitWithScalingRules,
  type HPAScalingRules,
} from '../engine/index.js';
import type { Finding } from './finding.js';
import { MAX_PERIOD_SECONDS, MAX_WINDOW_SECONDS, type HpaEntry, type LintModel } from './lint-model.js';

const DIRECTIONS = ['scaleUp', 'scaleDown'] as const;

/** HPA101–HPA106 over every HPA of the model. */
export function behaviorRules(model: LintModel): Finding[] {
  return model.hpas.flatMap((entry) => [...rangeFacts(entry), ...windows(entry, model), ...policies(entry)]);
}

function rangeFacts(entry: HpaEntry): Finding[] {
  const name = entry.hpa.metadata.name;
  return entry.facts.map((f): Finding => {
    switch (f.kind) {
      case 'window':
        return {
          id: 'HPA102',
          severity: 'error',
          location: entry.locate(f.hpaPath),
          message: `HPA '${name}': stabilizationWindowSeconds ${f.value} is over the API maximum of ${MAX_WINDOW_SECONDS} s`,
          why: 'the API server refuses the HPA (validation: 0 ≤ stabilizationWindowSeconds ≤ 3600), so it is never created or updated',
          fix: `use at most ${MAX_WINDOW_SECONDS} (one hour); for slower scale-down, lower the scale-down policies' rate instead`,
        };
      case 'period':
        return {
          id: 'HPA103',
          severity: 'error',
          location: entry.locate(f.hpaPath),
          message: `HPA '${name}': policy periodSeconds ${f.value} is over the API maximum of ${MAX_PERIOD_SECONDS} s`,
          why: 'the API server refuses the HPA (validation: 0 < periodSeconds ≤ 1800)',
          fix: `use at most ${MAX_PERIOD_SECONDS} (30 minutes), with a smaller value per period if the rate must stay low`,
        };
      default:
        return {
          id: 'HPA105',
          severity: 'error',
          location: entry.locate(f.hpaPath),
          message: `HPA '${name}': minReplicas 0 without an Object or External metric`,
          why: 'scale to zero needs a metric that exists with no pods (Object or External; alpha gate HPAScaleToZero before 1.37, beta from 1.37): with only Pods/Resource metrics the API server refuses minReplicas 0',
          fix: 'set minReplicas ≥ 1, or add an Object/External metric (and enable HPAScaleToZero before Kubernetes 1.37)',
        };
    }
  });
}

function windows(entry: HpaEntry, model: LintModel): Finding[] {
  const out: Finding[] = [];
  const name = entry.hpa.metadata.name;
  const sync = model.syncPeriodSeconds;
  for (const dir of DIRECTIONS) {
    const w = entry.hpa.spec.behavior?.[dir]?.stabilizationWindowSeconds;
    if (typeof w !== 'number') continue;
    const path = `spec.behavior.${dir}.stabilizationWindowSeconds`;
    if (w > 0 && w < sync && !entry.facts.some((f) => f.hpaPath === path)) {
      out.push({
        id: 'HPA101',
        severity: 'warning',
        location: entry.locate(path),
        message: `HPA '${name}': ${dir} stabilizationWindowSeconds ${w} is shorter than one sync period (${sync} s)`,
        why: `the controller records one recommendation per sync, so a ${w} s window only ever holds the current one: it behaves exactly as 0 and stabilizes nothing`,
        fix: dir === 'scaleUp' ? `use 0 to say "no stabilization", or a multiple of the sync period (${sync}, ${2 * sync}, ${4 * sync} s) to damp scale-up` : `use a multiple of the sync period, e.g. ${20 * sync} s (the default 300 s)`,
      });
    }
  }
  // Flapping (seed 000, "Pods Scaling Too Aggressively"): a scale-down window shorter than the pipeline's lag.
  const down = entry.hpa.spec.behavior?.scaleDown?.stabilizationWindowSeconds;
  const lag = model.scrapeIntervalSeconds + sync;
  if (typeof down === 'number' && down < lag) {
    out.push({
      id: 'HPA106',
      severity: 'warning',
      location: entry.locate('spec.behavior.scaleDown.stabilizationWindowSeconds'),
      message: `HPA '${name}': scale-down window ${down} s is shorter than the metrics pipeline's lag (scrape ${model.scrapeIntervalSeconds} s + sync ${sync} s = ${lag} s)`,
      why: "the HPA removes pods on a reading that predates the last scale-up's effect, then adds them back: the seeds' troubleshooting names this as the cause of pods scaling up and down constantly",
      fix: `raise scaleDownStabilizationWindowSeconds to at least ${Math.max(lag * 4, 60)} s (the seeds suggest 300–600 s)`,
    });
  }
  return out;
}

/** Replica bounds of the policies alone vs together, for each current size, with no recent events. */
function policies(entry: HpaEntry): Finding[] {
  const out: Finding[] = [];
  const hpa = applyHpaDefaults(entry.hpa);
  const name = hpa.metadata.name;
  const min = Math.max(1, hpa.spec.minReplicas ?? 1);
  const max = Math.min(hpa.spec.maxReplicas, 1000);
  for (const dir of DIRECTIONS) {
    const rules = hpa.spec.behavior?.[dir];
    const userRules = entry.hpa.spec.behavior?.[dir];
    if (!rules || !userRules?.policies || userRules.policies.length === 0) continue;
    const list = rules.policies ?? [];
    if (rules.selectPolicy === 'Disabled') {
      out.push({
        id: 'HPA104',
        severity: 'warning',
        location: entry.locate(`spec.behavior.${dir}.selectPolicy`),
        message: `HPA '${name}': ${dir} selectPolicy is Disabled, so its ${list.length} policies never apply`,
        why: `Disabled turns ${dir === 'scaleUp' ? 'scale-up' : 'scale-down'} off entirely; the policies are dead configuration`,
        fix: `remove the policies, or set selectPolicy to Max or Min if ${dir} should happen`,
      });
      continue;
    }
    if (list.length < 2) continue;
    const limit = (r: HPAScalingRules, x: number): number =>
      (dir === 'scaleUp' ? calculateScaleUpLimitWithScalingRules : calculateScaleDownLimitWithBehaviors)({ currentReplicas: x, scaleUpEvents: [], scaleDownEvents: [], rules: r, nowMs: 0 });
    const from = dir === 'scaleUp' ? min : min + 1;
    const to = dir === 'scaleUp' ? max - 1 : max;
    if (from > to) continue;
    list.forEach((p, i) => {
      let applies = false;
      for (let x = from; x <= to && !applies; x++) applies = limit({ ...rules, policies: [p] }, x) === limit(rules, x);
      if (applies) return;
      out.push({
        id: 'HPA104',
        severity: 'warning',
        location: entry.locate(`spec.behavior.${dir}.policies[${i}]`),
        message: `HPA '${name}': ${dir} policy ${p.type} ${p.value}/${p.periodSeconds}s never decides under selectPolicy ${rules.selectPolicy ?? 'Max'} for ${from}–${to} replicas`,
        why: `at every size from ${from} to ${to} another policy ${rules.selectPolicy === 'Min' ? 'allows less' : 'allows more'} (computed with the engine's rate limit, no recent scale events), so this one is dead configuration and the rate is not what it reads as`,
        fix: `remove it, change its value, or switch selectPolicy to ${rules.selectPolicy === 'Min' ? 'Max' : 'Min'} if it was meant to ${rules.selectPolicy === 'Min' ? 'allow more' : 'cap the rate'}`,
      });
    });
  }
  return out;
}
