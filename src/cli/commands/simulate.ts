/**
 * `hpa-lab simulate SCENARIO`: runs a scenario file in virtual time and prints what the HPAs did
 * (a `kubectl get hpa -w` style log), the summary and the findings; writes JSON, CSV, a plot
 * and an HTML report on request. `--compare` runs other HPA configurations on the same traffic
 * and seed and prints their summaries side by side.
 */
import { stat, writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { importTrafficFromPrometheus } from '../../metrics/index.js';
import { formatDuration, formatTable, renderTimeChartSvg, svgToPng } from '../../report/index.js';
import { runSimulation, type Scenario, type SimResult, resolvePrometheusWindow } from '../../sim/index.js';
import { InputError } from '../../core/index.js';
import { checkSimulatable, loadHpaConfig, loadScenarioFile, type LoadedScenario } from '../../input/files/index.js';
import { UsageError, type CommandDef } from '../command.js';
import { versionConfigFromFlags, VERSION_OPTIONS } from '../version-flags.js';
import { LATEST_KUBERNETES_VERSION, type ControllerConfigInput } from '../../engine/index.js';
import type { Io } from '../io.js';
import {
  compareChart,
  compareTables,
  formatSummaryText,
  formatWatchLog,
  htmlReport,
  resultJson,
  runChart,
  timelineCsv,
} from './simulate-report.js';

/** Runs longer than this many simulated steps show a progress bar (on a terminal). */
const PROGRESS_MIN_STEPS = 500_000;

export const simulateCommand: CommandDef = {
  name: 'simulate',
  summary: 'Run a scenario (HPAs, service model, traffic) in virtual time and report what the autoscaler did',
  usage: 'SCENARIO [options]    |    SCENARIO --compare A.yaml [B.yaml ...]    |    SCENARIO --fleet N [--patch FILE]',
  options: [
    { name: 'seed', type: 'string', arg: 'N', description: "Random seed (default: the scenario's seed, else 1)" },
    ...VERSION_OPTIONS,
    { name: 'json', type: 'string', arg: 'FILE', description: 'Write timeline, events, summary and findings as JSON' },
    { name: 'csv', type: 'string', arg: 'FILE', description: 'Write the timeline as CSV' },
    { name: 'plot', type: 'string', arg: 'FILE', description: 'Draw replicas, metrics vs target and load (.svg or .png)' },
    { name: 'html', type: 'string', arg: 'FILE', description: 'Write a self-contained HTML report' },
    { name: 'openmetrics', type: 'string', arg: 'FILE', description: "Write what the cluster's Prometheus would have recorded (kube-state-metrics and asr_* series) as OpenMetrics, for promtool backfill" },
    { name: 'compare', type: 'boolean', description: 'Also run the HPAs of the other files (scenarios, manifests or Helm values) on the same traffic and seed' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Print only the summary and findings' },
    { name: 'fleet', type: 'string', arg: 'N', description: "Run N HPAs generated from the scenario's (own services and traffic) across all cores; default the scenario's 'fleet.size'" },
    { name: 'patch', type: 'string', arg: 'FILE', description: 'With a fleet: a what-if merged into every HPA (YAML like {spec: {behavior: ...}}); reports the change per HPA and in total' },
    { name: 'workers', type: 'string', arg: 'N', description: 'With a fleet: worker threads (default one per core)' },
  ],
  examples: [
    'hpa-lab simulate examples/scenarios/traffic-spike.yaml',
    'hpa-lab simulate examples/scenarios/blog.yaml --plot blog.png --html blog.html',
    'hpa-lab simulate examples/scenarios/compare-stabilization.yaml --json out.json',
    'hpa-lab simulate examples/scenarios/traffic-spike.yaml --compare examples/lightning-asr/values.yaml',
    'hpa-lab simulate examples/scenarios/off-hours.yaml --fleet 1000 --patch examples/fleet/scale-down-600s.yaml -q',
  ],
  async run({ positionals, values }, io) {
    const [scenarioPath, ...others] = positionals;
    if (scenarioPath === undefined) throw new UsageError('missing SCENARIO: give a scenario file');
    const compare = values['compare'] === true;
    if (others.length > 0 && !compare) {
      throw new UsageError(`unexpected argument '${others[0]}': to compare HPA configurations, add --compare`);
    }
    const seedText = values['seed'];
    let seedOption: number | undefined;
    if (typeof seedText === 'string') {
      if (!/^-?\d+$/.test(seedText) || !Number.isSafeInteger(Number(seedText))) throw new UsageError(`'--seed' must be an integer from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}: got '${seedText}'`);
      seedOption = Number(seedText);
    }
    const plot = stringOption(values['plot']);
    if (plot !== undefined && !['.svg', '.png'].includes(extname(plot).toLowerCase())) {
      throw new UsageError(`--plot must name a .svg or .png file: got '${plot}'`);
    }
    const cwd = io.cwd ?? process.cwd();
    for (const flag of ['json', 'csv', 'plot', 'html', 'openmetrics'] as const) {
      const target = stringOption(values[flag]);
      if (target === undefined) continue;
      const info = target.trim() === '' ? undefined : await stat(resolve(cwd, target)).catch(() => undefined);
      if (target.trim() === '' || info?.isDirectory()) {
        throw new UsageError(`'--${flag}' must name a file to write: got ${target.trim() === '' ? `'${target}'` : `the folder '${target}'`}`);
      }
    }
    const loaded = await loadScenarioFile(resolve(cwd, scenarioPath), { importPrometheus: importPrometheus(scenarioPath), cwd });
    const seed = seedOption ?? loaded.seed ?? 1;
    const versionFlags = versionConfigFromFlags(values, loaded.scenario.controller.kubernetesVersion);
    const k8sVersion = versionFlags.kubernetesVersion ?? loaded.scenario.controller.kubernetesVersion ?? LATEST_KUBERNETES_VERSION;
    for (const w of loaded.warnings) io.stderr.write(`warning: ${w}\n`);

    const fleetSize = positiveInt(values['fleet'], '--fleet');
    const workers = positiveInt(values['workers'], '--workers');
    const patchPath = stringOption(values['patch']);
    if (fleetSize !== undefined || loaded.scenario.fleet !== undefined) {
      if (compare || others.length > 0) throw new UsageError('--compare cannot be combined with a fleet: use --patch for a what-if over the fleet');
      const { runFleetCommand } = await import('./simulate-fleet.js');
      return runFleetCommand(
        {
          scenario: { ...loaded.scenario, controller: withVersion(loaded.scenario.controller, versionFlags) },
          scenarioPath,
          size: fleetSize,
          seed,
          kubernetesVersion: k8sVersion,
          patchPath,
          workers,
          quiet: values['quiet'] === true,
          json: stringOption(values['json']),
          cwd,
        },
        io,
      );
    }
    if (patchPath !== undefined || workers !== undefined) throw new UsageError('--patch and --workers apply to a fleet: add --fleet N');

    // The configurations to run: the scenario, its variants, and with --compare the other files.
    const configs: { name: string; scenario: Scenario }[] = [{ name: loaded.scenario.name, scenario: loaded.scenario }];
    for (const v of loaded.variants) configs.push({ name: v.name, scenario: v.scenario });
    for (const path of others) {
      const other = await loadHpaConfig(resolve(cwd, path));
      for (const w of other.warnings) io.stderr.write(`warning: ${w}\n`);
      const scenario = withHpas(loaded, other.hpas, path);
      checkSimulatable(scenario, path);
      configs.push({ name: uniqueName(other.name, configs), scenario });
    }

    const runs: { name: string; result: SimResult }[] = [];
    for (const c of configs) {
      const scenario = { ...c.scenario, controller: withVersion(c.scenario.controller, versionFlags) };
      runs.push({ name: c.name, result: run(scenario, { seed, io, label: c.name, file: scenarioPath }) });
    }
    const quiet = values['quiet'] === true;
    const description = loaded.scenario.description;

    if (runs.length === 1) {
      const result = runs[0]!.result;
      io.stdout.write(`Scenario ${result.scenario} (seed ${seed}, Kubernetes ${k8sVersion}): ${formatDuration(result.durationSeconds)} simulated\n`);
      if (description) io.stdout.write(`${description}\n`);
      io.stdout.write('\n');
      if (!quiet) io.stdout.write(`${formatWatchLog(result)}\n`);
      io.stdout.write(formatSummaryText(result));
    } else {
      io.stdout.write(`Scenario ${loaded.scenario.name} (seed ${seed}, Kubernetes ${k8sVersion}): ${runs.length} HPA configurations on the same traffic\n\n`);
      for (const t of compareTables(runs)) {
        io.stdout.write(`${t.title}:\n${formatTable(t.columns, t.rows, { align: t.columns.map((_, i) => (i === 0 ? 'left' : 'right')) })}\n`);
      }
      if (!quiet) {
        for (const r of runs) {
          const findings = r.result.findings;
          if (findings.length === 0) continue;
          io.stdout.write(`Findings of ${r.name}:\n`);
          for (const f of findings) io.stdout.write(`  [${f.severity}] ${f.title}\n    fix: ${f.fix}\n`);
        }
      }
    }

    const json = stringOption(values['json']);
    if (json !== undefined) {
      const data = runs.length === 1 ? resultJson(runs[0]!.result) : { runs: runs.map((r) => ({ name: r.name, ...resultJson(r.result) })) };
      await write(resolve(cwd, json), `${JSON.stringify(data, null, 1)}\n`, io);
    }
    const csv = stringOption(values['csv']);
    if (csv !== undefined) {
      if (runs.length === 1) await write(resolve(cwd, csv), timelineCsv(runs[0]!.result), io);
      else {
        for (const r of runs) {
          const file = csv.replace(/(\.csv)?$/i, `-${r.name}.csv`);
          await write(resolve(cwd, file), timelineCsv(r.result), io);
        }
      }
    }
    if (plot !== undefined) {
      const svg = renderTimeChartSvg(runs.length === 1 ? runChart(runs[0]!.result) : compareChart(runs));
      const target = resolve(cwd, plot);
      if (extname(plot).toLowerCase() === '.png') await write(target, svgToPng(svg, { widthPx: 2200 }), io);
      else await write(target, svg, io);
    }
    const html = stringOption(values['html']);
    if (html !== undefined) await write(resolve(cwd, html), htmlReport(runs, description ? { description } : {}), io);
    const openmetrics = stringOption(values['openmetrics']);
    if (openmetrics !== undefined) {
      const { writeSimulationOpenMetrics } = await import('../../history/index.js');
      const first = configs[0]!.scenario;
      await writeSimulationOpenMetrics({ ...first, controller: withVersion(first.controller, versionFlags) }, resolve(cwd, openmetrics), { seed });
      io.stderr.write(`wrote ${openmetrics}\n`);
    }
    return 0;
  },
};

function positiveInt(v: unknown, flag: string): number | undefined {
  if (typeof v !== 'string') return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${flag} must be an integer ≥ 1: got '${v}'`);
  return Number(v);
}

function stringOption(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function uniqueName(name: string, taken: readonly { name: string }[]): string {
  let candidate = name;
  for (let i = 2; taken.some((t) => t.name === candidate); i++) candidate = `${name}-${i}`;
  return candidate;
}

/** A scenario's controller settings with --kubernetes-version / --feature-gates laid over them. */
export function withVersion(controller: ControllerConfigInput, flags: ControllerConfigInput): ControllerConfigInput {
  if (flags.kubernetesVersion === undefined && flags.featureGates === undefined) return controller;
  return {
    ...controller,
    kubernetesVersion: flags.kubernetesVersion ?? controller.kubernetesVersion ?? LATEST_KUBERNETES_VERSION,
    featureGates: { ...controller.featureGates, ...flags.featureGates },
  };
}

/** The scenario with another HPA configuration: services for new targets get the defaults. */
function withHpas(loaded: LoadedScenario, hpas: Scenario['hpas'], file: string): Scenario {
  if (hpas.length === 0) throw new InputError('semantic', file, '', 'holds no HorizontalPodAutoscaler to compare');
  return { ...loaded.scenario, hpas };
}

/** Runs one configuration, with a progress bar on long runs when stdout is a terminal. */
function run(scenario: Scenario, ctx: { seed: number; io: Io; label: string; file: string }): SimResult {
  const steps = scenario.durationSeconds / scenario.stepSeconds;
  const showBar = ctx.io.stdout.isTTY === true && steps >= PROGRESS_MIN_STEPS;
  const bar = showBar
    ? new cliProgress.SingleBar(
        { stream: ctx.io.stderr as NodeJS.WriteStream, format: `${ctx.label} [{bar}] {percentage}% | {duration_formatted}`, clearOnComplete: true, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(100, 0);
  try {
    return runSimulation(scenario, { seed: ctx.seed, ...(bar ? { onProgress: (f: number) => bar.update(Math.round(f * 100)) } : {}) });
  } catch (error) {
    // Inconsistent timing in a scenario is bad input, not a crash.
    if (error instanceof RangeError) throw new InputError('semantic', ctx.file, '', error.message.replace(/^Cannot run the simulation as /, ''), { cause: error });
    throw error;
  } finally {
    bar?.stop();
  }
}

/** Prometheus traffic: the window ends now (the CLI's clock), as `resolvePrometheusWindow` says. */
function importPrometheus(file: string) {
  return async (spec: Parameters<typeof resolvePrometheusWindow>[0]) => {
    const window = resolvePrometheusWindow(spec, Date.now() / 1000);
    try {
      return await importTrafficFromPrometheus({ url: spec.url, query: spec.query, ...window });
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError('unreachable', file, 'traffic', `cannot import traffic from ${spec.url}: ${(error as Error).message}`, { cause: error });
    }
  };
}

async function write(path: string, data: string | Buffer, io: Io): Promise<void> {
  try {
    await writeFile(path, data);
  } catch (error) {
    throw new InputError('unreadable', path, '', `cannot write the file: ${(error as Error).message}`, { cause: error });
  }
  io.stderr.write(`wrote ${path}\n`);
}
