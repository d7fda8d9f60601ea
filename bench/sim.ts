/**
 * Simulator speed and memory: the Lightning ASR HPA of the seeds' Helm values under a diurnal
 * load (5 -> 45 requests/s), 1 s traffic resolution, 15 s sync, Poisson arrivals, for 30 days.
 * Reports simulated days per second (wall and CPU), the share of the time spent in the engine's
 * `reconcile`, and peak heap: sampled during the run, after a GC when node runs with
 * `--expose-gc` (`node --expose-gc --import tsx bench/run.ts sim`).
 */
import { reconcile } from '../src/engine/index.js';
import { runSimulation, type Scenario } from '../src/sim/index.js';
import { buildScenario, parseScenarioText } from '../src/spec/scenario.js';
import { loadHpaFile } from '../src/spec/load.js';

export interface SimBenchResult {
  readonly name: string;
  readonly simulatedDays: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  /** Simulated days per wall-clock second. */
  readonly daysPerSecond: number;
  /** Wall seconds inside the engine's reconcile, and how many calls. */
  readonly engineSeconds: number;
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

async function benchScenario(options: Required<SimBenchOptions>): Promise<Scenario> {
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
  const heapBeforeBytes = process.memoryUsage().heapUsed;
  let peakHeapBytes = heapBeforeBytes;
  let engineNs = 0n;
  let engineCalls = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const result = runSimulation(scenario, {
    seed: o.seed,
    onProgress: () => {
      const heap = process.memoryUsage().heapUsed;
      if (heap > peakHeapBytes) peakHeapBytes = heap;
    },
    reconcile: (input) => {
      const s = process.hrtime.bigint();
      const r = reconcile(input);
      engineNs += process.hrtime.bigint() - s;
      engineCalls++;
      return r;
    },
  });
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  gc();
  peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);
  return {
    name: `${scenario.name} (${o.arrivals}, timeline every ${o.timelineEverySyncs} sync${o.timelineEverySyncs === 1 ? '' : 's'})`,
    simulatedDays: o.days,
    wallSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    daysPerSecond: o.days / wallSeconds,
    engineSeconds: Number(engineNs) / 1e9,
    engineCalls,
    timelinePoints: result.timeline.t.length,
    heapBeforeBytes,
    peakHeapBytes,
    rssBytes: process.memoryUsage().rss,
    gcForced,
  };
}

/** The figures `npm run bench` prints: 30 days with the full timeline and with every 20th sync. */
export async function benchSim(): Promise<SimBenchResult[]> {
  return [await benchSimulation({ days: 30 }), await benchSimulation({ days: 30, timelineEverySyncs: 20 })];
}

/** One line per result. */
export function formatSimBench(r: SimBenchResult): string {
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
  return [
    `${r.name}`,
    `  ${r.simulatedDays} days in ${r.wallSeconds.toFixed(2)} s wall (${r.cpuSeconds.toFixed(2)} s CPU): ${r.daysPerSecond.toFixed(1)} simulated days/s`,
    `  engine reconcile: ${r.engineSeconds.toFixed(2)} s for ${r.engineCalls} calls (${((r.engineSeconds / r.engineCalls) * 1e6).toFixed(1)} µs each); simulator: ${(r.wallSeconds - r.engineSeconds).toFixed(2)} s`,
    `  heap: ${mb(r.heapBeforeBytes)} before, ${mb(r.peakHeapBytes)} peak${r.gcForced ? ' (after GC)' : ' (run with --expose-gc for exact figures)'}; ${r.timelinePoints} timeline points; rss ${mb(r.rssBytes)}`,
  ].join('\n');
}

