/**
 * `render --kubernetes`: what the seeds' Helm values deploy on a cluster, as manifests. The HPAs
 * come from `parseHelmValues` (the same ones `explain` and `simulate` run), the rules from the
 * values' `additionalPrometheusRulesMap` over the seeds', the adapter config from the values'
 * `prometheus-adapter.rules` (else the seeds').
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { HorizontalPodAutoscaler } from '../engine/index.js';
import { parseHelmValues } from '../input/index.js';
import { type AdapterConfig, parseAdapterConfig, SEED_ADAPTER_VALUES } from '../metrics/adapter/index.js';
import { checkRules, findExecutable } from '../metrics/prometheus/index.js';
import { adapterApiServices, adapterConfigMap } from './adapter-manifests.js';
import { readChartSettings, type ChartSettings } from './chart-settings.js';
import { checkDashboard, dashboardConfigMap, grafanaDashboard, type DashboardAlert, type GrafanaDashboard } from './grafana-dashboard.js';
import type { KubeObject } from './kube-object.js';
import { prometheusRules, serviceMonitor } from './monitoring-manifests.js';
import { shadowManifests } from './shadow-manifests.js';
import { validateManifest } from './validate-manifest.js';

/** One output file: its objects (YAML stream) or the dashboard (JSON). */
export interface RenderedManifestFile {
  readonly path: string;
  readonly objects: readonly KubeObject[];
}

/** What `renderKubernetes()` returns. */
export interface RenderedKubernetes {
  readonly files: readonly RenderedManifestFile[];
  readonly dashboard: GrafanaDashboard;
  readonly hpas: readonly HorizontalPodAutoscaler[];
  readonly settings: ChartSettings;
  readonly adapterConfig: AdapterConfig;
  readonly warnings: readonly string[];
}

/** Options of {@link renderKubernetes}. */
export interface RenderKubernetesOptions {
  /** Overrides the values' namespace. */
  readonly namespace?: string;
  /** Adds the Deployment, ServiceAccount and read-only RBAC of `hpa-lab shadow --cluster`. */
  readonly shadow?: boolean;
}

/** The kube-prometheus-stack release and namespace from the adapter's Prometheus URL (`http://RELEASE-prometheus.NS.svc`). */
function prometheusRelease(url: string | undefined): { release: string; namespace: string } {
  const m = url ? /^https?:\/\/([a-z0-9-]+?)-prometheus\.([a-z0-9-]+)\.svc/.exec(url) : null;
  return m ? { release: m[1] as string, namespace: m[2] as string } : { release: 'kube-prometheus-stack', namespace: 'monitoring' };
}

/**
 * Builds every manifest of the values (not yet validated: see {@link checkRendered}).
 *
 * @throws {InputError} for values that do not load (from `parseHelmValues`, `readChartSettings`, the adapter rules)
 * @example renderKubernetes(text, 'values.yaml').files.map((f) => f.path)
 * // -> ['hpa.yaml', 'servicemonitor.yaml', 'prometheusrule.yaml', 'adapter.yaml', 'grafana-dashboard-configmap.yaml']
 */
