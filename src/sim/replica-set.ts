/**
 * The pods of one simulated deployment and the cohorts that hold their requests: pods created
 * on scale-up (Pending, then Running, then Ready when the model loaded), the ReplicaSet's choice
 * of victims on scale-down (they drain; pods that never served leave at once), the removal of
 * drained pods, and the merging of ready cohorts whose states converged.
 *
 * Pods in the same state share a `Cohort` (see `pods.ts`): with balanced routing all ready pods
 * converge to one, so a step costs O(cohorts). Cohorts whose states agree within 1e-4 requests
 * are merged (mass-conserving).
 */
import { Cohort, COHORT_DRAINING, COHORT_NOT_READY, COHORT_READY, compareForDeletion, Pod, podName } from './pods.js';
import type { ServiceModel } from './types.js';

/** Initial `ready` pods started this long before t = 0 (beyond every CPU initialization period). */
const INITIAL_POD_AGE_SECONDS = 3600;
/** Ready cohorts whose per-pod states differ by less than this (requests) merge. */
const MERGE_TOLERANCE = 1e-4;

/** A deployment's pods and cohorts. */
export class ReplicaSet {
  readonly #name: string;
  readonly #model: ServiceModel;
  /** Every pod that exists, in creation order. */
  readonly pods: Pod[] = [];
  /** Every cohort with pods; index 0 is the shared not-ready cohort (always zero state). */
  readonly #cohorts: Cohort[] = [];
  readonly #idle: Cohort;
  #specReplicas = 0;
  #version = 0;
  /** Earliest `readyS` of a pod still in the not-ready cohort. */
  #nextReadyS = Number.POSITIVE_INFINITY;
  #ordinal = 0;
  /** See `onlyReady`: kept up to date whenever `cohorts` changes. */
  #onlyReady: Cohort | undefined = undefined;
  /** `liveCount()` as of version `#liveVersion`. */
  #live = 0;
  #liveVersion = -1;

  constructor(name: string, model: ServiceModel, stages: number) {
    this.#name = name;
    this.#model = model;
    this.#idle = new Cohort(COHORT_NOT_READY, stages);
    this.#cohorts.push(this.#idle);
  }

  /** Every cohort with pods; index 0 is the shared not-ready cohort (always zero state). */
  get cohorts(): readonly Cohort[] {
    return this.#cohorts;
  }

  /** `spec.replicas` of the deployment. */
  get specReplicas(): number {
    return this.#specReplicas;
  }

  /**
   * Bumped whenever a pod is created, marked for deletion or removed: what is derived from the
   * pod list alone (live count, the controller's pod list) holds while it is unchanged.
   */
  get version(): number {
    return this.#version;
  }

  /** When the next pod becomes Ready (call `promote` then). */
  get nextReadyS(): number {
    return this.#nextReadyS;
  }

  /** The ready cohort when it is the only cohort with pods beside the not-ready one (the usual state). */
  get onlyReady(): Cohort | undefined {
    return this.#onlyReady;
  }

