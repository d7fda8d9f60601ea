/**
 * Turns what the page holds (a file's text and the files it references, as a map) into the
 * simulator's `Scenario`: the browser's counterpart of `src/input/scenario-loader.ts`, which reads
 * from disk. Parsing and validation are `src/spec`'s; only where the bytes come from differs.
 * An HPA manifest or Helm values file becomes a scenario on a built-in traffic shape.
 */
import type { HorizontalPodAutoscaler } from '../../src/engine/index.js';
import { InputError } from '../../src/core/index.js';
// src/input's index also exports the Node-only file loader (node:fs), so the page imports the
// browser-safe modules themselves (web/tsconfig.json has no Node types to keep it that way).
import { parseHelmValues, parseManifestFile, buildScenario, inlineHpas, parseScenarioObject, parseScenarioText, selectAndPatch, type HpaEntry, type ScenarioFile, type WorkloadResources, parseYamlDocuments } from '../../src/input/index.js';
import { parseTraceText, type Scenario, type TracePoint } from '../../src/sim/index.js';

/** What a file turned out to be. */
export type SourceKind = 'scenario' | 'manifest' | 'helm-values';

/** A scenario ready to run, with its variants. */
export interface LoadedSource {
  readonly kind: SourceKind;
  readonly scenario: Scenario;
  readonly variants: readonly { readonly name: string; readonly scenario: Scenario }[];
  readonly seed?: number;
  readonly warnings: readonly string[];
  /** Workload requests of manifests, by deployment name (for the calculator). */
  readonly deployments: Readonly<Record<string, WorkloadResources>>;
}

/** Normalizes a POSIX path: `a/b/../c` -> `a/c`, keeping leading `..`. */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

function dirnameOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** The key of `ref` (relative to the file `from`) in a files map keyed like `from`. */
export function resolveRef(from: string, ref: string): string {
  return normalizePath(`${dirnameOf(from)}/${ref}`);
}

/**
 * What kind of file `text` is: a scenario (`hpas:` and `traffic:`), Kubernetes manifests (a
 * `kind`), or the seeds' Helm values (`scaling:`).
 *
 * @throws {InputError} when it is none of them
 */
export function detectSourceKind(text: string, file: string): SourceKind {
  const docs = parseYamlDocuments(text, file)
    .map((d) => d.value)
    .filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v));
  if (docs.length === 1 && 'hpas' in docs[0]! && !('kind' in docs[0])) return 'scenario';
  if (docs.some((d) => typeof d['kind'] === 'string' || typeof d['apiVersion'] === 'string')) return 'manifest';
  if (docs.some((d) => 'scaling' in d)) return 'helm-values';
  throw new InputError('schema', file, '', "expected a scenario (with 'hpas' and 'traffic'), an autoscaling/v2 manifest or Helm values with a 'scaling' key");
}

/** Durations that show a built-in traffic shape whole. */
export const TRAFFIC_DURATIONS: Readonly<Record<string, string>> = {
  'traffic-spike': '1h',
  'gradual-decline': '2h',
  'off-hours': '1d',
  diurnal: '1d',
  ramp: '1h',
};

/** Options of `loadSource`. */
export interface LoadSourceOptions {
  /** Files the text references, keyed by path resolved against `name` (see `resolveRef`). */
  readonly files?: Readonly<Record<string, string>>;
  /** A built-in traffic type replacing the scenario's (an HPA file gets `traffic-spike` without it). */
  readonly traffic?: string;
  /** A duration replacing the scenario's (`6h`, `1d`, or seconds). */
  readonly duration?: string | number;
}

/**
 * Loads a scenario, HPA manifest or Helm values file from its text.
 *
 * @throws {InputError} for a bad file, a reference missing from `files`, or Prometheus traffic
 * @example loadSource('hpa.yaml', manifestText, {}).scenario.traffic.type // -> 'traffic-spike'
 */
