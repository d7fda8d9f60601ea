/**
 * Simulator speed and memory: the Lightning ASR HPA of the seeds' Helm values under a diurnal
 * load (5 -> 45 requests/s), 1 s traffic resolution, 15 s sync, Poisson arrivals, for 30 days.
 * Reports simulated days per second (wall and CPU), how the time splits between the engine's
 * `reconcile` and the simulator around it, and peak heap: sampled during the run, after a GC
 * when node runs with `--expose-gc` (`node --expose-gc --import tsx bench/run.ts sim`). Also
 * times a one-day run with the full timeline (what the web page recomputes on each change).
 */
import { loadavg } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { reconcile } from '../src/engine/index.js';
import { runSimulation, type Scenario, type SimResult } from '../src/sim/index.js';
import { buildScenario, parseScenarioText } from '../src/input/scenario.js';
import { loadHpaFile } from '../src/input/files/load.js';

export interface SimBenchResult {
  readonly name: string;
  readonly simulatedDays: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  /** Simulated days per wall-clock second. */
  readonly daysPerSecond: number;
  /** Wall seconds inside the engine's reconcile (timed per call), and how many calls. */
  readonly engineSeconds: number;
  /** Wall seconds outside it: the simulator (wall − engine). */
  readonly simulatorSeconds: number;
  readonly engineCalls: number;
  readonly timelinePoints: number;
  /** Heap in use before the run and at its peak (bytes), and the process RSS at the end. */
  readonly heapBeforeBytes: number;
  readonly peakHeapBytes: number;
  readonly rssBytes: number;
  /** Whether the heap figures are after a forced GC (`--expose-gc`). */
  readonly gcForced: boolean;
}

export interface SimBenchOptions {
  readonly days?: number;
  /** Keep every Nth sync in the timeline (memory grows only with what is kept). */
  readonly timelineEverySyncs?: number;
  readonly arrivals?: 'poisson' | 'fluid';
  readonly seed?: number;
}

const SCENARIO = (days: number, every: number, arrivals: string): string => `
name: bench-lightning-asr-${days}d
duration: ${days * 86_400}
hpas:
  - file: values.yaml
    only: [lightning-asr]
traffic: { type: diurnal, minRps: 5, maxRps: 45 }
simulation: { stepSeconds: 1, timelineEverySyncs: ${every}, arrivals: ${arrivals} }
`;

/** The benchmark scenario (also the fleet benchmark's template). */
export async function benchScenario(options: Required<SimBenchOptions>): Promise<Scenario> {
  const values = await loadHpaFile('examples/lightning-asr/values.yaml');
  const file = parseScenarioText(SCENARIO(options.days, options.timelineEverySyncs, options.arrivals), 'bench/sim.ts');
  const hpas = values.hpas.filter((h) => h.metadata.name === 'lightning-asr');
  return buildScenario(file, {
    hpas,
    defaultName: 'bench',
    ...(values.prometheus?.scrapeIntervalSeconds === undefined ? {} : { scrapeIntervalSeconds: values.prometheus.scrapeIntervalSeconds }),
  });
}

function gc(): boolean {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g === undefined) return false;
  g();
  return true;
}

/**
 * Runs the benchmark once.
 *
 * @example (await benchSimulation({ days: 30 })).daysPerSecond; // -> e.g. 12.5
 */
