/**
 * Fleets across cores: the worker-thread runner around the simulator's fleet members
 * (`src/sim/fleet.ts` generates and summarizes them; this module only spreads them over threads).
 */
export { runFleet,  } from './run-fleet.js';
