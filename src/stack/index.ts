/**
 * The local stack: API server, worker processes, built-in scraper (or Prometheus and the adapter)
 * and controller wired together (`hpa-lab up`), its status endpoint and run file, and kubectl
 * views of its status.
 */
export { API_SERVER_DEPLOYMENT, apiServerNote, FAST_SETTINGS,  SAMPLE_AUDIO_SECONDS,  startStack,  workerDeploymentOf, type Stack, type StackOptions } from './start-stack.js';
export { fetchStackStatus } from './status-client.js';
export { formatMetricsPipeline, formatPodsTable, formatStackDescribe, formatStatusTable, formatWatchHeader, formatWatchRow } from './status-views.js';
export { prometheusDuration,  STACK_RELIST_INTERVAL_MS,      } from './prometheus-chain.js';
export { createRecordedMetricsSource,    } from './recorded-metrics-source.js';
export { readRunFile, removeRunFile, RUN_FILE, STATE_FILE, writeRunFile, type RunInfo } from './run-file.js';
export type {  StackStatus,  } from './stack-status.js';
