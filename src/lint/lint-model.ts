/**
 * The cross-object model lint checks: every HPA (from Helm values or manifests) with a map from its
 * fields to where they are written, the workloads, Services, ServiceMonitors and Nodes of the
 * manifests, the prometheus-adapter configuration, and the intervals of the metrics pipeline.
 * Values the API would refuse are recorded as facts (for a rule to report) and clamped, so one bad
 * field does not hide every other finding.
 */
import type { HorizontalPodAutoscaler, ResourceListMilli } from '../engine/index.js';
import { DEFAULT_SYNC_PERIOD_SECONDS } from '../engine/index.js';
import { describeValue, InputError, joinPath } from '../core/index.js';
import {
  checkHpa,
  extractWorkloadResources,
  HELM_HPA_BLOCKS,
  parseHelmValues,
  parseQuantityMilli,
  parseYamlDocuments,
  type FieldPath,
  type WorkloadResources,
  type YamlDocument,
} from '../input/index.js';
import { type AdapterConfig, parseAdapterConfig } from '../metrics/adapter/index.js';
import { readChartSettings, serviceMonitor as renderServiceMonitor, validateManifest, VALIDATED_KINDS, type ChartSettings, type KubeObject } from '../render/index.js';
import { parsePrometheusDuration } from '../core/index.js';
import type { Finding, Location } from './finding.js';

/** API limits the model clamps (autoscaling validation). */
export const MAX_WINDOW_SECONDS = 3600;
export const MAX_PERIOD_SECONDS = 1800;

/** A value outside what the API accepts, recorded before it was clamped. */
export interface RangeFact {
  readonly kind: 'window' | 'period' | 'minReplicasZero';
  /** HPA field path, e.g. `spec.behavior.scaleDown.stabilizationWindowSeconds`. */
  readonly hpaPath: string;
  readonly value: number;
}

/** One HPA and where its fields are written. */
export interface HpaEntry {
  readonly hpa: HorizontalPodAutoscaler;
  readonly source: 'values' | 'manifest';
  readonly file: string;
  readonly facts: readonly RangeFact[];
  /** Where an HPA field (`spec.maxReplicas`, `spec.metrics[0]`) is written in the file. */
  locate(hpaPath: string): Location;
  /** Requests of the target's pods the values give (`lightningAsr.resources.requests`). */
  readonly valuesRequestsMilli?: ResourceListMilli;
}

export interface ServiceEntry {
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly portNames: readonly string[];
  readonly location: Location;
}

export interface ServiceMonitorEntry {
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly endpoints: readonly { readonly port?: string; readonly interval?: string; readonly location?: Location }[];
  readonly location: Location;
  /** Rendered from values (not written in a manifest). */
  readonly fromValues: boolean;
}

export interface NodeEntry {
  readonly name: string;
  readonly allocatableMilli: ResourceListMilli;
}

export interface AdapterEntry {
  readonly config: AdapterConfig;
  readonly file: string;
  /** Path prefix of the rules in the file (`prometheus-adapter.rules.` for values). */
  readonly locate: (rulePath: string) => Location;
  readonly relistIntervalSeconds?: number;
  readonly relistLocation?: Location;
  readonly maxAgeSeconds?: number;
  readonly maxAgeLocation?: Location;
}

/** Readings as `explain --readings` takes them: values by metric key (`cpu`, `memory`, a metric name). */
export interface Readings {
  readonly file: string;
  readonly replicas?: number;
  readonly metrics: Readonly<Record<string, string | number>>;
  readonly requests: Readonly<Record<string, string | number>>;
}

