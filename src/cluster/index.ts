/**
 * Scale targets: what the controller scales. `contract.ts` is the port; here are an in-memory
 * target and a pool of real worker processes (a Kubernetes Deployment target comes later).
 */
export { type ClusterEvent } from './cluster-event.js';
export {
  createLocalProcessPool,
  type LocalProcessPool,
  type PoolWorker,
  type ScrapeTarget,
} from './local-process-pool.js';
export { createSimulatedTarget, type SimulatedTarget } from './simulated.js';
/** @public The worker script the pool starts: `dist/workload/worker/main.js` once built (the package test reads it). */
export { WORKER_ENTRY } from './worker-entry.js';
