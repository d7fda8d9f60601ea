/** The public face of src/metrics: import this module through this file. */
export type { PrometheusClient, PrometheusTarget } from './prometheus-client.js';
export { createAdapterMetricsSource } from './adapter-metrics-source.js';
export { createPrometheusClient, importTrafficFromPrometheus } from './prometheus-client.js';
export type { PrometheusMatrixSeries } from './prometheus-client.js';
export { PROMETHEUS_MAX_POINTS } from './prometheus-client.js';
