/**
 * What traffic a simulation sees, as data: a discriminated union on `type` validated with zod, so
 * the scenario schema can embed `trafficSpecSchema` and JSON Schema can be generated from it.
 *
 * Default numbers model the seeds' Lightning ASR service: HPA target of 5 `asr_active_requests`
 * per pod, `minReplicas: 1`, `maxReplicas: 10`, and (an assumption of ours) about 1 s of mean
 * service time per request, so by Little's law 1 rps ≈ 1 active request and 5 rps ≈ one pod at
 * target. Each default below is chosen so the seed's "Scaling Scenarios" happen within the 10 pods.
 */
import { z } from 'zod';
import { InputError, joinPath, parsePrometheusDuration, PROMETHEUS_DURATION_PATTERN, unknownFieldMessage } from '../core/index.js';

/** The `type` values a traffic spec may have, in the order error messages list them. */
export const TRAFFIC_TYPES = [
  'constant',
  'traffic-spike',
  'gradual-decline',
  'off-hours',
  'diurnal',
  'step',
  'ramp',
  'trace',
  'prometheus',
] as const;

/** One of `TRAFFIC_TYPES`. */
export type TrafficType = (typeof TRAFFIC_TYPES)[number];

/**
 * Defaults of every built-in shape (rps = requests per second, seconds from the start of the run).
 * Pod counts in comments are at 5 rps per pod (see the module comment).
 */
export const TRAFFIC_DEFAULTS = {
  /** Seed scenario 1: a sudden burst that the 100%-or-2-pods scale-up policy must catch. */
  'traffic-spike': {
    baseRps: 10, // 2 pods
    peakRps: 40, // 8 pods: 2 -> 4 -> 8 in two 15 s policy periods
    startSeconds: 300, // 5 min of steady state first, so the scale-down window is full
    rampSeconds: 30, // "sudden": peak within two HPA syncs
    holdSeconds: 600, // 10 min at peak
    decaySeconds: 60,
  },
  /** Seed scenario 2: traffic decreasing after peak hours, against the 300 s scale-down window. */
  'gradual-decline': {
    fromRps: 45, // 9 pods
    toRps: 5, // 1 pod
    startSeconds: 300,
    declineSeconds: 3600, // one hour: slower than the 1-pod-per-minute scale-down limit
  },
  /** Seed scenario 3: no traffic at night, scale to `minReplicas: 1` and back in the morning. */
  'off-hours': {
    dayRps: 30, // 6 pods
    nightRps: 0, // "no traffic during night"
    nightStartSeconds: 22 * 3600, // 22:00, traffic starts falling
    nightEndSeconds: 6 * 3600, // 06:00, traffic starts rising (the night wraps midnight)
    periodSeconds: 86_400,
    transitionSeconds: 600, // 10 min linear fall and rise
  },
  /** A smooth day: cosine between a night trough and an afternoon peak. */
  diurnal: {
    minRps: 5, // 1 pod
    maxRps: 45, // 9 pods
    peakAtSeconds: 14 * 3600, // 14:00
    periodSeconds: 86_400,
  },
  step: { initialRps: 0 },
  ramp: { fromRps: 0, toRps: 50, startSeconds: 0, durationSeconds: 600 },
  trace: { interpolation: 'linear' },
  prometheus: { stepSeconds: 60, range: '1d', interpolation: 'linear' },
  /** Coefficient of variation of `{ type: 'gaussian' }` noise when `cv` is omitted. */
  gaussianCv: 0.1,
} as const;

// ---------------------------------------------------------------------------------------------
// Field helpers: messages say what is expected and what was given, as `src/spec` errors do.

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return 'nothing';
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Requests per second a shape may ask for: a limit of hpa-lab's workload model. */
export const MAX_TRAFFIC_RPS = 1_000_000;
/** Largest time offset or span in a shape, in seconds (about 317 years). */
export const MAX_TRAFFIC_SECONDS = 1e10;

