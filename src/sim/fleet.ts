/**
 * Fleets: many HPAs, each with its own service and traffic, derived from one scenario by a
 * seeded generator, run one member at a time (any order, any thread: a member depends only on
 * the fleet and its index) and summarized in a few numbers each. Pure: the worker threads that
 * run members across cores live in `src/fleet`.
 */
import { applyHpaDefaults, type HorizontalPodAutoscaler } from '../engine/index.js';
import { createSeededRng } from '../core/index.js';
import { runSimulation } from './run.js';
import type { Scenario, SimOptions, SimResult } from './types.js';

/** How a fleet is made from a scenario: `size` members cycling over the scenario's HPAs. */
export interface FleetSpec {
  /** Number of HPAs in the fleet. */
  readonly size: number;
  /** Each member's traffic is the scenario's times a factor drawn log-uniformly in this range. */
  readonly trafficScale: { readonly min: number; readonly max: number };
  /** `maxReplicas` grows with the traffic factor (at least the template's `minReplicas`). */
  readonly scaleMaxReplicas: boolean;
  /** Diurnal traffic: each member's peak moves by up to this many hours either way (time zones). */
  readonly peakSpreadHours: number;
}

/** The generator's defaults: services from half to four times the scenario's load. */
export const DEFAULT_FLEET: Omit<FleetSpec, 'size'> = {
  trafficScale: { min: 0.5, max: 4 },
  scaleMaxReplicas: true,
  peakSpreadHours: 3,
};

/** One member of a fleet: a one-HPA scenario and its seed. */
export interface FleetMember {
  readonly index: number;
  /** `NAME-INDEX` of the template HPA. */
  readonly name: string;
  readonly scenario: Scenario;
  readonly seed: number;
  /** The traffic factor drawn for it. */
  readonly trafficFactor: number;
}

/** What a fleet run keeps of one member: a few numbers (memory stays flat in simulated time). */
export interface FleetMemberSummary {
  readonly index: number;
  readonly name: string;
  readonly trafficFactor: number;
  readonly podHours: number;
  readonly meanReplicas: number;
  readonly peakReplicas: number;
  readonly scaleUps: number;
  readonly scaleDowns: number;
  readonly flaps: number;
  readonly requests: number;
  readonly dropped: number;
  /** Requests slower than the SLO (`null` without an SLO). */
  readonly sloMisses: number | null;
  readonly latencyP99: number | null;
  readonly secondsAboveTarget: number;
  readonly secondsAtMaxReplicas: number;
}

/** A member's summary and, with a what-if patch, the patched run's. */
export interface FleetMemberResult {
  readonly base: FleetMemberSummary;
  readonly patched?: FleetMemberSummary;
}

