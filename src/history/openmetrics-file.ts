/**
 * Writes a simulated run's OpenMetrics file (`simulate --openmetrics FILE`), streaming to disk.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { InputError } from '../core/index.js';
import type { Scenario } from '../sim/index.js';
import { writeOpenMetrics } from './openmetrics.js';
import { captureSimulation } from './sim-capture.js';

/** Options of {@link writeSimulationOpenMetrics}. */
export interface SimulationOpenMetricsOptions {
  readonly seed: number;
  /** Epoch ms of the run's t = 0; default: the run ends on the last whole hour an hour ago. */
  readonly startEpochMs?: number;
  /** The clock reading used for the default start. */
  readonly nowMs?: number;
}

/**
 * The default t = 0 of an exported run: whole hours, ending at least an hour before `nowMs`,
 * so a backfilled Prometheus holds it in the past.
 */
export function defaultOpenMetricsStartMs(durationSeconds: number, nowMs: number): number {
  const hourMs = 3_600_000;
  return Math.floor((nowMs - hourMs - durationSeconds * 1000) / hourMs) * hourMs;
}

/**
 * Runs the scenario (same seed, same decisions as `simulate`) and writes its series to `path`.
 * Returns the start used and the number of syncs written.
 */
export async function writeSimulationOpenMetrics(scenario: Scenario, path: string, options: SimulationOpenMetricsOptions): Promise<{ startEpochMs: number; frames: number }> {
  const { frames } = captureSimulation(scenario, { seed: options.seed });
  const startEpochMs = options.startEpochMs ?? defaultOpenMetricsStartMs(scenario.durationSeconds, options.nowMs ?? Date.now());
  const fail = (error: unknown): InputError => new InputError('unreadable', path, '', `cannot write the file: ${(error as Error).message}`, { cause: error });
  // Synchronous 64 KiB writes: the text of a long run never has to be held in memory.
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw fail(error);
  }
  try {
    writeOpenMetrics(frames, { startEpochMs, write: (s) => void writeSync(fd, s) });
  } catch (error) {
    throw fail(error);
  } finally {
    closeSync(fd);
  }
  return Promise.resolve({ startEpochMs, frames: frames.length });
}
