/**
 * The workload model of one deployment: its pods, how requests reach them and how they are served.
 *
 * Requests are a fluid (real-valued counts per step and pod), not objects, so a 30-day run at 1 s
 * resolution allocates nothing per step. A step of `stepSeconds`:
 * 1. pods whose model loaded become Ready (`ReplicaSet.promote`);
 * 2. in-service requests of every cohort move along the service chain (`FluidQueue.complete`);
 * 3. the arrivals go to the pods that are Ready: least-active routing fills the emptiest pods
 *    first (`routeLeastActive`), round-robin splits them evenly; with no ready pod they are
 *    dropped (the Service has no endpoints);
 * 4. each cohort starts what fits and queues the rest (`FluidQueue.admit`); a deleted pod gets no
 *    new requests and drains, what is left after the termination grace period is dropped;
 * 5. capacity episodes are kept (`CapacityEpisodes`).
 * In the usual state (one ready cohort, nothing draining or loading) steps 2-4 are
 * `FluidQueue.serveOnly`: the same calls on the one cohort, without the loops over cohorts.
 */
import { CapacityEpisodes } from './capacity-episodes.js';
import { FluidQueue } from './fluid-queue.js';
import { LatencyRecorder } from './latency.js';
import { routeLeastActive } from './least-active.js';
import { cpuMillicores, memoryBytes, startupMillicores } from './pod-resources.js';
import { COHORT_DRAINING, COHORT_NOT_READY, COHORT_READY, type Cohort, type Pod } from './pods.js';
import { ReplicaSet } from './replica-set.js';
import { createErlangStep, createServiceTime, type ServiceTime } from './service-time.js';
import type { ServiceModel } from './types.js';

/** Ready cohorts are compared for merging every this many steps. */
const MERGE_EVERY_STEPS = 8;

/** One simulated deployment: pods, routing, queues and service. */
export class ServiceSim {
  readonly name: string;
  readonly model: ServiceModel;
  readonly serviceTime: ServiceTime;
  readonly latency: LatencyRecorder;
  /** Saturated throughput of one pod (requests/s). */
  readonly podThroughput: number;
  /** Capacity episodes since the start. */
  readonly episodes: CapacityEpisodes;
  readonly #replicas: ReplicaSet;
  readonly #queue: FluidQueue;
  readonly #dtSeconds: number;
  /** Scratch of a step: its ready cohorts. */
  readonly #ready: Cohort[] = [];
  #podSeconds = 0;
  /** Steps taken with several ready cohorts (merges are tried every `MERGE_EVERY_STEPS`). */
  #mixedSteps = 0;

  constructor(name: string, model: ServiceModel, options: { dtSeconds: number; sloLatencySeconds: number | null }) {
    this.name = name;
    this.model = model;
    this.serviceTime = createServiceTime(model.serviceTime);
    const chain = createErlangStep(this.serviceTime, options.dtSeconds);
    this.#dtSeconds = options.dtSeconds;
    this.latency = new LatencyRecorder(this.serviceTime, options.sloLatencySeconds);
    this.podThroughput = model.concurrency / this.serviceTime.meanSeconds;
    this.episodes = new CapacityEpisodes(name);
    this.#replicas = new ReplicaSet(name, model, chain.stages);
    this.#queue = new FluidQueue(chain, { concurrency: model.concurrency, queueLimit: model.queueLimit, podThroughput: this.podThroughput, dtSeconds: options.dtSeconds, latency: this.latency });
  }

  /** Every pod that exists, in creation order. */
  get pods(): readonly Pod[] {
    return this.#replicas.pods;
  }

  /** `spec.replicas` of the deployment. */
  get specReplicas(): number {
    return this.#replicas.specReplicas;
  }

  /** Bumped whenever a pod is created, marked for deletion or removed (see `ReplicaSet.version`). */
  get podsVersion(): number {
    return this.#replicas.version;
  }

  /** Requests offered since the start. */
  get arrivals(): number {
    return this.#queue.arrivals;
  }

  /** Requests dropped since the start (no endpoint, queue full, killed after the grace period). */
  get dropped(): number {
    return this.#queue.dropped;
  }

  /** Requests completed since the start. */
  get completed(): number {
    return this.#queue.completed;
  }

  /** ∫ pods dt: pod-seconds of every existing pod since the start. */
  get podSeconds(): number {
    return this.#podSeconds;
  }

  /** Cohorts in use (a measure of the step's cost). */
  get cohortCount(): number {
    return this.#replicas.cohorts.length;
  }

  /** Creates the pods at t = 0. */
  start(replicas: number): void {
    this.#replicas.start(replicas);
  }

