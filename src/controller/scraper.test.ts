import { describe, expect, it } from 'vitest';
import { applyHpaDefaults, createInitialState, reconcile, type HorizontalPodAutoscaler, type MetricSpec, type PodInfo } from '../engine/index.js';
import { createManualClock } from '../core/index.js';
import { systemClock, systemTimers } from '../platform/index.js';
import { createScraper } from './scraper.js';

const pod = (name: string): PodInfo => ({ name, labels: { app: 'w' }, phase: 'Running', startTimeMs: 0, ready: { status: 'True', lastTransitionTimeMs: 0 } });
const hpaWith = (...metrics: MetricSpec[]): HorizontalPodAutoscaler =>
  applyHpaDefaults({ metadata: { name: 'w' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'w' }, minReplicas: 1, maxReplicas: 10, metrics } });
const podsMetric = (name: string, selector?: MetricSpec['pods'] extends infer P ? (P extends { metric: { selector?: infer S } } ? S : never) : never): MetricSpec => ({
  type: 'Pods',
  pods: { metric: { name, ...(selector ? { selector } : {}) }, target: { type: 'AverageValue', averageValue: '5' } },
});
const external = (name: string): MetricSpec => ({ type: 'External', external: { metric: { name }, target: { type: 'AverageValue', averageValue: '2' } } });

/** A scraper over fixed texts per URL (a missing URL fails), with a manual clock. */
function fixture(texts: Record<string, string>, extra: Partial<Parameters<typeof createScraper>[0]> = {}) {
  const clock = createManualClock(1_000_000);
  const pages = { ...texts };
  const scraper = createScraper({
    discover: () => Object.keys(texts).map((podName) => ({ podName, url: `http://127.0.0.1/${podName}` })),
    clock,
    timers: systemTimers,
    intervalMs: 1_000,
    fetchText: async (url) => {
      const text = pages[url.split('/').at(-1) ?? ''];
      if (text === undefined) throw new Error('connect ECONNREFUSED');
      return text;
    },
    ...extra,
  });
  const read = (hpa: HorizontalPodAutoscaler, pods = Object.keys(texts).map(pod)) =>
    scraper.read({ hpa, pods, namespace: 'default', selector: 'app=w', nowMs: clock.now() });
  return { clock, scraper, pages, read };
}

