/**
 * Request latency without per-request storage. In the fluid model a request's latency is its
 * queue wait W (known when it arrives) plus a service time X drawn independently from the
 * service-time distribution, so the latency distribution is the wait histogram convolved with X.
 * Waits go into fixed log buckets (5 % wide, 10 ms to ~10 days); percentiles are found by
 * bisection on the mixture CDF `Σ n_w · F_X(x − w) / N`. Memory is constant in simulated time.
 */
import type { CdfTable, ServiceTime } from './service-time.js';

/** Waits below this count as zero (the request started at once). */
const MIN_WAIT_SECONDS = 0.01;
/** Ratio between consecutive wait buckets. */
const BUCKET_RATIO = 1.05;
const BUCKETS = 400;
const LOG_RATIO = Math.log(BUCKET_RATIO);
/** Bisection steps for a percentile: 2^-30 of the bracket. */
const BISECTION_STEPS = 30;

/** Latency percentiles (seconds) of a set of requests; NaN when there were none. */
export interface LatencyPercentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** The representative wait of each bucket (geometric middle). */
const BUCKET_WAIT = new Float64Array(BUCKETS);
for (let i = 0; i < BUCKETS; i++) BUCKET_WAIT[i] = MIN_WAIT_SECONDS * Math.pow(BUCKET_RATIO, i + 0.5);

function bucketWait(i: number): number {
  return BUCKET_WAIT[i]!;
}

/**
 * Records requests with their waits, per window (one sync interval) and over the whole run.
 */
export class LatencyRecorder {
  readonly #serviceTime: ServiceTime;
  readonly #sloSeconds: number | null;
  /** Service-time upper bound used to bracket the bisection. */
  readonly #maxService: number;
  #windowZero = 0;
  readonly #windowHist = new Float64Array(BUCKETS);
  readonly #touched = new Int32Array(BUCKETS);
  /** Scratch of `flushWindow`: the touched buckets' waits and counts. */
  readonly #waits = new Float64Array(BUCKETS);
  readonly #counts = new Float64Array(BUCKETS);
  #touchedCount = 0;
  #maxTouched = -1;
  #totalZero = 0;
  readonly #totalHist = new Float64Array(BUCKETS);
  #sloMisses = 0;
  /** Percentiles when nobody waited: the service time's own. */
  readonly #noWait: LatencyPercentiles;

  constructor(serviceTime: ServiceTime, sloSeconds: number | null) {
    this.#serviceTime = serviceTime;
    this.#noWait = { p50: serviceTime.quantile(0.5), p95: serviceTime.quantile(0.95), p99: serviceTime.quantile(0.99) };
    this.#sloSeconds = sloSeconds;
    this.#maxService = serviceTime.cv === 0 ? serviceTime.meanSeconds * 1.000001 : serviceTime.quantile(0.99999);
  }

  /** Forgets everything recorded (after the warm-up). */
  reset(): void {
    this.#windowHist.fill(0);
    this.#totalHist.fill(0);
    this.#windowZero = 0;
    this.#totalZero = 0;
    this.#touchedCount = 0;
    this.#maxTouched = -1;
    this.#sloMisses = 0;
  }

  /** Adds `count` requests that started at once: `record(count, 0)`, small enough to inline in a step. */
  recordNoWait(count: number): void {
    if (count > 0) this.#windowZero += count;
  }

  /** Adds `count` requests that waited `waitSeconds` before service. */
  record(count: number, waitSeconds: number): void {
    if (!(count > 0)) return;
    if (waitSeconds < MIN_WAIT_SECONDS) {
      this.#windowZero += count;
      return;
    }
    let i = Math.floor(Math.log(waitSeconds / MIN_WAIT_SECONDS) / LOG_RATIO);
    if (i >= BUCKETS) i = BUCKETS - 1;
    if (this.#windowHist[i] === 0) {
      this.#touched[this.#touchedCount++] = i;
      if (i > this.#maxTouched) this.#maxTouched = i;
    }
    this.#windowHist[i]! += count;
  }

