import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HorizontalPodAutoscaler, ClusterTarget, MetricsSource } from '../engine/index.js';
import { createSimulatedTarget } from '../cluster/index.js';
import { createManualClock, type ManualClock, InputError } from '../core/index.js';
import { systemClock, systemTimers } from '../platform/index.js';
import { createController, type ControllerOptions } from './controller.js';

const hpa = (scaleDownWindowSeconds: number): HorizontalPodAutoscaler => ({
  metadata: { name: 'lightning-asr' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'lightning-asr' },
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [{ type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } }],
    behavior: { scaleUp: { stabilizationWindowSeconds: 0 }, scaleDown: { stabilizationWindowSeconds: scaleDownWindowSeconds } },
  },
});

/** Total active requests spread over the target's ready pods, as a scrape would see them. */
function loadSource(load: { total: number }): MetricsSource {
  return {
    async read({ pods, nowMs }) {
      const ready = pods.filter((p) => p.ready?.status === 'True' && p.deleting !== true);
      return [{ podValues: ready.map((p) => ({ podName: p.name, valueMilli: Math.round((load.total / ready.length) * 1000), timestampMs: nowMs })) }];
    },
  };
}

function setup(over: Partial<ControllerOptions> & { windowSeconds?: number; clock?: ManualClock; target?: ClusterTarget } = {}) {
  const clock = over.clock ?? createManualClock(1_700_000_000_000);
  const target = over.target ?? createSimulatedTarget({ name: 'lightning-asr', clock });
  const load = { total: 0 };
  const controller = createController({
    hpas: [{ hpa: hpa(over.windowSeconds ?? 10), target, metrics: loadSource(load) }],
    clock,
    timers: systemTimers,
    syncPeriodMs: 1_000,
    ...over,
  });
  /** Syncs once per virtual second for `seconds` seconds. */
  const run = async (seconds: number) => {
    for (let i = 0; i < seconds; i++) {
      clock.advance(1_000);
      await controller.syncOnce();
    }
  };
  return { clock, target, load, controller, run, replicas: async () => (await target.getScale()).specReplicas };
}

