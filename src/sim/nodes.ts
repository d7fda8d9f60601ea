/**
 * Nodes for the simulated pods: one pool of identical nodes (GPUs or another extended resource
 * per node, allocatable CPU and memory), a scheduler that binds each new pod to the first node
 * with room (or leaves it Pending, as kube-scheduler does when no node fits), and the books:
 * node-hours, GPU-hours, pod-seconds Pending for lack of a node, and the requests dropped or
 * late meanwhile. The cluster autoscaler (`cluster-autoscaler.ts`) adds and removes nodes.
 *
 * A pod that waits for a node has `startS = readyS = Infinity` (phase Pending: the HPA ignores it
 * as upstream does for Pending pods); when bound at t it starts at t + its scheduling delay
 * (image pull) and is Ready a model load later.
 */
import type { Pod } from './pods.js';
import type { NodePoolSpec, ServiceModel } from './types.js';

/** What one pod asks of a node. */
export interface PodRequest {
  /** Of the pool's extended resource. */
  readonly units: number;
  readonly cpuMillicores: number;
  readonly memoryBytes: number;
}

/** The pod request of a service on a pool: its extended resources (default 1 unit) and its requests. */
export function podRequestOf(model: ServiceModel, pool: NodePoolSpec): PodRequest {
  return {
    units: model.extendedResources?.[pool.resource] ?? 1,
    cpuMillicores: pool.cpuMillicores === null ? 0 : (model.requests.cpuMillicores ?? 0),
    memoryBytes: pool.memoryBytes === null ? 0 : (model.requests.memoryBytes ?? 0),
  };
}

/** One node. */
export interface SimNode {
  readonly id: number;
  /** When the autoscaler asked for it (billing starts). */
  readonly requestedS: number;
  /** When it is Ready to take pods. */
  readonly readyS: number;
  freeUnits: number;
  freeCpuMillicores: number;
  freeMemoryBytes: number;
  pods: number;
  /** Since when it has had no pod (NaN while it has some). */
  emptySinceS: number;
}

/** The deployment side of a pod the pool binds: how to start it once bound. */
export interface PodOwner {
  readonly service: string;
  readonly model: ServiceModel;
  /** The ReplicaSet learns when the pod will be Ready. */
  noteReadyAt(readyS: number): void;
}

interface Waiting {
  readonly pod: Pod;
  readonly owner: PodOwner;
  readonly request: PodRequest;
  readonly sinceS: number;
}

/** Counters of the services the pool serves, read at each tick to attribute drops and SLO misses. */
export interface ServiceCounters {
  readonly name: string;
  readonly dropped: number;
  readonly sloMisses: number | null;
}

/** The node pool and its scheduler. */
export class NodePool {
  readonly spec: NodePoolSpec;
  readonly nodes: SimNode[] = [];
  readonly #waiting: Waiting[] = [];
  readonly #bound = new Map<Pod, { node: SimNode; request: PodRequest }>();
  #nextId = 0;
  /** Books, from t = 0. */
  #lastS = 0;
  #nodeSeconds = 0;
  #pendingSeconds = 0;
  #peakNodes = 0;
  #peakPending = 0;
  nodesAdded = 0;
  nodesRemoved = 0;
  #droppedWhileWaiting = 0;
  #sloMissesWhileWaiting = 0;
  #lastCounters = new Map<string, { dropped: number; sloMisses: number }>();
  /** Per service: [start, end] spans with at least one of its pods waiting for a node. */
  readonly waitSpans = new Map<string, [number, number][]>();

  constructor(spec: NodePoolSpec) {
    this.spec = spec;
    for (let i = 0; i < spec.initialNodes; i++) this.addNode(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY);
    this.#peakNodes = this.nodes.length;
  }

  /** Pods waiting for a node. */
  get waiting(): readonly { readonly pod: Pod; readonly request: PodRequest; readonly sinceS: number; readonly service: string }[] {
    return this.#waiting.map((w) => ({ pod: w.pod, request: w.request, sinceS: w.sinceS, service: w.owner.service }));
  }

  get waitingCount(): number {
    return this.#waiting.length;
  }