function numberField(expect: string, min: number | undefined, exclusive = false, max?: number): z.ZodNumber {
  const message = (issue: { input?: unknown }): string => `must be ${expect}: got ${show(issue.input)}`;
  let base = z.number({ error: message });
  if (max !== undefined) base = base.lte(max, { error: message });
  if (min === undefined) return base;
  return exclusive ? base.gt(min, { error: message }) : base.gte(min, { error: message });
}
const rps = (): z.ZodNumber => numberField(`a number from 0 to ${MAX_TRAFFIC_RPS} rps (a limit of hpa-lab's workload model)`, 0, false, MAX_TRAFFIC_RPS);
const seconds = (): z.ZodNumber => numberField(`a number of seconds from -${MAX_TRAFFIC_SECONDS} to ${MAX_TRAFFIC_SECONDS}`, -MAX_TRAFFIC_SECONDS, false, MAX_TRAFFIC_SECONDS);
const duration = (): z.ZodNumber => numberField(`a number of seconds from 0 to ${MAX_TRAFFIC_SECONDS}`, 0, false, MAX_TRAFFIC_SECONDS);
const period = (): z.ZodNumber => numberField(`a number of seconds > 0 and <= ${MAX_TRAFFIC_SECONDS}`, 0, true, MAX_TRAFFIC_SECONDS);
const factor = (max: number): z.ZodNumber => numberField(`a number from 0 to ${max}`, 0, false, max);

/** `z.strictObject` whose unknown-key message lists the allowed fields. */
function strict<T extends z.ZodRawShape>(shape: T): z.ZodObject<T, z.core.$strict> {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownFieldMessage(String(issue.keys[0] ?? ''), allowed) : undefined),
  });
}

/**
 * Parses a Prometheus duration (`6h`, `1h30m`, `500ms`) into seconds, with the grammar of
 * `parsePrometheusDuration` in `src/core/duration.ts`.
 *
 * @throws {SyntaxError} when the text is not a Prometheus duration
 * @example parseDurationSeconds('1h30m'); // -> 5400
 */
