/**
 * The Grafana dashboard of the Lightning ASR stack: the seven `asr_*` metrics, desired vs current
 * replicas per HPA from kube-state-metrics, the HPA conditions, and the alerts' expressions. Also
 * its own schema check (Grafana has no published JSON schema for dashboards; we check the fields
 * Grafana needs to load one) and the ConfigMap the kube-prometheus-stack sidecar picks up.
 */
import type { HorizontalPodAutoscaler } from '../engine/index.js';
import type { KubeObject } from './kube-object.js';

/** The schema version of the dashboards we write (Grafana 10/11 read it without migration). */
export const DASHBOARD_SCHEMA_VERSION = 39;
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

interface Panel {
  id: number;
  type: 'timeseries' | 'stat' | 'table' | 'row';
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource: typeof DATASOURCE;
  targets: { refId: string; expr: string; legendFormat: string; datasource: typeof DATASOURCE }[];
  description?: string;
  fieldConfig?: unknown;
}

/** A Grafana dashboard model (the fields we set). */
export interface GrafanaDashboard {
  readonly uid: string;
  readonly title: string;
  readonly schemaVersion: number;
  readonly panels: readonly Panel[];
  readonly [field: string]: unknown;
}

/** An alert rule as the dashboard shows it. */
export interface DashboardAlert {
  readonly alert: string;
  readonly expr: string;
}

/** The seven metrics each ASR worker exports, with the PromQL the dashboard plots. */
const NS = 'namespace="$namespace"';
const ASR_PANELS: readonly { metric: string; title: string; exprs: readonly (readonly [string, string])[] }[] = [
  { metric: 'asr_active_requests', title: 'Active requests per pod (the HPA metric)', exprs: [[`asr_active_requests{${NS}}`, '{{pod}}']] },
  { metric: 'asr_total_requests', title: 'Requests per second', exprs: [[`sum(rate(asr_total_requests{${NS}}[5m]))`, 'requests/s']] },
  { metric: 'asr_failed_requests', title: 'Failed requests per second', exprs: [[`sum(rate(asr_failed_requests{${NS}}[5m]))`, 'failed/s']] },
  {
    metric: 'asr_request_duration_seconds',
    title: 'Request duration p50 / p95',
    exprs: [
      [`histogram_quantile(0.5, sum by (le) (rate(asr_request_duration_seconds_bucket{${NS}}[5m])))`, 'p50'],
      [`histogram_quantile(0.95, sum by (le) (rate(asr_request_duration_seconds_bucket{${NS}}[5m])))`, 'p95'],
    ],
  },
  { metric: 'asr_model_load_time_seconds', title: 'Model load time per pod', exprs: [[`asr_model_load_time_seconds{${NS}}`, '{{pod}}']] },
  { metric: 'asr_gpu_utilization', title: 'GPU utilization per pod (%)', exprs: [[`asr_gpu_utilization{${NS}}`, '{{pod}}']] },
  { metric: 'asr_gpu_memory_used_bytes', title: 'GPU memory used per pod', exprs: [[`asr_gpu_memory_used_bytes{${NS}}`, '{{pod}}']] },
];

/**
 * Builds the dashboard for the given HPAs and alert rules.
 *
 * @example grafanaDashboard({ hpas, alerts: [] }).panels.length // -> 7 + 2 per HPA + 1
 */
export function grafanaDashboard(input: { readonly hpas: readonly HorizontalPodAutoscaler[]; readonly alerts: readonly DashboardAlert[]; readonly namespace: string }): GrafanaDashboard {
  const panels: Panel[] = [];
  let id = 1;
  let y = 0;
  let column = 0;
  const add = (p: Omit<Panel, 'id' | 'gridPos' | 'datasource' | 'targets'> & { exprs: readonly (readonly [string, string])[] }, w: 12 | 24 = 12, h = 8): void => {
    if (w === 24 && column === 1) {
      y += h;
      column = 0;
    }
    const { exprs, ...rest } = p;
    panels.push({
      ...rest,
      id: id++,
      gridPos: { x: column * 12, y, w, h },
      datasource: DATASOURCE,
      targets: exprs.map(([expr, legendFormat], i) => ({ refId: String.fromCharCode(65 + i), expr, legendFormat, datasource: DATASOURCE })),
    });
    if (w === 24 || column === 1) {
      y += h;
      column = 0;
    } else column = 1;
  };
  for (const hpa of input.hpas) {
    const name = hpa.metadata.name;
    const sel = `namespace="$namespace", horizontalpodautoscaler="${name}"`;
    add({
      type: 'timeseries',
      title: `${name}: desired vs current replicas`,
      description: `kube-state-metrics: what the HPA wants (desired), what it has (current), and its bounds (maxReplicas ${hpa.spec.maxReplicas})`,
      exprs: [
        [`kube_horizontalpodautoscaler_status_desired_replicas{${sel}}`, 'desired'],
        [`kube_horizontalpodautoscaler_status_current_replicas{${sel}}`, 'current'],
        [`kube_horizontalpodautoscaler_spec_max_replicas{${sel}}`, 'max'],
        [`kube_horizontalpodautoscaler_spec_min_replicas{${sel}}`, 'min'],
      ],
    });
    add({
      type: 'table',
      title: `${name}: conditions`,
      description: 'AbleToScale, ScalingActive, ScalingLimited (kube-state-metrics): ScalingActive=false is the <unknown> target of the seeds',
      exprs: [[`kube_horizontalpodautoscaler_status_condition{${sel}, status="true"} == 1`, '{{condition}}']],
    });
  }
  for (const { metric, title, exprs } of ASR_PANELS) add({ type: 'timeseries', title, description: `Worker metric ${metric}`, exprs });
  if (input.alerts.length > 0) add({ type: 'table', title: 'Alerts: firing and their expressions', description: input.alerts.map((a) => `${a.alert}: ${a.expr}`).join('\n'), exprs: input.alerts.map((a) => [a.expr, a.alert] as const) }, 24);
  return {
    uid: 'hpa-lab-lightning-asr',
    title: 'Lightning ASR autoscaling (hpa-lab)',
    tags: ['hpa-lab', 'autoscaling'],
    timezone: 'browser',
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    schemaVersion: DASHBOARD_SCHEMA_VERSION,
    version: 1,
    editable: true,
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' },
        { name: 'namespace', type: 'constant', query: input.namespace, hide: 2 },
      ],
    },
    annotations: { list: [] },
    panels,
  };
}

