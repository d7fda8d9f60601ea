/**
 * The pool's ReplicaSet logic: how many pods to create, and which to delete, so that the pods
 * not being deleted number `desired`.
 */
import { pickForDeletion } from './deletion-order.js';
import type { PoolPod } from './pool-pod.js';

/** Input of {@link reconcileReplicas}. */
export interface ReconcileReplicasInput {
  readonly pods: Iterable<PoolPod>;
  readonly desired: number;
  /** In-flight requests of a pod (0 when unknown): the least busy are deleted first. */
  readonly busy: (podName: string) => number;
}

/** What to do: create `create` pods, delete the pods in `remove`. */
export interface ReplicaPlan {
  readonly create: number;
  readonly remove: readonly PoolPod[];
}

/**
 * The plan that brings the active pods (not being deleted) to `desired`, deleting in ReplicaSet
 * order (see `compareForDeletion`).
 *
 * @example
 * reconcileReplicas({ pods: [a, b, c], desired: 2, busy: () => 0 }); // -> { create: 0, remove: [the unready or newest one] }
 */
export function reconcileReplicas({ pods, desired, busy }: ReconcileReplicasInput): ReplicaPlan {
  const active = [...pods].filter((p) => !p.deleting);
  if (active.length <= desired) return { create: desired - active.length, remove: [] };
  const candidates = active.map((p) => ({
    name: p.name,
    phase: p.phase,
    ready: p.ready,
    readySinceMs: p.readyChangedMs,
    createdMs: p.createdMs,
    restarts: p.restarts,
    busy: busy(p.name),
    pod: p,
  }));
  return { create: 0, remove: pickForDeletion(candidates, active.length - desired).map((c) => c.pod) };
}
