/**
 * Findings: the traps the seeds and their users fell into, recognised in a run, each with its
 * evidence and the knob that fixes it.
 * - staircase: scale-ups driven by CPU that was mostly the new pods' startup spike (the blog);
 * - fixed-usage: a metric whose per-pod value does not fall when replicas rise (memory in the
 *   blog), confirmed with the engine: with that metric alone, desired == current;
 * - flapping: direction changes within 2 × the scale-down stabilization window;
 * - scale-down-frozen: a failing metric while the valid ones want fewer replicas (upstream then
 *   only scales up);
 * - pinned-at-max: at maxReplicas while a metric wants more.
 * Data is gathered per sync in bounded structures (per distinct replica count, first N items).
 */
import { createInitialState, reconcile, type ControllerConfigInput, type Decision, type HorizontalPodAutoscaler, type Observation } from '../engine/index.js';
import { metricShortName, type HpaStats } from './summary.js';
import type { Finding, HpaSummary, ServiceSummary } from './types.js';
import type { MetricsPipeline } from './pipeline.js';

/** Syncs at maxReplicas with a metric wanting more before it is a finding (2 min at 15 s). */
const PINNED_MIN_SYNCS = 8;
/** Staircase steps kept as evidence. */
const MAX_STEPS = 10;

interface StaircaseStep {
  readonly t: number;
  readonly from: number;
  readonly to: number;
  readonly utilization: number;
  readonly withoutStartup: number;
  readonly target: number;
  readonly metric: string;
}

interface ReplicaGroup {
  sumValue: number[];
  count: number[];
  sumLoad: number;
  n: number;
  lastObservation: Observation;
  lastMetrics: Decision['metrics'];
  lastT: number;
}

interface HpaFacts {
  readonly stats: HpaStats;
  readonly staircase: StaircaseStep[];
  staircaseCount: number;
  readonly groups: Map<number, ReplicaGroup>;
  frozenSyncs: number;
  frozenFirstT: number;
  frozenMetric: string;
  frozenError: string;
  frozenValidMax: number;
  frozenHeld: number;
  pinnedSyncs: number;
  /** Syncs at maxReplicas at all, and the sum of what the pinned ones wanted. */
  atMaxSyncs: number;
  pinnedWantedSum: number;
  pinnedFirstT: number;
  pinnedWanted: number;
  pinnedMetric: string;
  pinnedCurrent: number;
  pinnedTarget: number;
}

/** Gathers the evidence of findings during a run. */
export class FindingsCollector {
  readonly #facts = new Map<string, HpaFacts>();
  readonly #config: ControllerConfigInput;
  readonly #syncPeriodSeconds: number;
  readonly #pipeline: MetricsPipeline;
  /** The facts `#factsOf` returned last (one HPA is the usual case). */
  #lastFacts: HpaFacts | undefined = undefined;

  constructor(options: { config: ControllerConfigInput; syncPeriodSeconds: number; pipeline: MetricsPipeline }) {
    this.#config = options.config;
    this.#syncPeriodSeconds = options.syncPeriodSeconds;
    this.#pipeline = options.pipeline;
  }

