/**
 * The local stack reading its metrics as the HPA does in Kubernetes: worker processes scraped by a
 * real Prometheus (file_sd), the adapter over it, the controller reading the custom metrics API.
 * Scales up under load, holds through a Prometheus outage and resumes after a restart, and stops
 * every process it started.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { findExecutable } from '../../src/metrics/prometheus/promtool.js';
import { applyHpaDefaults } from '../../src/engine/index.js';
import { createRecordedMetricsSource, formatMetricsPipeline, prometheusDuration, RUN_FILE, writeRunFile, type Stack, type StackStatus } from '../../src/stack/index.js';
import { makeWav } from '../../src/workload/audio/make-wav.js';
import { runLoad } from '../../src/workload/load/run-load.js';
import { alive, API_SERVER_HPA, fakeIo, startTestStack, testHpa, TOKEN, waitFor } from './stack-fixture.js';

const HAS_PROMETHEUS = findExecutable('prometheus') !== undefined;
if (!HAS_PROMETHEUS) console.warn("skipping the stack's Prometheus chain tests: 'prometheus' is not on PATH (apt-get install -y prometheus)");

describe('the metrics pipeline line of status and describe', () => {
  it.each([
    { name: 'whole seconds', ms: 1_000, text: '1s' },
    { name: 'minutes as seconds', ms: 90_000, text: '90s' },
    { name: 'a fraction', ms: 1_500, text: '1500ms' },
  ])('prometheusDuration() writes $name', ({ ms, text }) => {
    expect(prometheusDuration(ms)).toBe(text);
  });

  const hpa = applyHpaDefaults({
    metadata: { name: 'lightning-asr' },
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: 'lightning-asr' },
      maxReplicas: 4,
      metrics: [
        { type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } },
        { type: 'External', external: { metric: { name: 'lightning_asr_replica_count' }, target: { type: 'AverageValue', averageValue: '2' } } },
      ],
    },
  });

  it('records the last reading of each metric and shows it under the pipeline', async () => {
    let nowMs = 10_000;
    const source = createRecordedMetricsSource(
      { read: async () => [{ podValues: [{ podName: 'asr-a', valueMilli: 7_000, timestampMs: 0 }, { podName: 'asr-b', valueMilli: 2_500, timestampMs: 0 }] }, { error: 'unable to fetch metrics from external metrics API: Internal error occurred: unable to fetch metrics' }] },
      { clock: { now: () => nowMs } },
    );
    await source.read({ hpa, pods: [], namespace: 'default', selector: 'app=lightning-asr', nowMs });
    nowMs = 13_000;
    const base = { kind: 'hpa-lab/stack-status', nowMs, startedMs: 0, pid: 1, namespace: 'default', apiUrl: '', syncPeriodSeconds: 1, scrapeIntervalSeconds: 1, hpas: [], targets: [], scrape: [], apiServer: { inFlight: 0, workers: [] } } as const;
    const prometheus: StackStatus = {
      ...base,
      metrics: {
        kind: 'prometheus',
        scrapeIntervalSeconds: 1,
        prometheus: { url: 'http://127.0.0.1:9090', pid: 2, up: false, dir: '/x', evaluationIntervalSeconds: 1 },
        adapter: { url: 'http://127.0.0.1:6443', relistIntervalSeconds: 5, configFile: '/x/adapter-config.yaml' },
        reads: source.reads(),
      },
    };
    expect(formatMetricsPipeline(prometheus)?.split('\n')).toEqual([
      'metrics: Prometheus http://127.0.0.1:9090 (down) → adapter http://127.0.0.1:6443 (scrape every 1s, relist every 5s)',
      '  lightning-asr reads asr_active_requests through the adapter (custom.metrics.k8s.io): asr-a=7, asr-b=2500m (3s ago)',
      '  lightning-asr reads lightning_asr_replica_count through the adapter (external.metrics.k8s.io): error: unable to fetch metrics from external metrics API: Internal error occurred: unable to fetch metrics (3s ago)',
    ]);
    const builtIn: StackStatus = { ...base, metrics: { kind: 'built-in', scrapeIntervalSeconds: 15, reads: source.reads().slice(0, 1) } };
    expect(formatMetricsPipeline(builtIn, 'lightning-asr')).toBe('metrics: built-in scraper (every 15s; Prometheus not used)\n  lightning-asr reads asr_active_requests through the built-in scraper: asr-a=7, asr-b=2500m (3s ago)');
    expect(formatMetricsPipeline(builtIn, 'api-server')).toBe('metrics: built-in scraper (every 15s; Prometheus not used)');
    expect(formatMetricsPipeline(base)).toBeUndefined(); // a stack from an older hpa-lab
  });
});

describe.skipIf(!HAS_PROMETHEUS)('the local stack with Prometheus and the adapter (up --prometheus)', () => {
  let dir = '';
  let stack: Stack | undefined;
  const prometheusPids: number[] = [];
  const log: string[] = [];
  const asr = () => stack?.controller.views().find((v) => v.name === 'lightning-asr');
  const scalingActive = () => asr()?.status?.conditions?.find((c) => c.type === 'ScalingActive');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hpa-lab-prom-stack-'));
    stack = await startTestStack({
      hpas: [testHpa({ scaleDownWindowSeconds: 60 }), API_SERVER_HPA],
      prometheus: { runDir: dir, scrapeInterval: '1s', evaluationInterval: '1s', relistIntervalMs: 1_000, log: (line) => log.push(line) },
    });
    prometheusPids.push(stack.prometheus?.prometheus.pid ?? -1);
  }, 30_000);

  afterAll(async () => {
    await stack?.stop({ graceMs: 2_000 });
    for (const pid of prometheusPids) if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the config, rules and targets under the run folder and starts the adapter with the seed rules', async () => {
    const chain = stack?.prometheus;
    expect(chain).toBeDefined();
    expect(chain?.prometheus.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(chain?.adapter.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const config = await readFile(join(dir, 'prometheus', 'prometheus.yml'), 'utf8');
    expect(config).toContain('scrape_interval: 1s');
    expect(config).toContain('job_name: kube-state-metrics');
    expect(config).toContain(chain?.exporter.address ?? '?');
    expect(chain?.prometheus.ruleFiles.map((f) => f.slice(dir.length))).toEqual(['/prometheus/rules/asr-rules.yaml', '/prometheus/rules/asr-alerts.yaml']);
    expect(await readFile(join(dir, 'prometheus', 'adapter-config.yaml'), 'utf8')).toContain('lightning_asr_replica_count');
    // The workers appear in file_sd with pod, namespace and app labels.
    await waitFor(async () => (await readFile(join(dir, 'prometheus', 'targets', 'workers.json'), 'utf8')).includes('"pod": "lightning-asr-'), 'the first worker in file_sd', 10_000);
    const sd = JSON.parse(await readFile(join(dir, 'prometheus', 'targets', 'workers.json'), 'utf8')) as { targets: string[]; labels: Record<string, string> }[];
    expect(sd[0]?.labels).toMatchObject({ app: 'lightning-asr', namespace: 'default', pod: expect.stringMatching(/^lightning-asr-\w{5}$/) as unknown });
  });

  it('reads asr_active_requests through Prometheus and the adapter, and scales up under load', async () => {
    const s = stack as Stack;
    await waitFor(() => scalingActive()?.status === 'True', 'a first value through the adapter (Prometheus scrapes ~6 s after start)', 25_000);
    const load = runLoad({ url: `${s.api.url}/v1/listen`, token: TOKEN, audio: makeWav(1), durationMs: 8_000, concurrency: 20 });
    try {
      await waitFor(async () => (await s.pool.getScale()).specReplicas >= 2, 'a scale-up', 20_000);
    } finally {
      const r = await load;
      expect(r.errors).toEqual({});
    }
    const rescale = asr()?.events.find((e) => e.reason === 'SuccessfulRescale');
    expect(rescale?.message).toMatch(/^New size: [234]; reason: pods metric asr_active_requests above target$/);
    const status = await s.status();
    expect(status.metrics?.kind).toBe('prometheus');
    expect(status.metrics?.prometheus).toMatchObject({ url: s.prometheus?.prometheus.url, up: true });
    const read = status.metrics?.reads.find((r) => r.hpa === 'lightning-asr');
    expect(read).toMatchObject({ metric: 'asr_active_requests', type: 'Pods', ok: true, value: expect.stringMatching(/^lightning-asr-\w{5}=\d+/) as unknown });
    expect(status.metrics?.reads.find((r) => r.hpa === 'api-server')).toMatchObject({ metric: 'lightning_asr_replica_count', ok: true, value: expect.stringMatching(/^\d+$/) as unknown });
    expect(status.scrape.length).toBeGreaterThan(0); // from Prometheus' targets
    expect(formatMetricsPipeline(status)).toMatch(/^metrics: Prometheus http:\/\/127\.0\.0\.1:\d+ → adapter http:\/\/127\.0\.0\.1:\d+ \(scrape every 1s, relist every 1s\)\n {2}lightning-asr reads asr_active_requests through the adapter \(custom\.metrics\.k8s\.io\): lightning-asr-/);

    // The same through the CLI, from the run file.
    await writeRunFile(join(dir, RUN_FILE), { kind: 'hpa-lab/run', pid: process.pid, startedMs: s.startedMs, statusUrl: s.statusUrl, apiUrl: s.api.url, token: TOKEN });
    const cli = fakeIo(dir);
    expect(await main(['status'], cli.io)).toBe(0);
    expect(cli.out()).toMatch(/^NAME\s+REFERENCE\s+TARGETS/);
    expect(cli.err()).toBe('');
    expect(cli.out()).toContain(`\nmetrics: Prometheus ${s.prometheus?.prometheus.url ?? '?'} → adapter ${s.prometheus?.adapter.url ?? '?'}`);
    const described = fakeIo(dir);
    expect(await main(['describe', 'lightning-asr'], described.io)).toBe(0);
    expect(described.out()).toMatch(/lightning-asr reads asr_active_requests through the adapter \(custom\.metrics\.k8s\.io\): lightning-asr-\w{5}=\d+/);
  }, 45_000);

  it('holds with ScalingActive=False/FailedGetPodsMetric while Prometheus is down, and resumes after a restart', async () => {
    const s = stack as Stack;
    const chain = s.prometheus;
    if (!chain) throw new Error('no chain');
    const killed = chain.prometheus.pid;
    const port = chain.prometheus.port;
    const replicas = (await s.pool.getScale()).specReplicas;
    process.kill(killed, 'SIGKILL');
    await waitFor(() => scalingActive()?.status === 'False', 'ScalingActive=False', 10_000);
    expect(scalingActive()?.reason).toBe('FailedGetPodsMetric');
    expect(chain.prometheusUp()).toBe(false);
    // Two more syncs without Prometheus: the replicas hold.
    const since = asr()?.lastSyncMs ?? 0;
    await waitFor(() => (asr()?.lastSyncMs ?? 0) >= since + 2 * s.controller.syncPeriodMs, 'two more syncs', 10_000);
    expect((await s.pool.getScale()).specReplicas).toBe(replicas);
    expect(scalingActive()).toMatchObject({ status: 'False', reason: 'FailedGetPodsMetric' });
    expect(asr()?.events.some((e) => e.reason === 'FailedGetPodsMetric' && e.message.includes('unable to fetch metrics from custom metrics API'))).toBe(true);
    expect(log.some((l) => l.startsWith(`Prometheus (pid ${killed}) exited unexpectedly (signal SIGKILL)`))).toBe(true);
    expect((await s.status()).metrics?.prometheus?.up).toBe(false);

    const restarted = await chain.restartPrometheus();
    prometheusPids.push(restarted.pid);
    expect(restarted.pid).not.toBe(killed);
    expect(restarted.port).toBe(port); // the adapter keeps its Prometheus URL
    await waitFor(() => scalingActive()?.status === 'True', 'ScalingActive=True again', 20_000);
    expect(scalingActive()?.reason).toBe('ValidMetricFound');
    expect(chain.prometheusUp()).toBe(true);
  }, 45_000);

  it('stops Prometheus, the adapter and the exporter with the stack', async () => {
    const s = stack as Stack;
    const chain = s.prometheus;
    if (!chain) throw new Error('no chain');
    const pid = chain.prometheus.pid;
    expect(alive(pid)).toBe(true);
    await s.stop({ graceMs: 2_000 });
    expect(prometheusPids.filter(alive)).toEqual([]);
    await expect(fetch(`${chain.adapter.url}/apis/custom.metrics.k8s.io/v1beta1`)).rejects.toThrow();
    await expect(fetch(chain.exporter.url)).rejects.toThrow();
  }, 20_000);
});
