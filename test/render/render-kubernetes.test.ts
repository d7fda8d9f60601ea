import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHelmValues } from '../../src/input/index.js';
import { findExecutable } from '../../src/metrics/prometheus/index.js';
import { checkDashboard, checkRendered, grafanaDashboard, renderKubernetes, validateManifest, type KubeObject } from '../../src/render/index.js';

const VALUES = new URL('../../examples/lightning-asr/values.yaml', import.meta.url);
const text = readFileSync(VALUES, 'utf8');
const rendered = renderKubernetes(text, 'values.yaml', { shadow: true });
const all = rendered.files.flatMap((f) => f.objects);
const byKind = (kind: string): KubeObject[] => all.filter((o) => o.kind === kind);
const HAS_PROMTOOL = findExecutable('promtool') !== undefined;

describe('renderKubernetes()', () => {
  it("renders every object of the seeds' values, in files", () => {
    expect(rendered.files.map((f) => `${f.path}: ${f.objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`)).toEqual([
      'hpa.yaml: HorizontalPodAutoscaler/lightning-asr, HorizontalPodAutoscaler/api-server',
      'servicemonitor.yaml: ServiceMonitor/lightning-asr',
      'prometheusrule.yaml: PrometheusRule/smallest-prometheus-stack-asr-rules, PrometheusRule/smallest-prometheus-stack-asr-alerts',
      'adapter.yaml: ConfigMap/prometheus-adapter, APIService/v1beta1.custom.metrics.k8s.io, APIService/v1beta2.custom.metrics.k8s.io, APIService/v1beta1.external.metrics.k8s.io',
      'grafana-dashboard-configmap.yaml: ConfigMap/lightning-asr-dashboard',
      'shadow.yaml: ServiceAccount/hpa-lab-shadow, ClusterRole/hpa-lab-shadow-read, ClusterRoleBinding/hpa-lab-shadow-read, Deployment/hpa-lab-shadow',
    ]);
  });

  it('renders the HPAs exactly as explain builds them from the values, in the values namespace', () => {
    const expected = parseHelmValues(text, 'values.yaml').hpas;
    const hpas = byKind('HorizontalPodAutoscaler') as unknown as typeof expected;
    expect(hpas.map((h) => h.spec)).toEqual(expected.map((h) => h.spec));
    expect(hpas.map((h) => h.metadata.namespace)).toEqual(['smallest', 'smallest']);
    expect(renderKubernetes(text, 'values.yaml', { namespace: 'prod' }).hpas.map((h) => h.metadata.namespace)).toEqual(['prod', 'prod']);
  });

  it("renders the seeds' ServiceMonitor, rules and adapter config", () => {
    expect(byKind('ServiceMonitor')[0]).toMatchObject({ spec: { selector: { matchLabels: { app: 'lightning-asr' } }, endpoints: [{ port: 'metrics', path: '/metrics' }] } });
    const groups = byKind('PrometheusRule').flatMap((r) => (r['spec'] as { groups: { rules: { record?: string; alert?: string }[] }[] }).groups);
    expect(groups.flatMap((g) => g.rules.map((r) => r.record ?? r.alert))).toEqual([
      'asr:requests:rate5m',
      'asr:requests:active_avg',
      'asr:gpu:utilization_avg',
      'HighErrorRate',
      'HighQueueLength',
      'GPUMemoryHigh',
    ]);
    const config = (byKind('ConfigMap')[0] as unknown as { data: Record<string, string> }).data['config.yaml'];
    expect(config).toContain('seriesQuery: asr_active_requests');
    expect(config).toContain('as: lightning_asr_replica_count');
    expect(byKind('APIService').map((a) => (a['spec'] as { service: { name: string; namespace: string } }).service)).toEqual(
      Array(3).fill({ name: 'prometheus-adapter', namespace: 'kube-system', port: 443 }),
    );
  });

  it('gives the shadow read-only RBAC: no write verb anywhere', () => {
    const role = byKind('ClusterRole')[0] as unknown as { rules: { verbs: string[] }[] };
    expect(new Set(role.rules.flatMap((r) => r.verbs))).toEqual(new Set(['get', 'list', 'watch']));
  });

  it('builds a dashboard with the seven asr_* metrics, desired vs current replicas, conditions and alerts', () => {
    const exprs = rendered.dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    for (const m of ['asr_active_requests', 'asr_total_requests', 'asr_failed_requests', 'asr_request_duration_seconds', 'asr_model_load_time_seconds', 'asr_gpu_utilization', 'asr_gpu_memory_used_bytes']) {
      expect(exprs).toContain(m);
    }
    for (const m of ['kube_horizontalpodautoscaler_status_desired_replicas', 'kube_horizontalpodautoscaler_status_current_replicas', 'kube_horizontalpodautoscaler_spec_max_replicas', 'kube_horizontalpodautoscaler_status_condition']) {
      expect(exprs).toContain(`${m}{namespace="$namespace", horizontalpodautoscaler="lightning-asr"`);
    }
    expect(exprs).toContain('asr_gpu_memory_used_bytes / 24000000000 > 0.9');
    const cm = byKind('ConfigMap').find((c) => c.metadata.name === 'lightning-asr-dashboard') as unknown as { metadata: { labels: Record<string, string> }; data: Record<string, string> };
    expect(cm.metadata.labels).toEqual({ grafana_dashboard: '1' });
    expect(JSON.parse(cm.data['lightning-asr.json'] as string)).toEqual(rendered.dashboard);
  });

  it('validates every document (schemas, dashboard, promtool when installed)', async () => {
    const checks = await checkRendered(rendered);
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['schemas (kubernetes-models, prometheus-operator CRDs)', true],
      ['dashboard fields', true],
      ['promtool check rules', true],
    ]);
    if (HAS_PROMTOOL) expect(checks[2]?.detail).toBe('SUCCESS: 6 rules in 2 PrometheusRules');
    else console.warn('render: promtool is not installed, so the rule check was skipped (apt-get install -y prometheus)');
  });

  it.runIf(HAS_PROMTOOL)('fails the promtool check on a rule that does not parse', async () => {
    const broken = text.replace('expr: rate(asr_total_requests[5m])', 'expr: rate(asr_total_requests[5m]');
    const checks = await checkRendered(renderKubernetes(broken, 'values.yaml'));
    expect(checks.find((c) => c.name === 'promtool check rules')?.ok).toBe(false);
  });
});

