/** What the fleet runner and its worker threads exchange (structured-cloned plain data). */
import type { FleetMemberResult, FleetSpec, Scenario } from '../sim/index.js';

/** Given to each worker at start. */
export interface FleetWorkerData {
  readonly scenario: Scenario;
  readonly fleet: FleetSpec;
  readonly seed: number;
  readonly patch: Readonly<Record<string, unknown>> | undefined;
  /** `full`: the engine's full pass (today's path, for comparisons); default the fast path. */
  readonly engine: 'fast' | 'full';
  /** A module URL whose `runSimulation` runs the members instead (benchmarks: the previous simulator). */
  readonly simulatorUrl?: string | undefined;
}

export type ParentMessage = { readonly kind: 'run'; readonly index: number } | { readonly kind: 'stop' };

export type WorkerMessage =
  | { readonly kind: 'done'; readonly index: number; readonly result: FleetMemberResult }
  | { readonly kind: 'error'; readonly index: number; readonly message: string };