export async function benchSimulation(options: SimBenchOptions = {}): Promise<SimBenchResult> {
  const o: Required<SimBenchOptions> = { days: options.days ?? 30, timelineEverySyncs: options.timelineEverySyncs ?? 1, arrivals: options.arrivals ?? 'poisson', seed: options.seed ?? 1 };
  const scenario = await benchScenario(o);
  // Warm the JIT on a short run so the figure is the steady speed.
  runSimulation({ ...scenario, durationSeconds: 6 * 3600 }, { seed: o.seed });
  const gcForced = gc();
  const heapBeforeBytes = getHeapStatistics().used_heap_size;
  let peakHeapBytes = heapBeforeBytes;
  // performance.now() on both sides of each call: doubles, no allocation (tens of ns per sync).
  let engineMs = 0;
  let engineCalls = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const result = runSimulation(scenario, {
    seed: o.seed,
    onProgress: () => {
      const heap = getHeapStatistics().used_heap_size;
      if (heap > peakHeapBytes) peakHeapBytes = heap;
    },
    reconcile: (input) => {
      const s = performance.now();
      const r = reconcile(input);
      engineMs += performance.now() - s;
      engineCalls++;
      return r;
    },
  });
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  gc();
  peakHeapBytes = Math.max(peakHeapBytes, getHeapStatistics().used_heap_size);
  return {
    name: `${scenario.name} (${o.arrivals}, timeline every ${o.timelineEverySyncs} sync${o.timelineEverySyncs === 1 ? '' : 's'})`,
    simulatedDays: o.days,
    wallSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    daysPerSecond: o.days / wallSeconds,
    engineSeconds: engineMs / 1000,
    simulatorSeconds: wallSeconds - engineMs / 1000,
    engineCalls,
    timelinePoints: result.timeline.t.length,
    heapBeforeBytes,
    peakHeapBytes,
    rssBytes: process.memoryUsage().rss,
    gcForced,
  };
}

/** One-day runs with the full timeline, as the web page recomputes them: best and median wall. */
export interface SimDayBenchResult {
  readonly name: string;
  readonly runs: number;
  readonly bestMs: number;
  readonly medianMs: number;
  /** Of the median run: milliseconds inside the engine's reconcile. */
  readonly medianEngineMs: number;
}

/**
 * Times `runs` one-day runs (after two warm-up runs) of the benchmark scenario with every sync
 * kept in the timeline.
 *
 * @example (await benchSimulationDay({ runs: 9 })).medianMs; // -> e.g. 25
 */
export async function benchSimulationDay(options: { runs?: number; seed?: number } = {}): Promise<SimDayBenchResult> {
  const runs = options.runs ?? 15;
  const seed = options.seed ?? 1;
  const scenario = await benchScenario({ days: 1, timelineEverySyncs: 1, arrivals: 'poisson', seed });
  for (let i = 0; i < 2; i++) runSimulation(scenario, { seed });
  const samples: { ms: number; engineMs: number }[] = [];
  for (let i = 0; i < runs; i++) {
    let engineMs = 0;
    const t0 = performance.now();
    runSimulation(scenario, {
      seed: seed + i,
      reconcile: (input) => {
        const s = performance.now();
        const r = reconcile(input);
        engineMs += performance.now() - s;
        return r;
      },
    });
    samples.push({ ms: performance.now() - t0, engineMs });
  }
  samples.sort((a, b) => a.ms - b.ms);
  const median = samples[Math.floor(runs / 2)]!;
  return { name: `${scenario.name} (poisson, every sync in the timeline)`, runs, bestMs: samples[0]!.ms, medianMs: median.ms, medianEngineMs: median.engineMs };
}

/** The figures `npm run bench` prints: 30 days with the full timeline and with every 20th sync. */
export async function benchSim(): Promise<SimBenchResult[]> {
  return [await benchSimulation({ days: 30 }), await benchSimulation({ days: 30, timelineEverySyncs: 20 })];
}

