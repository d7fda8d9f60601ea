/**
 * The queueing model behind `hpa-lab size`: one pod is an M/G/c queue (Poisson arrivals, a
 * general service time, `c` = the pod's concurrency, one FCFS queue), approximated as follows.
 *
 * - The probability that a request waits is Erlang C, `C(c, a)` with offered load `a = λ·E[S]`
 *   (exact for M/M/c; the usual first term for M/G/c).
 * - The mean wait is Allen–Cunneen: `Wq = C / (cμ − λ) × (1 + cs²) / 2` (cs² = squared
 *   coefficient of variation of the service time; exact for M/M/c, within a few per cent for
 *   M/D/c and lognormal service at the loads an HPA holds).
 * - The wait is 0 with probability `1 − C` and otherwise exponential with mean `Wq / C`, independent of
 *   the request's own service time (exact for M/M/c FCFS), so the response time's CDF is
 *   `(1 − C)·F_S(t) + C·∫₀ᵗ θe^{−θw} F_S(t − w) dw` and its percentiles come by bisection.
 * - `asr_active_requests` counts requests in service and queued: the HPA holds its per-pod
 *   average `L` at the target, and `L = λ(Wq + E[S])` (Little's law) picks the per-pod rate.
 *
 * Why M/G/c per pod: a pod serves `concurrency` requests at once and queues the rest, which is
 * exactly c servers and one queue; service times of inference are not exponential (the seeds'
 * lognormal), so the approximation carries their variance. Routing over pods is not in the
 * model: with random routing every pod sees Poisson arrivals (the model is exact in that sense);
 * least-active routing pools the pods and does better, so the model errs on the safe side.
 */
import { createServiceTime, type ServiceTime } from './service-time.js';
import type { ServiceTimeSpec } from './types.js';

/**
 * Erlang C: the probability that an arrival waits in an M/M/c queue with offered load `a`
 * (erlangs). 1 when `a ≥ c` (unstable). Computed through the Erlang B recurrence, stable for
 * thousands of servers.
 *
 * @example erlangC(2, 1) // -> 0.3333…
 */
export function erlangC(servers: number, offeredLoad: number): number {
  if (!Number.isInteger(servers) || servers < 1) throw new RangeError(`Cannot compute Erlang C as 'servers' must be an integer ≥ 1: current value is ${servers}`);
  if (!(offeredLoad >= 0)) throw new RangeError(`Cannot compute Erlang C as 'offeredLoad' must be ≥ 0: current value is ${offeredLoad}`);
  if (offeredLoad >= servers) return 1;
  if (offeredLoad === 0) return 0;
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredLoad * b) / (k + offeredLoad * b);
  return (servers * b) / (servers - offeredLoad * (1 - b));
}

/** One operating point of a pod: its arrival rate and what its users see. */
export interface QueuePoint {
  /** Requests per second offered to one pod. */
  readonly arrivalRatePerSecond: number;
  /** Offered load over concurrency (0..1). */
  readonly utilization: number;
  /** Erlang C: probability that a request waits. */
  readonly waitProbability: number;
  readonly meanWaitSeconds: number;
  /** Mean requests in service and queued (what `asr_active_requests` averages). */
  readonly meanActive: number;
  /** Response-time (wait + service) percentile at `percentile`, seconds. */
  readonly latencySeconds: number;
}

/** A pod's queue: concurrency and service time. */
export interface PodQueueModel {
  readonly concurrency: number;
  readonly serviceTime: ServiceTimeSpec;
}

/** The M/G/c approximation for one pod, with the service-time numbers precomputed. */
export class MgcQueue {
  readonly concurrency: number;
  readonly service: ServiceTime;
  readonly meanServiceSeconds: number;
  /** (1 + cs²) / 2: Allen–Cunneen's correction of the M/M/c wait. */
  readonly variabilityFactor: number;

  constructor(model: PodQueueModel) {
    this.concurrency = model.concurrency;
    this.service = createServiceTime(model.serviceTime);
    this.meanServiceSeconds = this.service.meanSeconds;
    this.variabilityFactor = (1 + this.service.cv ** 2) / 2;
  }

  /** The operating point at `arrivalRatePerSecond`; `latencySeconds` is its `percentile`. */
  at(arrivalRatePerSecond: number, percentile: number): QueuePoint {
    const c = this.concurrency;
    const a = arrivalRatePerSecond * this.meanServiceSeconds;
    const waitProbability = erlangC(c, a);
    const drainRate = c / this.meanServiceSeconds - arrivalRatePerSecond;
    const meanWaitSeconds = a >= c ? Infinity : a === 0 ? 0 : (waitProbability / drainRate) * this.variabilityFactor;
    const meanActive = arrivalRatePerSecond * (meanWaitSeconds + this.meanServiceSeconds);
    return {
      arrivalRatePerSecond,
      utilization: a / c,
      waitProbability,
      meanWaitSeconds,
      meanActive,
      latencySeconds: this.latencyPercentile(waitProbability, meanWaitSeconds, percentile),
    };
  }

