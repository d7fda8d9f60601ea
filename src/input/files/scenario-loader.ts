/**
 * Reads a scenario file and everything it references (HPA files relative to it, trace files,
 * and, through a capability the caller passes, Prometheus traffic), and builds the `Scenario`s
 * to run: the scenario itself and each of its `variants`.
 */
import { access, readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import type { HorizontalPodAutoscaler } from '../../engine/index.js';
import { parseTraceText, type PrometheusTrafficSpec, type TracePoint, type Scenario } from '../../sim/index.js';
import { InputError } from '../../core/index.js';
import { loadHpaFile } from './load.js';
import { checkRange, describeRange, RANGES, SIM_MAX_PODS, SIM_MAX_STEPS } from '../limits.js';
import { buildScenario, inlineHpas, parseScenarioText, selectAndPatch, type HpaEntry, type ScenarioFile } from '../scenario.js';
import type { WorkloadResources } from '../workload-resources.js';
import { parseYamlDocuments } from '../yaml-source.js';

/** A scenario ready to run, with its variants. */
export interface LoadedScenario {
  readonly file: string;
  readonly scenario: Scenario;
  /** `variants` of the file, each a full scenario differing only in its HPAs. */
  readonly variants: readonly { readonly name: string; readonly scenario: Scenario }[];
  /** The file's `seed`, if any. */
  readonly seed?: number;
  readonly warnings: readonly string[];
}

/** Capabilities of the loader. */
export interface LoadScenarioOptions {
  /** Fetches `prometheus` traffic (the CLI passes `importTrafficFromPrometheus`). */
  readonly importPrometheus?: (spec: PrometheusTrafficSpec) => Promise<TracePoint[]>;
  /** Working directory `file:` paths fall back to when not found next to the scenario (default: the process's). */
  readonly cwd?: string;
}

interface ResolvedHpas {
  hpas: HorizontalPodAutoscaler[];
  deployments: Record<string, WorkloadResources>;
  scrapeIntervalSeconds: number | undefined;
}

/**
 * Loads a scenario file.
 *
 * @throws {InputError} `unreadable` for a missing file (the scenario or one it references),
 *   `syntax`/`schema`/`semantic` with the field path, `unreachable` from the Prometheus import
 * @example (await loadScenarioFile('examples/scenarios/traffic-spike.yaml')).scenario.hpas[0].metadata.name
 * // -> 'lightning-asr'
 */
export async function loadScenarioFile(path: string, options: LoadScenarioOptions = {}): Promise<LoadedScenario> {
  const text = await readText(path);
  const file = parseScenarioText(text, path);
  const warnings: string[] = [];
  const dir = dirname(path);
  const cwd = options.cwd;
  const base = await resolveHpas(file.hpas, { file: path, dir, prefix: 'hpas', warnings, ...(cwd === undefined ? {} : { cwd }) });
  const trafficPoints = await loadTrafficPoints(file, { path, dir, options });
  const defaultName = basename(path, extname(path));
  const build = (hpas: ResolvedHpas, name: string): Scenario =>
    buildScenario(file, {
      hpas: hpas.hpas,
      deployments: hpas.deployments,
      ...(hpas.scrapeIntervalSeconds === undefined ? {} : { scrapeIntervalSeconds: hpas.scrapeIntervalSeconds }),
      ...(trafficPoints === undefined ? {} : { trafficPoints }),
      defaultName: name,
    });
  const scenario = build(base, defaultName);
  const variants: { name: string; scenario: Scenario }[] = [];
  for (const [i, v] of (file.variants ?? []).entries()) {
    const own = v.hpas === undefined ? base : await resolveHpas(v.hpas, { file: path, dir, prefix: `variants[${i}].hpas`, warnings, ...(cwd === undefined ? {} : { cwd }) });
    const patched = selectAndPatch(own.hpas, { patch: v.patch }, { file: path, path: ['variants', i] });
    variants.push({ name: v.name, scenario: { ...build({ ...own, hpas: patched }, defaultName), name: v.name } });
  }
  checkSimulatable(scenario, path);
  for (const v of variants) checkSimulatable(v.scenario, path, `variants[${file.variants!.findIndex((x) => x.name === v.name)}]`);
  return { file: path, scenario, variants, ...(file.seed === undefined ? {} : { seed: file.seed }), warnings };
}

/**
 * Refuses what Kubernetes allows but this simulator cannot hold: more than `SIM_MAX_PODS` pods
 * per service (maxReplicas, initialReplicas) and more than `SIM_MAX_STEPS` traffic steps.
 *
 * @throws {InputError} `semantic`, stating the limit as hpa-lab's
 */
export function checkSimulatable(scenario: Scenario, file: string, prefix = ''): void {
  const at = (p: string): string => (prefix ? `${prefix}.${p}` : p);
  scenario.hpas.forEach((hpa, i) => {
    if (hpa.spec.maxReplicas > SIM_MAX_PODS) {
      throw new InputError('semantic', file, at(`hpas[${i}].spec.maxReplicas`), `expected at most ${SIM_MAX_PODS} to simulate HPA '${hpa.metadata.name}' (${describeRange(RANGES.pods)}), got ${hpa.spec.maxReplicas}`);
    }
  });
  const steps = scenario.durationSeconds / scenario.stepSeconds;
  if (!(steps <= SIM_MAX_STEPS)) {
    throw new InputError('semantic', file, at('duration'), `expected duration / simulation.stepSeconds <= ${SIM_MAX_STEPS} traffic steps (a limit of hpa-lab: time and memory of one run), got ${scenario.durationSeconds} s / ${scenario.stepSeconds} s = ${Math.ceil(steps)}`);
  }
}

/**
 * The HPAs of a file given to `--compare`: a scenario file's `hpas`, or an HPA manifest or Helm
 * values file.
 *
 * @throws {InputError} as `loadScenarioFile` and `loadHpaFile`
 */
export async function loadHpaConfig(path: string): Promise<{ readonly name: string; readonly hpas: readonly HorizontalPodAutoscaler[]; readonly warnings: readonly string[] }> {
  const text = await readText(path);
  const name = basename(path, extname(path));
  const docs = parseYamlDocuments(text, path);
  const first = docs[0]?.value;
  const isScenario = docs.length === 1 && first !== null && typeof first === 'object' && !Array.isArray(first) && ('hpas' in first || 'hpa' in first) && !('kind' in first);
  if (isScenario) {
    const file = parseScenarioText(text, path);
    const warnings: string[] = [];
    const resolved = await resolveHpas(file.hpas, { file: path, dir: dirname(path), prefix: 'hpas', warnings });
    return { name: file.name ?? name, hpas: resolved.hpas, warnings };
  }
  const loaded = await loadHpaFile(path);
  return { name, hpas: loaded.hpas, warnings: loaded.warnings };
}

async function resolveHpas(
  entries: readonly HpaEntry[],
  ctx: { file: string; dir: string; prefix: string; warnings: string[]; cwd?: string },
): Promise<ResolvedHpas> {
  const out: ResolvedHpas = { hpas: [], deployments: {}, scrapeIntervalSeconds: undefined };
  for (const [i, entry] of entries.entries()) {
    const path = [ctx.prefix, i] as const;
    let hpas: HorizontalPodAutoscaler[];
    if (entry.file !== undefined) {
      const target = await findReferencedFile(entry.file, { file: ctx.file, dir: ctx.dir, path: `${ctx.prefix}[${i}].file`, ...(ctx.cwd === undefined ? {} : { cwd: ctx.cwd }) });
      let loaded;
      try {
        loaded = await loadHpaFile(target);
      } catch (error) {
        if (error instanceof InputError && error.code === 'unreadable') {
          throw new InputError('unreadable', ctx.file, `${ctx.prefix}[${i}].file`, `cannot read '${entry.file}' (${target}): ${error.detail}`, { cause: error });
        }
        throw error;
      }
      hpas = [...loaded.hpas];
      ctx.warnings.push(...loaded.warnings);
      Object.assign(out.deployments, loaded.deployments);
      if (loaded.prometheus?.scrapeIntervalSeconds !== undefined) out.scrapeIntervalSeconds = loaded.prometheus.scrapeIntervalSeconds;
      if (hpas.length === 0) {
        throw new InputError('semantic', ctx.file, `${ctx.prefix}[${i}].file`, `'${entry.file}' holds no enabled HorizontalPodAutoscaler`);
      }
    } else {
      hpas = inlineHpas(entry, { file: ctx.file, path });
    }
    out.hpas.push(...selectAndPatch(hpas, entry, { file: ctx.file, path }));
  }
  const seen = new Map<string, string>();
  for (const hpa of out.hpas) {
    const target = hpa.spec.scaleTargetRef.name;
    const other = seen.get(target);
    if (other !== undefined) {
      throw new InputError('semantic', ctx.file, ctx.prefix, `HPAs '${other}' and '${hpa.metadata.name}' both scale Deployment '${target}': expected one HPA per target`);
    }
    seen.set(target, hpa.metadata.name);
  }
  return out;
}

async function loadTrafficPoints(
  file: ScenarioFile,
  ctx: { path: string; dir: string; options: LoadScenarioOptions },
): Promise<TracePoint[] | undefined> {
  const traffic = file.traffic;
  if (traffic.type === 'trace' && traffic.file !== undefined) {
    const target = await findReferencedFile(traffic.file, { file: ctx.path, dir: ctx.dir, path: 'traffic.file', ...(ctx.options.cwd === undefined ? {} : { cwd: ctx.options.cwd }) });
    let text: string;
    try {
      text = await readFile(target, 'utf8');
    } catch (error) {
      throw new InputError('unreadable', ctx.path, 'traffic.file', `cannot read '${traffic.file}' (${target}): ${reason(error)}`, { cause: error });
    }
    return checkTracePoints(parseTraceText(text, traffic.file), traffic.file);
  }
  if (traffic.type === 'prometheus') {
    const importer = ctx.options.importPrometheus;
    if (importer === undefined) {
      throw new InputError('unreachable', ctx.path, 'traffic', 'prometheus traffic needs a Prometheus import, which this caller does not provide');
    }
    return checkTracePoints(await importer(traffic), traffic.url);
  }
  return undefined;
}

/** Refuses samples the workload model cannot run: rates above `SIM_MAX_RPS`, times beyond ±1e10 s. */
function checkTracePoints(points: TracePoint[], source: string): TracePoint[] {
  points.forEach((p, i) => {
    const rps = checkRange(p.rps, RANGES.rps);
    if (rps) throw new InputError('schema', source, `[${i}].rps`, rps);
    const t = checkRange(p.t, RANGES.timeSeconds);
    if (t) throw new InputError('schema', source, `[${i}].t`, t);
  });
  return points;
}

/**
 * Where a `file:` of a scenario is: relative to the scenario's folder, else to the working
 * directory (absolute paths as they are).
 *
 * @throws {InputError} `unreadable` naming both places looked
 */
async function findReferencedFile(name: string, ctx: { file: string; dir: string; path: string; cwd?: string }): Promise<string> {
  const places = [...new Set([resolve(ctx.dir, name), ctx.cwd === undefined ? resolve(name) : resolve(ctx.cwd, name)])];
  for (const place of places) {
    try {
      await access(place);
      return place;
    } catch {
      // try the next place
    }
  }
  throw new InputError('unreadable', ctx.file, ctx.path, `cannot find '${name}': looked in ${places.map((p) => `'${p}'`).join(' and ')} (relative to the scenario, then to the working directory)`);
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError('unreadable', path, '', `cannot read the file: ${reason(error)}`, { cause: error });
  }
}

function reason(error: unknown): string {
  return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
}
