/**
 * From the seeds' Helm values to a cluster: Kubernetes manifests (HPAs, ServiceMonitor,
 * PrometheusRule, prometheus-adapter ConfigMap and APIServices, the shadow's RBAC), the Grafana
 * dashboard, schema validation of each, and the migration of adapter-served HPAs to KEDA.
 */
export type { KubeObject } from './kube-object.js';
export { readChartSettings, SEED_ADAPTER_NAMESPACE, SEED_NAMESPACE, type AdapterReleaseSettings, type ChartSettings, type ServiceMonitorSettings } from './chart-settings.js';
export { adapterApiServices, adapterConfigMap, hpaLabAdapterManifests, type AdapterServiceRef } from './adapter-manifests.js';
export { prometheusRules, serviceMonitor, type PrometheusRulesOptions } from './monitoring-manifests.js';
export { shadowManifests, SHADOW_RULES } from './shadow-manifests.js';
export { checkDashboard, dashboardConfigMap, DASHBOARD_SCHEMA_VERSION, grafanaDashboard, type DashboardAlert, type GrafanaDashboard } from './grafana-dashboard.js';
export { validateManifest, VALIDATED_KINDS } from './validate-manifest.js';
export { checkRendered, renderKubernetes, toYamlStream, type RenderCheck, type RenderedKubernetes, type RenderedManifestFile, type RenderKubernetesOptions } from './render-kubernetes.js';
export { deploymentPodRegex, migrateToKeda, producesMetric, ruleFor, seriesQueryNames, type KedaMigration, type MigrationNote } from './keda-scaled-object.js';