/** Everything lint looks at. */
export interface LintModel {
  readonly hpas: readonly HpaEntry[];
  readonly workloads: readonly (WorkloadResources & { readonly location: Location })[];
  readonly services: readonly ServiceEntry[];
  readonly serviceMonitors: readonly ServiceMonitorEntry[];
  readonly nodes: readonly NodeEntry[];
  readonly adapter?: AdapterEntry;
  /** Prometheus' global scrape interval (values, else kube-prometheus-stack's 30 s). */
  readonly scrapeIntervalSeconds: number;
  readonly scrapeIntervalLocation?: Location;
  readonly syncPeriodSeconds: number;
  /** Per-pod readings (the `explain --readings` file: `replicas`, `metrics`, `requests`), when given. */
  readonly readings?: Readings;
  /** The values' chart settings, when a values file was given. */
  readonly chart?: ChartSettings & { readonly file: string; readonly serviceMonitorSelectorNilUsesHelmValues?: unknown };
  /** Inputs that could not be modelled (an HPA the API refuses for another reason): reported as is. */
  readonly inputFindings: readonly Finding[];
}

/** One input file as text. */
export interface LintInput {
  readonly file: string;
  readonly text: string;
}

/** A scalar field as text ('' for anything else). */
function scalarText(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function at(root: unknown, path: FieldPath): unknown {
  let v = root;
  for (const k of path) v = isObject(v) ? v[k as string] : Array.isArray(v) ? v[k as number] : undefined;
  return v;
}

function loc(file: string, doc: YamlDocument | undefined, path: FieldPath): Location {
  const line = doc?.lineOf(path);
  return { file, path: joinPath(path), ...(line === undefined ? {} : { line }), ...(doc && doc.index > 0 ? { document: doc.index } : {}) };
}

/** Records and clamps what the API refuses in a behavior block (`base` is the block's own path). */
function clampBehavior(behavior: unknown, hpaBase: string, facts: RangeFact[]): void {
  if (!isObject(behavior)) return;
  for (const dir of ['scaleUp', 'scaleDown']) {
    const rules = behavior[dir];
    if (!isObject(rules)) continue;
    const w = rules['stabilizationWindowSeconds'];
    if (typeof w === 'number' && w > MAX_WINDOW_SECONDS) {
      facts.push({ kind: 'window', hpaPath: `${hpaBase}.${dir}.stabilizationWindowSeconds`, value: w });
      rules['stabilizationWindowSeconds'] = MAX_WINDOW_SECONDS;
    }
    const policies = rules['policies'];
    if (Array.isArray(policies)) {
      policies.forEach((p: unknown, i) => {
        if (isObject(p) && typeof p['periodSeconds'] === 'number' && p['periodSeconds'] > MAX_PERIOD_SECONDS) {
          facts.push({ kind: 'period', hpaPath: `${hpaBase}.${dir}.policies[${i}].periodSeconds`, value: p['periodSeconds'] });
          p['periodSeconds'] = MAX_PERIOD_SECONDS;
        }
      });
    }
  }
}

function hasObjectOrExternal(metrics: unknown): boolean {
  return Array.isArray(metrics) && metrics.some((m) => isObject(m) && (m['type'] === 'Object' || m['type'] === 'External'));
}

function inputFinding(error: InputError, fallback: Location): Finding {
  return {
    id: 'HPA001',
    severity: 'error',
    location: { ...fallback, file: error.file, path: error.path, ...(error.line === undefined ? {} : { line: error.line }) },
    message: error.detail,
    why: 'the API server (or Helm) refuses this object, so nothing else about it takes effect',
    fix: 'correct the field as the message says',
  };
}

function parseSeconds(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return parsePrometheusDuration(text) / 1000;
  } catch {
    return undefined;
  }
}

function requestsMilli(raw: Readonly<Record<string, string | number>> | undefined): ResourceListMilli | undefined {
  if (!raw) return undefined;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(raw)) {
    try {
      out[k] = parseQuantityMilli(v);
    } catch {
      /* a bad quantity is the chart's problem; Utilization rules then see no request */
    }
  }
  return out;
}

