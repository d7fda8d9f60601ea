import { InputError } from '../../core/index.js';

/**
 * Checks a numeric load option.
 *
 * @throws {InputError} naming the option when the value is not finite, out of range, or not an integer when required
 */
export function checkOption(
  field: string,
  value: number,
  range: { readonly min: number; readonly max: number; readonly integer?: boolean; readonly exclusiveMin?: boolean },
): void {
  const belowMin = range.exclusiveMin === true ? !(value > range.min) : !(value >= range.min);
  if (!Number.isFinite(value) || belowMin || value > range.max || (range.integer === true && !Number.isInteger(value))) {
    const kind = range.integer === true ? 'an integer' : 'a number';
    const lower = range.exclusiveMin === true ? `> ${range.min}` : `>= ${range.min}`;
    throw new InputError('schema', 'load options', field, `must be ${kind} ${lower} and <= ${range.max}: got ${value}`);
  }
}

/** Load runs are bounded: at most one day, 10 000 connections, 100 000 requests per second. */
export const LOAD_LIMITS = { maxDurationMs: 86_400_000, maxConcurrency: 10_000, maxRps: 100_000 } as const;
