import { z } from 'zod';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerBehavior, HPAScalingRules, MetricSpec } from '../engine/index.js';
import { behaviorSchema, INT32_MAX, MAX_STABILIZATION_WINDOW_SECONDS, quantitySchema } from './hpa-schema.js';
import { prometheusDurationSeconds, describeValue, formatWarning, InputError, joinPath } from '../core/index.js';
import { checkRange, RANGES } from './limits.js';
import { checkHpa, stripNulls } from './validate-hpa.js';
import { type FieldPath, parseYamlDocuments, type YamlDocument } from './yaml-source.js';
import { fromZodIssue } from './zod-issue.js';

/** One HPA block of the seeds' Helm chart and the HPA it renders. */
export interface HelmHpaBlock {
  /** Key under `scaling.auto`. */
  readonly key: 'lightningAsr' | 'apiServer';
  /** HPA name and target Deployment name. */
  readonly name: string;
  /** The block's target key, rendered as the metric's AverageValue. */
  readonly targetField: 'targetActiveRequests' | 'lightningAsrToApiServerRatio';
  readonly metricType: 'Pods' | 'External';
  readonly metricName: string;
}

/**
 * The chart's two HPAs: Lightning ASR on active requests per pod, and the API server on the ASR
 * replica count (External AverageValue = ratio, so API replicas = ceil(ASR replicas / ratio)).
 */
export const HELM_HPA_BLOCKS: readonly HelmHpaBlock[] = [
  {
    key: 'lightningAsr',
    name: 'lightning-asr',
    targetField: 'targetActiveRequests',
    metricType: 'Pods',
    metricName: 'asr_active_requests',
  },
  {
    key: 'apiServer',
    name: 'api-server',
    targetField: 'lightningAsrToApiServerRatio',
    metricType: 'External',
    metricName: 'lightning_asr_replica_count',
  },
];

/** Prometheus settings of the values file (kube-prometheus-stack and prometheus-adapter). */
export interface HelmPrometheusSettings {
  /** `kube-prometheus-stack.prometheus.prometheusSpec.scrapeInterval`, e.g. `30s`. */
  readonly scrapeInterval?: string;
  readonly scrapeIntervalSeconds?: number;
  readonly evaluationInterval?: string;
  readonly evaluationIntervalSeconds?: number;
  readonly retention?: string;
  readonly retentionSize?: string;
  readonly additionalPrometheusRulesMap?: Readonly<Record<string, unknown>>;
  /** `prometheusSpec.additionalScrapeConfigs`: Prometheus scrape configs, raw (each with a `job_name`). */
  readonly additionalScrapeConfigs?: readonly Readonly<Record<string, unknown>>[];
  /** `prometheus-adapter.rules`, raw (the adapter module parses it). */
  readonly adapterRules?: unknown;
  /** `prometheus-adapter.prometheus.url` and `.port`. */
  readonly adapterPrometheusUrl?: string;
  readonly adapterPrometheusPort?: number;
}

/** What `parseHelmValues()` returns. */
export interface HelmValues {
  readonly hpas: readonly HorizontalPodAutoscaler[];
  readonly warnings: readonly string[];
  readonly prometheus?: HelmPrometheusSettings;
}

const int32 = z.number().int().max(INT32_MAX);
const windowSeconds = int32.min(0).max(MAX_STABILIZATION_WINDOW_SECONDS).optional();
const COMMON_KEYS = {
  enabled: z.boolean().optional(),
  minReplicas: int32.min(0).optional(),
  maxReplicas: int32.min(1),
  scaleUpStabilizationWindowSeconds: windowSeconds,
  scaleDownStabilizationWindowSeconds: windowSeconds,
  behavior: behaviorSchema.optional(),
};
const BLOCK_SCHEMAS = {
  lightningAsr: z.looseObject({ ...COMMON_KEYS, targetActiveRequests: quantitySchema }),
  apiServer: z.looseObject({ ...COMMON_KEYS, lightningAsrToApiServerRatio: quantitySchema }),
} as const;

const SHORTHAND = {
  scaleUp: 'scaleUpStabilizationWindowSeconds',
  scaleDown: 'scaleDownStabilizationWindowSeconds',
} as const;

const RETENTION_SIZE_RE = /^(0|([0-9]*[.])?[0-9]+((K|M|G|T|E|P)i?)?B)$/;

