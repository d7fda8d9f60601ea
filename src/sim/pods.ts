/**
 * Simulated pods: the lifecycle a new replica goes through (Pending while it is scheduled and its
 * image pulled, Running but not Ready while the model loads, Ready, then draining after its
 * deletion), the ReplicaSet's choice of which pods to delete on scale-down, and the `PodInfo`
 * the HPA controller reads.
 *
 * A pod's requests live in its `Cohort`: pods whose fluid state is the same (all the ready pods of
 * a balanced deployment, pods deleted together) share one, so a step costs O(cohorts), not
 * O(pods). A pod keeps its own offsets for the cumulative counters, which differ by history.
 */
import type { PodInfo } from '../engine/index.js';

/** A pod is in one of these states as far as traffic goes. */
export const COHORT_NOT_READY = 0;
export const COHORT_READY = 1;
export const COHORT_DRAINING = 2;

/** Pods with the same fluid state; numbers are per pod. */
export class Cohort {
  /** COHORT_NOT_READY, COHORT_READY or COHORT_DRAINING. */
  readonly kind: number;
  count = 0;
  /** Requests in service per Erlang stage, per pod. */
  readonly stages: Float64Array;
  inService = 0;
  queued = 0;
  /** ∫ inService dt since the cohort was created (request-seconds, per pod). */
  cumInService = 0;
  /** Requests routed to each pod since the cohort was created. */
  cumArrivals = 0;
  /** Scratch: requests assigned to each pod this step. */
  assigned = 0;
  /** When a draining cohort started draining. */
  readonly deletingS: number;

  constructor(kind: number, stages: number, deletingS = Number.NaN) {
    this.kind = kind;
    this.stages = new Float64Array(stages);
    this.deletingS = deletingS;
  }

  /** A new cohort of `kind` with this one's per-pod state (and counters) and no pods. */
  clone(kind: number, deletingS = Number.NaN): Cohort {
    const c = new Cohort(kind, this.stages.length, deletingS);
    c.stages.set(this.stages);
    c.inService = this.inService;
    c.queued = this.queued;
    c.cumInService = this.cumInService;
    c.cumArrivals = this.cumArrivals;
    return c;
  }
}

/** A pod of a simulated deployment. Times are simulation seconds; NaN means "not yet". */
export class Pod {
  readonly name: string;
  /** Creation order within its deployment (ties in the deletion ranking go to the newest). */
  readonly ordinal: number;
  readonly createdS: number;
  /** Container start: `status.startTime`, phase Running from here (Infinity while no node has room). */
  startS: number;
  /** Ready condition turns True (Infinity while no node has room). */
  readyS: number;
  /** `metadata.deletionTimestamp`; NaN while the pod is not being deleted. */
  deletingS = Number.NaN;
  cohort: Cohort;
  /** Per-pod parts of the cohort's cumulative counters. */
  inServiceOffset = 0;
  arrivalsOffset = 0;
  /** The metrics pipeline's per-pod scrape state (see `pipeline.ts`). */
  scrapes: unknown = undefined;
  /** Cache of `toPodInfo`: the info and the state it was built for. */
  info: PodInfo | undefined = undefined;
  infoState = -1;

  constructor(input: { name: string; ordinal: number; createdS: number; startS: number; readyS: number; cohort: Cohort }) {
    this.name = input.name;
    this.ordinal = input.ordinal;
    this.createdS = input.createdS;
    this.startS = input.startS;
    this.readyS = input.readyS;
    this.cohort = input.cohort;
    input.cohort.count++;
  }

  /** Moves the pod to another cohort, keeping its own counters. */
  moveTo(target: Cohort): void {
    const from = this.cohort;
    if (from === target) return;
    this.inServiceOffset += from.cumInService - target.cumInService;
    this.arrivalsOffset += from.cumArrivals - target.cumArrivals;
    from.count--;
    target.count++;
    this.cohort = target;
  }

  get inService(): number {
    return this.cohort.inService;
  }

  get queued(): number {
    return this.cohort.queued;
  }

  /** Requests in service plus queued: the `asr_active_requests` gauge. */
  get active(): number {
    return this.cohort.inService + this.cohort.queued;
  }

