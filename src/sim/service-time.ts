/**
 * Service-time distributions as the fluid workload model uses them: the mean (Little's law), the
 * quantile and CDF (latency), and an Erlang-k stage chain with the same mean and a matching
 * coefficient of variation (how in-service requests drain step by step).
 */
import type { ServiceTimeSpec } from './types.js';

/** Most Erlang stages used for a low-variance (e.g. fixed) service time: CV = 1/√8 ≈ 0.35. */
export const MAX_ERLANG_STAGES = 8;

/** Points of the tabulated CDF used for fast lookups. */
const CDF_TABLE_SIZE = 2048;

/** A service-time distribution with the numbers the workload model needs precomputed. */
export interface ServiceTime {
  readonly meanSeconds: number;
  /** Coefficient of variation (standard deviation / mean). */
  readonly cv: number;
  /** Erlang stages approximating the distribution's variability (1 = exponential). */
  readonly stages: number;
  /** The p-quantile, seconds (0 < p < 1). */
  quantile(p: number): number;
  /** P(service time ≤ x), from a table: fast and good to ~1e-3. */
  readonly cdf: (x: number) => number;
  /** The table behind `cdf`, for loops that evaluate it inline (same arithmetic, same results). */
  readonly cdfTable?: CdfTable;
}

/**
 * `ServiceTime.cdf` as data: `cdf(x)` is 0 for x ≤ 0 (and below `max` for a point mass), 1 from
 * `max`, else `table[i] + (table[i + 1] − table[i]) × (u − i)` with `u = x × inv`, `i = ⌊u⌋`.
 */
export interface CdfTable {
  /** `null`: a point mass at `max`. */
  readonly table: Float64Array | null;
  readonly max: number;
  readonly inv: number;
}

/**
 * Complementary error function (W. J. Cody's rational Chebyshev fit as in Numerical Recipes'
 * `erfcc`, fractional error < 1.2e-7).
 *
 * @example erfc(0); // -> 1
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * Inverse of the standard normal CDF (Acklam's algorithm, relative error < 1.15e-9).
 *
 * @throws {RangeError} when p is not in (0, 1)
 * @example inverseNormalCdf(0.975); // -> 1.959963...
 */