const PANEL_TYPES = new Set(['timeseries', 'stat', 'table', 'row', 'gauge', 'bargauge', 'text', 'heatmap', 'state-timeline']);

/**
 * Checks the fields Grafana needs to load a dashboard: `uid`, `title`, a numeric `schemaVersion`,
 * panels with a unique `id`, a known `type`, a `gridPos` inside the 24-column grid, a datasource,
 * and targets with a `refId` and a non-empty `expr`. Returns one problem per line, empty when valid.
 *
 * @example checkDashboard({ title: 'x' }) // -> ["uid: expected a non-empty string", ...]
 */
export function checkDashboard(dashboard: unknown): string[] {
  const problems: string[] = [];
  if (typeof dashboard !== 'object' || dashboard === null || Array.isArray(dashboard)) return ['(root): expected a JSON object'];
  const d = dashboard as Record<string, unknown>;
  for (const key of ['uid', 'title'] as const) if (typeof d[key] !== 'string' || d[key] === '') problems.push(`${key}: expected a non-empty string`);
  if (typeof d['uid'] === 'string' && d['uid'].length > 40) problems.push('uid: expected at most 40 characters (Grafana refuses longer ones)');
  if (typeof d['schemaVersion'] !== 'number' || !Number.isInteger(d['schemaVersion']) || d['schemaVersion'] < 16) problems.push('schemaVersion: expected an integer >= 16');
  if (!Array.isArray(d['panels'])) return [...problems, 'panels: expected an array'];
  const ids = new Set<number>();
  d['panels'].forEach((raw, i) => {
    const at = `panels[${i}]`;
    if (typeof raw !== 'object' || raw === null) return void problems.push(`${at}: expected an object`);
    const p = raw as Record<string, unknown>;
    if (typeof p['id'] !== 'number') problems.push(`${at}.id: expected a number`);
    else if (ids.has(p['id'])) problems.push(`${at}.id: duplicate id ${p['id']}`);
    else ids.add(p['id']);
    if (typeof p['type'] !== 'string' || !PANEL_TYPES.has(p['type'])) problems.push(`${at}.type: expected one of ${[...PANEL_TYPES].join(', ')}`);
    if (typeof p['title'] !== 'string') problems.push(`${at}.title: expected a string`);
    const g = p['gridPos'] as Record<string, unknown> | undefined;
    if (typeof g !== 'object' || g === null) problems.push(`${at}.gridPos: expected {x, y, w, h}`);
    else {
      for (const k of ['x', 'y', 'w', 'h']) if (typeof g[k] !== 'number' || !Number.isInteger(g[k]) || (g[k]) < 0) problems.push(`${at}.gridPos.${k}: expected an integer >= 0`);
      if (typeof g['x'] === 'number' && typeof g['w'] === 'number' && (g['w'] < 1 || g['x'] + g['w'] > 24)) problems.push(`${at}.gridPos: x + w must stay within the 24-column grid, got x=${g['x']} w=${g['w']}`);
    }
    if (p['type'] === 'row') return;
    const ds = p['datasource'] as Record<string, unknown> | undefined;
    if (typeof ds !== 'object' || ds === null || typeof ds['uid'] !== 'string') problems.push(`${at}.datasource: expected {type, uid}`);
    if (!Array.isArray(p['targets']) || p['targets'].length === 0) return void problems.push(`${at}.targets: expected at least one query`);
    const refIds = new Set<string>();
    p['targets'].forEach((t: unknown, j: number) => {
      const tt = (t ?? {}) as Record<string, unknown>;
      if (typeof tt['refId'] !== 'string' || refIds.has(tt['refId'])) problems.push(`${at}.targets[${j}].refId: expected a unique string`);
      else refIds.add(tt['refId']);
      if (typeof tt['expr'] !== 'string' || tt['expr'].trim() === '') problems.push(`${at}.targets[${j}].expr: expected a PromQL expression`);
    });
  });
  return problems;
}

/**
 * The ConfigMap the kube-prometheus-stack Grafana sidecar loads (label `grafana_dashboard: "1"`).
 */
export function dashboardConfigMap(dashboard: GrafanaDashboard, namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'lightning-asr-dashboard', namespace, labels: { grafana_dashboard: '1' } },
    data: { 'lightning-asr.json': JSON.stringify(dashboard, null, 2) },
  };
}
