/**
 * An in-memory scale target: pods that exist only as data, created and deleted at once, ready
 * at once or after a delay read from the clock (no timers). For controller tests, and for
 * replica counts hpa-lab records rather than runs (the API-server HPA of `hpa-lab up`).
 */
import type { PodInfo, ScaleSubresource, ClusterTarget } from '../engine/index.js';
import type { Clock } from '../core/index.js';
import { checkReplicas } from './check-replicas.js';
import type { ClusterEvent } from './cluster-event.js';
import { createEventLog } from './cluster-event.js';
import { pickForDeletion } from './deletion-order.js';
import { makePodName } from './pod-name.js';

export interface SimulatedTargetOptions {
  /** Deployment name: pods are `<name>-xxxxx` labelled `app=<name>`. */
  readonly name: string;
  /** Replicas at creation; 1 unless told. */
  readonly initialReplicas?: number;
  readonly clock: Clock;
  /** A new pod is Pending this long; 0 unless told. */
  readonly startDelayMs?: number;
  /** Then Running but not ready this long; 0 unless told (ready at once). */
  readonly readinessDelayMs?: number;
  /** Name suffixes; a counter-based source unless told (deterministic). */
  readonly random?: () => number;
  /** Newest events kept; 100 unless told. */
  readonly maxEvents?: number;
  readonly onEvent?: (event: ClusterEvent) => void;
}

/** A {@link ClusterTarget} held in memory. */
export interface SimulatedTarget extends ClusterTarget {
  readonly name: string;
  /** `app=<name>` */
  readonly selector: string;
  /** ReplicaSet events: SuccessfulCreate, SuccessfulDelete. */
  events(): readonly ClusterEvent[];
}

interface SimPod {
  readonly name: string;
  readonly createdMs: number;
}

/**
 * Creates an in-memory target. A pod created at `t` is Pending until `t + startDelayMs`, Running
 * and not ready until `t + startDelayMs + readinessDelayMs`, then ready; scale-down deletes at
 * once, in ReplicaSet order (Pending, then not ready, then the newest).
 *
 * @throws {RangeError} when `initialReplicas` is not an integer >= 0
 * @example
 * const t = createSimulatedTarget({ name: 'api-server', clock });
 * await t.setReplicas(3);
 * (await t.getScale()).statusReplicas; // -> 3
 */
export function createSimulatedTarget(options: SimulatedTargetOptions): SimulatedTarget {
  const { name, clock } = options;
  const startDelayMs = options.startDelayMs ?? 0;
  const readinessDelayMs = options.readinessDelayMs ?? 0;
  let seq = 0;
  const random = options.random ?? (() => ((seq++ * 0.6180339887) % 1));
  const log = createEventLog(options.maxEvents ?? 100, options.onEvent);
  const labels = { app: name };
  const selector = `app=${name}`;
  const pods = new Map<string, SimPod>();
  let desired = options.initialReplicas ?? 1;
  let closed = false;
  checkReplicas(name, desired);

  const phaseOf = (p: SimPod, nowMs: number): 'Pending' | 'Running' => (nowMs >= p.createdMs + startDelayMs ? 'Running' : 'Pending');
  const readyAtMs = (p: SimPod): number => p.createdMs + startDelayMs + readinessDelayMs;
  const converge = (): void => {
    const nowMs = clock.now();
    while (pods.size < desired) {
      const podName = makePodName(name, new Set(pods.keys()), random);
      pods.set(podName, { name: podName, createdMs: nowMs });
      log.push({ type: 'Normal', reason: 'SuccessfulCreate', object: `ReplicaSet/${name}`, message: `Created pod: ${podName}`, atMs: nowMs });
    }
    if (pods.size > desired) {
      const candidates = [...pods.values()].map((p) => ({
        name: p.name,
        phase: phaseOf(p, nowMs),
        ready: nowMs >= readyAtMs(p),
        readySinceMs: readyAtMs(p),
        createdMs: p.createdMs,
        restarts: 0,
        busy: 0,
      }));
      for (const victim of pickForDeletion(candidates, pods.size - desired)) {
        pods.delete(victim.name);
        log.push({ type: 'Normal', reason: 'SuccessfulDelete', object: `ReplicaSet/${name}`, message: `Deleted pod: ${victim.name}`, atMs: nowMs });
      }
    }
  };
  converge();

  return {
    name,
    selector,
    getScale(): Promise<ScaleSubresource> {
      return Promise.resolve({ specReplicas: desired, statusReplicas: pods.size, selector });
    },
    setReplicas(replicas) {
      // The executor's throws become the rejection.
      return new Promise<void>((resolve) => {
        checkReplicas(name, replicas);
        if (closed) throw new Error(`Cannot scale '${name}' as the target is closed`);
        desired = replicas;
        converge();
        resolve();
      });
    },
    listPods(): Promise<PodInfo[]> {
      const nowMs = clock.now();
      return Promise.resolve(
        [...pods.values()].map((p): PodInfo => {
          const ready = nowMs >= readyAtMs(p);
          return {
            name: p.name,
            labels,
            phase: phaseOf(p, nowMs),
            startTimeMs: p.createdMs,
            ready: { status: ready ? 'True' : 'False', lastTransitionTimeMs: ready ? readyAtMs(p) : p.createdMs },
            containers: [{ name: 'main' }],
          };
        }),
      );
    },
    events: () => log.list(),
    close() {
      closed = true;
      pods.clear();
      return Promise.resolve();
    },
  };
}