  /** Adds a node requested at `requestedS`, Ready at `readyS`. */
  addNode(requestedS: number, readyS: number): SimNode {
    const s = this.spec;
    const node: SimNode = {
      id: this.#nextId++,
      requestedS,
      readyS,
      freeUnits: s.perNode,
      freeCpuMillicores: s.cpuMillicores ?? Number.POSITIVE_INFINITY,
      freeMemoryBytes: s.memoryBytes ?? Number.POSITIVE_INFINITY,
      pods: 0,
      emptySinceS: Number.isFinite(readyS) ? readyS : 0, // initial nodes: empty from t = 0
    };
    this.nodes.push(node);
    if (requestedS > Number.NEGATIVE_INFINITY) this.nodesAdded++;
    if (this.nodes.length > this.#peakNodes) this.#peakNodes = this.nodes.length;
    return node;
  }

  /** Removes an empty node. */
  removeNode(node: SimNode, tSeconds: number): void {
    this.account(tSeconds);
    const i = this.nodes.indexOf(node);
    if (i >= 0 && node.pods === 0) {
      this.nodes.splice(i, 1);
      this.nodesRemoved++;
    }
  }

  /** Whether a pod with `request` fits on an empty node of the pool at all. */
  fitsEmptyNode(request: PodRequest): boolean {
    const s = this.spec;
    return request.units <= s.perNode && request.cpuMillicores <= (s.cpuMillicores ?? Number.POSITIVE_INFINITY) && request.memoryBytes <= (s.memoryBytes ?? Number.POSITIVE_INFINITY);
  }

  #fits(node: SimNode, r: PodRequest): boolean {
    return node.freeUnits >= r.units && node.freeCpuMillicores >= r.cpuMillicores && node.freeMemoryBytes >= r.memoryBytes;
  }

