import { afterEach, describe, expect, it } from 'vitest';
import { makeWav } from '../../src/workload/audio/make-wav.js';
import { runLoad } from '../../src/workload/load/run-load.js';
import { type Stack, TOKEN, pause, startStack } from './stack-fixture.js';

describe('scale-down under load', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it('loses zero requests when workers are drained (markDraining, then stop, then remove) under load', async () => {
    stack = await startStack(3, { rtf: 0.05, overheadMs: 5, maxConcurrency: 4 });
    const { api, workers } = stack;
    const load = runLoad({ url: `${api.url}/v1/listen`, token: TOKEN, audio: makeWav(1), durationMs: 3_000, concurrency: 12 });
    const drains: { id: string; drained: boolean; abandoned: number; inFlightAtMark: number }[] = [];
    for (const [index, id] of [[0, 'w1'], [1, 'w2']] as const) {
      await pause(900);
      const inFlightAtMark = api.app.workers.get(id)?.inFlight ?? 0;
      await api.app.workers.markDraining(id); // no new request goes there from now on
      const result = await workers[index]!.stop({ graceMs: 10_000 });
      api.app.workers.removeWorker(id);
      drains.push({ id, inFlightAtMark, ...result });
    }
    const result = await load;
    expect(drains.map((d) => ({ id: d.id, drained: d.drained, abandoned: d.abandoned }))).toEqual([
      { id: 'w1', drained: true, abandoned: 0 },
      { id: 'w2', drained: true, abandoned: 0 },
    ]);
    expect(result.errors).toEqual({});
    expect(Object.keys(result.statusCodes)).toEqual(['200']);
    expect(result.ok).toBeGreaterThan(0);
    expect(api.app.workers.list().map((w) => w.id)).toEqual(['w3']);
    expect(api.app.stats().retries).toBe(0); // nothing even needed a retry
    console.info(`drain: ${result.ok} requests, all 200; in flight on the drained workers when marked: ${drains.map((d) => d.inFlightAtMark).join(', ')}`);
  });

  it('still loses nothing when a worker is stopped without being drained first (503 and refused connections are retried)', async () => {
    stack = await startStack(2, { rtf: 0.05, overheadMs: 5, maxConcurrency: 4 });
    const { api, workers } = stack;
    const load = runLoad({ url: `${api.url}/v1/listen`, token: TOKEN, audio: makeWav(1), durationMs: 2_000, concurrency: 8 });
    await pause(700);
    const result1 = await workers[0]!.stop({ graceMs: 10_000 }); // in-flight finish; new ones get 503, then refused
    const result = await load;
    expect(result1).toEqual({ drained: true, abandoned: 0 });
    expect(result.errors).toEqual({});
    expect(Object.keys(result.statusCodes)).toEqual(['200']);
  });
});
