/**
 * The Prometheus configuration of the local stack, as pure data: global scrape and evaluation
 * intervals from the values (`kube-prometheus-stack.prometheus.prometheusSpec.scrapeInterval` /
 * `evaluationInterval`), the workers found through file-based service discovery (a JSON file the
 * stack rewrites as workers come and go, each target carrying `pod` and `namespace` labels, as a
 * ServiceMonitor's relabelling attaches them in Kubernetes), static jobs (the stack exporter), and
 * the rule files. Retention is a command-line flag, so it lives in {@link prometheusArgs}.
 *
 * @see https://prometheus.io/docs/prometheus/2.42/configuration/configuration/
 */
import { stringify } from 'yaml';
import { parsePrometheusDuration } from '../../core/index.js';

/**
 * prometheus-operator's default `scrapeInterval` (and `evaluationInterval`) when the
 * Prometheus resource leaves it empty.
 * @see https://github.com/prometheus-operator/prometheus-operator/blob/main/pkg/apis/monitoring/v1/prometheus_types.go (DefaultScrapeInterval)
 */
export const DEFAULT_SCRAPE_INTERVAL = '30s';
export const DEFAULT_EVALUATION_INTERVAL = '30s';
/**
 * Prometheus' default `scrape_timeout`; it may not exceed the scrape interval.
 * @see https://github.com/prometheus/prometheus/blob/v2.42.0/config/config.go (DefaultGlobalConfig)
 */
export const PROMETHEUS_DEFAULT_SCRAPE_TIMEOUT_SECONDS = 10;
/** The job name of the ASR workers (the ServiceMonitor `lightning-asr` of the seeds). */
export const WORKERS_JOB = 'lightning-asr';
/** How often Prometheus re-reads the file_sd file besides watching it. */
export const FILE_SD_REFRESH_INTERVAL = '5s';

/** A job scraping fixed targets (the stack exporter standing in for kube-state-metrics). */
export interface StaticScrapeJob {
  readonly jobName: string;
  /** `host:port` addresses. */
  readonly targets: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  /** Keep the exporter's own `namespace` labels (true for kube-state-metrics in kube-prometheus-stack). */
  readonly honorLabels?: boolean;
  readonly metricsPath?: string;
}

/** Input of {@link buildPrometheusConfig}. */
export interface PrometheusConfigInput {
  /** Global scrape interval, a Prometheus duration; default {@link DEFAULT_SCRAPE_INTERVAL}. */
  readonly scrapeInterval?: string;
  readonly evaluationInterval?: string;
  /** The file_sd JSON file of the workers (absolute, or relative to the config file). */
  readonly fileSdPath: string;
  /** Default {@link WORKERS_JOB}. */
  readonly workersJob?: string;
  readonly fileSdRefreshInterval?: string;
  readonly staticJobs?: readonly StaticScrapeJob[];
  /** Rule files (absolute, or relative to the config file). */
  readonly ruleFiles?: readonly string[];
  /** Scrape configs copied as they are after the stack's own (the values' `additionalScrapeConfigs`). */
  readonly additionalScrapeConfigs?: readonly Readonly<Record<string, unknown>>[];
}

/**
 * Milliseconds of a Prometheus duration (`30s`, `1m30s`, `500ms`), with the grammar of
 * `parsePrometheusDuration` in `src/core/duration.ts`.
 *
 * @throws {RangeError} when `text` is not a Prometheus duration
 * @example durationMs('1m30s') // -> 90000
 */
export function durationMs(text: string): number {
  try {
    return parsePrometheusDuration(text);
  } catch (error) {
    throw new RangeError(`Cannot read the duration '${text}': expected a Prometheus duration such as '30s', '1m30s' or '500ms'`, { cause: error });
  }
}

/**
 * The configuration as a plain object (YAML-ready).
 *
 * @throws {RangeError} when an interval is not a Prometheus duration
 * @example buildPrometheusConfig({ scrapeInterval: '1s', fileSdPath: 'targets/workers.json' }).global
 * // -> { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '30s' }
 */
