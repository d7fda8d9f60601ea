import { describe, expect, it } from 'vitest';
import type { HorizontalPodAutoscaler } from '../engine/index.js';
import { createSeededRng } from '../core/index.js';
import { ClusterAutoscaler, CLUSTER_AUTOSCALER_DEFAULTS, sampleProvisioningDelay } from './cluster-autoscaler.js';
import { DEFAULT_PIPELINE, DEFAULT_SERVICE_MODEL } from './defaults.js';
import { NodePool } from './nodes.js';
import { Cohort, COHORT_NOT_READY, Pod } from './pods.js';
import { runSimulation } from './run.js';
import { parseTrafficSpec } from './traffic-schema.js';
import type { NodePoolSpec, Scenario, ServiceModel } from './types.js';

const POOL: NodePoolSpec = {
  name: 'gpu',
  resource: 'nvidia.com/gpu',
  perNode: 1,
  cpuMillicores: 8000,
  memoryBytes: 32 * 2 ** 30,
  initialNodes: 1,
  minNodes: 0,
  maxNodes: 3,
  clusterAutoscaler: { ...CLUSTER_AUTOSCALER_DEFAULTS, provisioning: { distribution: 'fixed', seconds: 120 } },
};

function newPod(i: number, t: number, model: ServiceModel): Pod {
  return new Pod({ name: `p${i}`, ordinal: i, createdS: t, startS: t + model.schedulingDelaySeconds, readyS: t + model.schedulingDelaySeconds + model.modelLoadSeconds, cohort: new Cohort(COHORT_NOT_READY, 1) });
}

describe('NodePool', () => {
  const model = DEFAULT_SERVICE_MODEL;
  const owner = { service: 'asr', model, noteReadyAt: () => {} };

  it('binds a pod to a node with a free GPU, and leaves the next one Pending', () => {
    const pool = new NodePool(POOL);
    const a = newPod(0, 0, model);
    const b = newPod(1, 0, model);
    pool.schedule(a, owner, 0);
    pool.schedule(b, owner, 0);
    expect([a.startS, a.readyS]).toEqual([5, 35]);
    expect([b.startS, b.readyS]).toEqual([Infinity, Infinity]);
    expect(pool.waitingCount).toBe(1);
  });

  it('starts a waiting pod from the time its node was Ready (scheduling delay, then model load)', () => {
    const pool = new NodePool(POOL);
    const ca = new ClusterAutoscaler(pool, POOL.clusterAutoscaler!, createSeededRng(1));
    pool.schedule(newPod(0, 0, model), owner, 0);
    const b = newPod(1, 10, model);
    pool.schedule(b, owner, 10);
    ca.scan(20); // asks for one node, Ready at 140
    expect(pool.nodes.map((n) => n.readyS)).toEqual([-Infinity, 140]);
    pool.bindWaiting(150);
    expect([b.startS, b.readyS]).toEqual([145, 175]);
    expect(pool.summary(150, false)).toMatchObject({ podPendingSeconds: 130, peakNodes: 2, nodesAdded: 1 });
  });

  it('adds no node beyond maxNodes, and none for a pod that fits no empty node', () => {
    const pool = new NodePool({ ...POOL, maxNodes: 2 });
    const ca = new ClusterAutoscaler(pool, POOL.clusterAutoscaler!, createSeededRng(1));
    for (let i = 0; i < 4; i++) pool.schedule(newPod(i, 0, model), owner, 0);
    ca.scan(0);
    expect(pool.nodes).toHaveLength(2);
    const big = { ...owner, model: { ...model, extendedResources: { 'nvidia.com/gpu': 2 } } };
    const pool2 = new NodePool({ ...POOL, initialNodes: 0 });
    pool2.schedule(newPod(9, 0, model), big, 0);
    new ClusterAutoscaler(pool2, POOL.clusterAutoscaler!, createSeededRng(1)).scan(0);
    expect(pool2.nodes).toHaveLength(0);
  });

  it('removes an empty node after the unneeded time, down to minNodes', () => {
    const pool = new NodePool({ ...POOL, initialNodes: 2, minNodes: 1 });
    const ca = new ClusterAutoscaler(pool, POOL.clusterAutoscaler!, createSeededRng(1));
    ca.scan(599);
    expect(pool.nodes).toHaveLength(2);
    ca.scan(Number.MAX_SAFE_INTEGER);
    expect(pool.nodes).toHaveLength(1);
  });

  it.each([
    { name: 'fixed', delay: { distribution: 'fixed', seconds: 90 } as const, lo: 90, hi: 90 },
    { name: 'uniform', delay: { distribution: 'uniform', minSeconds: 120, maxSeconds: 300 } as const, lo: 120, hi: 300 },
  ])('draws $name provisioning delays inside their range', ({ delay, lo, hi }) => {
    const rng = createSeededRng(7);
    for (let i = 0; i < 50; i++) {
      const d = sampleProvisioningDelay(delay, rng);
      expect(d).toBeGreaterThanOrEqual(lo);
      expect(d).toBeLessThanOrEqual(hi);
    }
  });
});

