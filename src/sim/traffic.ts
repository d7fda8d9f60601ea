/**
 * Traffic as a function of virtual time: `rpsAt(t)` for every built-in shape and for traces, made
 * for the simulator's inner loop (asked every second for 30 days: 2.6M calls). Each shape is
 * compiled once into a closure over precomputed numbers; traces keep a cursor into typed arrays,
 * so a call is O(1) amortized for increasing `t` and allocates nothing.
 */
import { samplePoisson, sampleNormal, type Rng } from '../core/index.js';
import { parseTrafficSpec, type NoiseSpec, type TracePoint, type TrafficSpec, type TrafficSpecInput, type TrafficSpecOf } from './traffic-schema.js';

/** Offered load over time. */
export interface Traffic {
  /**
   * Requests per second at `tSeconds` (seconds from the start of the run), never negative. With
   * a spec `noise` and an `rng` given to `createTraffic`, this is the realized rate of that second
   * (drawn once per whole second); otherwise it equals `meanRpsAt`.
   */
  readonly rpsAt: (tSeconds: number) => number;
  /** The noise-free rate (the shape times `scale`). Absent on hand-written `Traffic` objects. */
  readonly meanRpsAt?: (tSeconds: number) => number;
  /** The spec's noise model, which `sampleArrivals` applies. Absent means Poisson. */
  readonly noise?: NoiseSpec;
}

/** Options of `createTraffic`. */
export interface CreateTrafficOptions {
  /** Draws the per-second noise of `rpsAt` when the spec has `noise`; use the run's seeded RNG. */
  readonly rng?: Rng;
  /** Samples of a `trace` spec with a `file`, or of a `prometheus` spec, loaded by the caller. */
  readonly points?: readonly TracePoint[];
}

type RateFn = (tSeconds: number) => number;

/**
 * Compiles a traffic spec into a `Traffic`. The spec is validated and completed with defaults
 * first (a parsed spec passes unchanged), so literal specs in code may omit defaulted fields.
 *
 * @throws {InputError} when the spec is invalid (file `traffic`)
 * @throws {TypeError} when a `trace` with `file` or a `prometheus` spec comes without `points`
 * @throws {RangeError} when `points` are empty, unordered, or have a negative or non-finite value
 * @example
 * const traffic = createTraffic({ type: 'traffic-spike' });
 * traffic.rpsAt(0);   // -> 10  (base)
 * traffic.rpsAt(330); // -> 40  (peak, reached at startSeconds + rampSeconds)
 */
export function createTraffic(spec: TrafficSpecInput, options: CreateTrafficOptions = {}): Traffic {
  const parsed = parseTrafficSpec(spec);
  const mean = compileShape(parsed, options.points);
  const noise = parsed.noise;
  if (noise === undefined) return { rpsAt: mean, meanRpsAt: mean };
  const rng = options.rng;
  if (rng === undefined) return { rpsAt: mean, meanRpsAt: mean, noise };
  return { rpsAt: noisyRate(mean, noise, rng), meanRpsAt: mean, noise };
}

/**
 * Draws the integer number of arrivals in [`tSeconds`, `tSeconds + dtSeconds`): the expected
 * count is the noise-free rate integrated over the window (midpoint rule on ≤ 1 s slices, exact
 * on slices inside one linear piece of a shape), then Poisson noise (default) or gaussian noise
 * with the spec's `cv` per second (so `cv / sqrt(dt)` over `dt` seconds, stochastically rounded).
 *
 * @throws {RangeError} when `dtSeconds` is negative or not finite
 * @example
 * const rng = createSeededRng(1);
 * sampleArrivals(createTraffic({ type: 'ramp', fromRps: 20, toRps: 20 }), 0, 1, rng); // -> about 20
 */
export function sampleArrivals(traffic: Traffic, tSeconds: number, dtSeconds: number, rng: Rng): number {
  if (!(dtSeconds >= 0) || dtSeconds === Infinity) {
    throw new RangeError(`Cannot sample arrivals as 'dtSeconds' must be a finite number ≥ 0: got ${dtSeconds}`);
  }
  if (dtSeconds === 0) return 0;
  let expected: number;
  if (dtSeconds <= 1) {
    expected = meanAt(traffic, tSeconds + dtSeconds / 2) * dtSeconds;
  } else {
    const slices = Math.ceil(dtSeconds);
    const h = dtSeconds / slices;
    expected = 0;
    for (let i = 0; i < slices; i++) expected += meanAt(traffic, tSeconds + (i + 0.5) * h);
    expected *= h;
  }
  if (!(expected > 0)) return 0;
  const noise = traffic.noise;
  if (noise === undefined || noise.type === 'poisson') return samplePoisson(rng, expected);
  const sd = (noise.cv * expected) / Math.sqrt(dtSeconds > 1 ? dtSeconds : 1);
  const x = sampleNormal(rng, expected, sd);
  if (!(x > 0)) return 0;
  const whole = Math.floor(x);
  return rng() < x - whole ? whole + 1 : whole;
}

// ---------------------------------------------------------------------------------------------