export function inverseNormalCdf(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`Cannot invert the normal CDF as 'p' must be in (0, 1): got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -inverseNormalCdf(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/**
 * Precomputes a service-time distribution.
 *
 * @throws {RangeError} when a parameter is not a finite positive number (sigma may be 0)
 * @example
 * const st = createServiceTime({ distribution: 'lognormal', medianSeconds: 1, sigma: 0.5 });
 * st.meanSeconds; // -> 1.1331 (median × e^(σ²/2))
 * st.stages;      // -> 4 (CV² = e^(σ²) − 1 = 0.284)
 */
export function createServiceTime(spec: ServiceTimeSpec): ServiceTime {
  let meanSeconds: number;
  let cv: number;
  let quantile: (p: number) => number;
  let exactCdf: (x: number) => number;
  switch (spec.distribution) {
    case 'fixed': {
      const s = positive(spec.meanSeconds, 'meanSeconds');
      meanSeconds = s;
      cv = 0;
      quantile = () => s;
      exactCdf = (x) => (x >= s ? 1 : 0);
      break;
    }
    case 'exponential': {
      const s = positive(spec.meanSeconds, 'meanSeconds');
      meanSeconds = s;
      cv = 1;
      quantile = (p) => -s * Math.log(1 - p);
      exactCdf = (x) => (x <= 0 ? 0 : 1 - Math.exp(-x / s));
      break;
    }
    case 'lognormal': {
      const m = positive(spec.medianSeconds, 'medianSeconds');
      const sigma = spec.sigma;
      if (!(sigma >= 0) || !Number.isFinite(sigma)) {
        throw new RangeError(`Cannot model the service time as 'sigma' must be a finite number ≥ 0: got ${sigma}`);
      }
      meanSeconds = m * Math.exp((sigma * sigma) / 2);
      cv = Math.sqrt(Math.expm1(sigma * sigma));
      const lnM = Math.log(m);
      quantile = sigma === 0 ? () => m : (p) => m * Math.exp(sigma * inverseNormalCdf(p));
      exactCdf =
        sigma === 0
          ? (x) => (x >= m ? 1 : 0)
          : (x) => (x <= 0 ? 0 : 0.5 * erfc(-(Math.log(x) - lnM) / (sigma * Math.SQRT2)));
      break;
    }
  }
  const stages = cv <= 0 ? MAX_ERLANG_STAGES : Math.max(1, Math.min(MAX_ERLANG_STAGES, Math.round(1 / (cv * cv))));
  const { cdf, cdfTable } = tabulateCdf(exactCdf, cv === 0 ? meanSeconds : quantile(0.99999), cv === 0);
  return { meanSeconds, cv, stages, quantile, cdf, cdfTable };
}

function positive(value: number, field: string): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`Cannot model the service time as '${field}' must be a finite number > 0: got ${value}`);
  }
  return value;
}

/** A CDF as a lookup table on [0, max] with linear interpolation (a step for a point mass). */
function tabulateCdf(exact: (x: number) => number, max: number, pointMass: boolean): { cdf: (x: number) => number; cdfTable: CdfTable } {
  if (pointMass) return { cdf: (x) => (x >= max ? 1 : 0), cdfTable: { table: null, max, inv: 0 } };
  const table = new Float64Array(CDF_TABLE_SIZE + 1);
  const h = max / CDF_TABLE_SIZE;
  for (let i = 0; i <= CDF_TABLE_SIZE; i++) table[i] = exact(i * h);
  table[CDF_TABLE_SIZE] = 1;
  const inv = 1 / h;
  const cdf = (x: number): number => {
    if (x <= 0) return 0;
    if (x >= max) return 1;
    const u = x * inv;
    const i = u | 0;
    const lo = table[i]!;
    return lo + (table[i + 1]! - lo) * (u - i);
  };
  return { cdf, cdfTable: { table, max, inv } };
}

/** One step of an Erlang-k chain: state transition and the response to uniformly spread inflow. */
export interface ErlangStep {
  readonly stages: number;
  /** `p[m]`: probability a request moves exactly m stages forward in one step (Poisson). */
  readonly p: Float64Array;
  /** `b[i]`: fraction of a request started uniformly during the step that ends it in stage i. */
  readonly b: Float64Array;
  /** Σ b: fraction of a step's starts still in service at the step's end. */
  readonly bSum: number;
}

/**
 * The exact transition of an Erlang chain (`stages` exponential stages of rate stages/mean) over
 * one step of `dtSeconds`, for mass already in the chain (`p`) and for mass entering uniformly
 * during the step (`b`). Applying them is O(stages²) per pod and step, with no allocation.
 *
 * @example
 * const e = createErlangStep(createServiceTime({ distribution: 'exponential', meanSeconds: 1 }), 1);
 * e.p[0]; // -> 0.3679 (e^-1: still in service after one mean)
 */
export function createErlangStep(serviceTime: ServiceTime, dtSeconds: number): ErlangStep {
  const k = serviceTime.stages;
  const x = (k / serviceTime.meanSeconds) * dtSeconds;
  const p = new Float64Array(k);
  let term = Math.exp(-x);
  for (let m = 0; m < k; m++) {
    p[m] = term;
    term = (term * x) / (m + 1);
  }
  const b = new Float64Array(k);
  let cumulative = 0;
  let bSum = 0;
  for (let i = 0; i < k; i++) {
    cumulative += p[i]!;
    // (1/x) ∫0^x P(Poisson(τ) ≤ i) dτ = (1/x) P(Gamma(i + 1) ≤ x) = (1 − P(Poisson(x) ≤ i)) / x
    const bi = Math.max(0, 1 - cumulative) / x;
    b[i] = bi;
    bSum += bi;
  }
  return { stages: k, p, b, bSum };
}