  #bind(pod: Pod, owner: PodOwner, request: PodRequest, node: SimNode, tSeconds: number, late: boolean): void {
    node.freeUnits -= request.units;
    node.freeCpuMillicores -= request.cpuMillicores;
    node.freeMemoryBytes -= request.memoryBytes;
    node.pods++;
    node.emptySinceS = Number.NaN;
    this.#bound.set(pod, { node, request });
    if (late) {
      pod.startS = tSeconds + owner.model.schedulingDelaySeconds;
      pod.readyS = pod.startS + owner.model.modelLoadSeconds;
      owner.noteReadyAt(pod.readyS);
    }
  }

  /**
   * A new pod at `tSeconds`: bound to the first Ready node with room (its times stand), or left
   * Pending (times set to Infinity) until a node has room.
   */
  schedule(pod: Pod, owner: PodOwner, tSeconds: number): void {
    const request = podRequestOf(owner.model, this.spec);
    for (const node of this.nodes) {
      if (node.readyS <= tSeconds && this.#fits(node, request)) {
        this.#bind(pod, owner, request, node, tSeconds, false);
        return;
      }
    }
    this.account(tSeconds);
    pod.startS = Number.POSITIVE_INFINITY;
    pod.readyS = Number.POSITIVE_INFINITY;
    this.#waiting.push({ pod, owner, request, sinceS: tSeconds });
    this.#openSpan(owner.service, tSeconds);
  }

  /** A pod left (deleted, drained): its node's room comes back, or it stops waiting. */
  release(pod: Pod, tSeconds: number): void {
    const b = this.#bound.get(pod);
    if (b !== undefined) {
      this.#bound.delete(pod);
      const { node, request } = b;
      node.freeUnits += request.units;
      node.freeCpuMillicores += request.cpuMillicores;
      node.freeMemoryBytes += request.memoryBytes;
      node.pods--;
      if (node.pods === 0) node.emptySinceS = tSeconds;
      return;
    }
    const i = this.#waiting.findIndex((w) => w.pod === pod);
    if (i >= 0) {
      this.account(tSeconds);
      const service = this.#waiting[i]!.owner.service;
      this.#waiting.splice(i, 1);
      this.#closeSpanIfDone(service, tSeconds);
    }
  }

  /**
   * Binds waiting pods, oldest first, to nodes Ready by `tSeconds` (a node that became Ready
   * since the last tick takes its pods from its ready time, as the scheduler would have).
   */
  bindWaiting(tSeconds: number): void {
    if (this.#waiting.length === 0) return;
    this.account(tSeconds);
    const still: Waiting[] = [];
    for (const w of this.#waiting) {
      let target: SimNode | undefined;
      for (const node of this.nodes) {
        if (node.readyS <= tSeconds && this.#fits(node, w.request) && (target === undefined || node.readyS < target.readyS)) target = node;
      }
      if (target === undefined) still.push(w);
      else {
        const at = Math.max(w.sinceS, target.readyS);
        // The pending time before `at` was booked up to now: give back the part after it.
        this.#pendingSeconds -= Math.max(0, tSeconds - Math.max(at, 0));
        this.#bind(w.pod, w.owner, w.request, target, at, true);
      }
    }
    this.#waiting.length = 0;
    this.#waiting.push(...still);
    for (const service of this.waitSpans.keys()) this.#closeSpanIfDone(service, tSeconds);
  }

  #openSpan(service: string, tSeconds: number): void {
    let spans = this.waitSpans.get(service);
    if (spans === undefined) this.waitSpans.set(service, (spans = []));
    const last = spans[spans.length - 1];
    if (last === undefined || Number.isFinite(last[1])) spans.push([tSeconds, Number.POSITIVE_INFINITY]);
  }

  #closeSpanIfDone(service: string, tSeconds: number): void {
    if (this.#waiting.some((w) => w.owner.service === service)) return;
    const last = this.waitSpans.get(service)?.at(-1);
    if (last !== undefined && !Number.isFinite(last[1])) last[1] = tSeconds;
  }

  /** Books node- and pending-seconds up to `tSeconds` (from t = 0). */
  account(tSeconds: number): void {
    const from = Math.max(this.#lastS, 0);
    if (tSeconds > from) {
      this.#nodeSeconds += this.nodes.length * (tSeconds - from);
      this.#pendingSeconds += this.#waiting.length * (tSeconds - from);
    }
    if (tSeconds > this.#lastS) this.#lastS = tSeconds;
    if (this.#waiting.length > this.#peakPending) this.#peakPending = this.#waiting.length;
  }

  /**
   * Attributes the drops and SLO misses since the last call to the wait for nodes when a pod
   * waited during the interval (`waitedSince`: whether one waited at the previous call).
   */
  observeServices(services: readonly ServiceCounters[], waitedSince: boolean): void {
    const waiting = waitedSince || this.#waiting.length > 0;
    for (const s of services) {
      const last = this.#lastCounters.get(s.name) ?? { dropped: 0, sloMisses: 0 };
      const now = { dropped: s.dropped, sloMisses: s.sloMisses ?? 0 };
      if (waiting) {
        this.#droppedWhileWaiting += now.dropped - last.dropped;
        this.#sloMissesWhileWaiting += now.sloMisses - last.sloMisses;
      }
      this.#lastCounters.set(s.name, now);
    }
  }

  /** Resets the service counters' baseline (t = 0, after the warm-up). */
  resetServiceBaseline(): void {
    this.#lastCounters.clear();
  }

  /** The pool's books at `tSeconds` (the end of the run). */
  summary(tSeconds: number, hasSlo: boolean): import('./types.js').NodePoolSummary {
    this.account(tSeconds);
    for (const spans of this.waitSpans.values()) for (const span of spans) if (!Number.isFinite(span[1])) span[1] = tSeconds;
    return {
      pool: this.spec.name,
      resource: this.spec.resource,
      nodeHours: this.#nodeSeconds / 3600,
      resourceHours: (this.#nodeSeconds * this.spec.perNode) / 3600,
      peakNodes: this.#peakNodes,
      finalNodes: this.nodes.length,
      nodesAdded: this.nodesAdded,
      nodesRemoved: this.nodesRemoved,
      podPendingSeconds: this.#pendingSeconds,
      peakPendingPods: this.#peakPending,
      droppedWhileWaiting: this.#droppedWhileWaiting,
      sloMissesWhileWaiting: hasSlo ? this.#sloMissesWhileWaiting : null,
    };
  }
}