/** Lines per result: speed, the engine / simulator split, memory. */
export function formatSimBench(r: SimBenchResult): string {
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
  const pct = (x: number) => `${((100 * x) / r.wallSeconds).toFixed(0)} %`;
  const perSimSecondNs = (seconds: number) => ((seconds / (r.simulatedDays * 86_400)) * 1e9).toFixed(0);
  return [
    `${r.name}`,
    `  ${r.simulatedDays} days in ${r.wallSeconds.toFixed(2)} s wall (${r.cpuSeconds.toFixed(2)} s CPU, all threads): ${r.daysPerSecond.toFixed(1)} simulated days/s`,
    `  engine reconcile: ${r.engineSeconds.toFixed(2)} s = ${pct(r.engineSeconds)} (${r.engineCalls} calls, ${((r.engineSeconds / r.engineCalls) * 1e6).toFixed(1)} µs each)`,
    `  simulator:        ${r.simulatorSeconds.toFixed(2)} s = ${pct(r.simulatorSeconds)} (${perSimSecondNs(r.simulatorSeconds)} ns per simulated second)`,
    `  heap: ${mb(r.heapBeforeBytes)} before, ${mb(r.peakHeapBytes)} peak${r.gcForced ? ' (after GC)' : ' (run with --expose-gc for exact figures)'}; ${r.timelinePoints} timeline points; rss ${mb(r.rssBytes)}`,
  ].join('\n');
}

/** One line for the one-day figure. */
export function formatSimDayBench(r: SimDayBenchResult): string {
  const sim = r.medianMs - r.medianEngineMs;
  return `${r.name}: one day in ${r.medianMs.toFixed(1)} ms median (engine ${r.medianEngineMs.toFixed(1)} ms, simulator ${sim.toFixed(1)} ms), ${r.bestMs.toFixed(1)} ms best (${r.runs} runs)`;
}

/** One HPA for 30 days on today's simulator and on this one, in one run. */
export interface SimRatioResult {
  readonly name: string;
  readonly todaySeconds: number | undefined;
  readonly newSeconds: number;
  readonly simulatedSeconds: number;
  /** Whether both gave the same summary, events and timeline (JSON-equal). */
  readonly identical: boolean | undefined;
  readonly loadAverage: readonly number[];
}

type RunSimulation = (scenario: Scenario, options: { seed: number }) => SimResult;

async function loadBaselineSimulator(): Promise<RunSimulation | undefined> {
  try {
    const mod = (await import(new URL('../baseline/out/sim/index.js', import.meta.url).href)) as { runSimulation: RunSimulation };
    return mod.runSimulation;
  } catch {
    return undefined;
  }
}

/**
 * The issue's figure: one HPA, 30 days, 15 s sync, 1 s traffic, summary only (one timeline row a
 * day) and with every sync in the timeline; today's path and this one alternate, best of two.
 */
