/**
 * `hpa-lab backtest TRACE --with SPEC|PATCH`: the recorded demand run through the simulator with
 * the original HPA and a candidate, side by side with what happened.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../../core/index.js';
import type { HorizontalPodAutoscaler } from '../../engine/index.js';
import { checkBacktestValidity, openTrace, reconstructDemand, runBacktest, type BacktestScenarioOptions, type RecordedSummary } from '../../history/index.js';
import { loadHpaConfig, loadScenarioFile } from '../../input/files/index.js';
import { formatDuration, formatTable } from '../../report/index.js';
import type { SimResult } from '../../sim/index.js';
import { UsageError, type CommandDef } from '../command.js';

export const backtestCommand: CommandDef = {
  name: 'backtest',
  summary: 'Run another HPA configuration on the demand of a recorded trace, side by side with what happened',
  usage: 'TRACE --with SPEC|PATCH [--scenario FILE] [options]',
  options: [
    { name: 'with', type: 'string', arg: 'FILE', description: "the candidate: an HPA manifest, Helm values, a scenario, or a patch ({spec: ...}) of the trace's HPA" },
    { name: 'hpa', type: 'string', arg: 'NS/NAME', description: "the trace's HPA (default: the first)" },
    { name: 'scenario', type: 'string', arg: 'FILE', description: 'a scenario whose service model, pipeline and SLO describe the workload (default: the seeds\' worker)' },
    { name: 'seed', type: 'string', arg: 'N', description: 'random seed of the arrivals (default 1)' },
    { name: 'force', type: 'boolean', description: 'run even where an open-loop backtest is invalid (memory, CPU with a startup spike)' },
    { name: 'json', type: 'string', arg: 'FILE', description: 'Write the figures as JSON' },
  ],
  examples: ['hpa-lab backtest asr.trace.jsonl --with tuned.yaml --scenario examples/scenarios/traffic-spike.yaml'],
  async run({ positionals, values }, io) {
    const file = positionals[0];
    if (file === undefined) throw new UsageError('missing TRACE: give a trace file written by hpa-lab record');
    const cwd = io.cwd ?? process.cwd();
    const seed = typeof values['seed'] === 'string' ? Number(values['seed']) : 1;
    if (!Number.isSafeInteger(seed)) throw new UsageError(`'--seed' must be an integer: got '${String(values['seed'])}'`);
    const { header, syncs } = await openTrace(resolve(cwd, file));
    const hpaName = typeof values['hpa'] === 'string' ? values['hpa'] : header.hpas[0] === undefined ? undefined : `${header.hpas[0].namespace}/${header.hpas[0].name}`;
    if (hpaName === undefined) throw new InputError('semantic', file, 'hpas', 'lists no HPA');
    const traceHpa = header.hpas.find((h) => `${h.namespace}/${h.name}` === hpaName);
    if (traceHpa === undefined) throw new UsageError(`'--hpa ${hpaName}' is not in the trace: it has ${header.hpas.map((h) => `${h.namespace}/${h.name}`).join(', ')}`);
    const options = await workloadOptions(typeof values['scenario'] === 'string' ? resolve(cwd, values['scenario']) : undefined, traceHpa.deployment, header.kubernetesVersion);
    const original = traceHpa.spec;
    const withFile = typeof values['with'] === 'string' ? resolve(cwd, values['with']) : undefined;
    const candidate = withFile === undefined ? undefined : await loadCandidate(withFile, original);

    const model = options.service!;
    for (const [label, hpa] of [['original', original], ['candidate', candidate]] as const) {
      if (hpa === undefined) continue;
      const v = checkBacktestValidity(hpa, model);
      for (const w of v.warnings) io.stderr.write(`warning: ${label}: ${w}\n`);
      if (!v.ok) {
        for (const r of v.refusals) io.stderr.write(`${values['force'] === true ? 'warning' : 'error'}: ${label}: open-loop backtest invalid: ${r}\n`);
        if (values['force'] !== true) return 2;
      }
    }
    let demand;
    try {
      demand = await reconstructDemand(header, hpaName, syncs, model);
    } catch (error) {
      if (error instanceof RangeError) throw new InputError('semantic', file, 'hpas', error.message.replace(/^Cannot backtest /, 'cannot backtest '), { cause: error });
      throw error;
    }
    const runs: { name: string; result: SimResult }[] = [{ name: 'backtest: original', result: runBacktest(demand, original, { ...options, seed }) }];
    if (candidate !== undefined) runs.push({ name: 'backtest: candidate', result: runBacktest(demand, candidate, { ...options, seed }) });
    io.stdout.write(`Backtest of ${hpaName} on ${formatDuration(demand.recorded.durationSeconds)} of recorded demand (from ${demand.metric}, seed ${seed})\n\n`);
    const t = backtestTable(demand.recorded, runs);
    io.stdout.write(`${formatTable(t.columns, t.rows, { align: t.columns.map((_, i) => (i === 0 ? 'left' : 'right')) })}\n`);
    const json = values['json'];
    if (typeof json === 'string') {
      await writeFile(resolve(cwd, json), `${JSON.stringify({ hpa: hpaName, recorded: demand.recorded, runs: runs.map((r) => ({ name: r.name, summary: r.result.summary })) }, null, 1)}\n`);
      io.stderr.write(`wrote ${json}\n`);
    }
    return 0;
  },
};

/** The side-by-side table: what happened, then each backtest run. */
export function backtestTable(recorded: RecordedSummary, runs: readonly { name: string; result: SimResult }[]): { columns: string[]; rows: string[][] } {
  const fmt = (v: number | null | undefined, digits = 2): string => (v === null || v === undefined ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(digits));
  const h = (r: SimResult) => r.summary.hpas[0];
  const s = (r: SimResult) => r.summary.services.find((x) => x.service === h(r)?.service);
  const rows: string[][] = [
    ['pod-hours', fmt(recorded.podHours), ...runs.map((r) => fmt(h(r.result)?.podHours))],
    ['peak replicas', fmt(recorded.peakReplicas), ...runs.map((r) => fmt(h(r.result)?.peakReplicas))],
    ['mean replicas', fmt(recorded.meanReplicas), ...runs.map((r) => fmt(h(r.result)?.meanReplicas))],
    ['scale-ups', fmt(recorded.scaleUps), ...runs.map((r) => fmt(h(r.result)?.scaleUps))],
    ['scale-downs', fmt(recorded.scaleDowns), ...runs.map((r) => fmt(h(r.result)?.scaleDowns))],
    ['flaps', fmt(recorded.flaps), ...runs.map((r) => fmt(h(r.result)?.flaps))],
    ['dropped', '-', ...runs.map((r) => fmt(Math.round(s(r.result)?.dropped ?? 0)))],
    ['SLO misses', '-', ...runs.map((r) => fmt(s(r.result)?.sloMisses == null ? null : Math.round(s(r.result)!.sloMisses!)))],
    ['max time to capacity', '-', ...runs.map((r) => (s(r.result)?.maxTimeToCapacitySeconds == null ? '-' : formatDuration(s(r.result)!.maxTimeToCapacitySeconds!)))],
  ];
  return { columns: ['', 'recorded', ...runs.map((r) => r.name)], rows };
}

