/**
 * The prometheus-adapter configuration, decoded strictly (as `yaml.UnmarshalStrict` does: unknown
 * or misspelled keys are errors) from either of its two shapes:
 *
 * - the adapter's config file (`--config`): top-level `rules`, `externalRules`, `resourceRules`;
 * - the prometheus-community Helm chart values: `rules.custom`, `rules.external`, `rules.resource`,
 *   `rules.default` (prepend the chart's six default rules; the chart's default is true),
 *   `rules.existing` (a ConfigMap name, which cannot be loaded from a file); optionally nested
 *   under an umbrella chart's `prometheus-adapter:` key, as in the seed's values.yaml.
 *
 * Every error names the field path as written in the file (`rules.custom[2].name.matches`).
 *
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/docs/config.md
 * @see https://github.com/prometheus-community/helm-charts/blob/main/charts/prometheus-adapter/templates/configmap.yaml
 */
import { InputError, joinPath, parsePrometheusDuration } from '../../core/index.js';
import type { DiscoveryRule } from './metric-namer.js';
import type { ResourceMapping } from './resource-converter.js';
import type { RegexFilter } from './series-filter.js';

/** `resourceRules.cpu` / `.memory`. */
export interface ResourceRule {
  readonly containerQuery: string;
  readonly nodeQuery: string;
  readonly resources: ResourceMapping;
  readonly containerLabel: string;
}

/** `resourceRules`: metrics.k8s.io. `window` only labels responses. */
export interface ResourceRules {
  readonly cpu: ResourceRule;
  readonly memory: ResourceRule;
  /** A Prometheus duration (`1m`, `5m`), "" when absent. */
  readonly window: string;
}

/** Where each rule came from in the file, for error messages. */
export interface AdapterConfigPaths {
  readonly rules: readonly string[];
  readonly externalRules: readonly string[];
  readonly resourceRules?: string;
}

export interface AdapterConfig {
  readonly rules: readonly DiscoveryRule[];
  readonly externalRules: readonly DiscoveryRule[];
  readonly resourceRules?: ResourceRules;
  /** Which syntax the file used. */
  readonly shape: 'config' | 'helm';
  readonly paths: AdapterConfigPaths;
}

/** Options of {@link decodeAdapterConfig}. */
export interface DecodeAdapterConfigOptions {
  /** File name for error messages. */
  readonly file: string;
  /** 1-based line of a field path, when the source text is known. */
  readonly lineOf?: (path: string) => number | undefined;
  /** The rules `rules.default: true` prepends (Helm shape only). */
  readonly helmDefaultRules?: readonly DiscoveryRule[];
}

const RULE_KEYS = ['seriesQuery', 'seriesFilters', 'resources', 'name', 'metricsQuery'];
const RESOURCES_KEYS = ['template', 'overrides', 'namespaced'];
const OVERRIDE_KEYS = ['group', 'resource'];
const NAME_KEYS = ['matches', 'as'];
const FILTER_KEYS = ['is', 'isNot'];
const CONFIG_KEYS = ['rules', 'externalRules', 'resourceRules'];
const HELM_RULES_KEYS = ['default', 'custom', 'external', 'resource', 'existing'];
const RESOURCE_RULES_KEYS = ['cpu', 'memory', 'window'];
const RESOURCE_RULE_KEYS = ['containerQuery', 'nodeQuery', 'resources', 'containerLabel'];