/**
 * Reads the seeds' Helm values: `scaling.auto.lightningAsr.hpa` becomes HPA `lightning-asr`
 * (Pods metric `asr_active_requests`, AverageValue `targetActiveRequests`) and
 * `scaling.auto.apiServer.hpa` becomes HPA `api-server` (External metric
 * `lightning_asr_replica_count`, AverageValue `lightningAsrToApiServerRatio`), both targeting the
 * Deployment of the same name. Behavior comes from `scaleUp/DownStabilizationWindowSeconds` and
 * the `behavior` block (whose fields win when both are set, with a warning). Disabled HPAs are
 * skipped with a warning. No API defaults are applied. The Prometheus settings are returned raw.
 *
 * @throws {InputError} `syntax` for bad YAML, `schema`/`semantic` naming the values path.
 * @example parseHelmValues(text, 'values.yaml').hpas.map((h) => h.metadata.name)
 * // -> ['lightning-asr', 'api-server']
 */
export function parseHelmValues(text: string, file: string): HelmValues {
  const docs = parseYamlDocuments(text, file).filter((d) => d.value !== null);
  if (docs.length > 1) {
    throw new InputError('syntax', file, '', `expected one YAML document of Helm values, got ${docs.length}`, {
      ...lineOption(docs[1]?.lineOf([])),
    });
  }
  const doc = docs[0];
  const warnings: string[] = [];
  if (!doc) {
    warnings.push(formatWarning(file, '', 'is empty: no HPAs'));
    return { hpas: [], warnings };
  }
  const ctx: Context = { file, doc, warnings };
  const root = expectMapping(ctx, doc.value, []);
  const prometheus = readPrometheusSettings(ctx, root);
  const hpas = readHpas(ctx, root);
  return { hpas, warnings, ...(prometheus ? { prometheus } : {}) };
}

interface Context {
  readonly file: string;
  readonly doc: YamlDocument;
  readonly warnings: string[];
}

function readHpas(ctx: Context, root: Record<string, unknown>): HorizontalPodAutoscaler[] {
  const scaling = optionalMapping(ctx, root['scaling'], ['scaling']);
  const auto = scaling && optionalMapping(ctx, scaling['auto'], ['scaling', 'auto']);
  if (!auto) {
    ctx.warnings.push(formatWarning(ctx.file, 'scaling.auto', 'is not set: no HPAs'));
    return [];
  }
  const enabled = auto['enabled'];
  if (enabled === false) {
    ctx.warnings.push(formatWarning(ctx.file, 'scaling.auto.enabled', 'is false: autoscaling is off, no HPAs'));
    return [];
  }
  if (enabled === undefined || enabled === null) {
    ctx.warnings.push(formatWarning(ctx.file, 'scaling.auto.enabled', "is not set: assuming true (the chart's default decides)"));
  } else if (enabled !== true) {
    fail(ctx, 'schema', ['scaling', 'auto', 'enabled'], `expected a boolean (true or false), got ${describeValue(enabled)}`);
  }
  const hpas: HorizontalPodAutoscaler[] = [];
  for (const block of HELM_HPA_BLOCKS) {
    const component = optionalMapping(ctx, auto[block.key], ['scaling', 'auto', block.key]);
    const hpa = component && optionalMapping(ctx, component['hpa'], ['scaling', 'auto', block.key, 'hpa']);
    if (hpa) {
      const built = readHpaBlock(ctx, block, hpa);
      if (built) hpas.push(built);
    }
  }
  if (hpas.length === 0 && !HELM_HPA_BLOCKS.some((b) => isObject(auto[b.key]) && isObject((auto[b.key] as Record<string, unknown>)['hpa']))) {
    ctx.warnings.push(
      formatWarning(ctx.file, 'scaling.auto', "has neither 'lightningAsr.hpa' nor 'apiServer.hpa': no HPAs"),
    );
  }
  return hpas;
}

