/**
 * A scale target: what the controller scales (simulated pods, local worker processes, a
 * Kubernetes Deployment). One contract, tested by one shared suite.
 */
import type { PodInfo, ScaleSubresource } from './types.js';

export interface ClusterTarget {
  /** The scale subresource: spec replicas (desired), status replicas (existing), selector. */
  getScale(): Promise<ScaleSubresource>;
  /** Sets spec replicas; the target converges to it (start pods, or drain and stop them). */
  setReplicas(replicas: number): Promise<void>;
  /** The target's pods with phase, readiness and start times, as the engine reads them. */
  listPods(): Promise<PodInfo[]>;
  /** Stops everything the target started. */
  close(): Promise<void>;
}
