/**
 * The ranges hpa-lab accepts for numbers, in one place, each with where it comes from: the
 * Kubernetes API (int32 replicas, 1..1800 s policy periods), a component's flag, or this
 * machine (pods the simulator holds, points a plot draws). Error messages quote the range and
 * its reason, so a value Kubernetes allows but hpa-lab cannot simulate is refused with the limit
 * stated as hpa-lab's, not as a crash.
 */
import { describeValue } from '../core/index.js';
import { INT32_MAX } from './hpa-schema.js';

/** One closed range with its unit and the reason it exists. */
export interface NumberRange {
  readonly min: number;
  readonly max: number;
  /** `s`, `rps`, `replicas`, ... (shown after the range). */
  readonly unit?: string;
  /** Where the range comes from: `the HPA controller's flag range`, `a limit of hpa-lab: ...`. */
  readonly why?: string;
  /** Whether the value must be an integer. */
  readonly integer?: boolean;
  /** Whether `min` itself is excluded (`> 0`). */
  readonly exclusiveMin?: boolean;
}

/** Pods one simulation may hold per service: a limit of hpa-lab (memory and time), not of Kubernetes. */
export const SIM_MAX_PODS = 10_000;
/** Pods `explain` observes one by one: a limit of hpa-lab. */
export const EXPLAIN_MAX_REPLICAS = 100_000;
/** Longest simulated time, in seconds (366 days): a limit of hpa-lab. */
export const SIM_MAX_DURATION_SECONDS = 366 * 86_400;
/** Most traffic steps one run computes (duration / stepSeconds): a limit of hpa-lab. */
export const SIM_MAX_STEPS = 40_000_000;
/** Requests per second a traffic shape may ask for: a limit of hpa-lab's workload model. */
export const SIM_MAX_RPS = 1_000_000;
/** Largest time offset in a traffic shape, in seconds (about 317 years). */
export const SIM_MAX_TIME_SECONDS = 1e10;

const HPA_LAB = 'a limit of hpa-lab';

/** Named ranges used by more than one loader. */
export const RANGES = {
  syncPeriodSeconds: { min: 1, max: 3600, unit: 's', why: "hpa-lab's range for the controller's --horizontal-pod-autoscaler-sync-period" },
  scrapeIntervalSeconds: { min: 1, max: 3600, unit: 's', why: "hpa-lab's range for Prometheus' scrape_interval" },
  pipelineSeconds: { min: 0, max: 3600, unit: 's' },
  lookbackSeconds: { min: 1, max: 86_400, unit: 's' },
  duration: { min: 0, max: SIM_MAX_DURATION_SECONDS, unit: 's', exclusiveMin: true, why: `${HPA_LAB}: 366 days of simulated time` },
  stepSeconds: { min: 0.001, max: 60, unit: 's', why: `${HPA_LAB}: traffic resolution from 1 ms to 1 min` },
  pods: { min: 0, max: SIM_MAX_PODS, integer: true, unit: 'pods', why: `${HPA_LAB}: pods one simulated service holds; Kubernetes allows up to ${INT32_MAX}` },
  rps: { min: 0, max: SIM_MAX_RPS, unit: 'rps', why: `${HPA_LAB}: requests per second the workload model generates` },
  timeSeconds: { min: -SIM_MAX_TIME_SECONDS, max: SIM_MAX_TIME_SECONDS, unit: 's' },
  componentSeconds: { min: 0, max: 86_400, unit: 's' },
  explainReplicas: { min: 0, max: EXPLAIN_MAX_REPLICAS, integer: true, why: `${HPA_LAB}: pods explain observes one by one; Kubernetes allows up to ${INT32_MAX}` },
  port: { min: 0, max: 65_535, integer: true, why: 'a TCP port' },
} as const satisfies Record<string, NumberRange>;

/** `1..3600 s (the HPA controller's flag range)`: the range as messages show it. */
export function describeRange(range: NumberRange): string {
  const kind = range.integer ? 'an integer ' : '';
  const low = range.exclusiveMin ? `> ${range.min} and <= ${range.max}` : `${range.min}..${range.max}`;
  return `${kind}${low}${range.unit ? ` ${range.unit}` : ''}${range.why ? ` (${range.why})` : ''}`;
}

/** Whether `value` is a number inside `range`. */
export function isInRange(value: unknown, range: NumberRange): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (range.integer && !Number.isInteger(value)) return false;
  if (range.exclusiveMin ? value <= range.min : value < range.min) return false;
  return value <= range.max;
}

/**
 * `expected 1..3600 s (...), got 1e16` when `value` is outside `range`, else undefined.
 *
 * @example checkRange(1e16, RANGES.syncPeriodSeconds)
 * // -> "expected 1..3600 s (hpa-lab's range for the controller's --horizontal-pod-autoscaler-sync-period), got 1e16"
 */
export function checkRange(value: unknown, range: NumberRange): string | undefined {
  return isInRange(value, range) ? undefined : `expected ${describeRange(range)}, got ${describeValue(value)}`;
}
