/**
 * The workload model of one deployment: its pods, how requests reach them and how they are served.
 *
 * Requests are a fluid (real-valued counts per step and pod), not objects, so a 30-day run at 1 s
 * resolution allocates nothing per step:
 * - Arrivals of a step go to the pods that are Ready at its start: least-active routing fills the
 *   emptiest pods first (water-filling on in service + queued), round-robin splits them evenly.
 *   With no ready pod they are dropped (the Service has no endpoints).
 * - Each pod serves `concurrency` requests at once. In-service requests drain through an Erlang
 *   chain whose mean is the service time's and whose stage count matches its variability (1 for
 *   exponential, 4 for a lognormal with σ = 0.5, 8 for fixed), integrated exactly over the step;
 *   so in-service counts obey Little's law and the transient follows the distribution's first two
 *   moments. Slots freed during a step are reused in it (throughput up to
 *   concurrency × dt / mean service time).
 * - Requests that find no free slot queue in the pod, FIFO; beyond `queueLimit` they are dropped.
 *   A queued request waits (its queue position) / (concurrency / mean service time); its latency
 *   is that wait plus a service time from the distribution (see `latency.ts`).
 * - A deleted pod gets no new requests and drains its queue and slots; what is left after the
 *   termination grace period is dropped.
 * - Pods in the same state share a `Cohort` (see `pods.ts`): with balanced routing all ready pods
 *   converge to one, so a step costs O(cohorts). Cohorts whose states agree within 1e-4 requests
 *   are merged (mass-conserving).
 * CPU is idle + per-request × in service + the startup spike; memory is idle + per-request × active.
 *
 * `step` advances one step; `advanceReady` advances a run of steps in the usual state (one ready
 * cohort) with the state in locals, doing the same arithmetic in the same order.
 */
import { LatencyRecorder } from './latency.js';
import type { PoissonSampler } from './poisson.js';
import { Cohort, COHORT_DRAINING, COHORT_NOT_READY, COHORT_READY, compareForDeletion, Pod, podName } from './pods.js';
import { createErlangStep, createServiceTime, type ErlangStep, type ServiceTime } from './service-time.js';
import type { CapacityEpisode, ServiceModel, StartupSpike } from './types.js';

/** A draining pod with less than this many requests left has finished. */
const DRAINED_REQUESTS = 0.01;
/** Initial `ready` pods started this long before t = 0 (beyond every CPU initialization period). */
const INITIAL_POD_AGE_SECONDS = 3600;
/** Capacity episodes kept in full (the counters cover all). */
const MAX_EPISODES = 1000;
/** Ready cohorts are compared for merging every this many steps. */
const MERGE_EVERY_STEPS = 8;
/** Ready cohorts whose per-pod states differ by less than this (requests) merge. */
const MERGE_TOLERANCE = 1e-4;

/** One simulated deployment: pods, routing, queues and service. */
export class ServiceSim {
  readonly name: string;
  readonly model: ServiceModel;
  readonly serviceTime: ServiceTime;
  readonly latency: LatencyRecorder;
  /** Every pod that exists, in creation order. */
  readonly pods: Pod[] = [];
  /** `spec.replicas` of the deployment. */
  specReplicas = 0;
  /**
   * Bumped whenever a pod is created, marked for deletion or removed: what is derived from the
   * pod list alone (live count, the controller's pod list) holds while it is unchanged.
   */
  podsVersion = 0;
  /** Requests offered, dropped and completed since the start. */
  arrivals = 0;
  dropped = 0;
  completed = 0;
  /** ∫ pods dt: pod-seconds of every existing pod. */
  podSeconds = 0;
  /** The first `MAX_EPISODES` capacity episodes; the counters below cover all of them. */
  readonly episodes: CapacityEpisode[] = [];
  episodeCount = 0;
  closedEpisodes = 0;
  closedEpisodeSeconds = 0;
  maxEpisodeSeconds = 0;
  /** Saturated throughput of one pod (requests/s). */
  readonly podThroughput: number;
  readonly #erlang: ErlangStep;
  readonly #dtSeconds: number;
  /** Every cohort with pods; index 0 is the shared not-ready cohort (always zero state). */
  readonly #cohorts: Cohort[] = [];
  readonly #idle: Cohort;
  readonly #ready: Cohort[] = [];
  /** Earliest `readyS` of a pod still in the not-ready cohort. */
  #nextReadyS = Number.POSITIVE_INFINITY;
  #ordinal = 0;
  #steps = 0;
  #episodeStart = Number.NaN;
  #episodePeak = 0;
  /** `liveCount()` as of `podsVersion` `#liveVersion`. */
  #live = 0;
  #liveVersion = -1;