  #factsOf(stats: HpaStats): HpaFacts {
    const last = this.#lastFacts;
    if (last !== undefined && last.stats === stats) return last;
    const name = stats.hpa.metadata.name;
    let f = this.#facts.get(name);
    if (f === undefined) {
      f = {
        stats,
        staircase: [],
        staircaseCount: 0,
        groups: new Map(),
        frozenSyncs: 0,
        frozenFirstT: 0,
        frozenMetric: '',
        frozenError: '',
        frozenValidMax: 0,
        frozenHeld: 0,
        pinnedSyncs: 0,
        atMaxSyncs: 0,
        pinnedWantedSum: 0,
        pinnedFirstT: 0,
        pinnedWanted: 0,
        pinnedMetric: '',
        pinnedCurrent: 0,
        pinnedTarget: 0,
      };
      this.#facts.set(name, f);
    }
    this.#lastFacts = f;
    return f;
  }

  /**
   * One sync of one HPA: `before` is the replica count it read, `loadRps` the service's offered
   * load over the last sync period.
   */
  observeSync(input: { tSeconds: number; stats: HpaStats; decision: Decision; observation: Observation; before: number; loadRps: number }): void {
    const { tSeconds: t, stats, decision, observation, before } = input;
    const f = this.#factsOf(stats);
    const hpa = stats.hpa;
    const specs = hpa.spec.metrics ?? [];
    const metrics = decision.metrics;

    // Staircase: a scale-up won by cpu whose usage was mostly startup.
    if (decision.scaleTo !== null && decision.scaleTo > before) {
      let best = -1;
      metrics.forEach((m, i) => {
        if (m.proposal !== undefined && (best < 0 || m.proposal > metrics[best]!.proposal!)) best = i;
      });
      const spec = specs[best];
      const m = metrics[best];
      const resource = spec?.type === 'Resource' ? spec.resource?.name : spec?.type === 'ContainerResource' ? spec.containerResource?.name : undefined;
      if (m !== undefined && resource === 'cpu' && m.targetType === 'Utilization' && m.target !== undefined) {
        const u = this.#cpuUtilization(stats, t);
        if (u !== undefined && this.#startupDriven(u, m.target)) {
          f.staircaseCount++;
          if (f.staircase.length < MAX_STEPS) {
            f.staircase.push({ t, from: before, to: decision.scaleTo, utilization: u.total, withoutStartup: u.withoutStartup, target: m.target, metric: metricShortName(spec!) });
          }
        }
      }
    }

    // Fixed usage: per-pod values grouped by replica count.
    let g = f.groups.get(before);
    if (g === undefined) {
      g = { sumValue: specs.map(() => 0), count: specs.map(() => 0), sumLoad: 0, n: 0, lastObservation: observation, lastMetrics: metrics, lastT: t };
      f.groups.set(before, g);
    }
    g.sumLoad += input.loadRps;
    g.n++;
    g.lastObservation = observation;
    g.lastMetrics = metrics;
    g.lastT = t;
    let failed = -1;
    let validCount = 0;
    let validMax = 0;
    for (let i = 0; i < metrics.length; i++) {
      const m = metrics[i]!;
      if (m.error !== undefined) {
        if (failed < 0) failed = i;
        continue;
      }
      if (m.proposal !== undefined) {
        if (validCount === 0 || m.proposal > validMax) validMax = m.proposal;
        validCount++;
      }
      if (m.current === undefined || i >= g.sumValue.length) continue;
      g.sumValue[i]! += m.current;
      g.count[i]!++;
    }

    // Scale-down frozen by a failing metric.
    if (failed >= 0 && validCount > 0 && validMax < before && decision.desiredReplicas >= before) {
      if (f.frozenSyncs === 0) {
        f.frozenFirstT = t;
        const spec = specs[failed];
        f.frozenMetric = spec ? metricShortName(spec) : metrics[failed]!.name;
        f.frozenError = metrics[failed]!.error ?? '';
      }
      f.frozenSyncs++;
      f.frozenValidMax = validMax;
      f.frozenHeld = before;
    }

    // Pinned at maxReplicas with a metric wanting more.
    if (before >= hpa.spec.maxReplicas) {
      f.atMaxSyncs++;
      let wanted = 0;
      let which = -1;
      for (let i = 0; i < metrics.length; i++) {
        const proposal = metrics[i]!.proposal;
        if (proposal !== undefined && proposal > wanted) {
          wanted = proposal;
          which = i;
        }
      }
      const spec = specs[which];
      const resource = spec?.type === 'Resource' ? spec.resource?.name : spec?.type === 'ContainerResource' ? spec.containerResource?.name : undefined;
      const target = metrics[which]?.target;
      // CPU above target because of the startup spike is the staircase, not load.
      const startup = resource === 'cpu' && target !== undefined && this.#startupDriven(this.#cpuUtilization(stats, t), target);
      if (wanted > hpa.spec.maxReplicas && which >= 0 && !startup) {
        if (f.pinnedSyncs === 0) f.pinnedFirstT = t;
        f.pinnedSyncs++;
        f.pinnedWantedSum += wanted;
        if (wanted >= f.pinnedWanted) {
          f.pinnedWanted = wanted;
          f.pinnedMetric = spec ? metricShortName(spec) : metrics[which]!.name;
          f.pinnedCurrent = metrics[which]!.current ?? Number.NaN;
          f.pinnedTarget = metrics[which]!.target ?? Number.NaN;
        }
      }
    }
  }

  /** CPU utilization (% of request) of the ready pods' latest samples, with and without startup. */
  #cpuUtilization(stats: HpaStats, t: number): { total: number; withoutStartup: number; startupShare: number } | undefined {
    const svc = stats.service;
    const request = svc.model.requests.cpuMillicores;
    if (request === undefined || !(request > 0)) return undefined;
    let total = 0;
    let startup = 0;
    let requests = 0;
    for (const pod of svc.pods) {
      if (!pod.isReady(t)) continue;
      const s = this.#pipeline.resourceSample(pod);
      if (s === undefined) continue;
      total += s.cpuMillicores;
      startup += svc.startupMillicores(pod, s.ts - s.windowSeconds, s.ts);
      requests += request;
    }
    if (!(requests > 0 && total > 0)) return undefined;
    return { total: (total / requests) * 100, withoutStartup: ((total - startup) / requests) * 100, startupShare: startup / total };
  }

  /** Mostly startup CPU, and below target (within tolerance) without it. */
  #startupDriven(u: { withoutStartup: number; startupShare: number } | undefined, target: number): boolean {
    const tolerance = this.#config.tolerance ?? 0.1;
    return u !== undefined && u.startupShare >= 0.5 && u.withoutStartup <= target * (1 + tolerance);
  }

  /** The findings of the run. */
  finish(input: { hpaSummaries: readonly HpaSummary[]; serviceSummaries: readonly ServiceSummary[] }): Finding[] {
    const out: Finding[] = [];
    const period = this.#syncPeriodSeconds;
    for (const f of this.#facts.values()) {
      const hpa = f.stats.hpa;
      const name = hpa.metadata.name;
      const summary = input.hpaSummaries.find((s) => s.hpa === name);
      const service = input.serviceSummaries.find((s) => s.service === f.stats.service.name);
      const max = hpa.spec.maxReplicas;

      if (f.staircaseCount > 0) {
        const steps = f.staircase;
        const first = steps[0]!;
        const top = Math.max(...steps.map((s) => s.to));
        const peakUtil = Math.max(...steps.map((s) => s.utilization));
        const spike = f.stats.service.model.cpu.startup;
        out.push({
          kind: 'staircase',
          hpa: name,
          metric: first.metric,
          severity: top >= max ? 'critical' : 'warning',
          t: first.t,
          title: `Startup CPU spike walks ${name} up ${f.staircaseCount === 1 ? 'a step' : `${f.staircaseCount} steps`} to ${top} replicas${f.staircaseCount > 1 ? ' (staircase)' : ''}${top >= max ? ', the maximum' : ''}`,
          evidence:
            steps
              .map((s) => `${formatSeconds(s.t)}: ${s.from} → ${s.to} on ${s.metric} ${round(s.utilization)}% of request, ${round(s.withoutStartup)}% without the startup spike (target ${round(s.target)}%)`)
              .join('; ') + (f.staircaseCount > steps.length ? `; and ${f.staircaseCount - steps.length} more` : ''),
          fix:
            `The startup spike is fixed usage: more replicas do not lower it, each new pod brings its own. ` +
            `Raise the cpu target above the startup peak (averageUtilization ≥ ${Math.ceil(peakUtil / 10) * 10}), ` +
            `or make the readiness probe pass only after warm-up (CPU of pods starting within --horizontal-pod-autoscaler-cpu-initialization-period, 5 min, counts only once they are ready for a full metrics window), ` +
            `or set behavior.scaleUp.stabilizationWindowSeconds ≥ ${spike === null ? 'the spike' : `${Math.ceil(spike.holdSeconds + 2 * spike.decaySeconds)} s`}, ` +
            `or scale on a load metric (asr_active_requests) instead of cpu`,
        });
      }

      const fixed = this.#fixedUsage(f);
      if (fixed !== undefined) out.push(fixed);

      if (summary !== undefined && summary.flaps >= 2) {
        const window = f.stats.flapWindowSeconds / 2;
        out.push({
          kind: 'flapping',
          hpa: name,
          severity: summary.flaps >= 4 ? 'warning' : 'info',
          t: f.stats.flapTimes[0] ?? 0,
          title: `${name} flaps: ${summary.flaps} direction change${summary.flaps === 1 ? '' : 's'} within ${formatSeconds(2 * window)}`,
          evidence: `${summary.scaleUps} scale-ups and ${summary.scaleDowns} scale-downs; reversals at ${f.stats.flapTimes.slice(0, 8).map(formatSeconds).join(', ')}${summary.flaps > 8 ? ', …' : ''}`,
          fix: `Lengthen behavior.scaleDown.stabilizationWindowSeconds (${window} s now; try ${Math.max(600, 2 * window)}), add behavior.scaleUp.stabilizationWindowSeconds (30–60 s), or smooth the metric in the adapter query (avg_over_time(...[2m]))`,
        });
      }

      if (f.frozenSyncs >= 2) {
        out.push({
          kind: 'scale-down-frozen',
          hpa: name,
          metric: f.frozenMetric,
          severity: 'critical',
          t: f.frozenFirstT,
          title: `Failing metric ${f.frozenMetric} freezes scale-down of ${name}`,
          evidence: `${f.frozenMetric} failed on ${f.frozenSyncs} syncs (${formatSeconds(f.frozenSyncs * period)}) from ${formatSeconds(f.frozenFirstT)}: "${f.frozenError}"; the valid metrics wanted ${f.frozenValidMax} replicas but the HPA held ${f.frozenHeld}: with a metric invalid it only scales up`,
          fix: `Fix the pipeline of ${f.frozenMetric} (the pods export it, the ServiceMonitor scrapes them, a prometheus-adapter rule serves it under that name) or remove it from spec.metrics`,
        });
      }

      // Sustained: a transient queue right after a scale-up is not "load above target".
      if (f.pinnedSyncs >= PINNED_MIN_SYNCS && f.pinnedSyncs >= 0.25 * f.atMaxSyncs) {
        const meanWanted = Math.ceil(f.pinnedWantedSum / f.pinnedSyncs);
        const harm: string[] = [];
        if (service !== undefined && service.dropped >= 0.5) harm.push(`${Math.round(service.dropped)} requests dropped`);
        if (service?.sloMisses != null && service.sloMisses >= 0.5) harm.push(`${Math.round(service.sloMisses)} SLO misses`);
        if (service?.latencyP99 != null) harm.push(`p99 latency ${round(service.latencyP99)} s`);
        out.push({
          kind: 'pinned-at-max',
          hpa: name,
          metric: f.pinnedMetric,
          severity: harm.length > 1 ? 'critical' : 'warning',
          t: f.pinnedFirstT,
          title: `${name} pinned at maxReplicas ${max} with load above target`,
          evidence: `${formatSeconds(f.pinnedSyncs * period)} at maxReplicas ${max} while ${f.pinnedMetric} wanted ${meanWanted} replicas on average, up to ${f.pinnedWanted} (${round(f.pinnedCurrent)} vs target ${round(f.pinnedTarget)})${harm.length > 0 ? `; over the run ${harm.join(', ')}` : ''}`,
          fix: `Raise maxReplicas toward ${meanWanted} if the cluster (GPU nodes) has room, or raise per-pod capacity (concurrency, faster model); otherwise expect queueing at peak`,
        });
      }
    }
    return out;
  }

  /** A metric whose per-pod value does not fall as replicas rise, confirmed with the engine. */
  #fixedUsage(f: HpaFacts): Finding | undefined {
    const hpa = f.stats.hpa;
    const specs = hpa.spec.metrics ?? [];
    const counts = [...f.groups.keys()].sort((a, b) => a - b);
    if (counts.length < 2) return undefined;
    const nLow = counts[0]!;
    const nHigh = counts[counts.length - 1]!;
    const low = f.groups.get(nLow)!;
    const high = f.groups.get(nHigh)!;
    if (nHigh <= (hpa.spec.minReplicas ?? 1) || nLow <= 0) return undefined;
    const loadLow = low.sumLoad / low.n;
    const loadHigh = high.sumLoad / high.n;
    const perPodLow = loadLow / nLow;
    const perPodHigh = loadHigh / nHigh;
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i]!;
      const perPod = spec.type === 'Resource' || spec.type === 'ContainerResource' || spec.type === 'Pods';
      if (!perPod || low.count[i] === 0 || high.count[i] === 0) continue;
      const vLow = low.sumValue[i]! / low.count[i]!;
      const vHigh = high.sumValue[i]! / high.count[i]!;
      // The per-pod value did not fall as replicas rose...
      if (!(vLow > 0) || !(vHigh >= 0.9 * vLow)) continue;
      // ...and does not follow the load per pod (a load metric at target looks flat too).
      if (perPodLow > 1e-9 && perPodHigh > 1e-9 && !(vHigh / perPodHigh >= 1.5 * (vLow / perPodLow))) continue;
      // Confirm with the engine: with this metric alone (no stabilization history), it keeps nHigh.
      const single: HorizontalPodAutoscaler = { ...hpa, spec: { ...hpa.spec, metrics: [spec] } };
      const obs = high.lastObservation;
      const alone = reconcile({
        hpa: single,
        observation: { ...obs, metrics: [obs.metrics[i]!] },
        state: { ...createInitialState(), recommendations: [] },
        nowMs: high.lastT * 1000,
        config: this.#config,
      }).decision;
      if (alone.desiredReplicas !== nHigh) continue;
      const name = metricShortName(spec);
      const others = high.lastMetrics.filter((m, j) => j !== i && m.proposal !== undefined).map((m) => m.proposal!);
      const othersWant = others.length > 0 ? Math.max(...others) : undefined;
      const unit = alone.metrics[0]?.targetType === 'Utilization' ? '%' : '';
      const target = alone.metrics[0]?.target;
      return {
        kind: 'fixed-usage',
        hpa: hpa.metadata.name,
        metric: name,
        severity: othersWant !== undefined && othersWant < nHigh ? 'warning' : 'info',
        t: high.lastT,
        title: `${name} does not fall as replicas rise: ${hpa.metadata.name} cannot scale down on it`,
        evidence:
          `${name} per pod ${round(vLow)}${unit} at ${nLow} replica${nLow === 1 ? '' : 's'} and ${round(vHigh)}${unit} at ${nHigh}` +
          `${target === undefined ? '' : ` (target ${round(target)}${unit})`} while load per pod went from ${round(perPodLow)} to ${round(perPodHigh)} rps; ` +
          `with ${name} alone the HPA keeps ${nHigh} replicas (desired == current)` +
          (othersWant === undefined ? '' : `, while the other metrics want ${othersWant}`),
        fix:
          `Remove ${name} from spec.metrics: its usage is fixed per pod, not driven by traffic, so ceil(replicas × usage / target) stays at the current count whatever it is. ` +
          `Scale on a metric that follows load (asr_active_requests, requests per second); if you must keep it, set its target well above the fixed usage`,
      };
    }
    return undefined;
  }
}

function round(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const r = Math.abs(x) >= 100 ? Math.round(x) : Math.abs(x) >= 10 ? Math.round(x * 10) / 10 : Math.round(x * 100) / 100;
  return String(r);
}

/**
 * Seconds as `1h 2m`, `4m 30s`, `45s`.
 *
 * @example formatSeconds(270); // -> '4m 30s'
 */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  return sec > 0 ? `${m}m ${sec}s` : `${m}m`;
}