/** What kind of input a document is. */
function classify(doc: YamlDocument): 'values' | 'adapter-config' | 'manifest' | 'readings' | 'empty' {
  const v = doc.value;
  if (!isObject(v)) return 'empty';
  if (typeof v['kind'] === 'string' && typeof v['apiVersion'] === 'string') return 'manifest';
  if ('rules' in v || 'externalRules' in v || 'resourceRules' in v) return 'adapter-config';
  if (isObject(v['metrics']) && Object.keys(v).every((k) => ['replicas', 'metrics', 'requests'].includes(k))) return 'readings';
  return 'values';
}

/**
 * Builds the model from the input files (Helm values, manifests, adapter configs, in any order).
 *
 * @throws {InputError} `syntax` for a file that is not YAML; `schema` for one lint cannot classify
 */
export function buildLintModel(inputs: readonly LintInput[], options: { readonly adapterConfig?: LintInput } = {}): LintModel {
  const hpas: HpaEntry[] = [];
  const workloads: (WorkloadResources & { location: Location })[] = [];
  const services: ServiceEntry[] = [];
  const serviceMonitors: ServiceMonitorEntry[] = [];
  const nodes: NodeEntry[] = [];
  const inputFindings: Finding[] = [];
  let adapter: AdapterEntry | undefined;
  let readings: Readings | undefined;
  let chart: LintModel['chart'];
  let scrapeIntervalSeconds = 30;
  let scrapeIntervalLocation: Location | undefined;

  const setAdapter = (text: string, file: string, doc: YamlDocument | undefined, prefix: FieldPath): void => {
    try {
      const config = parseAdapterConfig(text, { file });
      adapter = { ...adapter, config, file, locate: (p) => loc(file, doc, [...prefix, ...p.split(/\.|\[|\]/).filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s))]) };
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      inputFindings.push({ ...inputFinding(error, { file, path: '' }), id: 'ADP001', why: 'prometheus-adapter refuses to start with this configuration: every custom and external metric is <unknown>' });
    }
  };

  for (const input of inputs) {
    const docs = parseYamlDocuments(input.text, input.file).filter((d) => d.value !== null);
    if (docs.length === 0) throw new InputError('schema', input.file, '', 'is empty: expected Helm values, Kubernetes manifests or a prometheus-adapter config');
    for (const doc of docs) {
      const kind = classify(doc);
      if (kind === 'empty') {
        throw new InputError('schema', input.file, '', `expected Helm values, Kubernetes manifests or a prometheus-adapter config (a YAML mapping), got ${describeValue(doc.value)}`, {
          ...(doc.lineOf([]) === undefined ? {} : { line: doc.lineOf([]) as number }),
        });
      }
      if (kind === 'adapter-config') {
        setAdapter(input.text, input.file, doc, []);
        continue;
      }
      if (kind === 'readings') {
        const v = doc.value as Record<string, unknown>;
        const scalars = (x: unknown): Record<string, string | number> =>
          Object.fromEntries(Object.entries(isObject(x) ? x : {}).filter((e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number'));
        readings = { file: input.file, metrics: scalars(v['metrics']), requests: scalars(v['requests']), ...(typeof v['replicas'] === 'number' ? { replicas: v['replicas'] } : {}) };
        continue;
      }
      if (kind === 'values') {
        readValues(input, doc);
        continue;
      }
      const items = (doc.value as Record<string, unknown>)['kind'] === 'List' && Array.isArray((doc.value as Record<string, unknown>)['items'])
        ? ((doc.value as Record<string, unknown>)['items'] as unknown[]).map((item, i) => ({ item, prefix: ['items', i] as FieldPath }))
        : [{ item: doc.value, prefix: [] as FieldPath }];
      for (const { item, prefix } of items) readManifest(input.file, doc, item, prefix);
    }
  }
  if (options.adapterConfig) {
    const d = parseYamlDocuments(options.adapterConfig.text, options.adapterConfig.file).find((x) => x.value !== null);
    setAdapter(options.adapterConfig.text, options.adapterConfig.file, d, []);
  }

  function readValues(input: LintInput, doc: YamlDocument): void {
    const root = structuredClone(doc.value) as Record<string, unknown>;
    const settings = readChartSettings(input.text, input.file);
    const kps = at(root, ['kube-prometheus-stack', 'prometheus', 'prometheusSpec']);
    chart = { ...settings, file: input.file, ...(isObject(kps) ? { serviceMonitorSelectorNilUsesHelmValues: kps['serviceMonitorSelectorNilUsesHelmValues'] } : {}) };
    const interval = parseSeconds(at(root, ['kube-prometheus-stack', 'prometheus', 'prometheusSpec', 'scrapeInterval']));
    if (interval !== undefined) {
      scrapeIntervalSeconds = interval;
      scrapeIntervalLocation = loc(input.file, doc, ['kube-prometheus-stack', 'prometheus', 'prometheusSpec', 'scrapeInterval']);
    }
    // Clamp what the API refuses, per HPA block, remembering it.
    const factsByKey = new Map<string, RangeFact[]>();
    for (const block of HELM_HPA_BLOCKS) {
      const raw = at(root, ['scaling', 'auto', block.key, 'hpa']);
      if (!isObject(raw)) continue;
      const facts: RangeFact[] = [];
      for (const [dir, key] of [['scaleUp', 'scaleUpStabilizationWindowSeconds'], ['scaleDown', 'scaleDownStabilizationWindowSeconds']] as const) {
        const w = raw[key];
        if (typeof w === 'number' && w > MAX_WINDOW_SECONDS) {
          facts.push({ kind: 'window', hpaPath: `spec.behavior.${dir}.stabilizationWindowSeconds`, value: w });
          raw[key] = MAX_WINDOW_SECONDS;
        }
      }
      clampBehavior(raw['behavior'], 'spec.behavior', facts);
      if (raw['minReplicas'] === 0 && block.metricType !== 'External') {
        facts.push({ kind: 'minReplicasZero', hpaPath: 'spec.minReplicas', value: 0 });
        raw['minReplicas'] = 1;
      }
      factsByKey.set(block.key, facts);
    }
    let parsed;
    try {
      parsed = parseHelmValues(JSON.stringify(root), input.file);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      inputFindings.push(inputFinding(withLine(error, doc), { file: input.file, path: '' }));
      parsed = undefined;
    }
    if (parsed?.prometheus?.adapterRules !== undefined && !options.adapterConfig) setAdapter(input.text, input.file, doc, []);
    const relist = at(root, ['prometheus-adapter', 'metricsRelistInterval']);
    if (relist !== undefined) {
      const s = parseSeconds(relist);
      if (s !== undefined) adapter = { ...(adapter ?? ({} as AdapterEntry)), relistIntervalSeconds: s, relistLocation: loc(input.file, doc, ['prometheus-adapter', 'metricsRelistInterval']) };
    }
    const extra = at(root, ['prometheus-adapter', 'extraArguments']);
    if (Array.isArray(extra)) {
      extra.forEach((a, i) => {
        const m = /^--metrics-max-age=(.+)$/.exec(String(a));
        const s = m ? parseSeconds(m[1]) : undefined;
        if (s !== undefined) adapter = { ...(adapter ?? ({} as AdapterEntry)), maxAgeSeconds: s, maxAgeLocation: loc(input.file, doc, ['prometheus-adapter', 'extraArguments', i]) };
      });
    }
    for (const hpa of parsed?.hpas ?? []) {
      const block = HELM_HPA_BLOCKS.find((b) => b.name === hpa.metadata.name);
      if (!block) continue;
      const base: FieldPath = ['scaling', 'auto', block.key, 'hpa'];
      const raw = at(doc.value, base) as Record<string, unknown>;
      const reqs = requestsMilli(settings.requests[block.key]);
      hpas.push({
        hpa: { ...hpa, metadata: { ...hpa.metadata, namespace: settings.namespace } },
        source: 'values',
        file: input.file,
        facts: factsByKey.get(block.key) ?? [],
        locate: (hpaPath) => loc(input.file, doc, valuesPathOf(hpaPath, base, raw, block.targetField)),
        ...(reqs ? { valuesRequestsMilli: reqs } : {}),
      });
    }
    if (settings.serviceMonitor.enabled) {
      const sm = renderServiceMonitor(settings.serviceMonitor, settings.namespace) as unknown as { spec: { endpoints: { port: string; interval?: string }[] } };
      serviceMonitors.push({
        name: settings.serviceMonitor.name,
        namespace: settings.namespace,
        labels: { ...settings.serviceMonitor.selector, ...settings.serviceMonitor.labels },
        matchLabels: settings.serviceMonitor.selector,
        endpoints: sm.spec.endpoints,
        location: loc(input.file, doc, settings.serviceMonitor.valuesPath),
        fromValues: true,
      });
    }
  }

  function readManifest(file: string, doc: YamlDocument, item: unknown, prefix: FieldPath): void {
    if (!isObject(item)) return;
    const kind = item['kind'];
    const meta = isObject(item['metadata']) ? item['metadata'] : {};
    const name = scalarText(meta['name']);
    const namespace = typeof meta['namespace'] === 'string' ? meta['namespace'] : undefined;
    const here = (p: FieldPath): Location => loc(file, doc, [...prefix, ...p]);
    // Every kind with a published schema is checked against it (the HPA below, with its own rules).
    if (kind !== 'HorizontalPodAutoscaler' && typeof kind === 'string' && VALIDATED_KINDS.includes(`${String(item['apiVersion'])}/${kind}`)) {
      for (const problem of validateManifest(item as unknown as KubeObject)) {
        const m = /: data\/(\S*) (.*)$/.exec(problem);
        const path = (m?.[1] ?? '').split('/').filter(Boolean).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
        inputFindings.push({
          id: 'SCH001',
          severity: 'error',
          location: here(path),
          message: `${kind} '${name}': ${m ? `${m[2] ?? ''}` : problem}`,
          why: `the API server refuses the ${kind} (its ${kind === 'ServiceMonitor' || kind === 'PrometheusRule' ? 'CRD' : 'OpenAPI'} schema), so it is never created`,
          fix: 'correct the field as the message says',
        });
      }
    }
    switch (kind) {
      case 'HorizontalPodAutoscaler': {
        const raw = structuredClone(item);
        const facts: RangeFact[] = [];
        const spec = isObject(raw['spec']) ? raw['spec'] : {};
        clampBehavior(spec['behavior'], 'spec.behavior', facts);
        if (spec['minReplicas'] === 0 && !hasObjectOrExternal(spec['metrics'])) {
          facts.push({ kind: 'minReplicasZero', hpaPath: 'spec.minReplicas', value: 0 });
          spec['minReplicas'] = 1;
        }
        const check = checkHpa(raw);
        const issue = check.issues[0];
        if (!check.hpa || issue) {
          for (const i of check.issues) {
            inputFindings.push({
              id: 'HPA001',
              severity: 'error',
              location: here(i.path),
              message: i.detail,
              why: 'the API server refuses this HorizontalPodAutoscaler, so nothing else about it takes effect',
              fix: 'correct the field as the message says',
            });
          }
          return;
        }
        hpas.push({
          hpa: check.hpa,
          source: 'manifest',
          file,
          facts,
          locate: (hpaPath) => here(hpaPath.split(/\.|\[|\]/).filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s))),
        });
        return;
      }
      case 'Service': {
        const spec = isObject(item['spec']) ? item['spec'] : {};
        const labels = isObject(meta['labels']) ? (meta['labels'] as Record<string, string>) : {};
        const ports = Array.isArray(spec['ports']) ? spec['ports'].filter(isObject).map((p) => scalarText(p['name'])) : [];
        services.push({ name, ...(namespace ? { namespace } : {}), labels, portNames: ports, location: here([]) });
        return;
      }
      case 'ServiceMonitor': {
        const spec = isObject(item['spec']) ? item['spec'] : {};
        const selector = isObject(spec['selector']) ? spec['selector'] : {};
        const endpoints = Array.isArray(spec['endpoints'])
          ? spec['endpoints'].map((e: unknown, i) =>
              isObject(e)
                ? { ...(e['port'] === undefined ? {} : { port: scalarText(e['port']) }), ...(typeof e['interval'] === 'string' ? { interval: e['interval'] } : {}), location: here(['spec', 'endpoints', i, 'port']) }
                : {},
            )
          : [];
        serviceMonitors.push({
          name,
          ...(namespace ? { namespace } : {}),
          labels: isObject(meta['labels']) ? (meta['labels'] as Record<string, string>) : {},
          matchLabels: isObject(selector['matchLabels']) ? (selector['matchLabels'] as Record<string, string>) : {},
          endpoints,
          location: here(isObject(spec['selector']) ? ['spec', 'selector'] : []),
          fromValues: false,
        });
        return;
      }
      case 'Node': {
        const alloc = at(item, ['status', 'allocatable']);
        const out = requestsMilli(isObject(alloc) ? (alloc as Record<string, string>) : undefined);
        if (out) nodes.push({ name, allocatableMilli: out });
        return;
      }
      case 'ConfigMap': {
        const data = isObject(item['data']) ? item['data'] : {};
        const config = data['config.yaml'];
        if (typeof config === 'string' && /(^|\n)(rules|externalRules):/.test(config) && !options.adapterConfig) setAdapter(config, `${file} (ConfigMap ${name} config.yaml)`, undefined, []);
        return;
      }
      default: {
        try {
          const w = extractWorkloadResources(item, { file, pathPrefix: prefix, lineOf: (p) => doc.lineOf(p) });
          if (w) workloads.push({ ...w, location: here([]) });
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          inputFindings.push(inputFinding(error, here([])));
        }
      }
    }
  }

  // A ServiceMonitor applied as a manifest replaces the one the values would render under the same name.
  const monitors = serviceMonitors.filter((sm) => !sm.fromValues || !serviceMonitors.some((o) => !o.fromValues && o.name === sm.name));
  return {
    hpas,
    workloads,
    services,
    serviceMonitors: monitors,
    nodes,
    ...(adapter && 'config' in adapter ? { adapter } : {}),
    scrapeIntervalSeconds,
    ...(scrapeIntervalLocation ? { scrapeIntervalLocation } : {}),
    syncPeriodSeconds: DEFAULT_SYNC_PERIOD_SECONDS,
    ...(readings ? { readings } : {}),
    ...(chart ? { chart } : {}),
    inputFindings,
  };
}

