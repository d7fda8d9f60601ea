import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { createController } from '../../src/controller/controller.js';
import { systemClock, systemTimers } from '../../src/platform/index.js';
import { RUN_FILE, writeRunFile, type Stack } from '../../src/stack/index.js';
import { makeWav } from '../../src/workload/audio/make-wav.js';
import { runLoad } from '../../src/workload/load/run-load.js';
import { API_SERVER_HPA, fakeIo, startTestStack, testHpa, TOKEN, waitFor } from './stack-fixture.js';

/** Captures a command's output. */
describe('the local stack (API server, worker processes, scraper, controller)', () => {
  let dir: string;
  let stack: Stack;
  const statePath = () => join(dir, 'state.json');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hpa-lab-stack-'));
    stack = await startTestStack({ hpas: [testHpa({ scaleDownWindowSeconds: 3 }), API_SERVER_HPA], statePath: statePath() });
    await waitFor(async () => (await stack.pool.listPods()).some((p) => p.ready?.status === 'True'), 'the first worker to be ready');
  });
  afterAll(async () => {
    await stack?.stop({ graceMs: 5_000 });
    await rm(dir, { recursive: true, force: true });
  });

  it('scales up when active requests exceed the target, and down after the window, with no failed request while workers are removed under load', async () => {
    const url = `${stack.api.url}/v1/listen`;
    const audio = makeWav(1); // 300 ms of work per request
    const timeline: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        timeline.push((await stack.pool.getScale()).specReplicas);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    // 4 connections all along (below the target on one worker), in 2 s rounds until one round
    // after the scale-down back to 1 is done; 16 more connections for the first 6 s.
    let burstDone = false;
    const burst = runLoad({ url, token: TOKEN, audio, durationMs: 6_000, concurrency: 16 }).finally(() => (burstDone = true));
    const rounds: Awaited<ReturnType<typeof runLoad>>[] = [];
    const deadline = Date.now() + 40_000;
    let afterScaleDown = 0;
    while (afterScaleDown < 2 && Date.now() < deadline) {
      rounds.push(await runLoad({ url, token: TOKEN, audio, durationMs: 2_000, concurrency: 4 }));
      if (afterScaleDown > 0 || (burstDone && (await stack.pool.listPods()).length === 1)) afterScaleDown++;
    }
    const b = await burst;
    sampling = false;
    await sampler;

    const peak = Math.max(...timeline);
    expect(peak).toBeGreaterThanOrEqual(3); // 20 active on 1 pod at a target of 5 → 4
    expect(timeline.at(-1)).toBe(1); // back to one after the 3 s window, under load
    expect(afterScaleDown).toBe(2);
    for (const r of [...rounds, b]) {
      expect(r.errors).toEqual({});
      expect(Object.keys(r.statusCodes)).toEqual(['200']);
      expect(r.ok).toBeGreaterThan(0);
    }
    const [asr] = stack.controller.views();
    const rescales = asr?.events.filter((e) => e.reason === 'SuccessfulRescale').map((e) => e.message) ?? [];
    expect(rescales.some((m) => /^New size: [34]; reason: pods metric asr_active_requests above target$/.test(m))).toBe(true);
    expect(rescales).toContain('New size: 1; reason: All metrics below target');
    const reasons = stack.pool.events().map((e) => e.reason);
    expect(reasons).toContain('SuccessfulDelete');
    expect(reasons).toContain('Killing');
    // The removed workers were drained: the API server still knows only the live one.
    await waitFor(() => stack.api.app.workers.list().length === 1, 'removed workers to leave the router', 10_000);
  });

  it('follows the worker count with the API-server HPA (recorded replicas)', async () => {
    // Its 3 s scale-down window may still hold it at 2 just after the workers went back to 1.
    await waitFor(async () => (await stack.apiServerReplicas?.getScale())?.specReplicas === 1, 'the API server back at 1', 15_000);
    const api = stack.controller.views().find((v) => v.name === 'api-server');
    const messages = api?.events.filter((e) => e.reason === 'SuccessfulRescale').map((e) => e.message) ?? [];
    expect(messages).toContain('New size: 2; reason: external metric lightning_asr_replica_count(<nil>) above target');
    expect(messages).toContain('New size: 1; reason: All metrics below target');
    expect((await stack.status()).targets.find((t) => t.name === 'api-server')).toMatchObject({ kind: 'recorded' });
  });

  it('a restarted controller loads the saved state: recommendations, events and creation time', async () => {
    const saved = JSON.parse(await readFile(statePath(), 'utf8'));
    const before = stack.controller.stateOf('lightning-asr');
    expect(saved.hpas['lightning-asr'].state.recommendations).toEqual(before?.recommendations);
    const restarted = createController({
      hpas: [{ hpa: testHpa({ scaleDownWindowSeconds: 3 }), target: stack.pool, metrics: stack.scraper }],
      clock: systemClock,
      timers: systemTimers,
      statePath: statePath(),
    });
    await restarted.syncOnce();
    const [view] = restarted.views();
    expect(view?.createdMs).toBe(stack.controller.views()[0]?.createdMs);
    expect(view?.events.map((e) => e.message)).toContain('New size: 1; reason: All metrics below target');
    // stabilize() reuses a stale slot in place, so the oldest entry is not always the first.
    const oldest = Math.min(...(restarted.stateOf('lightning-asr')?.recommendations ?? []).map((r) => r.timestampMs));
    expect(oldest).toBeLessThan(view?.lastSyncMs ?? 0); // the window carried over, not restarted
  });

  it('main([\'status\']) and main([\'describe\', NAME]) print the kubectl views of the running stack', async () => {
    await writeRunFile(join(dir, RUN_FILE), { kind: 'hpa-lab/run', pid: process.pid, startedMs: stack.startedMs, statusUrl: stack.statusUrl, apiUrl: stack.api.url, token: TOKEN });
    const status = fakeIo(dir);
    expect(await main(['status', '--pods'], status.io)).toBe(0);
    const lines = status.out().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$/);
    expect(lines[1]).toMatch(/^lightning-asr\s+Deployment\/lightning-asr\s+\d+\/5\s+1\s+4\s+1\s+\d+s$/);
    expect(lines[2]).toMatch(/^api-server\s+Deployment\/api-server\s+\S+\/2 \(avg\)\s+1\s+10\s+\d+\s+\d+s$/);
    expect(status.out()).toMatch(/lightning-asr-\w{5}\s+1\/1\s+Running\s+0\s+\d+s\s+\d+\s+\d+/);
    const describe = fakeIo(dir);
    expect(await main(['describe', 'lightning-asr'], describe.io)).toBe(0);
    expect(describe.out()).toContain('"asr_active_requests" on pods:');
    expect(describe.out()).toMatch(/Normal\s+SuccessfulRescale\s+\d+s\s+horizontal-pod-autoscaler\s+New size: 1; reason: All metrics below target/);
    const missing = fakeIo(dir);
    expect(await main(['describe', 'nope'], missing.io)).toBe(1);
    expect(missing.err()).toBe("hpa-lab describe: no HPA named 'nope' in the running stack: found lightning-asr, api-server\n");
  });

  it('replaces a killed worker and serves again', async () => {
    const [pod] = stack.pool.workers();
    expect(stack.pool.kill(pod?.name ?? '', 'SIGKILL')).toBe(true);
    await waitFor(() => stack.pool.events().some((e) => e.reason === 'BackOff' && e.object === `Pod/${pod?.name}`), 'the BackOff event', 10_000);
    await waitFor(() => stack.pool.workers().some((w) => w.ready && w.pid !== pod?.pid), 'a ready replacement', 20_000);
    const r = await runLoad({ url: `${stack.api.url}/v1/listen`, token: TOKEN, audio: makeWav(0.1), durationMs: 500, concurrency: 2 });
    expect(r.statusCodes).toEqual({ '200': r.requests });
  });
});

describe('hpa-lab status without a stack', () => {
  it('says that no stack runs from this folder (exit 2)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hpa-lab-nostack-'));
    try {
      const io = fakeIo(dir);
      expect(await main(['status'], io.io)).toBe(2);
      expect(io.err()).toContain("no stack is running from this folder: start one with 'hpa-lab up'");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