  constructor(name: string, model: ServiceModel, options: { dtSeconds: number; sloLatencySeconds: number | null }) {
    this.name = name;
    this.model = model;
    this.serviceTime = createServiceTime(model.serviceTime);
    this.#erlang = createErlangStep(this.serviceTime, options.dtSeconds);
    this.#dtSeconds = options.dtSeconds;
    this.latency = new LatencyRecorder(this.serviceTime, options.sloLatencySeconds);
    this.podThroughput = model.concurrency / this.serviceTime.meanSeconds;
    this.#idle = new Cohort(COHORT_NOT_READY, this.#erlang.stages);
    this.#cohorts.push(this.#idle);
  }

  /** Creates the pods at t = 0. */
  start(replicas: number): void {
    this.specReplicas = replicas;
    const createdS = this.model.initialState === 'ready' ? -INITIAL_POD_AGE_SECONDS : 0;
    for (let i = 0; i < replicas; i++) this.#addPod(createdS);
  }

  #addPod(createdS: number): Pod {
    const m = this.model;
    const startS = createdS + m.schedulingDelaySeconds;
    const readyS = startS + m.modelLoadSeconds;
    const pod = new Pod({ name: podName(this.name, this.#ordinal), ordinal: this.#ordinal, createdS, startS, readyS, cohort: this.#idle });
    this.#ordinal++;
    this.pods.push(pod);
    this.podsVersion++;
    if (readyS < this.#nextReadyS) this.#nextReadyS = readyS;
    return pod;
  }

  /** Starts the books at t = 0: the warm-up before it does not count. */
  resetCounters(): void {
    this.arrivals = 0;
    this.dropped = 0;
    this.completed = 0;
    this.podSeconds = 0;
    this.episodes.length = 0;
    this.episodeCount = 0;
    this.closedEpisodes = 0;
    this.closedEpisodeSeconds = 0;
    this.maxEpisodeSeconds = 0;
    this.#episodeStart = Number.NaN;
    this.#episodePeak = 0;
    this.latency.reset();
  }

  /** Pods not being deleted (`status.replicas`). */
  liveCount(): number {
    if (this.#liveVersion === this.podsVersion) return this.#live;
    let n = 0;
    for (const pod of this.pods) if (!pod.deleting) n++;
    this.#live = n;
    this.#liveVersion = this.podsVersion;
    return n;
  }

  /** Pods Ready at `tSeconds`. */
  readyCount(tSeconds: number): number {
    let n = 0;
    for (const pod of this.pods) if (pod.isReady(tSeconds)) n++;
    return n;
  }

  /** Requests in service plus queued, over all pods. */
  totalActive(): number {
    let s = 0;
    for (const c of this.#cohorts) s += (c.inService + c.queued) * c.count;
    return s;
  }

  totalQueued(): number {
    let s = 0;
    for (const c of this.#cohorts) s += c.queued * c.count;
    return s;
  }

  /** Cohorts in use (a measure of the step's cost). */
  get cohortCount(): number {
    return this.#cohorts.length;
  }

  /**
   * Sets `spec.replicas`: the ReplicaSet creates pods at once, or marks the pods it ranks first
   * for deletion (they drain; pods that never served leave at once).
   */
  scaleTo(replicas: number, tSeconds: number): void {
    this.specReplicas = replicas;
    const live = this.pods.filter((p) => !p.deleting);
    if (replicas > live.length) {
      for (let i = live.length; i < replicas; i++) this.#addPod(tSeconds);
      return;
    }
    if (replicas === live.length) return;
    live.sort((a, b) => compareForDeletion(a, b, tSeconds));
    const draining = new Map<Cohort, Cohort>();
    let removeIdle = false;
    this.podsVersion++;
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

  #removePods(predicate: (pod: Pod) => boolean): void {
    const pods = this.pods;
    let w = 0;
    for (let i = 0; i < pods.length; i++) {
      const pod = pods[i]!;
      if (!predicate(pod)) pods[w++] = pod;
    }
    if (w !== pods.length) this.podsVersion++;
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
  }

  /** Pods whose model finished loading join a new ready cohort (zero state, like them). */
  #promote(tSeconds: number): void {
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
  }

  /**
   * Advances the service over [t, t + dt) with `arrivals` requests offered and `offeredRps` the
   * noise-free rate (for the capacity episodes).
   */
  step(tSeconds: number, arrivals: number, offeredRps: number): void {
    if (tSeconds >= this.#nextReadyS) this.#promote(tSeconds);
    const cohorts = this.#cohorts;
    // The usual state: one ready cohort (index 0 is the not-ready one), nothing draining.
    if (cohorts.length === 2) {
      const only = cohorts[1]!;
      if (only.kind === COHORT_READY) {
        this.#stepReady(only, tSeconds, arrivals, offeredRps);
        return;
      }
    }
    const dt = this.#dtSeconds;
    const erlang = this.#erlang;
    const k = erlang.stages;
    const p = erlang.p;
    const b = erlang.b;
    const bSum = erlang.bSum;
    const c = this.model.concurrency;
    const throughput = this.podThroughput;
    const latency = this.latency;
    const n = cohorts.length;
    const ready = this.#ready;
    let m = 0; // ready cohorts
    let readyPods = 0;

    // 1. Requests in service move along the chain; what leaves has completed.
    for (let i = 0; i < n; i++) {
      const co = cohorts[i]!;
      if (co.kind === COHORT_NOT_READY) continue; // pods loading their model: no requests, ever
      const before = co.inService;
      if (before > 1e-12) {
        const st = co.stages;
        let sum = 0;
        if (k === 4) {
          // The default lognormal (σ 0.5) has 4 stages: unrolled, the hottest loop of a run.
          const p0 = p[0]!, p1 = p[1]!, p2 = p[2]!, p3 = p[3]!;
          const s0 = st[0]!, s1 = st[1]!, s2 = st[2]!, s3 = st[3]!;
          const n3 = p3 * s0 + p2 * s1 + p1 * s2 + p0 * s3;
          const n2 = p2 * s0 + p1 * s1 + p0 * s2;
          const n1 = p1 * s0 + p0 * s1;
          const n0 = p0 * s0;
          st[0] = n0;
          st[1] = n1;
          st[2] = n2;
          st[3] = n3;
          sum = n3 + n2 + n1 + n0; // the generic loop's order: same rounding
        } else {
          for (let a = k - 1; a >= 0; a--) {
            let v = 0;
            for (let j = 0; j <= a; j++) v += p[a - j]! * st[j]!;
            st[a] = v;
            sum += v;
          }
        }
        this.completed += (before - sum) * co.count;
        co.inService = sum;
      } else if (before !== 0) {
        co.stages.fill(0);
        this.completed += before * co.count;
        co.inService = 0;
      }
      if (co.kind === COHORT_READY) {
        ready[m++] = co;
        readyPods += co.count;
      }
    }

    // 2. Route the arrivals.
    this.arrivals += arrivals;
    if (arrivals > 0) {
      if (readyPods === 0) {
        this.dropped += arrivals;
      } else if (this.model.loadBalancing === 'round-robin' || m === 1) {
        const share = arrivals / readyPods;
        for (let i = 0; i < m; i++) ready[i]!.assigned = share;
      } else {
        waterFill(ready, m, arrivals);
      }
    }

    // 3. Start what fits, queue the rest, account waits and drops; drain deleted pods.
    const limit = this.model.queueLimit;
    let drained = false;
    for (let i = 0; i < n; i++) {
      const co = cohorts[i]!;
      if (co.kind === COHORT_NOT_READY) continue;
      const a = co.assigned;
      co.assigned = 0;
      const q0 = co.queued;
      const avail = q0 + a;
      if (avail > 0) {
        let free = (c - co.inService) / bSum;
        if (free < 0) free = 0;
        const starts = avail < free ? avail : free;
        if (starts > 0) {
          const st = co.stages;
          for (let j = 0; j < k; j++) st[j]! += b[j]! * starts;
          co.inService += bSum * starts;
          this.completed += starts * (1 - bSum) * co.count;
        }
        let q = avail - starts;
        if (a > 0) {
          co.cumArrivals += a;
          const count = co.count;
          let immediate: number;
          let queuedArrivals: number;
          let ahead: number; // queue positions ahead of the first queued arrival
          if (starts >= q0) {
            immediate = Math.min(a, starts - q0);
            queuedArrivals = a - immediate;
            ahead = 0;
          } else {
            immediate = 0;
            queuedArrivals = a;
            ahead = q0 - starts;
          }
          if (limit !== null && q > limit) {
            const drop = Math.min(q - limit, queuedArrivals);
            q -= drop;
            queuedArrivals -= drop;
            this.dropped += drop * count;
          }
          latency.record(immediate * count, 0);
          if (queuedArrivals > 0) {
            // Two halves at a quarter and three quarters of their spread in the queue.
            const half = (queuedArrivals / 2) * count;
            latency.record(half, (ahead + queuedArrivals * 0.25) / throughput);
            latency.record(half, (ahead + queuedArrivals * 0.75) / throughput);
          }
        }
        co.queued = q;
      }
      co.cumInService += co.inService * dt;
      if (co.kind === COHORT_DRAINING) {
        const left = co.inService + co.queued;
        if (left < DRAINED_REQUESTS || tSeconds + dt >= co.deletingS + this.model.terminationGracePeriodSeconds) {
          // A fluid tail below a hundredth of a request has finished; past the grace period it is killed.
          if (left < DRAINED_REQUESTS) this.completed += left * co.count;
          else this.dropped += left * co.count;
          co.count = 0;
          drained = true;
        }
      }
    }
    if (drained) {
      this.#removePods((pod) => pod.cohort.count === 0);
      this.#dropEmptyCohorts();
    }
    this.podSeconds += this.pods.length * dt;
    if (m > 1 && ++this.#steps % MERGE_EVERY_STEPS === 0) this.#merge();

    // 4. Capacity episodes: offered load above what the ready pods can serve.
    if (offeredRps > 0 || this.#episodeStart === this.#episodeStart) this.#capacityEpisode(tSeconds, offeredRps, readyPods);
  }

  /** Opens, extends or closes a capacity episode (offered load above what `readyPods` serve). */
  #capacityEpisode(tSeconds: number, offeredRps: number, readyPods: number): void {
    const capacity = readyPods * this.podThroughput;
    if (offeredRps > capacity * (1 + 1e-9)) {
      const ratio = capacity > 0 ? offeredRps / capacity : Number.POSITIVE_INFINITY;
      if (this.#episodeStart !== this.#episodeStart) {
        this.#episodeStart = tSeconds;
        this.#episodePeak = ratio;
      } else if (ratio > this.#episodePeak) {
        this.#episodePeak = ratio;
      }
    } else if (this.#episodeStart === this.#episodeStart) {
      this.#closeEpisode(tSeconds - this.#episodeStart);
    }
  }

  /**
   * Runs the steps `fromStep` .. `toStep − 1` (t = step × dt) with Poisson arrivals of mean
   * `rate(t + dt/2) × dt` (the mean itself without a sampler: fluid arrivals), times `share`,
   * exactly as `step(t, sampler.draw(rate(t + dt/2) × dt) × share, rate(t + dt/2) × share)`
   * would, as long as the service is in the usual state (one
   * ready cohort, nothing draining, no pod about to become ready): the state lives in locals
   * for the whole run of steps. Returns the first step it did not run (`fromStep` when the state
   * is not the usual one; the caller then takes a `step`).
   */
  advanceReady(fromStep: number, toStep: number, arrivals: { rate: (tSeconds: number) => number; sampler: PoissonSampler | null; share: number }): number {
    const cohorts = this.#cohorts;
    if (cohorts.length !== 2) return fromStep;
    const co = cohorts[1]!;
    if (co.kind !== COHORT_READY) return fromStep;
    const { rate, sampler, share } = arrivals;
    const dt = this.#dtSeconds;
    const half = dt / 2;
    const nextReadyS = this.#nextReadyS;
    const erlang = this.#erlang;
    const k = erlang.stages;
    const p = erlang.p;
    const b = erlang.b;
    const bSum = erlang.bSum;
    const oneMinusBSum = 1 - bSum;
    const c = this.model.concurrency;
    const limit = this.model.queueLimit;
    const throughput = this.podThroughput;
    const latency = this.latency;
    const count = co.count;
    const st = co.stages;
    const four = k === 4;
    const p0 = p[0]!, p1 = four ? p[1]! : 0, p2 = four ? p[2]! : 0, p3 = four ? p[3]! : 0;
    const b0 = b[0]!, b1 = four ? b[1]! : 0, b2 = four ? b[2]! : 0, b3 = four ? b[3]! : 0;
    let s0 = st[0]!, s1 = four ? st[1]! : 0, s2 = four ? st[2]! : 0, s3 = four ? st[3]! : 0;
    let inService = co.inService;
    let queued = co.queued;
    let cumInService = co.cumInService;
    let cumArrivals = co.cumArrivals;
    let completed = this.completed;
    let arrived = this.arrivals;
    let dropped = this.dropped;
    let podSeconds = this.podSeconds;
    let zero = latency.windowZeroCount;
    const podsDt = this.pods.length * dt;
    const overCapacity = count * throughput * (1 + 1e-9);
    let i = fromStep;
    for (; i < toStep; i++) {
      const t = i * dt;
      if (t >= nextReadyS) break;
      const rps = rate(t + half);
      const a0 = (sampler === null ? rps * dt : sampler.draw(rps * dt)) * share;
      const offeredRps = rps * share;

      // 1. Requests in service move along the chain.
      const before = inService;
      if (before > 1e-12) {
        let sum = 0;
        if (four) {
          const n3 = p3 * s0 + p2 * s1 + p1 * s2 + p0 * s3;
          const n2 = p2 * s0 + p1 * s1 + p0 * s2;
          const n1 = p1 * s0 + p0 * s1;
          const n0 = p0 * s0;
          s0 = n0;
          s1 = n1;
          s2 = n2;
          s3 = n3;
          sum = n3 + n2 + n1 + n0;
        } else {
          for (let x = k - 1; x >= 0; x--) {
            let v = 0;
            for (let j = 0; j <= x; j++) v += p[x - j]! * st[j]!;
            st[x] = v;
            sum += v;
          }
        }
        completed += (before - sum) * count;
        inService = sum;
      } else if (before !== 0) {
        s0 = s1 = s2 = s3 = 0;
        if (!four) st.fill(0);
        completed += before * count;
        inService = 0;
      }

      // 2. Route the arrivals: all to this cohort.
      arrived += a0;
      let a = 0;
      if (a0 > 0) {
        if (count === 0) dropped += a0;
        else a = a0 / count;
      }

      // 3. Start what fits, queue the rest, account waits and drops.
      const q0 = queued;
      const avail = q0 + a;
      if (avail > 0) {
        let free = (c - inService) / bSum;
        if (free < 0) free = 0;
        const starts = avail < free ? avail : free;
        if (starts > 0) {
          if (four) {
            s0 += b0 * starts;
            s1 += b1 * starts;
            s2 += b2 * starts;
            s3 += b3 * starts;
          } else {
            for (let j = 0; j < k; j++) st[j]! += b[j]! * starts;
          }
          inService += bSum * starts;
          completed += starts * oneMinusBSum * count;
        }
        let q = avail - starts;
        if (a > 0) {
          cumArrivals += a;
          let immediate: number;
          let queuedArrivals: number;
          let ahead: number;
          if (starts >= q0) {
            immediate = Math.min(a, starts - q0);
            queuedArrivals = a - immediate;
            ahead = 0;
          } else {
            immediate = 0;
            queuedArrivals = a;
            ahead = q0 - starts;
          }
          if (limit !== null && q > limit) {
            const drop = Math.min(q - limit, queuedArrivals);
            q -= drop;
            queuedArrivals -= drop;
            dropped += drop * count;
          }
          const now = immediate * count;
          if (now > 0) zero += now; // latency.record(now, 0)
          if (queuedArrivals > 0) {
            const halfCount = (queuedArrivals / 2) * count;
            latency.windowZeroCount = zero;
            latency.record(halfCount, (ahead + queuedArrivals * 0.25) / throughput);
            latency.record(halfCount, (ahead + queuedArrivals * 0.75) / throughput);
            zero = latency.windowZeroCount;
          }
        }
        queued = q;
      }
      cumInService += inService * dt;
      podSeconds += podsDt;

      // 4. Capacity episodes.
      if (offeredRps > overCapacity || this.#episodeStart === this.#episodeStart) this.#capacityEpisode(t, offeredRps, count);
    }
    if (four) {
      // Other chain lengths worked on `st` directly.
      st[0] = s0;
      st[1] = s1;
      st[2] = s2;
      st[3] = s3;
    }
    co.inService = inService;
    co.queued = queued;
    co.cumInService = cumInService;
    co.cumArrivals = cumArrivals;
    this.completed = completed;
    this.arrivals = arrived;
    this.dropped = dropped;
    this.podSeconds = podSeconds;
    latency.windowZeroCount = zero;
    return i;
  }

  /**
   * `step` when the only cohort with traffic is one ready cohort: the same arithmetic, in the
   * same order, without the loops over cohorts (most steps of a run).
   */
  #stepReady(co: Cohort, tSeconds: number, arrivals: number, offeredRps: number): void {
    const erlang = this.#erlang;
    const k = erlang.stages;
    const p = erlang.p;
    const b = erlang.b;
    const bSum = erlang.bSum;
    const count = co.count;
    const st = co.stages;

    // 1. Requests in service move along the chain.
    const before = co.inService;
    let inService = before;
    if (before > 1e-12) {
      let sum = 0;
      if (k === 4) {
        const p0 = p[0]!, p1 = p[1]!, p2 = p[2]!, p3 = p[3]!;
        const s0 = st[0]!, s1 = st[1]!, s2 = st[2]!, s3 = st[3]!;
        const n3 = p3 * s0 + p2 * s1 + p1 * s2 + p0 * s3;
        const n2 = p2 * s0 + p1 * s1 + p0 * s2;
        const n1 = p1 * s0 + p0 * s1;
        const n0 = p0 * s0;
        st[0] = n0;
        st[1] = n1;
        st[2] = n2;
        st[3] = n3;
        sum = n3 + n2 + n1 + n0;
      } else {
        for (let a = k - 1; a >= 0; a--) {
          let v = 0;
          for (let j = 0; j <= a; j++) v += p[a - j]! * st[j]!;
          st[a] = v;
          sum += v;
        }
      }
      this.completed += (before - sum) * count;
      inService = sum;
    } else if (before !== 0) {
      st.fill(0);
      this.completed += before * count;
      inService = 0;
    }

    // 2. Route the arrivals: all to this cohort.
    this.arrivals += arrivals;
    let a = 0;
    if (arrivals > 0) {
      if (count === 0) this.dropped += arrivals;
      else a = arrivals / count;
    }

    // 3. Start what fits, queue the rest, account waits and drops.
    const q0 = co.queued;
    const avail = q0 + a;
    if (avail > 0) {
      let free = (this.model.concurrency - inService) / bSum;
      if (free < 0) free = 0;
      const starts = avail < free ? avail : free;
      if (starts > 0) {
        if (k === 4) {
          st[0]! += b[0]! * starts;
          st[1]! += b[1]! * starts;
          st[2]! += b[2]! * starts;
          st[3]! += b[3]! * starts;
        } else {
          for (let j = 0; j < k; j++) st[j]! += b[j]! * starts;
        }
        inService += bSum * starts;
        this.completed += starts * (1 - bSum) * count;
      }
      let q = avail - starts;
      if (a > 0) {
        co.cumArrivals += a;
        let immediate: number;
        let queuedArrivals: number;
        let ahead: number;
        if (starts >= q0) {
          immediate = Math.min(a, starts - q0);
          queuedArrivals = a - immediate;
          ahead = 0;
        } else {
          immediate = 0;
          queuedArrivals = a;
          ahead = q0 - starts;
        }
        const limit = this.model.queueLimit;
        if (limit !== null && q > limit) {
          const drop = Math.min(q - limit, queuedArrivals);
          q -= drop;
          queuedArrivals -= drop;
          this.dropped += drop * count;
        }
        const latency = this.latency;
        latency.record(immediate * count, 0);
        if (queuedArrivals > 0) {
          const throughput = this.podThroughput;
          const half = (queuedArrivals / 2) * count;
          latency.record(half, (ahead + queuedArrivals * 0.25) / throughput);
          latency.record(half, (ahead + queuedArrivals * 0.75) / throughput);
        }
      }
      co.queued = q;
    }
    co.inService = inService;
    co.cumInService += inService * this.#dtSeconds;
    this.podSeconds += this.pods.length * this.#dtSeconds;

    // 4. Capacity episodes.
    if (offeredRps > 0 || this.#episodeStart === this.#episodeStart) this.#capacityEpisode(tSeconds, offeredRps, count);
  }

  /** Merges ready cohorts whose per-pod states agree (weighted means keep the totals). */
  #merge(): void {
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

  #closeEpisode(seconds: number | null): void {
    this.episodeCount++;
    if (seconds !== null) {
      this.closedEpisodes++;
      this.closedEpisodeSeconds += seconds;
      if (seconds > this.maxEpisodeSeconds) this.maxEpisodeSeconds = seconds;
    }
    if (this.episodes.length < MAX_EPISODES) this.episodes.push({ service: this.name, t: this.#episodeStart, seconds, peakRatio: this.#episodePeak });
    this.#episodeStart = Number.NaN;
  }

  /** Closes an open capacity episode at the end of the run. */
  finish(): void {
    if (this.#episodeStart === this.#episodeStart) {
      this.#closeEpisode(null);
    }
  }

  /** Mean CPU (millicores) of `pod` over [t0, t1], from its in-service integral and the spike. */
  cpuMillicores(pod: Pod, t0: number, t1: number, inServiceSecondsAtT0: number): number {
    const cpu = this.model.cpu;
    const span = t1 - t0;
    if (!(span > 0)) return cpu.idleMillicores;
    const busy = (pod.inServiceSeconds - inServiceSecondsAtT0) / span;
    const spike = cpu.startup === null ? 0 : spikeIntegral(cpu.startup, t0 - pod.startS, t1 - pod.startS) / span;
    return cpu.idleMillicores + cpu.perRequestMillicores * busy + spike;
  }

  /** The startup part of `pod`'s mean CPU over [t0, t1]. */
  startupMillicores(pod: Pod, t0: number, t1: number): number {
    const s = this.model.cpu.startup;
    const span = t1 - t0;
    if (s === null || !(span > 0)) return 0;
    return spikeIntegral(s, t0 - pod.startS, t1 - pod.startS) / span;
  }

  /** Working-set memory (bytes) of `pod` now. */
  memoryBytes(pod: Pod): number {
    const mem = this.model.memory;
    return mem.idleBytes + mem.perRequestBytes * pod.active;
  }
}

function sameState(a: Cohort, b: Cohort): boolean {
  if (Math.abs(a.queued - b.queued) > MERGE_TOLERANCE) return false;
  for (let s = 0; s < a.stages.length; s++) if (Math.abs(a.stages[s]! - b.stages[s]!) > MERGE_TOLERANCE) return false;
  return true;
}

/**
 * Least-active routing as a fluid: pour `amount` into the pods with the fewest active requests
 * until they are level (water-filling), then spread evenly. Sets each cohort's per-pod `assigned`.
 */
function waterFill(ready: Cohort[], m: number, amount: number): void {
  // Insertion sort by active count; there are few cohorts and they are usually in order.
  for (let i = 1; i < m; i++) {
    const co = ready[i]!;
    const v = co.inService + co.queued;
    let j = i - 1;
    while (j >= 0 && ready[j]!.inService + ready[j]!.queued > v) {
      ready[j + 1] = ready[j]!;
      j--;
    }
    ready[j + 1] = co;
  }
  let pods = 0;
  let weighted = 0;
  let level = 0;
  let filled = m;
  for (let j = 1; j <= m; j++) {
    const low = ready[j - 1]!;
    pods += low.count;
    weighted += (low.inService + low.queued) * low.count;
    level = (amount + weighted) / pods;
    if (j === m) break;
    const next = ready[j]!;
    if (level <= next.inService + next.queued) {
      filled = j;
      break;
    }
  }
  for (let j = 0; j < filled; j++) {
    const co = ready[j]!;
    const x = level - (co.inService + co.queued);
    co.assigned = x > 0 ? x : 0;
  }
}

/** ∫ of the startup extra CPU over container ages [a0, a1] (millicore-seconds). */
export function spikeIntegral(spike: StartupSpike, a0: number, a1: number): number {
  const lo = Math.max(0, a0);
  const hi = Math.max(lo, a1);
  if (hi <= lo) return 0;
  const h = spike.holdSeconds;
  const x = spike.extraMillicores;
  let total = 0;
  const holdHi = Math.min(hi, h);
  if (holdHi > lo) total += x * (holdHi - lo);
  const d0 = Math.max(lo, h);
  if (hi > d0 && spike.decaySeconds > 0) {
    const tau = spike.decaySeconds;
    total += x * tau * (Math.exp(-(d0 - h) / tau) - Math.exp(-(hi - h) / tau));
  }
  return total;
}