  #cohortsChanged(): void {
    const cohorts = this.#cohorts;
    const only = cohorts.length === 2 ? cohorts[1]! : undefined;
    this.#onlyReady = only !== undefined && only.kind === COHORT_READY ? only : undefined;
  }

  /** Creates the pods at t = 0. */
  start(replicas: number): void {
    this.#specReplicas = replicas;
    const createdS = this.#model.initialState === 'ready' ? -INITIAL_POD_AGE_SECONDS : 0;
    for (let i = 0; i < replicas; i++) this.#addPod(createdS);
  }

  #addPod(createdS: number): Pod {
    const m = this.#model;
    const startS = createdS + m.schedulingDelaySeconds;
    const readyS = startS + m.modelLoadSeconds;
    const pod = new Pod({ name: podName(this.#name, this.#ordinal), ordinal: this.#ordinal, createdS, startS, readyS, cohort: this.#idle });
    this.#ordinal++;
    this.pods.push(pod);
    this.#version++;
    if (readyS < this.#nextReadyS) this.#nextReadyS = readyS;
    return pod;
  }

  /** Pods not being deleted (`status.replicas`). */
  liveCount(): number {
    if (this.#liveVersion === this.#version) return this.#live;
    let n = 0;
    for (const pod of this.pods) if (!pod.deleting) n++;
    this.#live = n;
    this.#liveVersion = this.#version;
    return n;
  }

  /** Pods Ready at `tSeconds`. */
  readyCount(tSeconds: number): number {
    let n = 0;
    for (const pod of this.pods) if (pod.isReady(tSeconds)) n++;
    return n;
  }

  /**
   * Sets `spec.replicas`: the ReplicaSet creates pods at once, or marks the pods it ranks first
   * for deletion (they drain; pods that never served leave at once).
   */
  scaleTo(replicas: number, tSeconds: number): void {
    this.#specReplicas = replicas;
    const live = this.pods.filter((p) => !p.deleting);
    if (replicas > live.length) {
      for (let i = live.length; i < replicas; i++) this.#addPod(tSeconds);
      return;
    }
    if (replicas === live.length) return;
    live.sort((a, b) => compareForDeletion(a, b, tSeconds));
    const draining = new Map<Cohort, Cohort>();
    let removeIdle = false;
    this.#version++;
    for (let i = 0; i < live.length - replicas; i++) {
      const pod = live[i]!;
      pod.deletingS = tSeconds;
      const from = pod.cohort;
      if (from === this.#idle) {
        from.count--;
        removeIdle = true;
        continue;
      }
      let to = draining.get(from);
      if (to === undefined) {
        to = from.clone(COHORT_DRAINING, tSeconds);
        draining.set(from, to);
        this.#cohorts.push(to);
      }
      pod.moveTo(to);
    }
    if (removeIdle) this.#removePods((p) => p.deleting && p.cohort === this.#idle);
    this.#dropEmptyCohorts();
  }

  /** Pods whose model finished loading by `tSeconds` join a new ready cohort (zero state, like them). */
  promote(tSeconds: number): void {
    let next = Number.POSITIVE_INFINITY;
    let joined: Cohort | undefined;
    for (const pod of this.pods) {
      if (pod.cohort !== this.#idle) continue;
      if (pod.readyS <= tSeconds && !pod.deleting) {
        if (joined === undefined) {
          joined = this.#idle.clone(COHORT_READY);
          this.#cohorts.push(joined);
        }
        pod.moveTo(joined);
      } else if (!pod.deleting && pod.readyS < next) {
        next = pod.readyS;
      }
    }
    this.#nextReadyS = next;
    if (joined !== undefined) this.#cohortsChanged();
  }

  /** Removes the pods of cohorts emptied by draining (their `count` set to 0), and the cohorts. */
  removeDrained(): void {
    this.#removePods((pod) => pod.cohort.count === 0);
    this.#dropEmptyCohorts();
  }

  /** Merges ready cohorts whose per-pod states agree (weighted means keep the totals). */
  merge(): void {
    const cohorts = this.#cohorts;
    let merged = false;
    for (let i = 0; i < cohorts.length; i++) {
      const a = cohorts[i]!;
      if (a.kind !== COHORT_READY || a.count === 0) continue;
      for (let j = i + 1; j < cohorts.length; j++) {
        const b = cohorts[j]!;
        if (b.kind !== COHORT_READY || b.count === 0 || !sameState(a, b)) continue;
        const wa = a.count / (a.count + b.count);
        const wb = 1 - wa;
        for (let s = 0; s < a.stages.length; s++) a.stages[s] = wa * a.stages[s]! + wb * b.stages[s]!;
        a.inService = wa * a.inService + wb * b.inService;
        a.queued = wa * a.queued + wb * b.queued;
        for (const pod of this.pods) if (pod.cohort === b) pod.moveTo(a);
        merged = true;
      }
    }
    if (merged) this.#dropEmptyCohorts();
  }

  #removePods(predicate: (pod: Pod) => boolean): void {
    const pods = this.pods;
    let w = 0;
    for (let i = 0; i < pods.length; i++) {
      const pod = pods[i]!;
      if (!predicate(pod)) pods[w++] = pod;
    }
    if (w !== pods.length) this.#version++;
    pods.length = w;
  }

  #dropEmptyCohorts(): void {
    const cohorts = this.#cohorts;
    let w = 0;
    for (let i = 0; i < cohorts.length; i++) {
      const c = cohorts[i]!;
      if (c.count > 0 || c === this.#idle) cohorts[w++] = c;
    }
    cohorts.length = w;
    this.#cohortsChanged();
  }
}

function sameState(a: Cohort, b: Cohort): boolean {
  if (Math.abs(a.queued - b.queued) > MERGE_TOLERANCE) return false;
  for (let s = 0; s < a.stages.length; s++) if (Math.abs(a.stages[s]! - b.stages[s]!) > MERGE_TOLERANCE) return false;
  return true;
}
