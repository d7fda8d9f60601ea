/**
 * Every file the local stack's Prometheus and adapter read, as pure data: `prometheus.yml`, the rule
 * files, an empty `targets/workers.json`, and (when given) the adapter's `adapter-config.yaml`.
 * Paths inside the config are relative to it, so the folder can be moved or mounted elsewhere.
 */
import type { HelmPrometheusSettings } from '../../input/index.js';
import { renderAdapterConfig } from '../adapter/adapter-config-file.js';
import type { AdapterConfig } from '../adapter/adapter-config.js';
import { fileSdJson } from './file-sd.js';
import { renderPrometheusConfig, type StaticScrapeJob } from './prometheus-config.js';
import { buildRuleFiles, type RenderedFile } from './rule-files.js';

/** File names inside the stack folder. */
export const STACK_FILES = {
  config: 'prometheus.yml',
  targets: 'targets/workers.json',
  rulesDir: 'rules',
  adapterConfig: 'adapter-config.yaml',
} as const;

/** Input of {@link buildStackFiles}. */
export interface StackFilesInput {
  /** The values' Prometheus settings (intervals, retention, rules map). */
  readonly settings?: HelmPrometheusSettings;
  /** The values file, for error messages. */
  readonly valuesFile?: string;
  /** Overrides of the values' intervals (tests scrape every second). */
  readonly scrapeInterval?: string;
  readonly evaluationInterval?: string;
  readonly staticJobs?: readonly StaticScrapeJob[];
  readonly adapterConfig?: AdapterConfig;
  /**
   * Keep the values' `additionalScrapeConfigs` in the configuration (`render` does; the local stack
   * does not, as their targets name cluster hosts such as `lightning-asr:2269`).
   */
  readonly additionalScrapeConfigs?: boolean;
}

/**
 * The stack's files, config first.
 *
 * @throws {InputError} from {@link buildRuleFiles}
 * @example buildStackFiles({}).map((f) => f.path)
 * // -> ['prometheus.yml', 'rules/asr-rules.yaml', 'rules/asr-alerts.yaml', 'targets/workers.json']
 */
export function buildStackFiles(input: StackFilesInput): RenderedFile[] {
  const rules = buildRuleFiles(input.settings?.additionalPrometheusRulesMap, {
    dir: STACK_FILES.rulesDir,
    ...(input.valuesFile === undefined ? {} : { file: input.valuesFile }),
  });
  const scrapeInterval = input.scrapeInterval ?? input.settings?.scrapeInterval;
  const evaluationInterval = input.evaluationInterval ?? input.settings?.evaluationInterval;
  const config = renderPrometheusConfig({
    ...(scrapeInterval === undefined ? {} : { scrapeInterval }),
    ...(evaluationInterval === undefined ? {} : { evaluationInterval }),
    fileSdPath: STACK_FILES.targets,
    ruleFiles: rules.map((r) => r.path),
    ...(input.staticJobs ? { staticJobs: input.staticJobs } : {}),
    ...(input.additionalScrapeConfigs && input.settings?.additionalScrapeConfigs ? { additionalScrapeConfigs: input.settings.additionalScrapeConfigs } : {}),
  });
  const files: RenderedFile[] = [{ path: STACK_FILES.config, text: config }, ...rules, { path: STACK_FILES.targets, text: fileSdJson([]) }];
  if (input.adapterConfig) files.push({ path: STACK_FILES.adapterConfig, text: renderAdapterConfig(input.adapterConfig) });
  return files;
}