export function buildPrometheusConfig(input: PrometheusConfigInput): Record<string, unknown> {
  const scrapeInterval = input.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL;
  const evaluationInterval = input.evaluationInterval ?? DEFAULT_EVALUATION_INTERVAL;
  const scrapeMs = durationMs(scrapeInterval);
  durationMs(evaluationInterval);
  // scrape_timeout > scrape_interval is a config error; below 10 s the timeout follows the interval.
  const global: Record<string, string> = { scrape_interval: scrapeInterval };
  if (scrapeMs < PROMETHEUS_DEFAULT_SCRAPE_TIMEOUT_SECONDS * 1000) global['scrape_timeout'] = scrapeInterval;
  global['evaluation_interval'] = evaluationInterval;
  const scrapeConfigs: Record<string, unknown>[] = [
    {
      job_name: input.workersJob ?? WORKERS_JOB,
      metrics_path: '/metrics',
      file_sd_configs: [{ files: [input.fileSdPath], refresh_interval: input.fileSdRefreshInterval ?? FILE_SD_REFRESH_INTERVAL }],
    },
  ];
  for (const job of input.staticJobs ?? []) {
    scrapeConfigs.push({
      job_name: job.jobName,
      ...(job.honorLabels ? { honor_labels: true } : {}),
      metrics_path: job.metricsPath ?? '/metrics',
      static_configs: [{ targets: [...job.targets], ...(job.labels ? { labels: { ...job.labels } } : {}) }],
    });
  }
  for (const job of input.additionalScrapeConfigs ?? []) {
    if (scrapeConfigs.some((c) => c['job_name'] === job['job_name'])) {
      throw new RangeError(`Cannot add the scrape config '${String(job['job_name'])}' as the stack already has a job of that name`);
    }
    scrapeConfigs.push({ ...job });
  }
  return {
    global,
    ...(input.ruleFiles && input.ruleFiles.length > 0 ? { rule_files: [...input.ruleFiles] } : {}),
    scrape_configs: scrapeConfigs,
  };
}

/**
 * The configuration as YAML text, with a header naming its origin.
 *
 * @example renderPrometheusConfig({ fileSdPath: 'targets/workers.json' }).startsWith('# Prometheus configuration') // -> true
 */
export function renderPrometheusConfig(input: PrometheusConfigInput): string {
  return `# Prometheus configuration of the hpa-lab local stack (generated; edits are overwritten)\n${stringify(buildPrometheusConfig(input), { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

/** Input of {@link prometheusArgs}. */
export interface PrometheusArgsInput {
  readonly configFile: string;
  readonly dataDir: string;
  /** `127.0.0.1:<port>`. */
  readonly listenAddress: string;
  /** `--storage.tsdb.retention.time` (`prometheusSpec.retention`), e.g. `15d`. */
  readonly retention?: string;
  /** `--storage.tsdb.retention.size` (`prometheusSpec.retentionSize`), e.g. `50GB`. */
  readonly retentionSize?: string;
}

/**
 * Command-line flags of a Prometheus 2.x server for the stack.
 *
 * @example prometheusArgs({ configFile: 'p.yml', dataDir: 'data', listenAddress: '127.0.0.1:9090', retention: '15d' })
 * // -> ['--config.file=p.yml', '--storage.tsdb.path=data', '--web.listen-address=127.0.0.1:9090', '--storage.tsdb.retention.time=15d']
 */
export function prometheusArgs(input: PrometheusArgsInput): string[] {
  const args = [`--config.file=${input.configFile}`, `--storage.tsdb.path=${input.dataDir}`, `--web.listen-address=${input.listenAddress}`];
  if (input.retention !== undefined) args.push(`--storage.tsdb.retention.time=${input.retention}`);
  if (input.retentionSize !== undefined) args.push(`--storage.tsdb.retention.size=${input.retentionSize}`);
  return args;
}
