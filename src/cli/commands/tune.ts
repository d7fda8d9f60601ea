/**
 * `hpa-lab tune SCENARIO|TRACE`: searches the HPA's settings for the cost-vs-SLO front and
 * writes the recommended configuration as an autoscaling/v2 manifest and as Helm values.
 */
import { open, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { stringify } from 'yaml';
import { InputError } from '../../core/index.js';
import type { HorizontalPodAutoscaler } from '../../engine/index.js';
import { backtestScenario, knobsOf, openTrace, paretoFront, recommend, reconstructDemand, sampleCandidates, scoreCandidates, type TuneScore } from '../../history/index.js';
import { hpaToHelmValues, hpaToManifestYaml } from '../../input/index.js';
import { loadScenarioFile } from '../../input/files/index.js';
import { formatTable } from '../../report/index.js';
import { DEFAULT_SERVICE_MODEL, type Scenario } from '../../sim/index.js';
import { UsageError, type CommandDef, type ParsedValues } from '../command.js';

export const tuneCommand: CommandDef = {
  name: 'tune',
  summary: "Search an HPA's settings on a scenario or a recorded trace: Pareto front of pod-hours, SLO misses and flaps, and a patch",
  usage: 'SCENARIO|TRACE [--budget N] [--max-slo-miss 0.1%] [--max-flaps N] [-o PATCH.yaml] [--values VALUES.yaml]',
  options: [
    { name: 'budget', type: 'string', arg: 'N', description: 'configurations to try, the original included (default 200)' },
    { name: 'seed', type: 'string', arg: 'N', description: "seed of the search and of the runs (default: the scenario's, else 1)" },
    { name: 'max-slo-miss', type: 'string', arg: 'PERCENT', description: 'objective: at most this share of requests slow or dropped (default 0.1%)' },
    { name: 'max-flaps', type: 'string', arg: 'N', description: "objective: at most this many flaps (default: the original's)" },
    { name: 'hpa', type: 'string', arg: 'NAME', description: 'the HPA to tune (default: the first)' },
    { name: 'scenario', type: 'string', arg: 'FILE', description: "with a TRACE: the scenario whose service model, pipeline and SLO describe the workload" },
    { name: 'workers', type: 'string', arg: 'N', description: 'worker threads (default: the cores)' },
    { name: 'output', short: 'o', type: 'string', arg: 'FILE', description: 'Write the recommended HPA as an autoscaling/v2 manifest' },
    { name: 'values', type: 'string', arg: 'FILE', description: "Write the recommended HPA as the seeds' Helm values" },
    { name: 'json', type: 'string', arg: 'FILE', description: 'Write every candidate with its figures as JSON' },
  ],
  examples: ['hpa-lab tune examples/scenarios/traffic-spike.yaml --budget 300 --max-slo-miss 0.5% -o tuned.yaml', 'hpa-lab tune asr.trace.jsonl --scenario examples/scenarios/traffic-spike.yaml --values tuned-values.yaml'],
  async run({ positionals, values }, io) {
    const file = positionals[0];
    if (file === undefined) throw new UsageError('missing SCENARIO or TRACE');
    const cwd = io.cwd ?? process.cwd();
    const budget = int(values, 'budget', 200, 1);
    const workers = values['workers'] === undefined ? undefined : int(values, 'workers', 1, 1);
    const maxSloText = typeof values['max-slo-miss'] === 'string' ? values['max-slo-miss'] : '0.1%';
    const maxSlo = Number(maxSloText.replace(/%$/, ''));
    if (!(maxSlo >= 0 && maxSlo <= 100)) throw new UsageError(`'--max-slo-miss' must be a percentage from 0 to 100: got '${maxSloText}'`);
    const maxFlaps = values['max-flaps'] === undefined ? undefined : int(values, 'max-flaps', 0, 0);

    const path = resolve(cwd, file);
    const { scenario, seed: fileSeed, label } = (await isTrace(path)) ? await traceScenario(path, values, cwd) : await scenarioOf(path);
    const seed = values['seed'] === undefined ? (fileSeed ?? 1) : int(values, 'seed', 1, Number.MIN_SAFE_INTEGER);
    const hpaName = typeof values['hpa'] === 'string' ? values['hpa'] : undefined;
    const hpaIndex = hpaName === undefined ? 0 : scenario.hpas.findIndex((h) => h.metadata.name === hpaName);
    if (hpaIndex < 0 || scenario.hpas[hpaIndex] === undefined) throw new UsageError(`'--hpa ${hpaName ?? ''}' is not in ${file}: it has ${scenario.hpas.map((h) => h.metadata.name).join(', ') || 'no HPA'}`);
    const original = scenario.hpas[hpaIndex];

    const candidates = sampleCandidates(original, { budget, seed });
    const bar = io.stdout.isTTY === true ? new cliProgress.SingleBar({ stream: io.stderr as NodeJS.WriteStream, format: 'tune [{bar}] {value}/{total} configurations | {eta_formatted}', clearOnComplete: true, hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
    bar?.start(candidates.length, 0);
    let scores: TuneScore[];
    try {
      scores = await scoreCandidates(scenario, candidates, { hpaIndex, seed, ...(workers === undefined ? {} : { workers }), onProgress: (d) => bar?.update(d) });
    } finally {
      bar?.stop();
    }
    const front = paretoFront(scores);
    const objective = { maxSloMissRate: maxSlo / 100, maxFlaps: maxFlaps ?? scores[0]!.flaps };
    const rec = recommend(scores, objective);
    const pct = (x: number): string => `${(x * 100).toFixed(3)}%`;
    io.stdout.write(`Tune ${original.metadata.name} on ${label} (seed ${seed}): ${candidates.length} configurations, ${front.length} on the Pareto front\n\n`);
    const shown = [...new Set([0, rec.index, ...front])].slice(0, 25);
    const rows = shown.map((i) => {
      const s = scores[i]!;
      const k = knobsOf(candidates[i]!);
      const mark = [i === 0 ? 'default' : '', i === rec.index ? 'recommended' : '', front.includes(i) ? 'front' : ''].filter(Boolean).join(',');
      return [String(i), mark, s.podHours.toFixed(2), pct(s.sloMissRate), String(s.flaps), k.target, String(k.minReplicas), String(k.maxReplicas), `${k.scaleUpWindowSeconds}s/${k.scaleDownWindowSeconds}s`, k.scaleUp, k.scaleDown, k.tolerance];
    });
    io.stdout.write(`${formatTable(['#', '', 'POD-HOURS', 'SLO-MISS', 'FLAPS', 'TARGET', 'MIN', 'MAX', 'WINDOWS UP/DOWN', 'SCALE-UP', 'SCALE-DOWN', 'TOLERANCE'], rows)}\n\n`);
    io.stdout.write(`${verdict(scores, rec, objective, pct)}\n`);

    const best = candidates[rec.index]!;
    const out = typeof values['output'] === 'string' ? values['output'] : undefined;
    if (out !== undefined) {
      await writeFile(resolve(cwd, out), hpaToManifestYaml(best));
      io.stderr.write(`wrote ${out}\n`);
    }
    const valuesFile = typeof values['values'] === 'string' ? values['values'] : undefined;
    if (valuesFile !== undefined) {
      try {
        const exported = hpaToHelmValues(best);
        for (const w of exported.warnings) io.stderr.write(`warning: ${w}\n`);
        await writeFile(resolve(cwd, valuesFile), stringify(exported.values));
        io.stderr.write(`wrote ${valuesFile}\n`);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        io.stderr.write(`warning: --values not written: ${error.message}\n`);
      }
    }
    const json = typeof values['json'] === 'string' ? values['json'] : undefined;
    if (json !== undefined) {
      await writeFile(resolve(cwd, json), `${JSON.stringify({ seed, budget, objective, recommended: rec.index, meetsObjective: rec.meetsObjective, front, candidates: candidates.map((c, i) => ({ index: i, knobs: knobsOf(c), score: scores[i], spec: c.spec })) }, null, 1)}\n`);
      io.stderr.write(`wrote ${json}\n`);
    }
    return 0;
  },
};

/** The recommendation against the defaults, in a sentence or two. */
function verdict(scores: readonly TuneScore[], rec: { index: number; meetsObjective: boolean }, objective: { maxSloMissRate: number; maxFlaps: number }, pct: (x: number) => string): string {
  const d = scores[0]!;
  const r = scores[rec.index]!;
  const limits = `SLO misses ≤ ${pct(objective.maxSloMissRate)}, flaps ≤ ${objective.maxFlaps}`;
  if (!rec.meetsObjective) {
    return `No configuration meets ${limits}: the fewest SLO misses are #${rec.index} (${pct(r.sloMissRate)}, ${r.podHours.toFixed(2)} pod-hours). Raise the budget, minReplicas or maxReplicas, or relax the objective.`;
  }
  if (rec.index === 0) return `The defaults are already the cheapest configuration found that meets ${limits} (${d.podHours.toFixed(2)} pod-hours, ${pct(d.sloMissRate)} SLO misses).`;
  const cost = ((r.podHours - d.podHours) / d.podHours) * 100;
  const dMeets = d.sloMissRate <= objective.maxSloMissRate && d.flaps <= objective.maxFlaps;
  return `Recommended #${rec.index} for ${limits}: ${r.podHours.toFixed(2)} pod-hours (${cost >= 0 ? '+' : ''}${cost.toFixed(1)}% vs the defaults' ${d.podHours.toFixed(2)}), SLO misses ${pct(r.sloMissRate)} vs ${pct(d.sloMissRate)}, flaps ${r.flaps} vs ${d.flaps}.${dMeets ? '' : ' The defaults miss the objective.'}`;
}

function int(values: ParsedValues, name: string, fallback: number, min: number): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isSafeInteger(n) || n < min) throw new UsageError(`'--${name}' must be an integer ≥ ${min}: got '${String(v)}'`);
  return n;
}

async function isTrace(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new InputError('unreadable', path, '', `cannot read the file: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { cause: error });
  }
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    return /^\s*\{\s*"kind"\s*:\s*"header"/.test(buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}

async function scenarioOf(path: string): Promise<{ scenario: Scenario; seed: number | undefined; label: string }> {
  const loaded = await loadScenarioFile(path);
  return { scenario: loaded.scenario, seed: loaded.seed, label: `scenario ${loaded.scenario.name}` };
}

async function traceScenario(path: string, values: ParsedValues, cwd: string): Promise<{ scenario: Scenario; seed: number | undefined; label: string }> {
  const { header, syncs } = await openTrace(path);
  const first = header.hpas.find((h) => typeof values['hpa'] !== 'string' || h.name === values['hpa'] || `${h.namespace}/${h.name}` === values['hpa']) ?? header.hpas[0];
  if (first === undefined) throw new InputError('semantic', path, 'hpas', 'lists no HPA');
  const base = typeof values['scenario'] === 'string' ? (await loadScenarioFile(resolve(cwd, values['scenario']))).scenario : undefined;
  const service = base?.services[first.deployment] ?? (base ? Object.values(base.services)[0] : undefined) ?? DEFAULT_SERVICE_MODEL;
  const demand = await reconstructDemand(header, `${first.namespace}/${first.name}`, syncs, service).catch((error: unknown) => {
    if (error instanceof RangeError) throw new InputError('semantic', path, 'hpas', error.message);
    throw error;
  });
  const original: HorizontalPodAutoscaler = first.spec;
  return {
    scenario: backtestScenario(demand, original, { service, ...(base ? { base } : {}), ...(header.kubernetesVersion ? { kubernetesVersion: header.kubernetesVersion } : {}) }),
    seed: undefined,
    label: `the recorded demand of ${first.namespace}/${first.name}`,
  };
}
