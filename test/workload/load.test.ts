import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type LoopbackServer as FetchServer } from '../../src/platform/index.js';
import type { LoadProgress } from '../../src/workload/load/load-recorder.js';
import { playTraffic } from '../../src/workload/load/play-traffic.js';
import { runLoad } from '../../src/workload/load/run-load.js';
import { InputError } from '../../src/core/errors.js';

describe('load generator against a local server', () => {
  let server: FetchServer;
  let hits = 0;
  let lastAuth: string | null = null;
  beforeAll(async () => {
    server = await serve({ fetch: async (r) => {
      hits++;
      lastAuth = r.headers.get('authorization');
      if (r.body !== null) await r.arrayBuffer();
      const path = new URL(r.url).pathname;
      if (path === '/flaky') return new Response('x', { status: hits % 3 === 0 ? 503 : 200 });
      return new Response('ok');
    } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('runLoad() stops after maxRequests and counts every answer', async () => {
    const r = await runLoad({ url: `${server.url}/ok`, durationMs: 10_000, concurrency: 3, maxRequests: 30, token: 'abc' });
    expect(r.requests).toBe(30);
    expect(r.statusCodes).toEqual({ '200': 30 });
    expect(r.latency.count).toBe(30);
    expect(r.histogram.reduce((n, b) => n + b.count, 0)).toBe(30);
    expect(lastAuth).toBe('Token abc');
  });

  it('runLoad() never sends more than rps × duration when paced', async () => {
    const r = await runLoad({ url: `${server.url}/ok`, durationMs: 1_000, concurrency: 4, rps: 40 });
    expect(r.requests).toBeGreaterThan(0);
    expect(r.requests).toBeLessThanOrEqual(40);
  });

  it('runLoad() counts status codes as they come', async () => {
    const r = await runLoad({ url: `${server.url}/flaky`, durationMs: 10_000, concurrency: 1, maxRequests: 30 });
    expect((r.statusCodes['200'] ?? 0) + (r.statusCodes['503'] ?? 0)).toBe(30);
    expect(r.statusCodes['503']).toBeGreaterThan(0);
    expect(r.ok).toBe(r.statusCodes['200']);
  });

  it('runLoad() counts refused connections as errors, not answers', async () => {
    const closed = await serve({ fetch: () => new Response('x') });
    await closed.close();
    const r = await runLoad({ url: closed.url, durationMs: 10_000, concurrency: 2, maxRequests: 6 });
    expect(r.errors).toEqual({ 'connect: ECONNREFUSED': 6 });
    expect(r.statusCodes).toEqual({});
    expect(r.throughputRps).toBe(0);
  });

  it('runLoad() ends early on abort and reports progress meanwhile', async () => {
    const controller = new AbortController();
    const progress: LoadProgress[] = [];
    const r = await runLoad({
      url: `${server.url}/ok`,
      durationMs: 60_000,
      concurrency: 2,
      rps: 50,
      signal: controller.signal,
      progressIntervalMs: 50,
      onProgress: (p) => {
        progress.push(p);
        if (p.requests > 0) controller.abort(); // stop at the first report that saw answers
      },
    });
    expect(r.aborted).toBe(true);
    expect(r.elapsedMs).toBeLessThan(10_000);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)?.requests).toBeGreaterThan(0);
  });

  it('playTraffic() sends the integral of the rate, second by second', async () => {
    const r = await playTraffic({
      url: `${server.url}/ok`,
      durationMs: 2_000,
      timeScale: 30, // 60 s of traffic time in 2 s
      rpsAt: (t) => (t < 30 ? 20 : 40),
    });
    expect(r.timeline.map((s) => ({ tSeconds: s.tSeconds, targetRps: s.targetRps }))).toEqual([
      { tSeconds: 0, targetRps: 20 },
      { tSeconds: 30, targetRps: 40 },
    ]);
    expect(r.dropped).toBe(0);
    expect(r.sent).toBeGreaterThanOrEqual(59);
    expect(r.sent).toBeLessThanOrEqual(60);
    expect(r.requests).toBe(r.sent);
    expect(r.timeline.reduce((n, s) => n + s.sent, 0)).toBe(r.sent);
  });

  it('playTraffic() drops arrivals beyond maxInFlight instead of queueing without bound', async () => {
    const slow = await serve({ fetch: () => new Promise<Response>((resolve) => setTimeout(() => resolve(new Response('ok')), 400)) });
    try {
      const r = await playTraffic({ url: slow.url, durationMs: 300, rpsAt: () => 100, maxInFlight: 5 });
      expect(r.sent).toBeGreaterThanOrEqual(5); // 5 at once; a late loop may see one answered
      expect(r.sent).toBeLessThanOrEqual(10);
      expect(r.dropped).toBeGreaterThan(0);
      expect(r.sent + r.dropped).toBeGreaterThanOrEqual(29);
    } finally {
      await slow.close();
    }
  });

  it('refuses a non-loopback target with a clear InputError', async () => {
    await expect(playTraffic({ url: 'http://example.com/', durationMs: 1_000, rpsAt: () => 1 })).rejects.toThrow(InputError);
    await expect(runLoad({ url: 'http://192.168.1.10:7100/v1/listen', durationMs: 1_000, concurrency: 1 })).rejects.toThrow(
      "host '192.168.1.10' is not loopback: the load generator only targets 127.0.0.1, localhost or ::1",
    );
  });
});