  /** Starts the books at t = 0: the warm-up before it does not count. */
  resetCounters(): void {
    this.#queue.resetCounters();
    this.#podSeconds = 0;
    this.episodes.reset();
    this.latency.reset();
  }

  /** Pods not being deleted (`status.replicas`). */
  liveCount(): number {
    return this.#replicas.liveCount();
  }

  /** Pods Ready at `tSeconds`. */
  readyCount(tSeconds: number): number {
    return this.#replicas.readyCount(tSeconds);
  }

  /** Requests in service plus queued, over all pods. */
  totalActive(): number {
    let s = 0;
    for (const c of this.#replicas.cohorts) s += (c.inService + c.queued) * c.count;
    return s;
  }

  /** Requests queued, over all pods. */
  totalQueued(): number {
    let s = 0;
    for (const c of this.#replicas.cohorts) s += c.queued * c.count;
    return s;
  }

  /** Sets `spec.replicas` (see `ReplicaSet.scaleTo`). */
  scaleTo(replicas: number, tSeconds: number): void {
    this.#replicas.scaleTo(replicas, tSeconds);
  }

  /**
   * Advances the service over [t, t + dt) with `arrivals` requests offered and `offeredRps` the
   * noise-free rate (for the capacity episodes).
   */
  step(tSeconds: number, arrivals: number, offeredRps: number): void {
    const replicas = this.#replicas;
    if (tSeconds >= replicas.nextReadyS) replicas.promote(tSeconds);
    const only = replicas.onlyReady;
    if (only === undefined) {
      this.#stepCohorts(tSeconds, arrivals, offeredRps);
      return;
    }
    this.#queue.serveOnly(only, arrivals);
    this.#podSeconds += replicas.pods.length * this.#dtSeconds;
    this.episodes.observe(tSeconds, offeredRps, only.count * this.podThroughput);
  }

  /** `step` over every cohort: some pods load, drain, or have not converged to one state. */
  #stepCohorts(tSeconds: number, arrivals: number, offeredRps: number): void {
    const dt = this.#dtSeconds;
    const queue = this.#queue;
    const replicas = this.#replicas;
    const cohorts = replicas.cohorts;
    const n = cohorts.length;
    const ready = this.#ready;
    let m = 0; // ready cohorts
    let readyPods = 0;
    for (let i = 0; i < n; i++) {
      const co = cohorts[i]!;
      if (co.kind === COHORT_NOT_READY) continue; // pods loading their model: no requests, ever
      queue.complete(co);
      if (co.kind === COHORT_READY) {
        ready[m++] = co;
        readyPods += co.count;
      }
    }
    queue.offer(arrivals, readyPods);
    if (arrivals > 0 && readyPods > 0) {
      if (this.model.loadBalancing === 'round-robin' || m === 1) {
        const share = arrivals / readyPods;
        for (let i = 0; i < m; i++) ready[i]!.assigned = share;
      } else {
        routeLeastActive(ready, m, arrivals);
      }
    }
    let drained = false;
    for (let i = 0; i < n; i++) {
      const co = cohorts[i]!;
      if (co.kind === COHORT_NOT_READY) continue;
      const a = co.assigned;
      co.assigned = 0;
      queue.admit(co, a);
      if (co.kind === COHORT_DRAINING && queue.retireIfDone(co, tSeconds + dt >= co.deletingS + this.model.terminationGracePeriodSeconds)) drained = true;
    }
    if (drained) replicas.removeDrained();
    this.#podSeconds += replicas.pods.length * dt;
    if (m > 1 && ++this.#mixedSteps % MERGE_EVERY_STEPS === 0) replicas.merge();
    this.episodes.observe(tSeconds, offeredRps, readyPods * this.podThroughput);
  }

  /** Closes an open capacity episode at the end of the run. */
  finish(): void {
    this.episodes.finish();
  }

  /** Mean CPU (millicores) of `pod` over [t0, t1], from its in-service integral and the spike. */
  cpuMillicores(pod: Pod, t0: number, t1: number, inServiceSecondsAtT0: number): number {
    return cpuMillicores(this.model, pod, { t0, t1, inServiceSecondsAtT0 });
  }

  /** The startup part of `pod`'s mean CPU over [t0, t1]. */
  startupMillicores(pod: Pod, t0: number, t1: number): number {
    return startupMillicores(this.model, pod, { t0, t1 });
  }

  /** Working-set memory (bytes) of `pod` now. */
  memoryBytes(pod: Pod): number {
    return memoryBytes(this.model, pod);
  }
}