/** The noise-free rate, called as a method so hand-written `Traffic` objects may use `this`. */
function meanAt(traffic: Traffic, tSeconds: number): number {
  return traffic.meanRpsAt !== undefined ? traffic.meanRpsAt(tSeconds) : traffic.rpsAt(tSeconds);
}

function noisyRate(mean: RateFn, noise: NoiseSpec, rng: Rng): RateFn {
  let second = Number.NaN;
  if (noise.type === 'poisson') {
    // The realized rate of a second is its Poisson count: requests arrive in whole numbers.
    let count = 0;
    return (t) => {
      const s = Math.floor(t);
      if (s !== second) {
        second = s;
        count = samplePoisson(rng, mean(s + 0.5));
      }
      return count;
    };
  }
  const cv = noise.cv;
  let factor = 1;
  return (t) => {
    const s = Math.floor(t);
    if (s !== second) {
      second = s;
      const f = 1 + cv * sampleNormal(rng);
      factor = f > 0 ? f : 0;
    }
    return mean(t) * factor;
  };
}

function compileShape(spec: TrafficSpec, points: readonly TracePoint[] | undefined): RateFn {
  const k = spec.scale;
  switch (spec.type) {
    case 'traffic-spike':
      return spike(spec, k);
    case 'constant':
      return linear(spec.rps * k, spec.rps * k, 0, 0);
    case 'gradual-decline':
      return linear(spec.fromRps * k, spec.toRps * k, spec.startSeconds, spec.declineSeconds);
    case 'ramp':
      return linear(spec.fromRps * k, spec.toRps * k, spec.startSeconds, spec.durationSeconds);
    case 'off-hours':
      return offHours(spec, k);
    case 'diurnal':
      return diurnal(spec, k);
    case 'step':
      return piecewise(
        spec.steps.map((s) => ({ t: s.atSeconds, rps: s.rps })),
        { interpolation: 'step', scale: k, before: spec.initialRps * k, repeatSeconds: undefined },
      );
    case 'trace':
    case 'prometheus': {
      const samples = spec.type === 'trace' && spec.points !== undefined ? spec.points : points;
      if (samples === undefined) {
        const source = spec.type === 'trace' ? `file '${spec.file ?? ''}'` : `query '${spec.query}'`;
        throw new TypeError(
          `Cannot create '${spec.type}' traffic from ${source}: the caller must load it and pass 'options.points'`,
        );
      }
      return piecewise(samples, {
        interpolation: spec.interpolation,
        scale: k,
        before: undefined,
        repeatSeconds: spec.repeatSeconds,
      });
    }
  }
}

/** Interpolation between values ≥ 0 can round to -1e-16: rates are never negative. */
function atLeastZero(rps: number): number {
  return rps > 0 ? rps : 0;
}

function spike(spec: TrafficSpecOf<'traffic-spike'>, k: number): RateFn {
  const base = spec.baseRps * k;
  const peak = spec.peakRps * k;
  const t0 = spec.startSeconds;
  const t1 = t0 + spec.rampSeconds;
  const t2 = t1 + spec.holdSeconds;
  const t3 = t2 + spec.decaySeconds;
  // Branches are only reached when their duration is > 0, so the slopes never divide by zero.
  const up = spec.rampSeconds > 0 ? (peak - base) / spec.rampSeconds : 0;
  const down = spec.decaySeconds > 0 ? (base - peak) / spec.decaySeconds : 0;
  return (t) => (t < t0 ? base : t < t1 ? atLeastZero(base + up * (t - t0)) : t < t2 ? peak : t < t3 ? atLeastZero(peak + down * (t - t2)) : base);
}

function linear(from: number, to: number, start: number, durationSeconds: number): RateFn {
  const end = start + durationSeconds;
  const slope = durationSeconds > 0 ? (to - from) / durationSeconds : 0;
  return (t) => (t < start ? from : t < end ? atLeastZero(from + slope * (t - start)) : to);
}

function offHours(spec: TrafficSpecOf<'off-hours'>, k: number): RateFn {
  const day = spec.dayRps * k;
  const night = spec.nightRps * k;
  const p = spec.periodSeconds;
  const start = spec.nightStartSeconds;
  const nightSeconds = (spec.nightEndSeconds - start + p) % p;
  const tr = spec.transitionSeconds;
  const fall = tr > 0 ? (night - day) / tr : 0;
  const rise = -fall;
  return (t) => {
    // Time since the night started, in [0, p]: one floored remainder handles the wrap around
    // midnight (d = p can only come from rounding, and gives the same value as d = 0).
    const x = t - start;
    const d = x - Math.floor(x / p) * p;
    if (d < nightSeconds) return d < tr ? atLeastZero(day + fall * d) : night;
    const e = d - nightSeconds;
    return e < tr ? atLeastZero(night + rise * e) : day;
  };
}

/**
 * Nodes of the cosine table `diurnal` interpolates linearly: the error is at most
 * (2π / 16384)² / 8 ≈ 1.8e-8 of the amplitude (under 1e-6 rps for any realistic day), and a call
 * costs a third of `Math.cos` (which V8 runs in ~30 ns).
 */
