/**
 * The metrics chain with a real Prometheus on 127.0.0.1: two real ASR workers (in-process) and a
 * stack exporter scraped through file_sd, the adapter over it, diagnose on injected breaks, and a
 * Prometheus outage seen through the adapter by the engine.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/index.js';
import { main } from '../../src/cli/main.js';
import { applyHpaDefaults, createInitialState, reconcile, type HorizontalPodAutoscaler, type PodInfo } from '../../src/engine/index.js';
import { compileAdapterConfigText, loadAdapterConfigFile, SEED_ADAPTER_VALUES } from '../../src/metrics/adapter/adapter-config-file.js';
import { startAdapterServer, type AdapterServer } from '../../src/metrics/adapter/server.js';
import { createAdapterMetricsSource } from '../../src/metrics/adapter-metrics-source.js';
import { createPrometheusClient } from '../../src/metrics/prometheus-client.js';
import { findExecutable, startPrometheus, startStackExporter, STACK_EXPORTER_JOB, type FileSdTarget, type PrometheusHandle, type StackExporter } from '../../src/metrics/prometheus/index.js';
import { InputError } from '../../src/core/errors.js';
import { makeWav } from '../../src/workload/audio/make-wav.js';
import { GET_TEXT_PATH } from '../../src/workload/worker/worker-app.js';
import { startWorker, type WorkerHandle } from '../../src/workload/worker/worker-server.js';
import { waitFor } from './wait-for.js';

const HAS = findExecutable('prometheus') !== undefined && findExecutable('promtool') !== undefined;
if (!HAS) console.warn('skipping the real-Prometheus integration tests: prometheus/promtool are not installed (apt-get install -y prometheus)');

const NS = 'default';
const SELECTOR = 'app=lightning-asr';
const HPA: HorizontalPodAutoscaler = applyHpaDefaults({
  metadata: { name: 'lightning-asr', namespace: NS },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'lightning-asr' },
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [{ type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '1' } } }],
  },
});
const API_HPA: HorizontalPodAutoscaler = applyHpaDefaults({
  metadata: { name: 'api-server', namespace: NS },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api-server' },
    maxReplicas: 10,
    metrics: [{ type: 'External', external: { metric: { name: 'lightning_asr_replica_count' }, target: { type: 'AverageValue', averageValue: '2' } } }],
  },
});
const POD = (name: string): PodInfo => ({ name, labels: { app: 'lightning-asr' }, phase: 'Running', startTimeMs: Date.now() - 600_000, ready: { status: 'True', lastTransitionTimeMs: Date.now() - 600_000 } });

/** An exporter whose one sample carries a timestamp two minutes old (a stuck source). */
async function startStaleExporter(): Promise<{ server: Server; address: string }> {
  const stampMs = Date.now() - 120_000;
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`# TYPE asr_active_requests gauge\nasr_active_requests 4 ${stampMs}\n`));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe.skipIf(!HAS)('the metrics chain with a real Prometheus', () => {
  let runDir = '';
  let prom: PrometheusHandle;
  let ksm: StackExporter;
  let stale: { server: Server; address: string };
  const workers: WorkerHandle[] = [];
  let adapter: AdapterServer;
  const inflight: Promise<unknown>[] = [];
  const compiled = compileAdapterConfigText(SEED_ADAPTER_VALUES, 'seed values').compiled; // chart defaults included, as deployed
  const rules = { ok: true as const, loaded: compileAdapterConfigText(SEED_ADAPTER_VALUES, 'seed values') };

  beforeAll(async () => {
    runDir = await mkdtemp(join(tmpdir(), 'hpa-lab-prom-'));
    for (let i = 0; i < 2; i++) workers.push(await startWorker({ port: 0, metricsPort: 0, modelLoadMs: 0, defaultMetrics: false, rtf: 60, maxConcurrency: 8 }));
    // Long requests keep asr_active_requests at 3 on asr-0 and 1 on asr-1.
    const send = (w: WorkerHandle) => inflight.push(fetch(`${w.url}${GET_TEXT_PATH}`, { method: 'POST', body: makeWav(1) }).then((r) => r.arrayBuffer()).catch(() => undefined));
    for (let k = 0; k < 3; k++) send(workers[0] as WorkerHandle);
    send(workers[1] as WorkerHandle);
    await waitFor(async () => ((workers[0] as WorkerHandle).app.stats().activeRequests === 3 && (workers[1] as WorkerHandle).app.stats().activeRequests === 1 ? true : undefined), { what: 'requests in flight' });
    ksm = await startStackExporter();
    ksm.setDeploymentReplicas({ namespace: NS, deployment: 'lightning-asr' }, 2);
    stale = await startStaleExporter();
    const targets: FileSdTarget[] = [
      ...workers.map((w, i) => ({ address: `127.0.0.1:${w.metricsPort}`, pod: `asr-${i}`, namespace: NS, labels: { app: 'lightning-asr' } })),
      { address: stale.address, pod: 'asr-stuck', namespace: 'stuck', labels: { app: 'lightning-asr' } },
    ];
    prom = await startPrometheus({
      runDir,
      scrapeInterval: '1s',
      evaluationInterval: '1s',
      staticJobs: [{ jobName: STACK_EXPORTER_JOB, targets: [ksm.address], honorLabels: true }],
      targets,
    });
    const client = createPrometheusClient(prom.url);
    await waitFor(async () => {
      const data = await client.query('asr_active_requests');
      const ext = await client.query('kube_deployment_status_replicas');
      return data.resultType === 'vector' && data.result.length === 3 && ext.resultType === 'vector' && ext.result.length === 1 ? true : undefined;
    }, { timeoutMs: 25_000, what: 'the first scrapes' });
    // Upstream's max age defaults to the relist interval; a relist window shorter than the scrape
    // interval would miss series, so keep a minute.
    adapter = await startAdapterServer({ compiled, prometheus: prom.url, relistIntervalMs: 500, metricsMaxAgeMs: 60_000 });
  }, 60_000);

  afterAll(async () => {
    await adapter?.close();
    await prom?.stop();
    await ksm?.close();
    await new Promise((r) => (stale ? stale.server.close(() => r(undefined)) : r(undefined)));
    await Promise.all(workers.map((w) => w.stop({ graceMs: 0 })));
    await Promise.all(inflight);
    if (runDir) await rm(runDir, { recursive: true, force: true });
  });

  it('loads the seed rule groups', async () => {
    const res = (await (await fetch(`${prom.url}/api/v1/rules`)).json()) as { data: { groups: { name: string; rules: { name: string }[] }[] } };
    expect(res.data.groups.map((g) => [g.name, g.rules.map((r) => r.name)])).toEqual([
      ['asr_alerts', ['HighErrorRate', 'HighQueueLength', 'GPUMemoryHigh']],
      ['asr_aggregations', ['asr:requests:rate5m', 'asr:requests:active_avg', 'asr:gpu:utilization_avg']],
    ]);
  });

  it('answers pods/*/asr_active_requests over HTTP with the values the workers expose', async () => {
    const res = await fetch(`${adapter.url}/apis/custom.metrics.k8s.io/v1beta1/namespaces/${NS}/pods/*/asr_active_requests?labelSelector=${encodeURIComponent(SELECTOR)}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { kind: string; items: { describedObject: { name: string; kind: string }; metricName: string; value: string }[] };
    expect(body.kind).toBe('MetricValueList');
    expect(body.items.map((i) => [i.describedObject.kind, i.describedObject.name, i.metricName, i.value])).toEqual([
      ['Pod', 'asr-0', 'asr_active_requests', '3'],
      ['Pod', 'asr-1', 'asr_active_requests', '1'],
    ]);
  });

  it('serves lightning_asr_replica_count from the stack exporter, and the engine scales the API server on it', async () => {
    const source = createAdapterMetricsSource({ baseUrl: adapter.url });
    const readings = await source.read({ hpa: API_HPA, pods: [], namespace: NS, selector: 'app=api-server', nowMs: Date.now() });
    expect(readings).toEqual([{ valuesMilli: [2000] }]);
    ksm.setDeploymentReplicas({ namespace: NS, deployment: 'lightning-asr' }, 6);
    const moved = await waitFor(async () => {
      const [r] = await source.read({ hpa: API_HPA, pods: [], namespace: NS, selector: 'app=api-server', nowMs: Date.now() });
      return r && 'valuesMilli' in r && r.valuesMilli[0] === 6000 ? r : undefined;
    }, { what: 'the new replica count' });
    const apiPods = [{ ...POD('api-0'), labels: { app: 'api-server' } }];
    const { decision } = reconcile({ hpa: API_HPA, observation: { scale: { specReplicas: 1, statusReplicas: 1, selector: 'app=api-server' }, pods: apiPods, metrics: [moved] }, state: createInitialState(), nowMs: Date.now() });
    expect(decision.desiredReplicas).toBe(3); // ceil(6 / 2)
  });

  it('diagnose finds no broken link on the healthy stack', async () => {
    const d = await diagnose({ hpas: [HPA], prometheus: createPrometheusClient(prom.url), rules, selector: SELECTOR, nowMs: Date.now() });
    const checks = d.hpas[0]?.metrics[0]?.checks ?? [];
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['rules', 'pass'],
      ['prometheus', 'pass'],
      ['targets', 'pass'],
      ['series', 'pass'],
      ['rule', 'pass'],
      ['labels', 'pass'],
      ['api', 'pass'],
      ['fresh', 'pass'],
    ]);
    expect(checks.find((c) => c.id === 'api')?.evidence).toBe('2 items: asr-0=3, asr-1=1 (in-process adapter)');
    expect(d.hpas[0]?.decision).toMatchObject({ status: 'pass', evidence: expect.stringContaining('current 2, desired 4') as unknown });
    expect(d.ok).toBe(true);
  });

  it('diagnose on a misspelled metric says which name it probably means', async () => {
    const misspelled = JSON.parse(JSON.stringify(HPA).replace(/"asr_active_requests"/g, '"asr_active_request"')) as typeof HPA;
    const d = await diagnose({ hpas: [misspelled], prometheus: createPrometheusClient(prom.url), rules, selector: SELECTOR, nowMs: Date.now() });
    const first = d.hpas[0]?.metrics[0]?.checks.find((c) => c.status === 'fail');
    expect(first?.evidence).toContain("did you mean 'asr_active_requests'?");
    expect(d.ok).toBe(false);
  });

  const wrongLabel = SEED_ADAPTER_VALUES.replace('  rules:\n', '  rules:\n    default: false\n').replace('pod: {resource: "pod"}', 'pod_name: {resource: "pod"}');
  const wrongSeries = SEED_ADAPTER_VALUES.replace('  rules:\n', '  rules:\n    default: false\n').replace('seriesQuery: "asr_active_requests"', 'seriesQuery: "asr_active_request"');
  it.each([
    { name: 'a rule mapping the wrong label', text: wrongLabel, id: 'labels', evidence: 'no label of asr_active_requests maps to pods', fix: 'resources.overrides.pod: {resource: pod}' },
    { name: 'a rule selecting a misspelled series', text: wrongSeries, id: 'rule', evidence: "no rule's seriesQuery discovers a series named asr_active_requests", fix: "add a rule: seriesQuery 'asr_active_requests'" },
  ])('diagnose names $name as the first broken link', async ({ text, id, evidence, fix }) => {
    const loaded = compileAdapterConfigText(text, 'rules.yaml');
    const d = await diagnose({ hpas: [HPA], prometheus: createPrometheusClient(prom.url), rules: { ok: true, loaded }, selector: SELECTOR, nowMs: Date.now() });
    const m = d.hpas[0]?.metrics[0];
    const first = m?.checks.find((c) => c.status === 'fail');
    expect(first?.id).toBe(id);
    expect(first?.evidence).toContain(evidence);
    expect(first?.fix).toContain(fix);
    expect(d.ok).toBe(false);
  });

  it('diagnose (CLI) reports a rule with a bad regex with the file, the rule index and the reason', async () => {
    const file = join(runDir, 'bad-regex.yaml');
    await writeFile(file, 'rules:\n- seriesQuery: asr_active_requests\n  resources: {overrides: {namespace: {resource: namespace}, pod: {resource: pod}}}\n  name: {matches: "^(asr_.*$", as: "$1"}\n  metricsQuery: asr_active_requests{<<.LabelMatchers>>}\n');
    let out = '';
    const code = await main(['diagnose', '--prometheus', prom.url, '--rules', file, '--selector', SELECTOR], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, cwd: runDir });
    expect(code).toBe(1);
    expect(out).toMatch(/✗ adapter rules load +Cannot load '.*bad-regex\.yaml:line 4' at 'rules\[0\]\.name\.matches': unable to compile series name match expression "\^\(asr_\.\*\$": .*missing closing \)/);
    expect(out).toContain('first broken link: adapter rules load');
  });

  it.each([
    { name: 'invalid PromQL', rule: 'metricsQuery: "sum(asr_active_requests{<<.LabelMatchers>>}"', path: 'rules[0].metricsQuery', detail: 'unclosed left parenthesis' },
    { name: 'an unknown template field', rule: 'metricsQuery: "<<.Serie>>{<<.LabelMatchers>>}"', path: 'rules[0].metricsQuery', detail: "unknown template field '.Serie'" },
  ])('loading rules rejects $name with the rule index and the reason', async ({ rule, path, detail }) => {
    const file = join(runDir, 'bad-rule.yaml');
    await writeFile(file, `rules:\n- seriesQuery: asr_active_requests\n  resources: {overrides: {namespace: {resource: namespace}, pod: {resource: pod}}}\n  ${rule}\n`);
    const error = await loadAdapterConfigFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).path).toBe(path);
    expect((error as InputError).message).toContain(detail);
    expect((error as InputError).message).toContain('bad-rule.yaml');
  });

  it('diagnose flags a series whose samples are older than two scrape intervals', async () => {
    const d = await diagnose({ hpas: [HPA], prometheus: createPrometheusClient(prom.url), rules, selector: SELECTOR, namespace: 'stuck', nowMs: Date.now() });
    const checks = d.hpas[0]?.metrics[0]?.checks ?? [];
    expect(checks.find((c) => c.status === 'fail')).toMatchObject({ id: 'fresh', evidence: expect.stringMatching(/^1 of 1 series older than 2 × the 1s scrape interval: asr-stuck 1\d\d\.\ds old$/) as unknown });
    expect(checks.find((c) => c.id === 'api')).toMatchObject({ status: 'pass', evidence: '1 item: asr-stuck=4 (in-process adapter)' });
  });

  it('diagnose finds a target that went down', async () => {
    await (workers[1] as WorkerHandle).stop({ graceMs: 0 });
    const client = createPrometheusClient(prom.url);
    await waitFor(async () => ((await client.targets()).activeTargets.some((t) => t.labels['pod'] === 'asr-1' && t.health === 'down') ? true : undefined), { what: 'the target to be down' });
    const d = await diagnose({ hpas: [HPA], prometheus: client, rules, selector: SELECTOR, nowMs: Date.now() });
    const m = d.hpas[0]?.metrics[0];
    expect(m?.firstBroken).toBe('targets scraped and up');
    expect(m?.checks.find((c) => c.id === 'targets')?.evidence).toMatch(/^1 of 3 targets of job lightning-asr down: 127\.0\.0\.1:\d+ \(pod asr-1\): .*connection refused/);
  });

  it('holds with ScalingActive=False/FailedGetPodsMetric while Prometheus is down, and reads values again when it is back', async () => {
    const source = createAdapterMetricsSource({ baseUrl: adapter.url });
    const read = () => source.read({ hpa: HPA, pods: [POD('asr-0')], namespace: NS, selector: SELECTOR, nowMs: Date.now() });
    const port = prom.port;
    await prom.stop({ signal: 'SIGKILL' });
    const [reading] = await read();
    expect(reading).toEqual({ error: 'unable to fetch metrics from custom metrics API: Internal error occurred: unable to fetch metrics' });
    const { decision } = reconcile({ hpa: HPA, observation: { scale: { specReplicas: 1, statusReplicas: 1, selector: SELECTOR }, pods: [POD('asr-0')], metrics: [reading ?? { error: '' }] }, state: createInitialState(), nowMs: Date.now() });
    expect(decision.scaleTo).toBeNull(); // holds: no rescale
    expect(decision.status.currentReplicas).toBe(1);
    expect(decision.status.conditions?.find((c) => c.type === 'ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetPodsMetric' });
    expect(decision.events.map((e) => e.reason)).toEqual(['FailedGetPodsMetric', 'FailedComputeMetricsReplicas']);

    prom = await startPrometheus({ runDir, port, scrapeInterval: '1s', evaluationInterval: '1s', staticJobs: [{ jobName: STACK_EXPORTER_JOB, targets: [ksm.address], honorLabels: true }], targets: [{ address: `127.0.0.1:${(workers[0] as WorkerHandle).metricsPort}`, pod: 'asr-0', namespace: NS, labels: { app: 'lightning-asr' } }] });
    const back = await waitFor(async () => {
      const [r] = await read();
      return r && 'podValues' in r && r.podValues.length > 0 ? r : undefined;
    }, { what: 'values through the adapter again' });
    expect(back.podValues.find((v) => v.podName === 'asr-0')?.valueMilli).toBe(3000);
    const again = reconcile({ hpa: HPA, observation: { scale: { specReplicas: 1, statusReplicas: 1, selector: SELECTOR }, pods: [POD('asr-0')], metrics: [back] }, state: createInitialState(), nowMs: Date.now() });
    expect(again.decision.status.conditions?.find((c) => c.type === 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound' });
  });
});