export async function benchSimRatio(options: { days?: number } = {}): Promise<SimRatioResult[]> {
  const days = options.days ?? 30;
  const today = await loadBaselineSimulator();
  const out: SimRatioResult[] = [];
  for (const every of [5760, 1]) {
    const scenario = await benchScenario({ days, timelineEverySyncs: every, arrivals: 'poisson', seed: 1 });
    const warm = { ...scenario, durationSeconds: 6 * 3600 };
    runSimulation(warm, { seed: 1 });
    today?.(warm, { seed: 1 });
    let best = Number.POSITIVE_INFINITY;
    let bestToday = Number.POSITIVE_INFINITY;
    let identical: boolean | undefined;
    for (let k = 0; k < 2; k++) {
      if (today !== undefined) {
        const t0 = performance.now();
        const a = today(scenario, { seed: 1 });
        bestToday = Math.min(bestToday, (performance.now() - t0) / 1000);
        const t1 = performance.now();
        const b = runSimulation(scenario, { seed: 1 });
        best = Math.min(best, (performance.now() - t1) / 1000);
        if (k === 0) identical = sameResult(a, b);
      } else {
        const t1 = performance.now();
        runSimulation(scenario, { seed: 1 });
        best = Math.min(best, (performance.now() - t1) / 1000);
      }
    }
    out.push({
      name: `one HPA, ${days} d, 15 s sync, 1 s traffic, Poisson, ${every === 1 ? 'every sync in the timeline' : 'summary (a timeline row a day)'}`,
      todaySeconds: today === undefined ? undefined : bestToday,
      newSeconds: best,
      simulatedSeconds: days * 86_400,
      identical,
      loadAverage: loadavg(),
    });
  }
  // The approximate fast mode: one traffic step per sync (15 s), against exact mode's summary.
  const exact = await benchScenario({ days, timelineEverySyncs: 5760, arrivals: 'poisson', seed: 1 });
  const coarse: Scenario = { ...exact, stepSeconds: 15 };
  runSimulation({ ...coarse, durationSeconds: 6 * 3600 }, { seed: 1 });
  let best = Number.POSITIVE_INFINITY;
  let fast: SimResult | undefined;
  for (let k = 0; k < 2; k++) {
    const t0 = performance.now();
    fast = runSimulation(coarse, { seed: 1 });
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  const ref = runSimulation(exact, { seed: 1 });
  const d = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)} %`;
  const fs = fast!.summary;
  const rs = ref.summary;
  out.push({
    name:
      `one HPA, ${days} d, 15 s sync, 15 s traffic steps (fast mode: 'simulation.stepSeconds: 15', not identical): ` +
      `pod-hours ${d(fs.podHours, rs.podHours)}, SLO misses ${d(fs.services[0]!.sloMisses ?? 0, rs.services[0]!.sloMisses ?? 1)}, scale-ups ${d(fs.hpas[0]!.scaleUps, rs.hpas[0]!.scaleUps)} vs 1 s steps`,
    todaySeconds: undefined,
    newSeconds: best,
    simulatedSeconds: days * 86_400,
    identical: undefined,
    loadAverage: loadavg(),
  });
  return out;
}

/** JSON-equal results (the decision objects inside watch lines compared as data). */
function sameResult(a: SimResult, b: SimResult): boolean {
  const strip = (r: SimResult) => JSON.stringify({ ...r, hpas: undefined });
  return strip(a) === strip(b);
}

/** Lines per result: seconds, multiple of real time, ratio. */
export function formatSimRatio(r: SimRatioResult): string {
  const x = (s: number) => `${(r.simulatedSeconds / s / 1e6).toFixed(2)} M× real time`;
  const today = r.todaySeconds === undefined ? '' : `today ${r.todaySeconds.toFixed(2)} s (${x(r.todaySeconds)}), `;
  const ratio = r.todaySeconds === undefined ? '' : `, ${(r.todaySeconds / r.newSeconds).toFixed(2)}× today`;
  const same = r.identical === undefined ? '' : r.identical ? '; results identical' : '; RESULTS DIFFER';
  return `${r.name}\n  ${today}new ${r.newSeconds.toFixed(2)} s (${x(r.newSeconds)})${ratio}${same}; load average ${r.loadAverage.map((v) => v.toFixed(1)).join(' ')}`;
}

/**
 * Every seeded example (examples/scenarios/*.yaml, with its variants) on today's simulator and on
 * this one: the number of runs and those whose results differ (JSON of the whole result).
 */
export async function checkExamplesIdentical(): Promise<{ runs: number; differ: string[] } | undefined> {
  const today = await loadBaselineSimulator();
  if (today === undefined) return undefined;
  const { readdirSync } = await import('node:fs');
  const { loadScenarioFile } = await import('../src/input/files/scenario-loader.js');
  const differ: string[] = [];
  let runs = 0;
  for (const file of readdirSync('examples/scenarios').filter((f) => f.endsWith('.yaml')).sort()) {
    const loaded = await loadScenarioFile(`examples/scenarios/${file}`);
    const seed = loaded.seed ?? 1;
    for (const [name, scenario] of [[file, loaded.scenario], ...loaded.variants.map((v) => [`${file} ${v.name}`, v.scenario] as const)] as const) {
      runs++;
      if (!sameResult(today(scenario, { seed }), runSimulation(scenario, { seed }))) differ.push(name);
    }
  }
  return { runs, differ };
}