describe('createController()', () => {
  it('scales up when active requests per pod exceed the target, with the seeds\' event', async () => {
    const s = setup();
    s.load.total = 12;
    await s.run(1);
    expect(await s.replicas()).toBe(3);
    const [view] = s.controller.views();
    expect(view?.status).toMatchObject({ currentReplicas: 1, desiredReplicas: 3 });
    expect(view?.events).toEqual([
      { type: 'Normal', reason: 'SuccessfulRescale', message: 'New size: 3; reason: pods metric asr_active_requests above target', firstMs: s.clock.now(), lastMs: s.clock.now(), count: 1 },
    ]);
  });

  it('scales down only once the stabilization window has passed', async () => {
    const s = setup({ windowSeconds: 10 });
    s.load.total = 12;
    await s.run(1);
    const highMs = s.clock.now();
    await s.run(1);
    s.load.total = 2;
    const downAt: number[] = [];
    for (let i = 0; i < 15 && downAt.length === 0; i++) {
      await s.run(1);
      if ((await s.replicas()) < 3) downAt.push(s.clock.now());
    }
    // The last recommendation of 3 was made at highMs + 1 s; it leaves the window 10 s later.
    expect(downAt[0]).toBeGreaterThan(highMs + 1_000 + 10_000 - 1_000);
    expect(downAt[0]).toBeLessThanOrEqual(highMs + 1_000 + 10_000 + 1_000);
    expect(await s.replicas()).toBe(1);
  });

  it('keeps the FailedRescale outcome when the target refuses the new size', async () => {
    const clock = createManualClock(0);
    const inner = createSimulatedTarget({ name: 'lightning-asr', clock });
    const target: ClusterTarget = { ...inner, setReplicas: async () => Promise.reject(new Error('quota exceeded')) };
    const s = setup({ clock, target });
    s.load.total = 12;
    await s.run(1);
    const [view] = s.controller.views();
    expect(view?.events.map((e) => [e.type, e.reason, e.message])).toContainEqual(['Warning', 'FailedRescale', 'New size: 3; reason: pods metric asr_active_requests above target; error: quota exceeded']);
    expect(view?.status?.conditions?.find((c) => c.type === 'AbleToScale')).toMatchObject({ status: 'False', reason: 'FailedUpdateScale' });
  });

  it.each([
    {
      name: 'reports FailedGetScale when the target cannot tell its scale',
      target: (t: ClusterTarget): ClusterTarget => ({ ...t, getScale: () => Promise.reject(new Error('connection refused')) }),
      source: undefined,
      reason: 'FailedGetScale',
    },
    {
      name: 'reports FailedGetPodsMetric when the metrics source throws',
      target: (t: ClusterTarget) => t,
      source: { read: () => Promise.reject(new Error('scraper down')) } satisfies MetricsSource,
      reason: 'FailedGetPodsMetric',
    },
  ])('$name', async ({ target, source, reason }) => {
    const clock = createManualClock(0);
    const t = target(createSimulatedTarget({ name: 'lightning-asr', clock }));
    const controller = createController({ hpas: [{ hpa: hpa(10), target: t, metrics: source ?? loadSource({ total: 1 }) }], clock, timers: systemTimers });
    await controller.syncOnce();
    expect(controller.views()[0]?.events.map((e) => e.reason)).toContain(reason);
  });

  it('counts a repeated event instead of listing it again', async () => {
    const clock = createManualClock(0);
    const controller = createController({
      hpas: [{ hpa: hpa(10), target: createSimulatedTarget({ name: 'lightning-asr', clock }), metrics: { read: async () => [{ podValues: [] }] } }],
      clock,
      timers: systemTimers,
    });
    await controller.syncOnce();
    clock.advance(1_000);
    await controller.syncOnce();
    expect(controller.views()[0]?.events).toEqual([
      expect.objectContaining({ type: 'Warning', reason: 'FailedGetPodsMetric', firstMs: 0, lastMs: 1_000, count: 2 }),
      expect.objectContaining({ type: 'Warning', reason: 'FailedComputeMetricsReplicas', firstMs: 0, lastMs: 1_000, count: 2 }),
    ]);
  });

  it('throws RangeError for two HPAs with one name', () => {
    const clock = createManualClock(0);
    const entry = { hpa: hpa(1), target: createSimulatedTarget({ name: 'x', clock }), metrics: loadSource({ total: 0 }) };
    expect(() => createController({ hpas: [entry, entry], clock, timers: systemTimers })).toThrow("Cannot create the controller as two HPAs are named 'lightning-asr'");
  });

  it('syncs every period once started, and stops', async () => {
    let reads = 0;
    const source: MetricsSource = { read: async () => (reads++, [{ podValues: [] }]) };
    const controller = createController({
      hpas: [{ hpa: hpa(1), target: createSimulatedTarget({ name: 'w', clock: systemClock }), metrics: source }],
      clock: systemClock,
      timers: systemTimers,
      syncPeriodMs: 10,
    });
    await controller.start();
    const deadline = Date.now() + 5_000;
    while (reads < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await controller.stop();
    const after = reads;
    await new Promise((r) => setTimeout(r, 50));
    expect(after).toBeGreaterThanOrEqual(3);
    expect(reads).toBe(after);
  });
});

describe('createController() state file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hpa-lab-controller-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves the state after every decision, and a restarted controller keeps the stabilization window', async () => {
    const statePath = join(dir, 'state.json');
    const clock = createManualClock(1_700_000_000_000);
    const target = createSimulatedTarget({ name: 'lightning-asr', clock });
    const a = setup({ clock, target, statePath, windowSeconds: 60 });
    a.load.total = 12;
    await a.run(5); // scaled to 3, recommendations of 3 until now
    const lastHighMs = a.clock.now();
    const saved = JSON.parse(await readFile(statePath, 'utf8'));
    expect(saved).toMatchObject({ kind: 'hpa-lab/controller-state', version: 2, savedMs: lastHighMs });
    expect(saved.hpas['default/lightning-asr'].state.recommendations).toContainEqual({ recommendation: 3, timestampMs: lastHighMs });
    expect(saved.hpas['default/lightning-asr']).toMatchObject({ replicas: 3, specHash: expect.stringMatching(/^[0-9a-f]{16}$/) });
    await a.controller.stop();

    clock.advance(30_000); // the controller is down for 30 s
    const restarted = setup({ clock, target, statePath, windowSeconds: 60 });
    const fresh = setup({ clock, target: createSimulatedTarget({ name: 'lightning-asr', clock, initialReplicas: 3 }), windowSeconds: 60 });
    restarted.load.total = fresh.load.total = 2;
    const downAt = { restarted: 0, fresh: 0 };
    for (let i = 0; i < 100 && (downAt.restarted === 0 || downAt.fresh === 0); i++) {
      clock.advance(1_000);
      await restarted.controller.syncOnce();
      await fresh.controller.syncOnce();
      if (downAt.restarted === 0 && (await restarted.replicas()) < 3) downAt.restarted = clock.now();
      if (downAt.fresh === 0 && (await fresh.replicas()) < 3) downAt.fresh = clock.now();
    }
    // With its state, the window ends 60 s after the last high recommendation (it leaves the
    // window when it is no longer after now - 60 s); without it, 60 s after the restart
    // (upstream forgets and starts a new window).
    expect(downAt.restarted).toBe(lastHighMs + 60_000);
    expect(downAt.fresh).toBeGreaterThanOrEqual(lastHighMs + 30_000 + 60_000);
    expect(restarted.controller.views()[0]?.createdMs).toBe(a.controller.views()[0]?.createdMs);
    expect(restarted.controller.views()[0]?.events.map((e) => e.reason)).toEqual(['SuccessfulRescale', 'SuccessfulRescale']);
  });

  it('does not apply the state of another spec or another namespace under the same name', async () => {
    const statePath = join(dir, 'keyed.json');
    const clock = createManualClock(1_700_000_000_000);
    const a = setup({ clock, statePath, windowSeconds: 60 });
    a.load.total = 12;
    await a.run(3);
    await a.controller.stop();
    expect(a.controller.views()[0]?.events.length).toBeGreaterThan(0);
    const otherSpec = setup({ clock, statePath, windowSeconds: 30 });
    await otherSpec.controller.syncOnce();
    expect(otherSpec.controller.views()[0]?.events).toEqual([]);
    const sameSpec = setup({ clock, statePath: join(dir, 'keyed-2.json'), windowSeconds: 60 });
    await sameSpec.run(1);
    await sameSpec.controller.stop();
    const otherNamespace = setup({ clock, statePath: join(dir, 'keyed-2.json'), windowSeconds: 60, namespace: 'smallest' });
    await otherNamespace.controller.syncOnce();
    expect(otherNamespace.controller.views()[0]?.createdMs).toBe(clock.now());
  });

  it.each([
    { name: 'text that is not JSON', text: '{', message: 'not valid JSON' },
    { name: 'another kind of file', text: '{"kind":"x"}', message: "at 'kind': expected 'hpa-lab/controller-state': delete the file to start afresh" },
    { name: 'a state without lists', text: '{"kind":"hpa-lab/controller-state","version":2,"hpas":{"a":{"createdMs":0,"state":{"recommendations":null},"events":[]}}}', message: "at 'hpas.a.state.scaleUpEvents': expected a list" },
    { name: 'replicas that are not a count', text: '{"kind":"hpa-lab/controller-state","version":2,"hpas":{"a":{"createdMs":0,"state":{"recommendations":null,"scaleUpEvents":[],"scaleDownEvents":[]},"events":[],"replicas":-1}}}', message: "at 'hpas.a.replicas': expected an integer 0..2147483647: got -1" },
    { name: 'a future version', text: '{"kind":"hpa-lab/controller-state","version":3,"hpas":{}}', message: "at 'version': expected 2: got 3" },
  ])('refuses $name with InputError', async ({ text, message }) => {
    const statePath = join(dir, 'bad.json');
    await writeFile(statePath, text);
    const s = setup({ statePath });
    await expect(s.controller.syncOnce()).rejects.toThrow(InputError);
    await expect(setup({ statePath }).controller.syncOnce()).rejects.toThrow(message);
  });
});