type Obj = Readonly<Record<string, unknown>>;

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0] ?? 0;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j] ?? 0;
      dp[j] = Math.min((dp[j] ?? 0) + 1, (dp[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length] ?? 0;
}

class Decoder {
  readonly options: DecodeAdapterConfigOptions;
  constructor(options: DecodeAdapterConfigOptions) {
    this.options = options;
  }

  fail(path: string, detail: string, code: 'schema' | 'semantic' = 'schema'): never {
    const line = this.options.lineOf?.(path);
    throw new InputError(code, this.options.file, path, detail, line === undefined ? {} : { line });
  }

  object(value: unknown, path: string, keys: readonly string[]): Obj {
    if (value === null || value === undefined) return {};
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(path, `expected a mapping, got ${describe(value)}`);
    const obj = value as Obj;
    for (const key of Object.keys(obj)) {
      if (keys.includes(key)) continue;
      const near = keys.find((k) => distance(k.toLowerCase(), key.toLowerCase()) <= 2);
      this.fail(joinPath([path, key].filter(Boolean)), `unknown field${near ? ` (did you mean '${near}'?)` : ''}: expected one of ${keys.join(', ')}`);
    }
    return obj;
  }

  string(value: unknown, path: string): string | undefined {
    if (value === null || value === undefined) return undefined;
    // yaml.v2 decodes any scalar into a string field as its text
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return this.fail(path, `expected a string, got ${describe(value)}`);
  }

  bool(value: unknown, path: string): boolean | undefined {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'boolean') this.fail(path, `expected true or false, got ${describe(value)}`);
    return value;
  }

  list(value: unknown, path: string): readonly unknown[] {
    if (value === null || value === undefined) return [];
    if (!Array.isArray(value)) this.fail(path, `expected a list, got ${describe(value)}`);
    return value;
  }

  resources(value: unknown, path: string): ResourceMapping & { namespaced?: boolean } {
    const obj = this.object(value, path, RESOURCES_KEYS);
    const out: { template?: string; overrides?: Record<string, { group?: string; resource: string }>; namespaced?: boolean } = {};
    const template = this.string(obj['template'], `${path}.template`);
    if (template !== undefined) out.template = template;
    const namespaced = this.bool(obj['namespaced'], `${path}.namespaced`);
    if (namespaced !== undefined) out.namespaced = namespaced;
    if (obj['overrides'] !== undefined && obj['overrides'] !== null) {
      const overrides = this.object(obj['overrides'], `${path}.overrides`, Object.keys(obj['overrides']));
      out.overrides = {};
      for (const [label, target] of Object.entries(overrides)) {
        const tpath = `${path}.overrides.${label}`;
        const t = this.object(target, tpath, OVERRIDE_KEYS);
        const resource = this.string(t['resource'], `${tpath}.resource`);
        if (!resource) this.fail(`${tpath}.resource`, 'required: the resource the label names (pod, namespace, deployment.apps ...)');
        const group = this.string(t['group'], `${tpath}.group`);
        out.overrides[label] = group === undefined ? { resource } : { group, resource };
      }
    }
    return out;
  }

  rule(value: unknown, path: string): DiscoveryRule {
    const obj = this.object(value, path, RULE_KEYS);
    const out: {
      seriesQuery?: string;
      seriesFilters?: RegexFilter[];
      resources?: ResourceMapping & { namespaced?: boolean };
      name?: { matches?: string; as?: string };
      metricsQuery?: string;
    } = {};
    const seriesQuery = this.string(obj['seriesQuery'], `${path}.seriesQuery`);
    if (seriesQuery !== undefined) out.seriesQuery = seriesQuery;
    const metricsQuery = this.string(obj['metricsQuery'], `${path}.metricsQuery`);
    if (metricsQuery !== undefined) out.metricsQuery = metricsQuery;
    if (obj['seriesFilters'] !== undefined) {
      out.seriesFilters = this.list(obj['seriesFilters'], `${path}.seriesFilters`).map((f, k) => {
        const fpath = `${path}.seriesFilters[${k}]`;
        const fo = this.object(f, fpath, FILTER_KEYS);
        const is = this.string(fo['is'], `${fpath}.is`);
        const isNot = this.string(fo['isNot'], `${fpath}.isNot`);
        return { ...(is === undefined ? {} : { is }), ...(isNot === undefined ? {} : { isNot }) };
      });
    }
    if (obj['resources'] !== undefined) out.resources = this.resources(obj['resources'], `${path}.resources`);
    if (obj['name'] !== undefined) {
      const no = this.object(obj['name'], `${path}.name`, NAME_KEYS);
      const matches = this.string(no['matches'], `${path}.name.matches`);
      const as = this.string(no['as'], `${path}.name.as`);
      out.name = { ...(matches === undefined ? {} : { matches }), ...(as === undefined ? {} : { as }) };
    }
    return out;
  }

  rules(value: unknown, path: string): { rules: DiscoveryRule[]; paths: string[] } {
    const list = this.list(value, path);
    return { rules: list.map((r, k) => this.rule(r, `${path}[${k}]`)), paths: list.map((_, k) => `${path}[${k}]`) };
  }

  resourceRule(value: unknown, path: string): ResourceRule {
    const obj = this.object(value, path, RESOURCE_RULE_KEYS);
    return {
      containerQuery: this.string(obj['containerQuery'], `${path}.containerQuery`) ?? '',
      nodeQuery: this.string(obj['nodeQuery'], `${path}.nodeQuery`) ?? '',
      resources: this.resources(obj['resources'], `${path}.resources`),
      containerLabel: this.string(obj['containerLabel'], `${path}.containerLabel`) ?? '',
    };
  }

  resourceRules(value: unknown, path: string): ResourceRules {
    const obj = this.object(value, path, RESOURCE_RULES_KEYS);
    const rawWindow = obj['window'];
    const window = this.string(rawWindow, `${path}.window`) ?? '';
    if (rawWindow !== undefined && rawWindow !== null) {
      try {
        parsePrometheusDuration(window);
      } catch {
        // the window is a pmodel.Duration in prometheus-adapter's config
        this.fail(`${path}.window`, `not a valid duration string: ${JSON.stringify(window)} (expected a Prometheus duration such as 1m or 5m)`);
      }
    }
    return { cpu: this.resourceRule(obj['cpu'], `${path}.cpu`), memory: this.resourceRule(obj['memory'], `${path}.memory`), window };
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Decodes a parsed YAML/JSON value into an {@link AdapterConfig}, detecting the Helm shape.
 *
 * @throws {InputError} naming the file and the field path
 * @example decodeAdapterConfig({ rules: [{ seriesQuery: 'up', metricsQuery: 'up' }] }, { file: 'c.yaml' }).rules.length // -> 1
 */
export function decodeAdapterConfig(value: unknown, options: DecodeAdapterConfigOptions): AdapterConfig {
  const d = new Decoder(options);
  if (value === null || value === undefined) return { rules: [], externalRules: [], shape: 'config', paths: { rules: [], externalRules: [] } };
  if (!isObj(value)) return d.fail('', `expected a mapping with 'rules', got ${describe(value)}`);
  let root: Obj = value;
  let prefix = '';
  const umbrella = value['prometheus-adapter'];
  if (isObj(umbrella) && isObj(umbrella['rules'])) {
    root = umbrella;
    prefix = 'prometheus-adapter.';
  }
  if (isObj(root['rules'])) {
    const rulesPath = `${prefix}rules`;
    const r = d.object(root['rules'], rulesPath, HELM_RULES_KEYS);
    if (r['existing'] !== undefined && r['existing'] !== null && r['existing'] !== '') {
      d.fail(`${rulesPath}.existing`, 'the rules live in an existing ConfigMap, which cannot be read from this file: export its config.yaml and load that', 'semantic');
    }
    const useDefault = d.bool(r['default'], `${rulesPath}.default`) ?? true;
    const custom = d.rules(r['custom'], `${rulesPath}.custom`);
    const external = d.rules(r['external'], `${rulesPath}.external`);
    const defaults = useDefault ? (options.helmDefaultRules ?? []) : [];
    const resourceRules = r['resource'] === undefined || r['resource'] === null ? undefined : d.resourceRules(r['resource'], `${rulesPath}.resource`);
    return {
      rules: [...defaults, ...custom.rules],
      externalRules: external.rules,
      ...(resourceRules ? { resourceRules } : {}),
      shape: 'helm',
      paths: {
        rules: [...defaults.map((_, k) => `${rulesPath}.default (chart rule ${k + 1})`), ...custom.paths],
        externalRules: external.paths,
        ...(resourceRules ? { resourceRules: `${rulesPath}.resource` } : {}),
      },
    };
  }
  const obj = d.object(root, '', CONFIG_KEYS);
  const rules = d.rules(obj['rules'], 'rules');
  const external = d.rules(obj['externalRules'], 'externalRules');
  const resourceRules = obj['resourceRules'] === undefined || obj['resourceRules'] === null ? undefined : d.resourceRules(obj['resourceRules'], 'resourceRules');
  return {
    rules: rules.rules,
    externalRules: external.rules,
    ...(resourceRules ? { resourceRules } : {}),
    shape: 'config',
    paths: { rules: rules.paths, externalRules: external.paths, ...(resourceRules ? { resourceRules: 'resourceRules' } : {}) },
  };
}
