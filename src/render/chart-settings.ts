/**
 * What the seeds' Helm values say beyond the HPAs (which `parseHelmValues` reads): the namespace,
 * the ServiceMonitor, the prometheus-adapter release and its flags. Read leniently from the raw
 * values, each field with the values path it came from, so render and lint name the same fields.
 */
import { describeValue, InputError } from '../core/index.js';
import { parseYamlDocuments, type FieldPath, type YamlDocument } from '../input/index.js';

/** The namespace the seeds install into (`kubectl get hpa -n smallest`). */
export const SEED_NAMESPACE = 'smallest';
/** Where the seeds' prometheus-adapter runs (`kubectl logs -n kube-system -l app.kubernetes.io/name=prometheus-adapter`). */
export const SEED_ADAPTER_NAMESPACE = 'kube-system';

/** The ServiceMonitor the chart renders for the ASR pods (seed 002: port `metrics`, path `/metrics`, `app: lightning-asr`). */
export interface ServiceMonitorSettings {
  readonly enabled: boolean;
  readonly name: string;
  /** Service port name the endpoint scrapes. */
  readonly port: string;
  readonly path: string;
  /** Scrape interval of the endpoint (Prometheus duration); absent: Prometheus' global one. */
  readonly interval?: string;
  /** Labels of the Service the monitor selects. */
  readonly selector: Readonly<Record<string, string>>;
  /** Extra labels on the ServiceMonitor (a Prometheus `serviceMonitorSelector` may need them). */
  readonly labels: Readonly<Record<string, string>>;
  /** Values path of the block, for findings. */
  readonly valuesPath: FieldPath;
}

/** The prometheus-adapter release of the values. */
export interface AdapterReleaseSettings {
  readonly namespace: string;
  /** Release name, also the ConfigMap and Service name (the chart's fullname). */
  readonly name: string;
  /** `prometheus-adapter.metricsRelistInterval` (chart default 1m). */
  readonly metricsRelistInterval?: string;
  /** `--metrics-max-age` from `prometheus-adapter.extraArguments`. */
  readonly metricsMaxAge?: string;
}

/** Everything render and lint read from the values besides HPAs and Prometheus settings. */
export interface ChartSettings {
  readonly namespace: string;
  readonly serviceMonitor: ServiceMonitorSettings;
  readonly adapter: AdapterReleaseSettings;
  /** Per HPA block key, the pods' container requests the values give (`lightningAsr.resources.requests`). */
  readonly requests: Readonly<Record<string, Readonly<Record<string, string | number>>>>;
  /** The values document, for line lookups. */
  readonly doc?: YamlDocument;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function at(root: unknown, path: FieldPath): unknown {
  let v = root;
  for (const k of path) v = isObject(v) ? v[k as string] : Array.isArray(v) ? v[k as number] : undefined;
  return v;
}

function stringMap(value: unknown, file: string, path: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new InputError('schema', file, path, `expected a mapping of label names to strings, got ${describeValue(value)}`);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

function str(value: unknown, file: string, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') throw new InputError('schema', file, path, `expected a string, got ${describeValue(value)}`);
  return String(value);
}

/**
 * Reads the chart settings of a values file; every key is optional, with the seeds' defaults.
 *
 * @throws {InputError} `syntax` for bad YAML, `schema` naming the values path of a wrong type
 * @example readChartSettings('namespace: prod\n', 'v.yaml').namespace // -> 'prod'
 */
export function readChartSettings(text: string, file: string): ChartSettings {
  const doc = parseYamlDocuments(text, file).find((d) => d.value !== null);
  const root = doc?.value;
  const namespace = str(at(root, ['namespace']) ?? at(root, ['global', 'namespace']), file, 'namespace') ?? SEED_NAMESPACE;
  // The seeds put the monitor under `scaling.auto.lightningAsr.servicemonitor` (example values) or `lightningAsr.servicemonitor` (seed 002).
  const smPath: FieldPath = isObject(at(root, ['lightningAsr', 'servicemonitor'])) ? ['lightningAsr', 'servicemonitor'] : ['scaling', 'auto', 'lightningAsr', 'servicemonitor'];
  const sm = at(root, smPath);
  const smObj = isObject(sm) ? sm : {};
  const p = smPath.join('.');
  const interval = str(smObj['interval'], file, `${p}.interval`);
  const serviceMonitor: ServiceMonitorSettings = {
    enabled: smObj['enabled'] !== false && isObject(sm),
    name: str(smObj['name'], file, `${p}.name`) ?? 'lightning-asr',
    port: str(smObj['port'], file, `${p}.port`) ?? 'metrics',
    path: str(smObj['path'], file, `${p}.path`) ?? '/metrics',
    ...(interval === undefined ? {} : { interval }),
    selector: stringMap(smObj['selector'], file, `${p}.selector`) ?? { app: 'lightning-asr' },
    labels: stringMap(smObj['labels'] ?? smObj['additionalLabels'], file, `${p}.labels`) ?? {},
    valuesPath: smPath,
  };
  const pa = at(root, ['prometheus-adapter']);
  const paObj = isObject(pa) ? pa : {};
  const extra = Array.isArray(paObj['extraArguments']) ? paObj['extraArguments'].map(String) : [];
  const maxAgeArg = extra.find((a) => a.startsWith('--metrics-max-age='));
  const relist = str(paObj['metricsRelistInterval'], file, 'prometheus-adapter.metricsRelistInterval');
  const adapter: AdapterReleaseSettings = {
    namespace: str(paObj['namespace'] ?? paObj['namespaceOverride'], file, 'prometheus-adapter.namespaceOverride') ?? SEED_ADAPTER_NAMESPACE,
    name: str(paObj['fullnameOverride'], file, 'prometheus-adapter.fullnameOverride') ?? 'prometheus-adapter',
    ...(relist === undefined ? {} : { metricsRelistInterval: relist }),
    ...(maxAgeArg === undefined ? {} : { metricsMaxAge: maxAgeArg.slice('--metrics-max-age='.length) }),
  };
  const requests: Record<string, Record<string, string | number>> = {};
  for (const key of ['lightningAsr', 'apiServer']) {
    const r = at(root, [key, 'resources', 'requests']);
    if (isObject(r)) requests[key] = r as Record<string, string | number>;
  }
  return { namespace, serviceMonitor, adapter, requests, ...(doc ? { doc } : {}) };
}
