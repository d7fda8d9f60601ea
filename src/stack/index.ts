/**
 * The local stack: API server, worker processes, built-in scraper (or Prometheus and the adapter)
 * and controller wired together (`hpa-lab up`), its status endpoint and run file, and kubectl
 * views of its status.
 */
export { API_SERVER_DEPLOYMENT, API_SERVER_NOTE, FAST_SETTINGS, startStack, SYNC_AFTER_SCRAPE_MS, workerDeploymentOf, type Stack, type StackOptions } from './start-stack.js';
export { fetchStackStatus } from './status-client.js';
export { formatMetricsPipeline, formatPodsTable, formatStackDescribe, formatStatusTable, formatWatchHeader, formatWatchRow } from './status-views.js';
export { prometheusDuration, startPrometheusChain, STACK_RELIST_INTERVAL_MS, TARGETS_SYNC_INTERVAL_MS, type ExportedDeployment, type PrometheusChain, type PrometheusChainOptions, type PrometheusChainSettings } from './prometheus-chain.js';
export { createRecordedMetricsSource, metricNameOf, type MetricRead, type RecordedMetricsSource } from './recorded-metrics-source.js';
export { readRunFile, removeRunFile, RUN_FILE, STATE_FILE, writeRunFile, type RunInfo } from './run-file.js';
export type { MetricsPipelineStatus, StackStatus, TargetStatus } from './stack-status.js';
