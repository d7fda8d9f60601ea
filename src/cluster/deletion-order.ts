/**
 * Which pod a scale-down removes first, in the order of Kubernetes' ReplicaSet controller
 * (`controller.ActivePodsWithRanks.Less`), with "least busy" as the pod-deletion-cost.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/controller_utils.go ActivePodsWithRanks.Less
 */

/** What the ordering reads of a pod. */
export interface DeletionCandidate {
  readonly name: string;
  readonly phase: string;
  readonly ready: boolean;
  /** When the pod last became ready (epoch ms); ignored when not ready. */
  readonly readySinceMs: number;
  readonly createdMs: number;
  readonly restarts: number;
  /**
   * Requests in flight on the pod: plays the role of the
   * `controller.kubernetes.io/pod-deletion-cost` annotation (lower goes first).
   */
  readonly busy: number;
}

const PHASE_RANK: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * Negative when `a` should be deleted before `b`: Pending before Running, not ready before
 * ready, lower deletion cost (fewer requests in flight) first, then ready for less time, more
 * restarts, and newer pods first; the name breaks the remaining ties so the order is total.
 *
 * @example
 * [busyPod, idlePod].sort(compareForDeletion)[0].name; // -> the idle pod
 */
export function compareForDeletion(a: DeletionCandidate, b: DeletionCandidate): number {
  const pa = PHASE_RANK[a.phase] ?? 1;
  const pb = PHASE_RANK[b.phase] ?? 1;
  if (pa !== pb) return pa - pb;
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (a.busy !== b.busy) return a.busy - b.busy;
  if (a.ready && b.ready && a.readySinceMs !== b.readySinceMs) return b.readySinceMs - a.readySinceMs;
  if (a.restarts !== b.restarts) return b.restarts - a.restarts;
  if (a.createdMs !== b.createdMs) return b.createdMs - a.createdMs;
  return a.name < b.name ? 1 : a.name > b.name ? -1 : 0;
}

/**
 * The `count` pods to delete, in deletion order.
 *
 * @example pickForDeletion(pods, 1) // -> [the least busy of the unready pods, or of the ready ones]
 */
export function pickForDeletion<T extends DeletionCandidate>(pods: readonly T[], count: number): T[] {
  return [...pods].sort(compareForDeletion).slice(0, Math.max(0, count));
}