export function parseDurationSeconds(text: string): number {
  try {
    return parsePrometheusDuration(text) / 1000;
  } catch (error) {
    throw new SyntaxError(`Cannot parse duration: expected a Prometheus duration like "6h" or "1h30m": got ${show(text)}`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

/** Per-second randomness on top of the shape: Poisson counts, or a gaussian multiplier. */
export const noiseSpecSchema = z.discriminatedUnion(
  'type',
  [
    strict({ type: z.literal('poisson') }),
    strict({
      type: z.literal('gaussian'),
      /** Standard deviation of the per-second rate divided by its mean. */
      cv: factor(10).default(TRAFFIC_DEFAULTS.gaussianCv),
    }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `'type' must be one of poisson, gaussian: got ${show((issue.input as { type?: unknown } | undefined)?.type)}`
        : undefined,
  },
);
/** Parsed noise spec. */
export type NoiseSpec = z.output<typeof noiseSpecSchema>;

const common = {
  /** Per-second noise; without it `rpsAt` is the smooth shape and arrivals are Poisson. */
  noise: noiseSpecSchema.optional(),
  /** Multiplier applied to every rate of the shape (2 doubles the traffic). */
  scale: factor(1000).default(1),
};

/** One sample of a trace: `t` seconds from the start of the run, `rps` requests per second. */
export const tracePointSchema = strict({ t: seconds(), rps: rps() });
/** A trace sample. */
export interface TracePoint {
  readonly t: number;
  readonly rps: number;
}

const interpolation = z.enum(['step', 'linear'], {
  error: (issue) => `must be "step" or "linear": got ${show(issue.input)}`,
});

/** Adds an issue at `path` unless times in `items` are strictly increasing. */
function checkIncreasing(items: readonly { readonly t: number }[], key: string, ctx: z.RefinementCtx, field: string): void {
  for (let i = 1; i < items.length; i++) {
    const previous = items[i - 1]!.t;
    const current = items[i]!.t;
    if (!(current > previous)) {
      ctx.addIssue({
        code: 'custom',
        path: [field, i, key],
        message: `times must be strictly increasing: got ${current} after ${previous}`,
        input: current,
      });
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The shapes

const D = TRAFFIC_DEFAULTS;

/** The same rate all the time: `rps` requests per second (plus `noise`). */
export const constantSchema = strict({
  type: z.literal('constant'),
  rps: rps(),
  ...common,
});

/**
 * Seed scenario 1. `baseRps` until `startSeconds`, linear rise to `peakRps` over `rampSeconds`
 * (peak reached at `startSeconds + rampSeconds`), `holdSeconds` at peak, linear fall back to
 * `baseRps` over `decaySeconds`. Defaults: 10 -> 40 rps (2 -> 8 pods) at 300 s, 30 s ramp,
 * 600 s hold, 60 s decay.
 */
export const trafficSpikeSchema = strict({
  type: z.literal('traffic-spike'),
  baseRps: rps().default(D['traffic-spike'].baseRps),
  peakRps: rps().default(D['traffic-spike'].peakRps),
  startSeconds: seconds().default(D['traffic-spike'].startSeconds),
  rampSeconds: duration().default(D['traffic-spike'].rampSeconds),
  holdSeconds: duration().default(D['traffic-spike'].holdSeconds),
  decaySeconds: duration().default(D['traffic-spike'].decaySeconds),
  ...common,
});

/**
 * Seed scenario 2. `fromRps` until `startSeconds`, then linear to `toRps` over `declineSeconds`,
 * then `toRps`. Defaults: 45 -> 5 rps (9 -> 1 pods) over one hour from 300 s.
 */
export const gradualDeclineSchema = strict({
  type: z.literal('gradual-decline'),
  fromRps: rps().default(D['gradual-decline'].fromRps),
  toRps: rps().default(D['gradual-decline'].toRps),
  startSeconds: seconds().default(D['gradual-decline'].startSeconds),
  declineSeconds: duration().default(D['gradual-decline'].declineSeconds),
  ...common,
});

/**
 * Seed scenario 3, repeating every `periodSeconds`. At `nightStartSeconds` (phase in the period)
 * the rate falls linearly from `dayRps` to `nightRps` over `transitionSeconds`; at
 * `nightEndSeconds` it rises back the same way. The night may wrap around the period's end
 * (22:00 -> 06:00). Defaults: 30 rps by day (6 pods), 0 at night, 22:00-06:00, 10 min transitions.
 */
export const offHoursSchema = strict({
  type: z.literal('off-hours'),
  dayRps: rps().default(D['off-hours'].dayRps),
  nightRps: rps().default(D['off-hours'].nightRps),
  nightStartSeconds: duration().default(D['off-hours'].nightStartSeconds),
  nightEndSeconds: duration().default(D['off-hours'].nightEndSeconds),
  periodSeconds: period().default(D['off-hours'].periodSeconds),
  transitionSeconds: duration().default(D['off-hours'].transitionSeconds),
  ...common,
}).superRefine((spec, ctx) => {
  const { nightStartSeconds: start, nightEndSeconds: end, periodSeconds: p, transitionSeconds: tr } = spec;
  for (const [field, value] of [['nightStartSeconds', start], ['nightEndSeconds', end]] as const) {
    if (value >= p) {
      ctx.addIssue({ code: 'custom', path: [field], message: `must be < 'periodSeconds' (${p}): got ${value}`, input: value });
      return;
    }
  }
  if (start === end) {
    ctx.addIssue({ code: 'custom', path: ['nightEndSeconds'], message: `must differ from 'nightStartSeconds': got ${end}`, input: end });
    return;
  }
  const nightSeconds = (end - start + p) % p;
  const daySeconds = p - nightSeconds;
  if (tr > nightSeconds || tr > daySeconds) {
    ctx.addIssue({
      code: 'custom',
      path: ['transitionSeconds'],
      message: `must fit in the night (${nightSeconds} s) and the day (${daySeconds} s): got ${tr}`,
      input: tr,
    });
  }
});

/**
 * A smooth day: `minRps + (maxRps - minRps) * (1 + cos(2π (t - peakAtSeconds) / periodSeconds)) / 2`.
 * Defaults: 5 -> 45 rps (1 -> 9 pods), peak at 14:00, trough at 02:00.
 */
export const diurnalSchema = strict({
  type: z.literal('diurnal'),
  minRps: rps().default(D.diurnal.minRps),
  maxRps: rps().default(D.diurnal.maxRps),
  peakAtSeconds: seconds().default(D.diurnal.peakAtSeconds),
  periodSeconds: period().default(D.diurnal.periodSeconds),
  ...common,
}).superRefine((spec, ctx) => {
  if (spec.maxRps < spec.minRps) {
    ctx.addIssue({ code: 'custom', path: ['maxRps'], message: `must be ≥ 'minRps' (${spec.minRps}): got ${spec.maxRps}`, input: spec.maxRps });
  }
});

/**
 * Piecewise constant: `rps` from each step's `atSeconds` until the next step; `initialRps`
 * (default 0) before the first. Step times must be strictly increasing.
 */
export const stepSchema = strict({
  type: z.literal('step'),
  steps: z.array(strict({ atSeconds: seconds(), rps: rps() })).min(1, { error: 'must list at least one step' }),
  initialRps: rps().default(D.step.initialRps),
  ...common,
}).superRefine((spec, ctx) => {
  checkIncreasing(spec.steps.map((s) => ({ t: s.atSeconds })), 'atSeconds', ctx, 'steps');
});

/** `fromRps` until `startSeconds`, linear to `toRps` over `durationSeconds`, then `toRps`. Defaults: 0 -> 50 rps over 10 min. */
export const rampSchema = strict({
  type: z.literal('ramp'),
  fromRps: rps().default(D.ramp.fromRps),
  toRps: rps().default(D.ramp.toRps),
  startSeconds: seconds().default(D.ramp.startSeconds),
  durationSeconds: duration().default(D.ramp.durationSeconds),
  ...common,
});

const traceShape = {
  /** How to fill between samples: hold the previous value (`step`) or draw a line (`linear`, default). */
  interpolation: interpolation.default(D.trace.interpolation),
  /**
   * Replays the trace every `repeatSeconds` from its first sample; between the last sample and
   * the wrap it returns to the first value (linearly, or held with `step`). Without it the first
   * value holds before the trace and the last one after it.
   */
  repeatSeconds: period().optional(),
};

/**
 * A recorded trace: inline `points`, or a CSV/JSON `file` that the CLI reads and parses (see
 * `trace-file.ts`) and passes to `createTraffic` as `points`. Exactly one of the two.
 */
export const traceSchema = strict({
  type: z.literal('trace'),
  file: z.string({ error: (i) => `must be a file path: got ${show(i.input)}` }).min(1, { error: 'must be a file path: got ""' }).optional(),
  points: z.array(tracePointSchema).min(1, { error: 'must list at least one point' }).optional(),
  ...traceShape,
  ...common,
}).superRefine((spec, ctx) => {
  if ((spec.file === undefined) === (spec.points === undefined)) {
    ctx.addIssue({ code: 'custom', path: [], message: `must have exactly one of 'file' or 'points': got ${spec.file === undefined ? 'neither' : 'both'}` });
    return;
  }
  if (spec.points) checkIncreasing(spec.points, 't', ctx, 'points');
});

/**
 * Traffic imported from Prometheus with a `query_range` (the query should give requests per
 * second, e.g. `sum(rate(asr_requests_total[1m]))`; several series are summed). The CLI resolves
 * it before the run (I/O, see `importTrafficFromPrometheus`) and passes the samples as `points`,
 * with `t` relative to the window's start. The window is `startSeconds`..`endSeconds` (Unix
 * seconds) or the last `range` (a Prometheus duration, default `1d`) before the import.
 */
export const prometheusTrafficSchema = strict({
  type: z.literal('prometheus'),
  url: z.url({ protocol: /^https?$/, error: (i) => `must be an http(s) URL: got ${show(i.input)}` }),
  query: z.string({ error: (i) => `must be a PromQL expression: got ${show(i.input)}` }).min(1, { error: 'must be a PromQL expression: got ""' }),
  stepSeconds: numberField('a number of seconds from 1 to 86400', 1, false, 86_400).default(D.prometheus.stepSeconds),
  startSeconds: seconds().optional(),
  endSeconds: seconds().optional(),
  range: z
    .string({ error: (i) => `must be a Prometheus duration like "6h": got ${show(i.input)}` })
    .regex(PROMETHEUS_DURATION_PATTERN, { error: (i) => `must be a Prometheus duration like "6h": got ${show(i.input)}` })
    .optional(),
  ...traceShape,
  ...common,
}).superRefine((spec, ctx) => {
  const hasStart = spec.startSeconds !== undefined;
  const hasEnd = spec.endSeconds !== undefined;
  if (hasStart !== hasEnd) {
    ctx.addIssue({ code: 'custom', path: [hasStart ? 'endSeconds' : 'startSeconds'], message: `is required with '${hasStart ? 'startSeconds' : 'endSeconds'}'` });
  } else if (hasStart && spec.range !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['range'], message: `must not be set with 'startSeconds' and 'endSeconds': got ${show(spec.range)}` });
  } else if (hasStart && !(spec.endSeconds! > spec.startSeconds!)) {
    ctx.addIssue({ code: 'custom', path: ['endSeconds'], message: `must be > 'startSeconds' (${spec.startSeconds}): got ${spec.endSeconds}`, input: spec.endSeconds });
  }
});

/**
 * The traffic spec: a discriminated union on `type` (see `TRAFFIC_TYPES`). An unknown or missing
 * `type` fails with a message listing the known ones.
 *
 * @example
 * trafficSpecSchema.parse({ type: 'traffic-spike', peakRps: 60 });
 * // -> { type: 'traffic-spike', baseRps: 10, peakRps: 60, startSeconds: 300, rampSeconds: 30, ... , scale: 1 }
 */
export const trafficSpecSchema = z.discriminatedUnion(
  'type',
  [constantSchema, trafficSpikeSchema, gradualDeclineSchema, offHoursSchema, diurnalSchema, stepSchema, rampSchema, traceSchema, prometheusTrafficSchema],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `'type' must be one of ${TRAFFIC_TYPES.join(', ')}: got ${show((issue.input as { type?: unknown } | undefined)?.type)}`
        : issue.code === 'invalid_type'
          ? `must be an object with a 'type' (one of ${TRAFFIC_TYPES.join(', ')}): got ${show(issue.input)}`
          : undefined,
  },
);

/** A parsed traffic spec, defaults applied. */
export type TrafficSpec = z.output<typeof trafficSpecSchema>;
/** A traffic spec as written (defaults optional). */
export type TrafficSpecInput = z.input<typeof trafficSpecSchema>;
/** The parsed spec of one `type`. */
export type TrafficSpecOf<T extends TrafficType> = Extract<TrafficSpec, { type: T }>;
/** Parsed `prometheus` traffic spec. */
export type PrometheusTrafficSpec = TrafficSpecOf<'prometheus'>;

/**
 * Validates a traffic spec and applies defaults.
 *
 * @throws {InputError} code `schema`, naming `file` and the field path under `path`
 * @example
 * parseTrafficSpec({ type: 'burst' }, { file: 'scenario.yaml', path: 'traffic' });
 * // throws: Cannot load 'scenario.yaml' at 'traffic.type': 'type' must be one of traffic-spike, ...: got "burst"
 */
export function parseTrafficSpec(input: unknown, options: { file?: string; path?: string } = {}): TrafficSpec {
  const result = trafficSpecSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0]!;
  const keyPath = issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [issue.keys[0]] : [];
  const base = options.path ? [options.path] : [];
  throw new InputError('schema', options.file ?? 'traffic', joinPath([...base, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), ...keyPath]), issue.message);
}

/**
 * The `query_range` window of a `prometheus` spec: its explicit `startSeconds`/`endSeconds`, or
 * the last `range` (default `1d`) ending at `nowSeconds`, which the caller reads from its clock.
 *
 * @example resolvePrometheusWindow({ ...spec, range: '6h' }, 1_700_000_000);
 * // -> { startSec: 1699978400, endSec: 1700000000, stepSec: 60 }
 */
export function resolvePrometheusWindow(
  spec: PrometheusTrafficSpec,
  nowSeconds: number,
): { startSec: number; endSec: number; stepSec: number } {
  if (spec.startSeconds !== undefined && spec.endSeconds !== undefined) {
    return { startSec: spec.startSeconds, endSec: spec.endSeconds, stepSec: spec.stepSeconds };
  }
  const endSec = Math.floor(nowSeconds);
  return { startSec: endSec - parseDurationSeconds(spec.range ?? D.prometheus.range), endSec, stepSec: spec.stepSeconds };
}