const COS_TABLE_SIZE = 16_384;
let cosTable: Float64Array | undefined;

function unitCosTable(): Float64Array {
  if (cosTable === undefined) {
    // Two extra nodes (cos 2π, cos 2π + step) cover x rounding up to exactly COS_TABLE_SIZE.
    cosTable = new Float64Array(COS_TABLE_SIZE + 2);
    for (let i = 0; i < cosTable.length; i++) cosTable[i] = Math.cos((2 * Math.PI * i) / COS_TABLE_SIZE);
  }
  return cosTable;
}

function diurnal(spec: TrafficSpecOf<'diurnal'>, k: number): RateFn {
  const mid = ((spec.maxRps + spec.minRps) / 2) * k;
  const half = ((spec.maxRps - spec.minRps) / 2) * k;
  const perSecond = COS_TABLE_SIZE / spec.periodSeconds;
  const peak = spec.peakAtSeconds;
  const table = unitCosTable();
  return (t) => {
    // Position in the period, in table nodes: [0, COS_TABLE_SIZE).
    let x = (t - peak) * perSecond;
    x -= Math.floor(x / COS_TABLE_SIZE) * COS_TABLE_SIZE;
    const i = x | 0;
    const a = table[i]!;
    return atLeastZero(mid + half * (a + (table[i + 1]! - a) * (x - i)));
  };
}

interface PiecewiseOptions {
  readonly interpolation: 'step' | 'linear';
  readonly scale: number;
  /** Value before the first sample; `undefined` holds the first sample's value. */
  readonly before: number | undefined;
  readonly repeatSeconds: number | undefined;
}

/** Number of samples the cursor walks forward before it falls back to a binary search. */
const CURSOR_WALK = 4;

function piecewise(samples: readonly TracePoint[], options: PiecewiseOptions): RateFn {
  checkSamples(samples);
  const n0 = samples.length;
  const t0 = samples[0]!.t;
  const repeat = options.repeatSeconds;
  // With repeat, a virtual sample at t0 + repeat closes the loop back to the first value.
  const closeLoop = repeat !== undefined && t0 + repeat > samples[n0 - 1]!.t;
  const n = closeLoop ? n0 + 1 : n0;
  const ts = new Float64Array(n);
  const vs = new Float64Array(n);
  for (let i = 0; i < n0; i++) {
    ts[i] = samples[i]!.t;
    vs[i] = samples[i]!.rps * options.scale;
  }
  if (closeLoop) {
    ts[n0] = t0 + repeat;
    vs[n0] = vs[0]!;
  }
  const first = vs[0]!;
  const before = options.before ?? first;
  const last = vs[n - 1]!;
  const tLast = ts[n - 1]!;
  const step = options.interpolation === 'step';
  const slopes = new Float64Array(n);
  for (let i = 0; i + 1 < n; i++) slopes[i] = (vs[i + 1]! - vs[i]!) / (ts[i + 1]! - ts[i]!);

  // Invariant between calls: ts[cursor] <= t < ts[cursor + 1] for the last t looked up, so
  // increasing times walk forward a step at a time; jumps fall back to a binary search.
  let cursor = 0;
  const lookup = (t: number): number => {
    if (t < t0) return before;
    if (t >= tLast) return last;
    let i = cursor;
    if (t < ts[i]!) {
      i = search(ts, t, 0, i);
    } else if (t >= ts[i + 1]!) {
      // t < tLast = ts[n - 1], so the walk stops at n - 2 at the latest.
      let walked = 0;
      do {
        i++;
        walked++;
      } while (walked < CURSOR_WALK && t >= ts[i + 1]!);
      if (t >= ts[i + 1]!) i = search(ts, t, i, n - 2);
    }
    cursor = i;
    return step ? vs[i]! : atLeastZero(vs[i]! + slopes[i]! * (t - ts[i]!));
  };
  if (repeat === undefined) return lookup;
  return (t) => {
    if (t < t0) return before;
    // Floor-based remainder: `%` on doubles is a runtime call, this stays inline.
    const x = t - t0;
    return lookup(t0 + (x - Math.floor(x / repeat) * repeat));
  };
}

/** Largest i in [lo, hi] with ts[i] <= t, given ts[lo] <= t. */
function search(ts: Float64Array, t: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (ts[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function checkSamples(samples: readonly TracePoint[]): void {
  if (samples.length === 0) {
    throw new RangeError(`Cannot create trace traffic as 'points' must list at least one sample: got none`);
  }
  let previous = -Infinity;
  for (let i = 0; i < samples.length; i++) {
    const { t, rps } = samples[i]!;
    if (!Number.isFinite(t) || !(t > previous)) {
      throw new RangeError(`Cannot create trace traffic as 'points[${i}].t' must be finite and > ${previous}: got ${t}`);
    }
    if (!(rps >= 0) || rps === Infinity) {
      throw new RangeError(`Cannot create trace traffic as 'points[${i}].rps' must be a finite number ≥ 0: got ${rps}`);
    }
    previous = t;
  }
}