  /** The per-pod arrival rate at which the mean active requests equal `meanActive` (bisection). */
  rateForActive(meanActive: number): number {
    if (!(meanActive > 0)) throw new RangeError(`Cannot find the arrival rate as 'meanActive' must be > 0: current value is ${meanActive}`);
    let lo = 0;
    let hi = this.concurrency / this.meanServiceSeconds; // L → ∞ as λ → cμ
    for (let i = 0; i < 200 && hi - lo > hi * 1e-13; i++) {
      const mid = (lo + hi) / 2;
      if (this.at(mid, 0.5).meanActive < meanActive) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  }

  /** P(wait + service ≤ t). */
  responseCdf(t: number, waitProbability: number, meanWaitSeconds: number): number {
    if (t <= 0) return 0;
    const fs = (x: number): number => this.service.cdf(x);
    if (waitProbability === 0 || meanWaitSeconds === 0) return fs(t);
    // Given that it waits, a request waits Exp(θ) with θ = C / Wq (M/M/c: θ = cμ − λ).
    const theta = waitProbability / meanWaitSeconds;
    // ∫₀ᵗ θe^{−θw} F_S(t − w) dw by Simpson's rule on a grid fine enough for both factors.
    const n = 400;
    const h = t / n;
    let sum = 0;
    for (let i = 0; i <= n; i++) {
      const w = i * h;
      const f = theta * Math.exp(-theta * w) * fs(t - w);
      sum += (i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2) * f;
    }
    return (1 - waitProbability) * fs(t) + waitProbability * (sum * h) / 3;
  }

  private latencyPercentile(waitProbability: number, meanWaitSeconds: number, percentile: number): number {
    if (!Number.isFinite(meanWaitSeconds)) return Infinity;
    if (waitProbability === 0 || meanWaitSeconds === 0) return this.service.quantile(percentile);
    let lo = 0;
    // Upper bound: the service quantile plus the wait's (exponential) quantile.
    let hi = this.service.quantile(percentile) + (meanWaitSeconds / waitProbability) * Math.log(1 / (1 - percentile)) + 1e-9;
    while (this.responseCdf(hi, waitProbability, meanWaitSeconds) < percentile) hi *= 2;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (this.responseCdf(mid, waitProbability, meanWaitSeconds) < percentile) lo = mid;
      else hi = mid;
    }
    return hi;
  }
}

/** Input of `maxTargetForSlo`. */
export interface MaxTargetInput extends PodQueueModel {
  /** The latency percentile of the SLO, 0..1 (0.95 for `p95`). */
  readonly percentile: number;
  /** The SLO: the percentile must stay at or below this, seconds. */
  readonly sloSeconds: number;
  /** Largest target searched (default 10,000). */
  readonly maxTarget?: number;
}

/** The highest target that keeps the SLO, and the operating points around it. */
export interface MaxTargetResult {
  /** `null`: even one active request per pod misses the SLO (the service itself is too slow). */
  readonly target: number | null;
  /** The pod at `target` active requests on average. */
  readonly at: QueuePoint | null;
  /** The pod at `target + 1`: the first target that misses the SLO. */
  readonly next: QueuePoint;
}

/**
 * The highest integer per-pod `targetActiveRequests` whose steady state (the HPA holding the
 * average active requests per pod at the target) keeps the response-time percentile within the
 * SLO, under the M/G/c model of this module.
 *
 * @example maxTargetForSlo({ concurrency: 8, serviceTime: { distribution: 'exponential', meanSeconds: 1 }, percentile: 0.95, sloSeconds: 5 }).target
 */
export function maxTargetForSlo(input: MaxTargetInput): MaxTargetResult {
  const queue = new MgcQueue(input);
  const pointAt = (target: number): QueuePoint => queue.at(queue.rateForActive(target), input.percentile);
  const ok = (target: number): boolean => pointAt(target).latencySeconds <= input.sloSeconds;
  const limit = input.maxTarget ?? 10_000;
  if (!ok(1)) return { target: null, at: null, next: pointAt(1) };
  // The percentile grows with the target: find the last one that keeps the SLO.
  let lo = 1;
  let hi = 2;
  while (hi <= limit && ok(hi)) {
    lo = hi;
    hi *= 2;
  }
  hi = Math.min(hi, limit + 1);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return { target: lo, at: pointAt(lo), next: pointAt(lo + 1) };
}

/** Scales a service time's mean (or median) by `factor`: the same shape, a faster or slower model. */
export function scaleServiceTime(spec: ServiceTimeSpec, factor: number): ServiceTimeSpec {
  return spec.distribution === 'lognormal' ? { ...spec, medianSeconds: spec.medianSeconds * factor } : { ...spec, meanSeconds: spec.meanSeconds * factor };
}