export function loadSource(name: string, text: string, options: LoadSourceOptions = {}): LoadedSource {
  const files = options.files ?? {};
  const kind = detectSourceKind(text, name);
  const warnings: string[] = [];
  let raw: Record<string, unknown>;
  let scenarioFile: ScenarioFile;
  if (kind === 'scenario') {
    const docs = parseYamlDocuments(text, name).filter((d) => d.value !== null);
    raw = { ...(docs[0]!.value as Record<string, unknown>) };
    if (options.traffic === undefined && options.duration === undefined) {
      scenarioFile = parseScenarioText(text, name);
    } else {
      if (options.traffic !== undefined) raw['traffic'] = { type: options.traffic };
      if (options.duration !== undefined) raw['duration'] = options.duration;
      scenarioFile = parseScenarioObject(raw, name);
    }
  } else {
    // An HPA file alone: run its HPAs on a built-in traffic shape.
    const traffic = options.traffic ?? 'traffic-spike';
    const base = name.replace(/^.*\//, '');
    raw = {
      name: base.replace(/\.[^.]*$/, ''),
      duration: options.duration ?? TRAFFIC_DURATIONS[traffic] ?? '1h',
      hpas: [{ file: base }],
      traffic: { type: traffic },
    };
    scenarioFile = parseScenarioObject(raw, name);
  }
  const own: Record<string, string> = { ...files };
  if (kind !== 'scenario') own[normalizePath(name)] = text;
  const resolveHpas = (entries: readonly HpaEntry[], prefix: string) => resolveEntries(entries, { name, files: own, prefix, warnings });
  const base = resolveHpas(scenarioFile.hpas, 'hpas');
  const trafficPoints = tracePoints(scenarioFile, name, own);
  const defaultName = name.replace(/^.*\//, '').replace(/\.[^.]*$/, '');
  const build = (hpas: Resolved, n: string): Scenario =>
    buildScenario(scenarioFile, {
      hpas: hpas.hpas,
      deployments: hpas.deployments,
      ...(hpas.scrapeIntervalSeconds === undefined ? {} : { scrapeIntervalSeconds: hpas.scrapeIntervalSeconds }),
      ...(trafficPoints === undefined ? {} : { trafficPoints }),
      defaultName: n,
    });
  const scenario = build(base, defaultName);
  const variants = (scenarioFile.variants ?? []).map((v, i) => {
    const mine = v.hpas === undefined ? base : resolveHpas(v.hpas, `variants[${i}].hpas`);
    const patched = selectAndPatch(mine.hpas, { patch: v.patch }, { file: name, path: ['variants', i] });
    return { name: v.name, scenario: { ...build({ ...mine, hpas: patched }, defaultName), name: v.name } };
  });
  return { kind, scenario, variants, ...(scenarioFile.seed === undefined ? {} : { seed: scenarioFile.seed }), warnings, deployments: base.deployments };
}

interface Resolved {
  hpas: HorizontalPodAutoscaler[];
  deployments: Record<string, WorkloadResources>;
  scrapeIntervalSeconds: number | undefined;
}

function fileText(files: Readonly<Record<string, string>>, ctx: { name: string; ref: string; path: string }): string {
  const key = resolveRef(ctx.name, ctx.ref);
  const text = files[key];
  if (text === undefined) {
    throw new InputError(
      'unreadable',
      ctx.name,
      ctx.path,
      `the page has no copy of '${ctx.ref}': open the scenario with 'hpa-lab serve ${ctx.name}', which sends the files it references, or inline the HPA with 'manifest:'`,
    );
  }
  return text;
}

function resolveEntries(entries: readonly HpaEntry[], ctx: { name: string; files: Readonly<Record<string, string>>; prefix: string; warnings: string[] }): Resolved {
  const out: Resolved = { hpas: [], deployments: {}, scrapeIntervalSeconds: undefined };
  entries.forEach((entry, i) => {
    const path = [ctx.prefix, i] as const;
    let hpas: HorizontalPodAutoscaler[];
    if (entry.file !== undefined) {
      const ref = entry.file;
      const text = fileText(ctx.files, { name: ctx.name, ref, path: `${ctx.prefix}[${i}].file` });
      const key = resolveRef(ctx.name, ref);
      const kind = detectSourceKind(text, key);
      if (kind === 'helm-values') {
        const values = parseHelmValues(text, key);
        hpas = [...values.hpas];
        ctx.warnings.push(...values.warnings);
        if (values.prometheus?.scrapeIntervalSeconds !== undefined) out.scrapeIntervalSeconds = values.prometheus.scrapeIntervalSeconds;
      } else if (kind === 'manifest') {
        const manifest = parseManifestFile(text, key);
        hpas = [...manifest.hpas];
        ctx.warnings.push(...manifest.warnings);
        Object.assign(out.deployments, manifest.deployments);
      } else {
        throw new InputError('semantic', ctx.name, `${ctx.prefix}[${i}].file`, `'${ref}' is a scenario: expected an HPA manifest or Helm values`);
      }
      if (hpas.length === 0) throw new InputError('semantic', ctx.name, `${ctx.prefix}[${i}].file`, `'${ref}' holds no enabled HorizontalPodAutoscaler`);
    } else {
      hpas = inlineHpas(entry, { file: ctx.name, path });
    }
    out.hpas.push(...selectAndPatch(hpas, entry, { file: ctx.name, path }));
  });
  const seen = new Map<string, string>();
  for (const hpa of out.hpas) {
    const target = hpa.spec.scaleTargetRef.name;
    const other = seen.get(target);
    if (other !== undefined) {
      throw new InputError('semantic', ctx.name, ctx.prefix, `HPAs '${other}' and '${hpa.metadata.name}' both scale Deployment '${target}': expected one HPA per target`);
    }
    seen.set(target, hpa.metadata.name);
  }
  return out;
}

function tracePoints(file: ScenarioFile, name: string, files: Readonly<Record<string, string>>): TracePoint[] | undefined {
  const traffic = file.traffic;
  if (traffic.type === 'trace' && traffic.file !== undefined) {
    return parseTraceText(fileText(files, { name, ref: traffic.file, path: 'traffic.file' }), traffic.file);
  }
  if (traffic.type === 'prometheus') {
    throw new InputError('unreachable', name, 'traffic', `the page cannot query Prometheus: run 'hpa-lab simulate ${name}', or save the query_range answer and use a 'trace' traffic`);
  }
  return undefined;
}