/** Per-member mix of the fleet seed and the index (splitmix-style), so members are independent. */
function memberSeed(fleetSeed: number, index: number): number {
  let x = (Math.imul(fleetSeed | 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Member `index` of the fleet: the scenario's HPA number `index mod hpas`, alone with its
 * service, traffic scaled by a drawn factor, its own seed. Timelines keep one row (the summary
 * does not need them).
 *
 * @example fleetMember(scenario, { ...DEFAULT_FLEET, size: 1000 }, { seed: 1, index: 7 }).name // -> 'lightning-asr-7'
 */
export function fleetMember(scenario: Scenario, fleet: FleetSpec, options: { readonly seed: number; readonly index: number; readonly timeline?: boolean }): FleetMember {
  const { index } = options;
  const seed = memberSeed(options.seed, index);
  const rng = createSeededRng(seed);
  const template = scenario.hpas[index % scenario.hpas.length] as HorizontalPodAutoscaler;
  const { min, max } = fleet.trafficScale;
  const factor = min > 0 && max > min ? Math.exp(Math.log(min) + rng() * (Math.log(max) - Math.log(min))) : min;
  const shift = (rng() * 2 - 1) * fleet.peakSpreadHours * 3600;
  const spec = template.spec;
  const minReplicas = spec.minReplicas ?? 1;
  const maxReplicas = fleet.scaleMaxReplicas ? Math.max(minReplicas, Math.ceil(spec.maxReplicas * factor)) : spec.maxReplicas;
  const hpa: HorizontalPodAutoscaler = { ...template, spec: { ...spec, maxReplicas } };
  const traffic = scenario.traffic;
  const shifted = traffic.type === 'diurnal' ? { ...traffic, peakAtSeconds: traffic.peakAtSeconds + shift } : traffic;
  const syncs = Math.floor(scenario.durationSeconds / scenario.pipeline.syncPeriodSeconds) + 1;
  const target = spec.scaleTargetRef.name;
  // Only this member's service (and those an external metric reads) run with it.
  const services = Object.fromEntries(Object.entries(scenario.services).filter(([name]) => name === target || Object.values(scenario.externalMetrics).some((m) => m.service === name)));
  return {
    index,
    name: `${template.metadata.name}-${index}`,
    seed,
    trafficFactor: factor,
    scenario: {
      ...scenario,
      name: `${scenario.name}/${template.metadata.name}-${index}`,
      hpas: [hpa],
      services,
      traffic: { ...shifted, scale: shifted.scale * factor },
      timelineEverySyncs: options.timeline === true ? scenario.timelineEverySyncs : syncs,
    },
  };
}

/** The numbers a fleet keeps of one run of a member. */
export function summarizeMember(member: FleetMember, result: SimResult): FleetMemberSummary {
  const h = result.summary.hpas[0]!;
  const svc = result.summary.services.find((s) => s.service === h.service) ?? result.summary.services[0]!;
  return {
    index: member.index,
    name: member.name,
    trafficFactor: member.trafficFactor,
    podHours: h.podHours,
    meanReplicas: h.meanReplicas,
    peakReplicas: h.peakReplicas,
    scaleUps: h.scaleUps,
    scaleDowns: h.scaleDowns,
    flaps: h.flaps,
    requests: svc.requests,
    dropped: svc.dropped,
    sloMisses: svc.sloMisses,
    latencyP99: svc.latencyP99,
    secondsAboveTarget: h.secondsAboveTarget,
    secondsAtMaxReplicas: h.secondsAtMaxReplicas,
  };
}

/**
 * A what-if for every HPA of a fleet: `patch` merged into each HPA (mappings key by key, lists
 * and scalars replace, `null` deletes), API defaults applied again.
 *
 * @example patchHpa(hpa, { spec: { behavior: { scaleDown: { stabilizationWindowSeconds: 600 } } } })
 */
export function patchHpa(hpa: HorizontalPodAutoscaler, patch: Readonly<Record<string, unknown>>): HorizontalPodAutoscaler {
  return applyHpaDefaults(merge(hpa, patch) as HorizontalPodAutoscaler);
}

function merge(base: unknown, patch: unknown): unknown {
  if (!isRecord(base) || !isRecord(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = merge(base[k], v);
  }
  return out;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/**
 * Runs member `index` (and, with `patch`, the same member patched, same seed and traffic).
 *
 * @example runFleetMember(scenario, fleet, { seed: 1, index: 0 }).base.podHours // -> 212.4
 */
export function runFleetMember(
  scenario: Scenario,
  fleet: FleetSpec,
  options: {
    readonly seed: number;
    readonly index: number;
    readonly patch?: Readonly<Record<string, unknown>> | undefined;
    readonly reconcile?: SimOptions['reconcile'];
    /** Another simulator with the same contract (benchmarks run the previous one). */
    readonly simulate?: (scenario: Scenario, options: SimOptions) => SimResult;
  },
): FleetMemberResult {
  const member = fleetMember(scenario, fleet, options);
  const simulate = options.simulate ?? runSimulation;
  const simOptions: SimOptions = options.reconcile === undefined ? { seed: member.seed } : { seed: member.seed, reconcile: options.reconcile };
  const base = summarizeMember(member, simulate(member.scenario, simOptions));
  if (options.patch === undefined) return { base };
  const patched: FleetMember = { ...member, scenario: { ...member.scenario, hpas: member.scenario.hpas.map((h) => patchHpa(h, options.patch!)) } };
  return { base, patched: summarizeMember(patched, simulate(patched.scenario, simOptions)) };
}

/** Totals of a fleet run (of the base runs, or of the patched ones). */
export interface FleetTotals {
  readonly podHours: number;
  readonly requests: number;
  readonly dropped: number;
  readonly sloMisses: number;
  readonly scaleUps: number;
  readonly scaleDowns: number;
  readonly flaps: number;
}

/** What a fleet run reports: totals, the worst members, and the what-if's change. */
export interface FleetReport {
  readonly members: number;
  readonly simulatedSeconds: number;
  readonly totals: FleetTotals;
  /** Members with the most SLO misses per request (at most `top`). */
  readonly worstSloMisses: readonly FleetMemberSummary[];
  /** Members that flapped most (at most `top`; only members with flaps). */
  readonly flappers: readonly FleetMemberSummary[];
  readonly patched?: {
    readonly totals: FleetTotals;
    /** Patched − base, per total. */
    readonly change: FleetTotals;
    /** Members whose pod-hours changed most either way (at most `top`). */
    readonly biggestChanges: readonly { readonly name: string; readonly podHours: number; readonly sloMisses: number; readonly flaps: number }[];
  };
}

const ZERO: FleetTotals = { podHours: 0, requests: 0, dropped: 0, sloMisses: 0, scaleUps: 0, scaleDowns: 0, flaps: 0 };

function add(t: FleetTotals, s: FleetMemberSummary): FleetTotals {
  return {
    podHours: t.podHours + s.podHours,
    requests: t.requests + s.requests,
    dropped: t.dropped + s.dropped,
    sloMisses: t.sloMisses + (s.sloMisses ?? 0),
    scaleUps: t.scaleUps + s.scaleUps,
    scaleDowns: t.scaleDowns + s.scaleDowns,
    flaps: t.flaps + s.flaps,
  };
}

function diff(a: FleetTotals, b: FleetTotals): FleetTotals {
  return {
    podHours: b.podHours - a.podHours,
    requests: b.requests - a.requests,
    dropped: b.dropped - a.dropped,
    sloMisses: b.sloMisses - a.sloMisses,
    scaleUps: b.scaleUps - a.scaleUps,
    scaleDowns: b.scaleDowns - a.scaleDowns,
    flaps: b.flaps - a.flaps,
  };
}

/** Keeps the `top` largest by `key` (ties: lower index first); O(top) memory. */
class TopK<T extends { readonly index?: number }> {
  readonly items: { item: T; key: number }[] = [];
  readonly top: number;
  readonly keyOf: (x: T) => number;
  constructor(top: number, keyOf: (x: T) => number) {
    this.top = top;
    this.keyOf = keyOf;
  }
  offer(item: T): void {
    const key = this.keyOf(item);
    if (!(key > 0)) return;
    const items = this.items;
    if (items.length === this.top && key <= items[items.length - 1]!.key) return;
    let i = items.length;
    while (i > 0 && (items[i - 1]!.key < key || (items[i - 1]!.key === key && (items[i - 1]!.item.index ?? 0) > (item.index ?? 0)))) i--;
    items.splice(i, 0, { item, key });
    if (items.length > this.top) items.pop();
  }
  values(): T[] {
    return this.items.map((x) => x.item);
  }
}

/**
 * Folds member results (in any order) into a `FleetReport`; holds only totals and the top lists.
 *
 * @example const agg = new FleetAggregator({ simulatedSeconds: 86_400 }); agg.add(result); agg.report().totals.podHours
 */
export class FleetAggregator {
  #members = 0;
  #base: FleetTotals = ZERO;
  #patched: FleetTotals = ZERO;
  #hasPatch = false;
  readonly #worst: TopK<FleetMemberSummary>;
  readonly #flappers: TopK<FleetMemberSummary>;
  readonly #changes: TopK<{ index: number; name: string; podHours: number; sloMisses: number; flaps: number }>;
  readonly #simulatedSeconds: number;

  constructor(options: { readonly simulatedSeconds: number; readonly top?: number }) {
    const top = options.top ?? 10;
    this.#simulatedSeconds = options.simulatedSeconds;
    this.#worst = new TopK(top, (s) => (s.sloMisses ?? 0) / Math.max(1, s.requests));
    this.#flappers = new TopK(top, (s) => s.flaps);
    this.#changes = new TopK(top, (c) => Math.abs(c.podHours));
  }

  add(result: FleetMemberResult): void {
    this.#members++;
    const b = result.base;
    this.#base = add(this.#base, b);
    this.#worst.offer(b);
    this.#flappers.offer(b);
    const p = result.patched;
    if (p !== undefined) {
      this.#hasPatch = true;
      this.#patched = add(this.#patched, p);
      this.#changes.offer({ index: b.index, name: b.name, podHours: p.podHours - b.podHours, sloMisses: (p.sloMisses ?? 0) - (b.sloMisses ?? 0), flaps: p.flaps - b.flaps });
    }
  }

  report(): FleetReport {
    const base = {
      members: this.#members,
      simulatedSeconds: this.#simulatedSeconds,
      totals: this.#base,
      worstSloMisses: this.#worst.values(),
      flappers: this.#flappers.values(),
    };
    if (!this.#hasPatch) return base;
    return {
      ...base,
      patched: {
        totals: this.#patched,
        change: diff(this.#base, this.#patched),
        biggestChanges: this.#changes.values().map(({ name, podHours, sloMisses, flaps }) => ({ name, podHours, sloMisses, flaps })),
      },
    };
  }
}
