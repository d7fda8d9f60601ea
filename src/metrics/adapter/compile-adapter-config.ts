/**
 * Compiles a decoded {@link AdapterConfig} into the rule objects the providers use, with every
 * check prometheus-adapter makes at startup (regexes, filters, `name.as` defaults, templates,
 * overrides known to the cluster's resource mapper) plus one it defers to request time: template
 * fields that do not exist (`<<.Serie>>`). Failures are `InputError`s naming the rule's path in the
 * file (`rules[2].name.matches`).
 */
import { InputError } from '../../core/index.js';
import type { AdapterConfig } from './adapter-config.js';
import type { GoTemplateTree } from './go-template-parse.js';
import { createMetricNamer, type MetricNamer } from './metric-namer.js';
import { METRICS_QUERY_FIELDS } from './metrics-query.js';
import { createResourceMapper, type ResourceMapper } from './resource-mapper.js';
import { createResourceQuery, type ResourceQuery } from './resource-query.js';
import { childPath, RuleError } from './rule-error.js';
import { parseGoTemplate } from './go-template-parse.js';
import { unknownTemplateFields } from './template-fields.js';

export interface CompiledAdapterConfig {
  readonly config: AdapterConfig;
  readonly mapper: ResourceMapper;
  readonly rules: readonly MetricNamer[];
  readonly externalRules: readonly MetricNamer[];
  readonly resourceRules?: { readonly cpu: ResourceQuery; readonly memory: ResourceQuery; readonly window: string };
}

/** Options of {@link compileAdapterConfig}. */
export interface CompileAdapterConfigOptions {
  readonly file: string;
  /** The cluster's kinds; defaults to the built-in ones. */
  readonly mapper?: ResourceMapper;
  readonly lineOf?: (path: string) => number | undefined;
}

const SEMANTIC = /as' value|cannot have both|must have either/;

function toInputError(err: unknown, rulePath: string, options: CompileAdapterConfigOptions): never {
  if (!(err instanceof RuleError)) throw err;
  const path = childPath(rulePath, err.path);
  const line = options.lineOf?.(path);
  throw new InputError(SEMANTIC.test(err.detail) ? 'semantic' : 'schema', options.file, path, err.detail, { ...(line === undefined ? {} : { line }), cause: err });
}

function checkFields(tree: GoTemplateTree, allowed: readonly string[], path: string): void {
  const unknown = unknownTemplateFields(tree, allowed)[0];
  if (unknown) {
    throw new RuleError(path, `unknown template field '.${unknown.name}': expected one of ${allowed.map((f) => `.${f}`).join(', ')}`);
  }
}

function compileRule(rule: AdapterConfig['rules'][number], mapper: ResourceMapper): MetricNamer {
  const namer = createMetricNamer(rule, { mapper });
  checkFields(namer.metricsQuery.tree, METRICS_QUERY_FIELDS, 'metricsQuery');
  if (rule.resources?.template) checkFields(parseGoTemplate(rule.resources.template, { name: 'resource-label' }), ['Group', 'Resource'], 'resources.template');
  return namer;
}

/**
 * Compiles every rule of a configuration.
 *
 * @throws {InputError} for the first rule prometheus-adapter would refuse (path-precise, with the line when known)
 * @example compileAdapterConfig(defaultAdapterConfig(), { file: 'default' }).rules.length // -> 6
 */
export function compileAdapterConfig(config: AdapterConfig, options: CompileAdapterConfigOptions): CompiledAdapterConfig {
  const mapper = options.mapper ?? createResourceMapper();
  const compileList = (rules: AdapterConfig['rules'], paths: readonly string[]): MetricNamer[] =>
    rules.map((rule, k) => {
      try {
        return compileRule(rule, mapper);
      } catch (err) {
        return toInputError(err, paths[k] ?? `rules[${k}]`, options);
      }
    });
  const rules = compileList(config.rules, config.paths.rules);
  const externalRules = compileList(config.externalRules, config.paths.externalRules);
  let resourceRules: CompiledAdapterConfig['resourceRules'];
  if (config.resourceRules) {
    const base = config.paths.resourceRules ?? 'resourceRules';
    const compile = (which: 'cpu' | 'memory'): ResourceQuery => {
      const rule = config.resourceRules?.[which];
      if (!rule) throw new RangeError('unreachable');
      try {
        const q = createResourceQuery(rule, mapper);
        checkFields(q.containerQuery.tree, METRICS_QUERY_FIELDS, 'containerQuery');
        checkFields(q.nodeQuery.tree, METRICS_QUERY_FIELDS, 'nodeQuery');
        return q;
      } catch (err) {
        return toInputError(err, `${base}.${which}`, options);
      }
    };
    resourceRules = { cpu: compile('cpu'), memory: compile('memory'), window: config.resourceRules.window };
  }
  return { config, mapper, rules, externalRules, ...(resourceRules ? { resourceRules } : {}) };
}
