/**
 * A real Prometheus for the local stack: configuration and rule generation (pure), file-based
 * service discovery, the stack exporter (kube-state-metrics stand-in), promtool checks and the
 * server process.
 */
export {
  buildPrometheusConfig,
  DEFAULT_EVALUATION_INTERVAL,
  DEFAULT_SCRAPE_INTERVAL,
  durationMs,
  FILE_SD_REFRESH_INTERVAL,
  PROMETHEUS_DEFAULT_SCRAPE_TIMEOUT_SECONDS,
  prometheusArgs,
  renderPrometheusConfig,
  WORKERS_JOB,
} from './prometheus-config.js';
export type { PrometheusArgsInput, PrometheusConfigInput, StaticScrapeJob } from './prometheus-config.js';
export { SEED_ALERTING_RULES, SEED_PROMETHEUS_RULES_MAP, SEED_RECORDING_RULES } from './seed-rules.js';
export type { PrometheusRuleFile } from './seed-rules.js';
export { buildRuleFiles, RULES_MAP_PATH } from './rule-files.js';
export type { BuildRuleFilesOptions, RenderedFile } from './rule-files.js';
export { buildStackFiles, STACK_FILES } from './stack-files.js';
export type { StackFilesInput } from './stack-files.js';
export { fileSdJson, sanitizeLabelName, writeFileSd } from './file-sd.js';
export type { FileSdTarget } from './file-sd.js';
export { checkConfig, checkRules, findExecutable, runPromtool, testRules } from './promtool.js';
export type { PromtoolOptions, PromtoolResult } from './promtool.js';
export { freePort, startPrometheus } from './process.js';
export type { PrometheusHandle, StartPrometheusOptions } from './process.js';
export { serveRegistry } from './registry-server.js';
export type { RegistryServer } from './registry-server.js';
export { STACK_EXPORTER_JOB, startStackExporter } from './stack-exporter.js';
export type { DeploymentRef, StackExporter } from './stack-exporter.js';