export function renderKubernetes(text: string, file: string, options: RenderKubernetesOptions = {}): RenderedKubernetes {
  const values = parseHelmValues(text, file);
  const read = readChartSettings(text, file);
  const settings: ChartSettings = options.namespace === undefined ? read : { ...read, namespace: options.namespace };
  const { namespace } = settings;
  const hpas = values.hpas.map((h) => ({ ...h, metadata: { ...h.metadata, namespace, labels: { 'app.kubernetes.io/name': h.metadata.name, 'app.kubernetes.io/managed-by': 'hpa-lab' } } }));
  const prom = values.prometheus;
  const adapterConfig =
    prom?.adapterRules !== undefined ? parseAdapterConfig(text, { file }) : parseAdapterConfig(SEED_ADAPTER_VALUES, { file: 'seed 002 prometheus-adapter values' });
  const { release, namespace: promNamespace } = prometheusRelease(prom?.adapterPrometheusUrl);
  const rules = prometheusRules(prom?.additionalPrometheusRulesMap, { namespace: promNamespace, release, file });
  const alerts: DashboardAlert[] = rules.flatMap((r) =>
    (r.spec.groups as { rules?: { alert?: string; expr?: string }[] }[]).flatMap((g) => (g.rules ?? []).filter((x) => x.alert && x.expr).map((x) => ({ alert: x.alert as string, expr: String(x.expr) }))),
  );
  const dashboard = grafanaDashboard({ hpas, alerts, namespace });
  const files: RenderedManifestFile[] = [
    { path: 'hpa.yaml', objects: hpas as unknown as KubeObject[] },
    ...(settings.serviceMonitor.enabled ? [{ path: 'servicemonitor.yaml', objects: [serviceMonitor(settings.serviceMonitor, namespace)] }] : []),
    { path: 'prometheusrule.yaml', objects: rules },
    {
      path: 'adapter.yaml',
      objects: [adapterConfigMap(adapterConfig, settings.adapter), ...adapterApiServices({ name: settings.adapter.name, namespace: settings.adapter.namespace })],
    },
    { path: 'grafana-dashboard-configmap.yaml', objects: [dashboardConfigMap(dashboard, promNamespace)] },
    ...(options.shadow ? [{ path: 'shadow.yaml', objects: shadowManifests({ namespace }) }] : []),
  ];
  const warnings = [...values.warnings];
  if (prom?.adapterRules === undefined) warnings.push(`${file}: no 'prometheus-adapter.rules': the adapter ConfigMap carries the seeds' rules (asr_active_requests, gpu_utilization, lightning_asr_replica_count)`);
  if (!settings.serviceMonitor.enabled) warnings.push(`${file}: no ServiceMonitor rendered: '${settings.serviceMonitor.valuesPath.join('.')}.enabled' is not true`);
  return { files, dashboard, hpas, settings, adapterConfig, warnings };
}

/** One validation step and its outcome. */
export interface RenderCheck {
  readonly name: string;
  readonly ok: boolean;
  /** `skipped` when the checker is not installed. */
  readonly skipped?: boolean;
  readonly detail: string;
}

/**
 * Validates every rendered document: each object against its schema, the PrometheusRules' groups
 * with `promtool check rules` (when installed), the dashboard with {@link checkDashboard}.
 */
export async function checkRendered(rendered: RenderedKubernetes, options: { readonly promtool?: string | false } = {}): Promise<RenderCheck[]> {
  const objects = rendered.files.flatMap((f) => f.objects);
  const schemaProblems = objects.flatMap((o) => validateManifest(o));
  const checks: RenderCheck[] = [
    {
      name: 'schemas (kubernetes-models, prometheus-operator CRDs)',
      ok: schemaProblems.length === 0,
      detail: schemaProblems.length === 0 ? `${objects.length} objects valid` : schemaProblems.join('; '),
    },
  ];
  const dashboardProblems = checkDashboard(rendered.dashboard);
  checks.push({ name: 'dashboard fields', ok: dashboardProblems.length === 0, detail: dashboardProblems.length === 0 ? `${rendered.dashboard.panels.length} panels` : dashboardProblems.join('; ') });
  const promtool = options.promtool === false ? undefined : (options.promtool ?? findExecutable('promtool'));
  const rules = objects.filter((o) => o.kind === 'PrometheusRule');
  if (!promtool) {
    checks.push({ name: 'promtool check rules', ok: true, skipped: true, detail: 'promtool not found: skipped (apt-get install -y prometheus)' });
    return checks;
  }
  const dir = await mkdtemp(join(tmpdir(), 'hpa-lab-render-'));
  try {
    const paths: string[] = [];
    for (const r of rules) {
      const path = join(dir, `${r.metadata.name}.yaml`);
      await writeFile(path, stringify(r["spec"], { lineWidth: 0 }));
      paths.push(path);
    }
    const result = await checkRules(paths, { binary: promtool });
    const found = [...result.stdout.matchAll(/SUCCESS: (\d+) rules found/g)].reduce((n, m) => n + Number(m[1]), 0);
    checks.push({ name: 'promtool check rules', ok: result.ok, detail: result.ok ? `SUCCESS: ${found} rules in ${paths.length} PrometheusRules` : (result.stderr || result.stdout).trim() });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return checks;
}

/** A YAML stream of objects (`---` between documents). */
export function toYamlStream(objects: readonly KubeObject[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}
