/**
 * Scale targets: what the controller scales. `contract.ts` is the port; here are an in-memory
 * target and a pool of real worker processes (a Kubernetes Deployment target comes later).
 */
export type { ClusterTarget } from '../engine/index.js';
export { createEventLog, type ClusterEvent, type EventLog } from './cluster-event.js';
export { checkReplicas } from './check-replicas.js';
export { compareForDeletion, pickForDeletion, type DeletionCandidate } from './deletion-order.js';
export {
  createLocalProcessPool,
  DEFAULT_POOL_OPTIONS,
  WORKER_ENTRY,
  type LocalProcessPool,
  type LocalProcessPoolOptions,
  type PoolWorker,
  type ScrapeTarget,
  type WorkerRouter,
} from './local-process-pool.js';
export { makePodName, POD_NAME_ALPHABET } from './pod-name.js';
export { createSimulatedTarget, type SimulatedTarget, type SimulatedTargetOptions } from './simulated.js';
export { sleepOn, type TimerHandle, type Timers } from '../core/index.js';