describe('runSimulation() with a node pool', () => {
  const hpa: HorizontalPodAutoscaler = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'asr' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'asr' },
      minReplicas: 2,
      maxReplicas: 8,
      metrics: [{ type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } }],
    },
  };
  const scenario = (nodePool?: NodePoolSpec): Scenario => ({
    name: 'gpu',
    durationSeconds: 2400,
    hpas: [hpa],
    services: { asr: DEFAULT_SERVICE_MODEL },
    traffic: parseTrafficSpec({ type: 'traffic-spike', baseRps: 8, peakRps: 30, startSeconds: 300, holdSeconds: 900 }),
    pipeline: DEFAULT_PIPELINE,
    externalMetrics: {},
    controller: {},
    sloLatencySeconds: 5,
    stepSeconds: 1,
    timelineEverySyncs: 1,
    arrivals: 'poisson',
    ...(nodePool === undefined ? {} : { nodePool }),
  });

  it('gives the same run as without nodes when the pool always has room', () => {
    const roomy = { ...POOL, initialNodes: 20, maxNodes: 20, clusterAutoscaler: null };
    const a = runSimulation(scenario(), { seed: 2 });
    const b = runSimulation(scenario(roomy), { seed: 2 });
    expect(b.timeline).toEqual(a.timeline);
    expect(b.summary.services).toEqual(a.summary.services);
    expect(b.summary.nodes).toMatchObject({ podPendingSeconds: 0, nodeHours: (20 * 2400) / 3600 });
  });

  it('keeps pods Pending while nodes are provisioned, and says how much of the time to capacity it cost', () => {
    const pool = { ...POOL, initialNodes: 2, maxNodes: 6 };
    const r = runSimulation(scenario(pool), { seed: 2 });
    const base = runSimulation(scenario(), { seed: 2 });
    expect(r.summary.nodes!.podPendingSeconds).toBeGreaterThan(0);
    expect(r.summary.nodes!.peakNodes).toBe(6);
    expect(r.summary.services[0]!.maxTimeToCapacitySeconds!).toBeGreaterThan(base.summary.services[0]!.maxTimeToCapacitySeconds!);
    expect(r.findings.map((f) => f.kind)).toEqual(expect.arrayContaining(['node-capacity', 'waiting-for-nodes']));
    expect(r.findings.find((f) => f.kind === 'node-capacity')!.title).toBe("maxReplicas 8 > the node pool's 6 GPUs: 2 pods can never run");
    expect(r.findings.find((f) => f.kind === 'waiting-for-nodes')!.title).toMatch(/^Time to capacity is .+, of which .+ waiting for nodes$/);
  });

  it('is deterministic for a seed', () => {
    const pool = { ...POOL, initialNodes: 2, maxNodes: 6, clusterAutoscaler: { ...CLUSTER_AUTOSCALER_DEFAULTS } };
    expect(runSimulation(scenario(pool), { seed: 5 })).toEqual(runSimulation(scenario(pool), { seed: 5 }));
  });
});
