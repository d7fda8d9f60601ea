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
  prometheusArgs,
} from './prometheus-config.js';
export { buildRuleFiles } from './rule-files.js';
export type { RenderedFile } from './rule-files.js';
export { buildStackFiles, STACK_FILES } from './stack-files.js';
export { fileSdJson, sanitizeLabelName, writeFileSd } from './file-sd.js';
export type { FileSdTarget } from './file-sd.js';
export { checkConfig, checkRules, findExecutable, runPromtool, testRules } from './promtool.js';
export { freePort, startPrometheus } from './process.js';
export type { PrometheusHandle, StartPrometheusOptions } from './process.js';
export { serveRegistry } from './registry-server.js';
export { STACK_EXPORTER_JOB, startStackExporter } from './stack-exporter.js';
export type { StackExporter } from './stack-exporter.js';