  /** Percentiles of the current window, then starts a new one (its requests go to the totals). */
  flushWindow(): LatencyPercentiles {
    const hist = this.#windowHist;
    const touched = this.#touched;
    const n = this.#touchedCount;
    let total = this.#windowZero;
    for (let j = 0; j < n; j++) total += hist[touched[j]!]!;
    let result: LatencyPercentiles;
    if (!(total > 0)) {
      result = { p50: Number.NaN, p95: Number.NaN, p99: Number.NaN };
    } else if (n === 0) {
      result = this.#noWait;
    } else {
      const maxWait = bucketWait(this.#maxTouched);
      const table = this.#serviceTime.cdfTable;
      let cdf: (x: number) => number;
      if (table === undefined) {
        cdf = (x: number): number => {
          const F = this.#serviceTime.cdf;
          let s = this.#windowZero * F(x);
          for (let j = 0; j < n; j++) {
            const i = touched[j]!;
            s += hist[i]! * F(x - bucketWait(i));
          }
          return s / total;
        };
      } else {
        // The touched buckets' waits and counts, in the order the sum takes them.
        const waits = this.#waits;
        const counts = this.#counts;
        for (let j = 0; j < n; j++) {
          const i = touched[j]!;
          waits[j] = BUCKET_WAIT[i]!;
          counts[j] = hist[i]!;
        }
        cdf = windowCdf({ zero: this.#windowZero, total, n, waits, counts, table });
      }
      const hi = maxWait + this.#maxService;
      result = bisect3(cdf, hi);
    }
    // SLO misses and totals.
    const slo = this.#sloSeconds;
    const F = this.#serviceTime.cdf;
    if (slo !== null) this.#sloMisses += this.#windowZero * (1 - F(slo));
    this.#totalZero += this.#windowZero;
    for (let j = 0; j < n; j++) {
      const i = touched[j]!;
      const c = hist[i]!;
      if (slo !== null) this.#sloMisses += c * (1 - F(slo - bucketWait(i)));
      this.#totalHist[i]! += c;
      hist[i] = 0;
    }
    this.#windowZero = 0;
    this.#touchedCount = 0;
    this.#maxTouched = -1;
    return result;
  }

  /** Requests recorded over the run (flushed windows only). */
  get totalRequests(): number {
    let s = this.#totalZero;
    for (let i = 0; i < BUCKETS; i++) s += this.#totalHist[i]!;
    return s;
  }

  /** Expected number of flushed requests slower than the SLO; `null` without an SLO. */
  get sloMisses(): number | null {
    return this.#sloSeconds === null ? null : this.#sloMisses;
  }

  /** Percentiles over the whole run (flushed windows only). */
  totals(): LatencyPercentiles {
    const hist = this.#totalHist;
    let total = this.#totalZero;
    let maxI = -1;
    for (let i = 0; i < BUCKETS; i++) {
      const c = hist[i]!;
      if (c > 0) {
        total += c;
        maxI = i;
      }
    }
    if (!(total > 0)) return { p50: Number.NaN, p95: Number.NaN, p99: Number.NaN };
    const F = this.#serviceTime.cdf;
    const zero = this.#totalZero;
    const cdf = (x: number): number => {
      let s = zero * F(x);
      for (let i = 0; i <= maxI; i++) {
        const c = hist[i]!;
        if (c > 0) s += c * F(x - bucketWait(i));
      }
      return s / total;
    };
    const hi = (maxI >= 0 ? bucketWait(maxI) : 0) + this.#maxService;
    return bisect3(cdf, hi);
  }
}

/**
 * The smallest x in [0, hi] with cdf(x) ≥ p, to 2^-30 of hi (bisection), for p = 0.5, 0.95 and
 * 0.99 at once: the three walks evaluate `cdf` once per distinct midpoint of a step (they share
 * their first steps), with the results of three separate bisections.
 */
function bisect3(cdf: (x: number) => number, hi: number): LatencyPercentiles {
  let lo50 = 0;
  let top50 = hi;
  let lo95 = 0;
  let top95 = hi;
  let lo99 = 0;
  let top99 = hi;
  for (let k = 0; k < BISECTION_STEPS; k++) {
    const m50 = (lo50 + top50) / 2;
    const m95 = (lo95 + top95) / 2;
    const m99 = (lo99 + top99) / 2;
    const c50 = cdf(m50);
    const c95 = m95 === m50 ? c50 : cdf(m95);
    const c99 = m99 === m95 ? c95 : m99 === m50 ? c50 : cdf(m99);
    if (c50 >= 0.5) top50 = m50;
    else lo50 = m50;
    if (c95 >= 0.95) top95 = m95;
    else lo95 = m95;
    if (c99 >= 0.99) top99 = m99;
    else lo99 = m99;
  }
  return { p50: top50, p95: top95, p99: top99 };
}

/**
 * The window's latency CDF, `x ↦ (zero × F(x) + Σ counts[j] × F(x − waits[j])) / total`, with
 * the tabulated F inline. Same terms in the same order as through `ServiceTime.cdf`; terms with
 * F = 0 are skipped (adding +0 leaves the sum unchanged), so the results are identical.
 */
function windowCdf(w: { zero: number; total: number; n: number; waits: Float64Array; counts: Float64Array; table: CdfTable }): (x: number) => number {
  const { zero, total, n, waits, counts } = w;
  const { table, max, inv } = w.table;
  if (table === null) {
    return (x) => {
      let s = zero * (x >= max ? 1 : 0);
      for (let j = 0; j < n; j++) if (x - waits[j]! >= max) s += counts[j]!;
      return s / total;
    };
  }
  const F = (x: number): number => {
    if (x <= 0) return 0;
    if (x >= max) return 1;
    const u = x * inv;
    const b = u | 0;
    const lo = table[b]!;
    return lo + (table[b + 1]! - lo) * (u - b);
  };
  return (x) => {
    let s = zero * F(x);
    for (let j = 0; j < n; j++) {
      const d = x - waits[j]!;
      if (d <= 0) continue;
      const c = counts[j]!;
      if (d >= max) {
        s += c;
        continue;
      }
      const u = d * inv;
      const b = u | 0;
      const lo = table[b]!;
      s += c * (lo + (table[b + 1]! - lo) * (u - b));
    }
    return s / total;
  };
}
