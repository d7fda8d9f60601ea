import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { formatDiagnosis } from '../../src/diagnose/index.js';
import { connectCluster, diagnoseCluster, ruleMetricName } from '../../src/kube/client/index.js';
import { startFakeKubeApi, type FakeWorld, type RunningFake } from './fake-kube-api.js';
import { asrWorld } from './worlds.js';

function fakeIo() {
  let stdout = '';
  let stderr = '';
  return { io: { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } }, out: () => stdout, err: () => stderr };
}

let fake: RunningFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const RULES = `rules:
- seriesQuery: 'asr_active_requests{namespace!="",pod!=""}'
  resources: {overrides: {namespace: {resource: namespace}, pod: {resource: pod}}}
  name: {matches: "^(.*)$", as: "$1"}
  metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)'
`;

function monitoredWorld(nowMs: number, opts: { monitor?: boolean } = {}): FakeWorld {
  const w = asrWorld(nowMs);
  w.objects.push(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'prometheus-adapter', namespace: 'monitoring' }, data: { 'config.yaml': RULES } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lightning-asr', namespace: 'smallest', labels: { app: 'lightning-asr' } }, spec: { selector: { app: 'lightning-asr' } } },
  );
  if (opts.monitor !== false) {
    w.objects.push({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'lightning-asr', namespace: 'smallest' }, spec: { selector: { matchLabels: { app: 'lightning-asr' } }, endpoints: [{ port: 'metrics' }] } });
  }
  return w;
}

function fakePrometheus(opts: { up: boolean }): typeof fetch {
  const app = new Hono();
  app.get('/api/v1/series', (c) => c.json({ status: 'success', data: [{ __name__: 'asr_active_requests', namespace: 'smallest', pod: 'lightning-asr-7d9f-0', service: 'lightning-asr' }] }));
  app.get('/api/v1/targets', (c) => c.json({ status: 'success', data: { activeTargets: [{ labels: { namespace: 'smallest', service: 'lightning-asr' }, health: opts.up ? 'up' : 'down', lastError: opts.up ? '' : 'connection refused' }] } }));
  return ((url: string) => app.fetch(new Request(url))) as typeof fetch;
}

describe('hpa-lab diagnose --cluster', () => {
  it('passes every link of a healthy chain (exit 0)', async () => {
    fake = await startFakeKubeApi(asrWorld(Date.now()));
    const f = fakeIo();
    expect(await main(['diagnose', '--cluster', '--kubeconfig', fake.kubeconfig, '-n', 'smallest'], f.io)).toBe(0);
    expect(f.out()).toContain('✓ APIService registered and Available');
    expect(f.out()).toContain('✓ Discovery lists the metric');
    expect(f.out()).toContain("✓ A value for the HPA's pods");
    expect(f.out()).toContain('2 of 2 pod(s) have a value');
    expect(f.out()).toContain('No broken link found.');
  });

  it.each([
    { name: 'no APIService', edit: (w: FakeWorld) => void (w.objects = w.objects.filter((o) => o.kind !== 'APIService')), first: 'APIService registered', fix: 'install prometheus-adapter' },
    {
      name: 'an APIService not Available',
      edit: (w: FakeWorld) => void (w.objects.find((o) => o.kind === 'APIService').status.conditions[0] = { type: 'Available', status: 'False', reason: 'MissingEndpoints', message: 'endpoints for service/prometheus-adapter in "monitoring" have no addresses' }),
      first: 'APIService registered and Available',
      fix: 'kubectl -n monitoring get pods,endpoints prometheus-adapter',
    },
    { name: 'a metric discovery does not list', edit: (w: FakeWorld) => void (w.podValues = []), first: 'Discovery lists the metric', fix: 'the adapter has no rule producing this name' },
  ])('names the first broken link for $name, with its fix (exit 1)', async ({ edit, first, fix }) => {
    const w = asrWorld(Date.now());
    edit(w);
    fake = await startFakeKubeApi(w);
    const f = fakeIo();
    expect(await main(['diagnose', '--cluster', '--kubeconfig', fake.kubeconfig, '-n', 'smallest', 'lightning-asr'], f.io)).toBe(1);
    expect(f.out()).toContain(`first broken link: ${first}`);
    expect(f.out()).toContain(fix);
  });

  it('with Prometheus: series, adapter rule from its ConfigMap, ServiceMonitor, target up', async () => {
    fake = await startFakeKubeApi(monitoredWorld(Date.now()));
    const client = connectCluster({ kubeconfig: fake.kubeconfig });
    const d = await diagnoseCluster(client, { namespace: 'smallest', prometheusUrl: 'http://prometheus.test', nowMs: Date.now(), fetch: fakePrometheus({ up: true }) });
    client.close();
    const text = formatDiagnosis(d);
    expect(text).toContain('✓ Prometheus has the series');
    expect(text).toContain('✓ An adapter rule names the metric');
    expect(text).toContain('ConfigMap monitoring/prometheus-adapter');
    expect(text).toContain('✓ A ServiceMonitor selects the Service');
    expect(text).toContain('✓ Scrape targets are up');
    expect(d.ok).toBe(true);
  });

  it('with Prometheus: a missing ServiceMonitor and a down target are broken links with fixes', async () => {
    fake = await startFakeKubeApi(monitoredWorld(Date.now(), { monitor: false }));
    const client = connectCluster({ kubeconfig: fake.kubeconfig });
    const d = await diagnoseCluster(client, { namespace: 'smallest', prometheusUrl: 'http://prometheus.test', nowMs: Date.now(), fetch: fakePrometheus({ up: false }) });
    client.close();
    const text = formatDiagnosis(d);
    expect(text).toContain('✗ A ServiceMonitor selects the Service');
    expect(text).toContain('fix: create a ServiceMonitor in smallest with selector.matchLabels {"app":"lightning-asr"}');
    expect(text).toContain('✗ Scrape targets are up');
    expect(text).toContain('0 of 1 target(s) of Service lightning-asr up: connection refused');
    expect(d.ok).toBe(false);
  });

  it.each([
    { rule: { name: { matches: '^(.*)_total$', as: '${1}_per_second' } }, series: 'http_requests_total', want: 'http_requests_per_second' },
    { rule: {}, series: 'asr_active_requests', want: 'asr_active_requests' },
    { rule: { name: { matches: '^foo$' } }, series: 'bar', want: undefined },
  ])('names series as the adapter does: $series → $want', ({ rule, series, want }) => {
    expect(ruleMetricName(rule, series)).toBe(want);
  });

  it('exits 2 for file flags with --cluster', async () => {
    const f = fakeIo();
    expect(await main(['diagnose', '--cluster', '--rules', 'x.yaml'], f.io)).toBe(2);
    expect(f.err()).toContain("'--rules' is for HPA files");
  });
});
