/**
 * What a target reports besides its pods: the events `kubectl get events` would list for its
 * ReplicaSet and pods (created, deleted, container restarted), with the wording of Kubernetes.
 */
export interface ClusterEvent {
  readonly type: 'Normal' | 'Warning';
  /** Kubernetes' reason: `SuccessfulCreate`, `SuccessfulDelete`, `Killing`, `BackOff`, `Started`. */
  readonly reason: string;
  /** The object, `kind/name`: `Pod/lightning-asr-x2k4q`, `ReplicaSet/lightning-asr`. */
  readonly object: string;
  readonly message: string;
  /** Epoch milliseconds. */
  readonly atMs: number;
}

/** A bounded list of events: keeps the newest `limit`. */
export interface EventLog {
  push(event: ClusterEvent): void;
  list(): readonly ClusterEvent[];
}

/**
 * Creates an {@link EventLog} that calls `onEvent` for each event pushed.
 *
 * @example
 * const log = createEventLog(100);
 * log.push({ type: 'Normal', reason: 'SuccessfulCreate', object: 'ReplicaSet/w', message: 'Created pod: w-bcdfg', atMs: 0 });
 * log.list().length; // -> 1
 */
export function createEventLog(limit: number, onEvent?: (event: ClusterEvent) => void): EventLog {
  const events: ClusterEvent[] = [];
  return {
    push(event) {
      events.push(event);
      if (events.length > limit) events.splice(0, events.length - limit);
      onEvent?.(event);
    },
    list: () => events.slice(),
  };
}