function withLine(error: InputError, doc: YamlDocument): InputError {
  // The values were re-serialized before parsing: take the line from the original document.
  const line = doc.lineOf(error.path.split(/\.|\[|\]/).filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s)));
  return new InputError(error.code, error.file, error.path, error.detail, line === undefined ? {} : { line });
}

/** Where an HPA field of a values block is written: the shorthand window, the behavior block, or the target field. */
function valuesPathOf(hpaPath: string, base: FieldPath, raw: Record<string, unknown>, targetField: string): FieldPath {
  const parts = hpaPath.split(/\.|\[|\]/).filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const [a, b, c, d] = parts;
  if (a !== 'spec') return base;
  if (b === 'minReplicas' || b === 'maxReplicas') return [...base, b];
  if (b === 'metrics') return [...base, targetField];
  if (b === 'behavior') {
    if ((c === 'scaleUp' || c === 'scaleDown') && d === 'stabilizationWindowSeconds') {
      const inBlock = isObject(raw['behavior']) && isObject((raw['behavior'])[c]) && ((raw['behavior'] as Record<string, Record<string, unknown>>)[c] as Record<string, unknown>)['stabilizationWindowSeconds'] !== undefined;
      return inBlock ? [...base, 'behavior', c, d] : [...base, `${c}StabilizationWindowSeconds`];
    }
    return [...base, ...parts.slice(1)];
  }
  return base;
}
