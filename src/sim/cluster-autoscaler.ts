/**
 * A cluster-autoscaler model for one node pool, run every `--scan-interval`:
 * - scale-up: pods Pending because no node fits, beyond what the nodes already being
 *   provisioned will hold, get new nodes (bin-packed on the pool's node shape, up to `maxNodes`);
 *   each new node is Ready after a provisioning delay drawn from its distribution;
 * - scale-down: a Ready node with no pod for `--scale-down-unneeded-time`, and no scale-up for
 *   `--scale-down-delay-after-add`, is removed (down to `minNodes`, which may be 0: the pool scales
 *   to zero when no pod needs it).
 * Pods that fit no empty node (they ask more than a node has) never trigger a scale-up, as upstream.
 *
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md
 */
import { sampleLogNormal, type Rng } from '../core/index.js';
import type { NodePool, PodRequest } from './nodes.js';
import type { ClusterAutoscalerSpec, NodeProvisioningDelay } from './types.js';

/** The cluster autoscaler's defaults (its flags' defaults; provisioning: a typical cloud GPU node). */
export const CLUSTER_AUTOSCALER_DEFAULTS: ClusterAutoscalerSpec = {
  scanIntervalSeconds: 10,
  provisioning: { distribution: 'uniform', minSeconds: 120, maxSeconds: 300 },
  scaleDownUnneededSeconds: 600,
  scaleDownDelayAfterAddSeconds: 600,
};

/** A draw of the provisioning delay. */
export function sampleProvisioningDelay(delay: NodeProvisioningDelay, rng: Rng): number {
  switch (delay.distribution) {
    case 'fixed':
      return delay.seconds;
    case 'uniform':
      return delay.minSeconds + (delay.maxSeconds - delay.minSeconds) * rng();
    case 'lognormal':
      return sampleLogNormal(rng, delay.medianSeconds, delay.sigma);
  }
}

/** The autoscaler of one pool. */
export class ClusterAutoscaler {
  readonly spec: ClusterAutoscalerSpec;
  readonly #pool: NodePool;
  readonly #rng: Rng;
  #lastScaleUpS = Number.NEGATIVE_INFINITY;

  constructor(pool: NodePool, spec: ClusterAutoscalerSpec, rng: Rng) {
    this.#pool = pool;
    this.spec = spec;
    this.#rng = rng;
  }

  /** One scan at `tSeconds`. */
  scan(tSeconds: number): void {
    const pool = this.#pool;
    this.#scaleUp(tSeconds);
    // Scale-down: empty Ready nodes past the unneeded time, not right after a scale-up.
    if (tSeconds - this.#lastScaleUpS < this.spec.scaleDownDelayAfterAddSeconds) return;
    if (pool.waitingCount > 0) return;
    for (const node of [...pool.nodes]) {
      if (pool.nodes.length <= pool.spec.minNodes) break;
      if (node.pods === 0 && node.readyS <= tSeconds && tSeconds - node.emptySinceS >= this.spec.scaleDownUnneededSeconds) pool.removeNode(node, tSeconds);
    }
  }

  #scaleUp(tSeconds: number): void {
    const pool = this.#pool;
    const waiting = pool.waiting.filter((w) => pool.fitsEmptyNode(w.request));
    if (waiting.length === 0) return;
    // Room on nodes still provisioning is spoken for first.
    const upcoming = pool.nodes.filter((n) => n.readyS > tSeconds).map((n) => ({ units: n.freeUnits, cpu: n.freeCpuMillicores, mem: n.freeMemoryBytes }));
    const shape = pool.spec;
    const fresh: { units: number; cpu: number; mem: number }[] = [];
    const place = (r: PodRequest, bins: { units: number; cpu: number; mem: number }[]): boolean => {
      for (const b of bins) {
        if (b.units >= r.units && b.cpu >= r.cpuMillicores && b.mem >= r.memoryBytes) {
          b.units -= r.units;
          b.cpu -= r.cpuMillicores;
          b.mem -= r.memoryBytes;
          return true;
        }
      }
      return false;
    };
    const room = shape.maxNodes - pool.nodes.length;
    for (const w of waiting) {
      if (place(w.request, upcoming) || place(w.request, fresh)) continue;
      if (fresh.length >= room) break;
      const bin = { units: shape.perNode, cpu: shape.cpuMillicores ?? Number.POSITIVE_INFINITY, mem: shape.memoryBytes ?? Number.POSITIVE_INFINITY };
      fresh.push(bin);
      place(w.request, [bin]);
    }
    if (fresh.length === 0) return;
    for (let i = 0; i < fresh.length; i++) pool.addNode(tSeconds, tSeconds + sampleProvisioningDelay(this.spec.provisioning, this.#rng));
    this.#lastScaleUpS = tSeconds;
  }
}
