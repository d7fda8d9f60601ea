/**
 * From the seeds' Helm values to a cluster: Kubernetes manifests (HPAs, ServiceMonitor,
 * PrometheusRule, prometheus-adapter ConfigMap and APIServices, the shadow's RBAC), the Grafana
 * dashboard, schema validation of each, and the migration of adapter-served HPAs to KEDA.
 */
export type { KubeObject } from './kube-object.js';
export { readChartSettings, SEED_NAMESPACE, type ChartSettings } from './chart-settings.js';
export { hpaLabAdapterManifests } from './adapter-manifests.js';
export { serviceMonitor } from './monitoring-manifests.js';
export { checkDashboard, grafanaDashboard } from './grafana-dashboard.js';
export { validateManifest, VALIDATED_KINDS } from './validate-manifest.js';
export { checkRendered, renderKubernetes, toYamlStream } from './render-kubernetes.js';
export { migrateToKeda, producesMetric } from './keda-scaled-object.js';