  /** ∫ inService dt since creation (request-seconds). */
  get inServiceSeconds(): number {
    return this.cohort.cumInService + this.inServiceOffset;
  }

  /** Requests routed to this pod since creation. */
  get arrivals(): number {
    return this.cohort.cumArrivals + this.arrivalsOffset;
  }

  get deleting(): boolean {
    return this.deletingS === this.deletingS; // not NaN
  }

  /** Scheduled and its container started (phase Running). */
  isRunning(tSeconds: number): boolean {
    return tSeconds >= this.startS;
  }

  /** Takes traffic: Ready and not terminating. */
  isReady(tSeconds: number): boolean {
    return tSeconds >= this.readyS && this.deletingS !== this.deletingS;
  }
}

/**
 * Orders pods the way the ReplicaSet controller picks victims on scale-down: unscheduled before
 * scheduled, not ready before ready, ready for less time before ready for longer, newer before
 * older. Returns a negative number when `a` should be deleted first.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/controller_utils.go (ActivePodsWithRanks.Less)
 */
export function compareForDeletion(a: Pod, b: Pod, tSeconds: number): number {
  const aScheduled = a.isRunning(tSeconds);
  const bScheduled = b.isRunning(tSeconds);
  if (aScheduled !== bScheduled) return aScheduled ? 1 : -1;
  const aReady = a.isReady(tSeconds);
  const bReady = b.isReady(tSeconds);
  if (aReady !== bReady) return aReady ? 1 : -1;
  if (aReady && a.readyS !== b.readyS) return b.readyS - a.readyS; // ready for less time first
  if (a.createdS !== b.createdS) return b.createdS - a.createdS; // newer first
  return b.ordinal - a.ordinal;
}

/** Options of `toPodInfo`: what every pod of the deployment shares. */
export interface PodInfoOptions {
  readonly labels: Readonly<Record<string, string>>;
  readonly containers: NonNullable<PodInfo['containers']>;
}

/**
 * What the controller sees of a pod at `tSeconds` (times in ms, as the engine reads them). The
 * object is cached on the pod and reused while its phase, readiness and deletion are unchanged.
 */
export function toPodInfo(pod: Pod, tSeconds: number, options: PodInfoOptions): PodInfo {
  const running = tSeconds >= pod.startS;
  const readyNow = tSeconds >= pod.readyS;
  const deleting = pod.deletingS === pod.deletingS;
  const state = (running ? 1 : 0) + (readyNow ? 2 : 0) + (deleting ? 4 : 0);
  if (pod.infoState === state && pod.info !== undefined) return pod.info;
  let info: PodInfo;
  if (!running) {
    info = deleting
      ? { name: pod.name, labels: options.labels, phase: 'Pending', containers: options.containers, deleting: true }
      : { name: pod.name, labels: options.labels, phase: 'Pending', containers: options.containers };
  } else {
    const ready = readyNow && !deleting;
    // A deleted pod's readiness turns False when it starts terminating.
    const transitionS = ready ? pod.readyS : deleting && readyNow ? pod.deletingS : pod.startS;
    const readiness = { status: ready ? 'True' : 'False', lastTransitionTimeMs: transitionS * 1000 };
    info = deleting
      ? { name: pod.name, labels: options.labels, phase: 'Running', containers: options.containers, deleting: true, startTimeMs: pod.startS * 1000, ready: readiness }
      : { name: pod.name, labels: options.labels, phase: 'Running', containers: options.containers, startTimeMs: pod.startS * 1000, ready: readiness };
  }
  pod.info = info;
  pod.infoState = state;
  return info;
}

/**
 * A deterministic pod name in the ReplicaSet style, unique per ordinal.
 *
 * @example podName('lightning-asr', 0); // -> 'lightning-asr-5f7c8-zrzld'
 */
export function podName(deployment: string, ordinal: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const space = 14_348_907; // 27^5
  // An affine map with a multiplier coprime to 27^5 is a bijection: names are unique and look random.
  let x = (ordinal * 4_194_301 + 1_234_567) % space;
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += alphabet[x % 27];
    x = Math.floor(x / 27);
  }
  return `${deployment}-5f7c8-${suffix}`;
}