describe('createScraper() read', () => {
  it('answers a Pods metric with each pod\'s last sample and its scrape time', async () => {
    const { scraper, read } = fixture({ a: '# TYPE asr_active_requests gauge\nasr_active_requests 7\n', b: 'asr_active_requests 2\n' });
    await scraper.scrapeOnce();
    expect(await read(hpaWith(podsMetric('asr_active_requests')))).toEqual([
      { podValues: [{ podName: 'a', valueMilli: 7_000, timestampMs: 1_000_000 }, { podName: 'b', valueMilli: 2_000, timestampMs: 1_000_000 }] },
    ]);
  });

  it.each([
    { name: 'sums every series of the name', text: 'm{q="x"} 1\nm{q="y"} 2.5\n', selector: undefined, want: 3_500 },
    { name: 'keeps the series matching matchLabels', text: 'm{q="x"} 1\nm{q="y"} 2.5\n', selector: { matchLabels: { q: 'y' } }, want: 2_500 },
    { name: 'keeps the series matching an In expression', text: 'm{q="x"} 1\nm{q="z"} 4\n', selector: { matchExpressions: [{ key: 'q', operator: 'In' as const, values: ['z'] }] }, want: 4_000 },
  ])('$name', async ({ text, selector, want }) => {
    const { scraper, read } = fixture({ a: text });
    await scraper.scrapeOnce();
    const [r] = await read(hpaWith(podsMetric('m', selector)));
    expect(r).toEqual({ podValues: [{ podName: 'a', valueMilli: want, timestampMs: 1_000_000 }] });
  });

  it.each([
    { name: 'a metric no pod exports', metric: podsMetric('asr_nope'), want: { error: 'the server could not find the metric asr_nope for pods' } },
    { name: 'an unknown external metric', metric: external('queue_depth'), want: { error: 'the server could not find the requested resource (external metric queue_depth; the built-in scraper serves none)' } },
    { name: 'an Object metric', metric: { type: 'Object', object: { describedObject: { kind: 'Service', name: 's' }, metric: { name: 'rps' }, target: { type: 'Value', value: '1' } } }, want: { error: 'the built-in scraper does not serve Object metrics: use a metrics API' } },
    { name: 'a resource other than cpu and memory', metric: { type: 'Resource', resource: { name: 'gpu', target: { type: 'AverageValue', averageValue: '1' } } }, want: { error: "the built-in scraper has no 'gpu' usage: it serves cpu and memory" } },
  ])('answers an error reading for $name', async ({ metric, want }) => {
    const { scraper, read } = fixture({ a: 'asr_active_requests 1\n' });
    await scraper.scrapeOnce();
    expect(await read(hpaWith(metric))).toEqual([want]);
  });

  it('leaves out a pod whose scrape failed and one whose sample is stale', async () => {
    const { clock, scraper, pages, read } = fixture({ a: 'm 1\n', b: 'm 2\n' }, { stalenessMs: 2_500 });
    await scraper.scrapeOnce();
    clock.advance(2_000);
    delete pages['b'];
    await scraper.scrapeOnce(); // b fails: its sample from t0 stays for now
    expect((await read(hpaWith(podsMetric('m'))))[0]).toMatchObject({ podValues: [{ podName: 'a' }, { podName: 'b', timestampMs: 1_000_000 }] });
    expect(scraper.health().find((h) => h.podName === 'b')).toMatchObject({ ok: false, error: 'connect ECONNREFUSED' });
    clock.advance(1_000); // b's sample is now 3 s old
    expect((await read(hpaWith(podsMetric('m'))))[0]).toEqual({ podValues: [{ podName: 'a', valueMilli: 1_000, timestampMs: 1_002_000 }] });
  });

  it('answers no values before the first scrape, which the engine reports as FailedGetPodsMetric', async () => {
    const { read } = fixture({ a: 'asr_active_requests 1\n' });
    const hpa = hpaWith(podsMetric('asr_active_requests'));
    const metrics = await read(hpa);
    expect(metrics).toEqual([{ podValues: [] }]);
    const { decision } = reconcile({
      hpa,
      observation: { scale: { specReplicas: 1, statusReplicas: 1, selector: 'app=w' }, pods: [pod('a')], metrics },
      state: createInitialState(),
      nowMs: 0,
    });
    expect(decision.events).toContainEqual({
      type: 'Warning',
      reason: 'FailedGetPodsMetric',
      message: 'failed to get pods metric value: unable to get metric asr_active_requests: no metrics returned from custom metrics API',
    });
  });

  it('samples external metrics at each scrape', async () => {
    let replicas = 3;
    const { scraper, read } = fixture({}, { external: { lightning_asr_replica_count: () => replicas } });
    const hpa = hpaWith(external('lightning_asr_replica_count'));
    expect(await read(hpa, [])).toEqual([{ error: 'no sample of lightning_asr_replica_count yet' }]);
    await scraper.scrapeOnce();
    replicas = 5;
    expect(await read(hpa, [])).toEqual([{ valuesMilli: [3_000] }]);
    await scraper.scrapeOnce();
    expect(await read(hpa, [])).toEqual([{ valuesMilli: [5_000] }]);
  });

  it('derives cpu from the rate of process_cpu_seconds_total between two scrapes, and memory from the resident set', async () => {
    const { clock, scraper, pages, read } = fixture({ a: 'process_cpu_seconds_total 10\nprocess_resident_memory_bytes 1048576\n' });
    const hpa = hpaWith(
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '500m' } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1Gi' } } },
    );
    await scraper.scrapeOnce();
    expect((await read(hpa))[0]).toEqual({ podMetrics: [] }); // one scrape: no rate yet
    clock.advance(2_000);
    pages['a'] = 'process_cpu_seconds_total 10.5\nprocess_resident_memory_bytes 2097152\n';
    await scraper.scrapeOnce();
    expect(await read(hpa)).toEqual([
      { podMetrics: [{ podName: 'a', timestampMs: 1_002_000, windowSeconds: 2, containers: [{ name: 'worker', usageMilli: { cpu: 250 } }] }] },
      { podMetrics: [{ podName: 'a', timestampMs: 1_002_000, windowSeconds: 1, containers: [{ name: 'worker', usageMilli: { memory: 2_097_152_000 } }] }] },
    ]);
  });
});

describe('createScraper() start', () => {
  it('scrapes at once, then every interval, and stops on close', async () => {
    let fetches = 0;
    const scraper = createScraper({
      discover: () => [{ podName: 'a', url: 'http://127.0.0.1/a' }],
      clock: systemClock,
      timers: systemTimers,
      intervalMs: 10,
      fetchText: async () => (fetches++, 'm 1\n'),
    });
    void scraper.start();
    const deadline = Date.now() + 5_000;
    while (fetches < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await scraper.close();
    const after = fetches;
    await new Promise((r) => setTimeout(r, 50));
    expect(after).toBeGreaterThanOrEqual(3);
    expect(fetches).toBe(after);
  });
});