describe('validateManifest()', () => {
  it.each([
    { name: 'a ServiceMonitor port given as a number', object: { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'm' }, spec: { selector: {}, endpoints: [{ port: 2269 }] } }, want: 'ServiceMonitor/m: data/spec/endpoints/0/port must be string' },
    { name: 'an HPA without maxReplicas', object: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'd' } } }, want: 'HorizontalPodAutoscaler/h: data/spec must have required property maxReplicas' },
    { name: 'a ConfigMap with a number value', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 1 } }, want: 'ConfigMap/c: data/data/a must be string' },
  ])('refuses $name', ({ object, want }) => {
    expect(validateManifest(object as unknown as KubeObject)).toContain(want);
  });

  it('throws for a kind it has no schema for', () => {
    const call = (): string[] => validateManifest({ apiVersion: 'x/v1', kind: 'Thing', metadata: { name: 't' } });
    expect(call).toThrow(TypeError);
    expect(call).toThrow(/^Cannot validate 'x\/v1\/Thing': expected one of autoscaling\/v2\/HorizontalPodAutoscaler, /);
  });
});

describe('checkDashboard()', () => {
  const good = grafanaDashboard({ hpas: rendered.hpas, alerts: [], namespace: 'smallest' });
  it.each([
    { name: 'no schemaVersion', mutate: (d: Record<string, unknown>) => delete d['schemaVersion'], want: 'schemaVersion: expected an integer >= 16' },
    { name: 'a panel past the 24-column grid', mutate: (d: Record<string, unknown>) => ((d['panels'] as { gridPos: { x: number } }[])[0]!.gridPos.x = 20), want: 'panels[0].gridPos: x + w must stay within the 24-column grid, got x=20 w=12' },
    { name: 'a panel without targets', mutate: (d: Record<string, unknown>) => ((d['panels'] as { targets: unknown[] }[])[1]!.targets = []), want: 'panels[1].targets: expected at least one query' },
    { name: 'a panel without datasource', mutate: (d: Record<string, unknown>) => delete (d['panels'] as Record<string, unknown>[])[2]!['datasource'], want: 'panels[2].datasource: expected {type, uid}' },
    { name: 'duplicate panel ids', mutate: (d: Record<string, unknown>) => ((d['panels'] as { id: number }[])[3]!.id = 1), want: 'panels[3].id: duplicate id 1' },
  ])('reports $name', ({ mutate, want }) => {
    const d = structuredClone(good) as unknown as Record<string, unknown>;
    mutate(d);
    expect(checkDashboard(d)).toContain(want);
  });
  it('accepts the rendered dashboard, panels tiling the grid without overlap', () => {
    expect(checkDashboard(good)).toEqual([]);
    const cells = new Set<string>();
    for (const p of good.panels) {
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });
});