/** The service model, pipeline and SLO of a scenario (its service for the deployment), or the defaults. */
async function workloadOptions(scenarioFile: string | undefined, deployment: string, kubernetesVersion: string | undefined): Promise<BacktestScenarioOptions> {
  const { DEFAULT_SERVICE_MODEL } = await import('../../sim/index.js');
  const version = kubernetesVersion === undefined ? {} : { kubernetesVersion };
  if (scenarioFile === undefined) return { service: DEFAULT_SERVICE_MODEL, ...version };
  const loaded = await loadScenarioFile(scenarioFile);
  const s = loaded.scenario;
  return { service: s.services[deployment] ?? Object.values(s.services)[0] ?? DEFAULT_SERVICE_MODEL, base: s, ...version };
}

function deepMerge(base: unknown, patch: unknown): unknown {
  if (typeof base !== 'object' || base === null || Array.isArray(base) || typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) out[k] = v === null ? undefined : deepMerge(out[k], v);
  return out;
}

/** A candidate HPA: a file of HPAs (the first, or the one named as the original), or a patch of the original. */
export async function loadCandidate(file: string, original: HorizontalPodAutoscaler): Promise<HorizontalPodAutoscaler> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError('unreadable', file, '', `cannot read the file: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { cause: error });
  }
  const doc = parseYaml(text) as unknown;
  const isPatch = typeof doc === 'object' && doc !== null && 'spec' in doc && !('kind' in doc) && !('hpas' in doc);
  if (isPatch) {
    const { applyHpaDefaults } = await import('../../engine/index.js');
    return applyHpaDefaults(deepMerge(original, doc) as HorizontalPodAutoscaler);
  }
  const loaded = await loadHpaConfig(file);
  const hpa = loaded.hpas.find((h) => h.metadata.name === original.metadata.name) ?? loaded.hpas[0];
  if (hpa === undefined) throw new InputError('semantic', file, '', 'holds no HorizontalPodAutoscaler');
  return { ...hpa, metadata: { ...hpa.metadata, name: original.metadata.name, ...(original.metadata.namespace === undefined ? {} : { namespace: original.metadata.namespace }) }, spec: { ...hpa.spec, scaleTargetRef: original.spec.scaleTargetRef } };
}