function readHpaBlock(ctx: Context, block: HelmHpaBlock, raw: Record<string, unknown>): HorizontalPodAutoscaler | undefined {
  const base: FieldPath = ['scaling', 'auto', block.key, 'hpa'];
  const here = joinPath(base);
  if (raw['enabled'] === false) {
    ctx.warnings.push(formatWarning(ctx.file, `${here}.enabled`, `is false: HPA '${block.name}' skipped`));
    return undefined;
  }
  const input = stripNulls(raw) as Record<string, unknown>;
  const schema = BLOCK_SCHEMAS[block.key];
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = fromZodIssue(parsed.error.issues[0] as z.core.$ZodIssue, input, schema);
    fail(ctx, issue.code, [...base, ...issue.path], issue.detail);
  }
  const values = parsed.data;
  if (values.enabled === undefined) {
    ctx.warnings.push(formatWarning(ctx.file, `${here}.enabled`, `is not set: assuming true for HPA '${block.name}'`));
  }
  const known = Object.keys(schema.shape);
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) {
      ctx.warnings.push(
        formatWarning(ctx.file, `${here}.${key}`, `unknown key ignored: expected one of ${known.map((k) => `'${k}'`).join(', ')}`),
      );
    }
  }

  // behavior: the block's fields win over the shorthand windows.
  const windowSource: Partial<Record<'scaleUp' | 'scaleDown', FieldPath>> = {};
  let behavior: HorizontalPodAutoscalerBehavior | undefined = values.behavior as HorizontalPodAutoscalerBehavior | undefined;
  for (const direction of ['scaleUp', 'scaleDown'] as const) {
    const shorthandKey = SHORTHAND[direction];
    const shorthand = values[shorthandKey];
    const rules: HPAScalingRules | undefined = behavior?.[direction] ?? undefined;
    const fromBlock = rules?.stabilizationWindowSeconds ?? undefined;
    if (fromBlock !== undefined) windowSource[direction] = [...base, 'behavior', direction, 'stabilizationWindowSeconds'];
    if (shorthand === undefined) continue;
    if (fromBlock !== undefined) {
      ctx.warnings.push(
        formatWarning(
          ctx.file,
          `${here}.${shorthandKey}`,
          `and '${here}.behavior.${direction}.stabilizationWindowSeconds' are both set (${shorthand} and ${fromBlock}): using ${fromBlock} from 'behavior'`,
        ),
      );
      continue;
    }
    windowSource[direction] = [...base, shorthandKey];
    behavior = { ...behavior, [direction]: { ...rules, stabilizationWindowSeconds: shorthand } };
  }

  const target = values[block.targetField as keyof typeof values] as string | number;
  const member = block.metricType === 'Pods' ? 'pods' : 'external';
  const metric = {
    type: block.metricType,
    [member]: {
      metric: { name: block.metricName },
      target: { type: 'AverageValue', averageValue: typeof target === 'number' ? String(target) : target },
    },
  } as MetricSpec;
  const hpa: HorizontalPodAutoscaler = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: block.name },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: block.name },
      ...(values.minReplicas === undefined ? {} : { minReplicas: values.minReplicas }),
      maxReplicas: values.maxReplicas,
      metrics: [metric],
      ...(behavior === undefined ? {} : { behavior }),
    },
  };

  const mapPath = (path: FieldPath): FieldPath => {
    const [a, b, c, d] = path;
    if (a !== 'spec') return base;
    if (b === 'minReplicas' || b === 'maxReplicas') return [...base, b];
    if (b === 'metrics') return [...base, block.targetField];
    if (b === 'behavior') {
      if ((c === 'scaleUp' || c === 'scaleDown') && d === 'stabilizationWindowSeconds') return windowSource[c] ?? [...base, 'behavior', c];
      return [...base, ...path.slice(1)];
    }
    return base;
  };
  const check = checkHpa(hpa);
  const issue = check.issues[0];
  if (issue) fail(ctx, issue.code, mapPath(issue.path), issue.detail);
  for (const w of check.warnings) ctx.warnings.push(formatWarning(ctx.file, joinPath(mapPath(w.path)), w.detail));
  return check.hpa ?? hpa;
}

