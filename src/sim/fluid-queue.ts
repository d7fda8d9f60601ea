/**
 * How the pods of a cohort serve requests over one step, as a fluid (real-valued counts per pod):
 * - Each pod serves `concurrency` requests at once. In-service requests drain through an Erlang
 *   chain whose mean is the service time's and whose stage count matches its variability (1 for
 *   exponential, 4 for a lognormal with σ = 0.5, 8 for fixed), integrated exactly over the step;
 *   so in-service counts obey Little's law and the transient follows the distribution's first two
 *   moments. Slots freed during a step are reused in it (throughput up to
 *   concurrency × dt / mean service time).
 * - Requests that find no free slot queue in the pod, FIFO; beyond `queueLimit` they are dropped.
 *   A queued request waits (its queue position) / (concurrency / mean service time); its latency
 *   is that wait plus a service time from the distribution (see `latency.ts`).
 *
 * This is the one formulation of the per-step arithmetic: `ServiceSim.step` calls `complete` on
 * every cohort with requests, routes, then calls `admit` on each (or `serveOnly` when one ready
 * cohort takes all the traffic, the usual state). The methods are small and monomorphic, so the
 * tight loop of a run gets them inlined; the state they touch is the cohort's fields and its
 * stage `Float64Array`.
 */
import type { LatencyRecorder } from './latency.js';
import type { Cohort } from './pods.js';
import type { ErlangStep } from './service-time.js';

/** A draining pod with less than this many requests left has finished. */
const DRAINED_REQUESTS = 0.01;

/** Moves per-stage counts `st` one step along the chain (`p`, see `ErlangStep`); returns their sum. */
function advanceChain(st: Float64Array, p: Float64Array): number {
  let sum = 0;
  for (let a = st.length - 1; a >= 0; a--) {
    let v = 0;
    for (let j = 0; j <= a; j++) v += p[a - j]! * st[j]!;
    st[a] = v;
    sum += v;
  }
  return sum;
}

/** The request books and the per-step service arithmetic of one deployment. */
export class FluidQueue {
  /** Requests offered, dropped and completed since the last `resetCounters`. */
  arrivals = 0;
  dropped = 0;
  completed = 0;
  readonly #stages: number;
  readonly #p: Float64Array;
  readonly #b: Float64Array;
  readonly #bSum: number;
  readonly #concurrency: number;
  readonly #queueLimit: number | null;
  /** Saturated throughput of one pod (requests/s): the queue's drain rate. */
  readonly #podThroughput: number;
  readonly #dtSeconds: number;
  readonly #latency: LatencyRecorder;

  constructor(chain: ErlangStep, options: { concurrency: number; queueLimit: number | null; podThroughput: number; dtSeconds: number; latency: LatencyRecorder }) {
    this.#stages = chain.stages;
    this.#p = chain.p;
    this.#b = chain.b;
    this.#bSum = chain.bSum;
    this.#concurrency = options.concurrency;
    this.#queueLimit = options.queueLimit;
    this.#podThroughput = options.podThroughput;
    this.#dtSeconds = options.dtSeconds;
    this.#latency = options.latency;
  }

  /** Zeroes the books (after the warm-up). */
  resetCounters(): void {
    this.arrivals = 0;
    this.dropped = 0;
    this.completed = 0;
  }

  /** Books `arrivals` requests offered to the deployment; with no Ready pod they are dropped. */
  offer(arrivals: number, readyPods: number): void {
    this.arrivals += arrivals;
    if (arrivals > 0 && readyPods === 0) this.dropped += arrivals;
  }

  /**
   * Ends a draining cohort when its requests are done (a fluid tail below a hundredth of a
   * request has finished) or, once `graceOver`, kills what is left. Returns whether it ended
   * (its `count` is then 0).
   */
  retireIfDone(co: Cohort, graceOver: boolean): boolean {
    const left = co.inService + co.queued;
    if (left < DRAINED_REQUESTS) this.completed += left * co.count;
    else if (graceOver) this.dropped += left * co.count;
    else return false;
    co.count = 0;
    return true;
  }

  /**
   * Phase 1 of a step: requests in service move along the chain; what leaves has completed.
   */
  complete(co: Cohort): void {
    const before = co.inService;
    if (before > 1e-12) {
      const st = co.stages;
      const p = this.#p;
      let sum: number;
      if (this.#stages === 4) {
        // The default lognormal (σ 0.5) has 4 stages: unrolled, the hottest arithmetic of a run.
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
        sum = advanceChain(st, p);
      }
      this.completed += (before - sum) * co.count;
      co.inService = sum;
    } else if (before !== 0) {
      co.stages.fill(0);
      this.completed += before * co.count;
      co.inService = 0;
    }
  }

  /**
   * Phase 3 of a step: of the queue and `a` new requests per pod, starts what fits, queues the
   * rest (dropping beyond the queue limit) and records the waits; then integrates in-service.
   */
  admit(co: Cohort, a: number): void {
    const q0 = co.queued;
    const avail = q0 + a;
    if (avail > 0) {
      const bSum = this.#bSum;
      let free = (this.#concurrency - co.inService) / bSum;
      if (free < 0) free = 0;
      const starts = avail < free ? avail : free;
      if (starts > 0) {
        const st = co.stages;
        const b = this.#b;
        for (let j = 0; j < this.#stages; j++) st[j]! += b[j]! * starts;
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
        const limit = this.#queueLimit;
        if (limit !== null && q > limit) {
          const drop = Math.min(q - limit, queuedArrivals);
          q -= drop;
          queuedArrivals -= drop;
          this.dropped += drop * count;
        }
        this.#latency.recordNoWait(immediate * count);
        if (queuedArrivals > 0) this.#recordQueued(count, ahead, queuedArrivals);
      }
      co.queued = q;
    }
    co.cumInService += co.inService * this.#dtSeconds;
  }

  /** Waits of the arrivals that queued: two halves at a quarter and three quarters of their spread. */
  #recordQueued(count: number, ahead: number, queuedArrivals: number): void {
    const throughput = this.#podThroughput;
    const half = (queuedArrivals / 2) * count;
    this.#latency.record(half, (ahead + queuedArrivals * 0.25) / throughput);
    this.#latency.record(half, (ahead + queuedArrivals * 0.75) / throughput);
  }

  /** A step of `co` when it is the only cohort with requests and takes every arrival. */
  serveOnly(co: Cohort, arrivals: number): void {
    this.complete(co);
    const count = co.count;
    this.offer(arrivals, count);
    this.admit(co, arrivals > 0 && count > 0 ? arrivals / count : 0);
  }
}
