/**
 * Scale targets: what the controller scales. `contract.ts` is the port; here are an in-memory
 * target and a pool of real worker processes (a Kubernetes Deployment target comes later).
 */
;
export {  type ClusterEvent,  } from './cluster-event.js';
;
;
export {
  createLocalProcessPool,
  
  type LocalProcessPool,
  
  type PoolWorker,
  type ScrapeTarget,
  
} from './local-process-pool.js';
;
export { createSimulatedTarget, type SimulatedTarget,  } from './simulated.js';
;
export {  processStartTicks, reapOrphans,   type ReapedProcess } from './pid-file.js';
export {    supervisedCommand,  } from './supervisor.js';
/** @public the installed package's test reads it */
export { WORKER_ENTRY } from './worker-entry.js';