function readPrometheusSettings(ctx: Context, root: Record<string, unknown>): HelmPrometheusSettings | undefined {
  const kpsPath = ['kube-prometheus-stack', 'prometheus', 'prometheusSpec'];
  let spec: Record<string, unknown> | undefined = root;
  for (let i = 0; i < kpsPath.length && spec; i++) spec = optionalMapping(ctx, spec[kpsPath[i] as string], kpsPath.slice(0, i + 1));
  const out: Record<string, unknown> = {};
  if (spec) {
    for (const key of ['scrapeInterval', 'evaluationInterval', 'retention'] as const) {
      const value = spec[key];
      if (value === undefined || value === null) continue;
      const seconds = typeof value === 'string' ? prometheusDurationSeconds(value) : undefined;
      if (seconds === undefined) {
        fail(ctx, 'schema', [...kpsPath, key], `expected a Prometheus duration such as '30s', '1m30s' or '15d', got ${describeValue(value)}`);
      }
      if (key !== 'retention') {
        const problem = checkRange(seconds, RANGES.scrapeIntervalSeconds);
        if (problem) fail(ctx, 'schema', [...kpsPath, key], problem.replace(/got .*$/, `got ${describeValue(value)}`));
      }
      out[key] = value;
      if (key !== 'retention') out[`${key}Seconds`] = seconds;
    }
    const size = spec['retentionSize'];
    if (size !== undefined && size !== null) {
      if (typeof size !== 'string' || !RETENTION_SIZE_RE.test(size)) {
        fail(ctx, 'schema', [...kpsPath, 'retentionSize'], `expected a byte size such as '50GB' or '512MiB', got ${describeValue(size)}`);
      }
      out['retentionSize'] = size;
    }
    const rules = optionalMapping(ctx, spec['additionalPrometheusRulesMap'], [...kpsPath, 'additionalPrometheusRulesMap']);
    if (rules) out['additionalPrometheusRulesMap'] = rules;
    const scrape = spec['additionalScrapeConfigs'];
    if (scrape !== undefined && scrape !== null) {
      const at = [...kpsPath, 'additionalScrapeConfigs'];
      if (!Array.isArray(scrape)) fail(ctx, 'schema', at, `expected a list of Prometheus scrape configs, got ${describeValue(scrape)}`);
      const names = new Set<string>();
      scrape.forEach((job: unknown, i: number) => {
        if (job === null || typeof job !== 'object' || Array.isArray(job)) fail(ctx, 'schema', [...at, i], `expected a scrape config mapping, got ${describeValue(job)}`);
        const name = (job as Record<string, unknown>)['job_name'];
        if (typeof name !== 'string' || name === '') fail(ctx, 'schema', [...at, i, 'job_name'], `expected a non-empty string, got ${describeValue(name)}`);
        if (names.has(name)) fail(ctx, 'schema', [...at, i, 'job_name'], `duplicate job_name '${name}'`);
        names.add(name);
      });
      out['additionalScrapeConfigs'] = scrape;
    }
  }
  const adapter = optionalMapping(ctx, root['prometheus-adapter'], ['prometheus-adapter']);
  if (adapter) {
    if (adapter['rules'] !== undefined && adapter['rules'] !== null) out['adapterRules'] = adapter['rules'];
    const server = optionalMapping(ctx, adapter['prometheus'], ['prometheus-adapter', 'prometheus']);
    const url = server?.['url'];
    if (url !== undefined && url !== null) {
      if (typeof url !== 'string') fail(ctx, 'schema', ['prometheus-adapter', 'prometheus', 'url'], `expected a URL string, got ${describeValue(url)}`);
      out['adapterPrometheusUrl'] = url;
    }
    const port = server?.['port'];
    if (port !== undefined && port !== null) {
      if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
        fail(ctx, 'schema', ['prometheus-adapter', 'prometheus', 'port'], `expected a port number from 1 to 65535, got ${describeValue(port)}`);
      }
      out['adapterPrometheusPort'] = port;
    }
  }
  return Object.keys(out).length > 0 ? (out) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function expectMapping(ctx: Context, value: unknown, path: FieldPath): Record<string, unknown> {
  if (!isObject(value)) fail(ctx, 'schema', path, `expected a mapping, got ${describeValue(value)}`);
  return value;
}

function optionalMapping(ctx: Context, value: unknown, path: FieldPath): Record<string, unknown> | undefined {
  return value === undefined || value === null ? undefined : expectMapping(ctx, value, path);
}

function fail(ctx: Context, code: InputError['code'], path: FieldPath, detail: string): never {
  throw new InputError(code, ctx.file, joinPath(path), detail, lineOption(ctx.doc.lineOf(path)));
}

function lineOption(line: number | undefined): { line?: number } {
  return line === undefined ? {} : { line };
}
