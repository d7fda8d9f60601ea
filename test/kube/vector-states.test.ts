/**
 * The cluster path equals the conformance path: each upstream reconcile vector becomes a cluster
 * state in a test API server, and `explainCluster` (what `explain --cluster` runs) must give the
 * vector's expected desired replicas, /scale write and conditions.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster, explainCluster } from '../../src/kube/client/index.js';
import { startFakeKubeApi, type FakeWorld, type RunningFake } from './fake-kube-api.js';
import { inexpressible, vectorWorld, windowOf } from './vector-state.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const doc = JSON.parse(readFileSync(new URL('../conformance/k8s-hpa/reconcile.json', import.meta.url), 'utf8')) as { cases: Json[] };
const NOW_MS = Date.UTC(2026, 0, 1, 12, 0, 0);
const expressible = doc.cases.filter((c) => inexpressible(c) === undefined);
const skipped = doc.cases.filter((c) => inexpressible(c) !== undefined);

// One server; each case swaps the world it serves.
const world: FakeWorld = { objects: [] };
let fake: RunningFake;
beforeAll(async () => {
  fake = await startFakeKubeApi(world);
});
afterAll(async () => {
  await fake.close();
});

function configOf(c: Json) {
  return {
    tolerance: Number(c.tolerance ?? 0.1),
    downscaleStabilizationWindowSeconds: Number(c.downscaleStabilizationWindowSeconds ?? 300),
    cpuInitializationPeriodSeconds: Number(c.cpuInitializationPeriodSeconds ?? 300),
    delayOfInitialReadinessStatusSeconds: Number(c.delayOfInitialReadinessStatusSeconds ?? 30),
    scaleUpLimitFactor: Number(c.scaleUpLimitFactor ?? 2),
    scaleUpLimitMinimum: Number(c.scaleUpLimitMinimum ?? 4),
    // The reconcile vectors encode 1.35's behaviour (see test/conformance/k8s-hpa/FORMAT.md).
    kubernetesVersion: '1.35',
    featureGates: { HPAConfigurableTolerance: Boolean(c.featureGates?.HPAConfigurableTolerance ?? true), PodLevelResources: Boolean(c.featureGates?.PodLevelResources ?? false) },
  };
}

describe('reconcile vectors as cluster states', () => {
  it('expresses all but the vectors that need controller memory or a /scale write', () => {
    expect(skipped.map((c) => `${String(c.id)}: ${inexpressible(c) ?? ''}`).sort()).toEqual([
      "reconcile-stabilize-downscale: the controller's in-memory recommendations/scale events are not API objects",
      'reconcile-condition-failed-update-scale: a failing /scale write: explain never writes /scale',
    ].sort());
    expect(expressible.length).toBe(doc.cases.length - 2);
  });

  it.each(expressible.map((c) => ({ id: String(c.id), c })))('$id', async ({ c }) => {
    Object.assign(world, { scales: undefined, podMetrics: undefined, podValues: undefined, objectValues: undefined, externalValues: undefined, faults: undefined }, vectorWorld(c.input, NOW_MS));
    const client = connectCluster({ kubeconfig: fake.kubeconfig, retries: 0 });
    try {
      const x = await explainCluster(client, { namespace: c.input.hpa.metadata.namespace, name: c.input.hpa.metadata.name, nowMs: NOW_MS, window: windowOf(c), config: configOf(c.input.controller ?? {}) });
      const d = x.decision;
      const e = c.expect;
      if ('desiredReplicas' in e) expect(d.status.desiredReplicas).toBe(e.desiredReplicas);
      if ('scaleUpdated' in e) expect(d.scaleTo !== null).toBe(e.scaleUpdated);
      if ('scaleReplicas' in e && e.scaleUpdated) expect(d.scaleTo).toBe(e.scaleReplicas);
      if ('conditions' in e) {
        expect((d.status.conditions ?? []).map((k) => ({ type: k.type, status: k.status, reason: k.reason }))).toEqual((e.conditions as Json[]).map((k) => ({ type: k.type, status: k.status, reason: k.reason })));
      }
      if ('cpuAverageUtilization' in e) {
        const cpu = d.status.currentMetrics?.find((m) => m?.type === 'Resource' && m.resource?.name === 'cpu');
        expect(cpu?.resource?.current.averageUtilization).toBe(e.cpuAverageUtilization);
      }
    } finally {
      client.close();
    }
  });
});
