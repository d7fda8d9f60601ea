/**
 * Fleet speed and memory: N copies of the benchmark HPA (Lightning ASR, diurnal 5 -> 45 rps
 * times a per-member factor 0.5..4, 1 s traffic, 15 s sync, Poisson arrivals) for D days on W
 * worker threads, as simulated HPA-seconds per wall second (the fleet's multiple of real time is
 * that divided by N), peak RSS of the process (all threads) sampled every 100 ms; and the same
 * members on today's simulator (dist-bench/baseline, built by scripts/bench.mjs) for the ratio.
 * BENCH_FLEET_SIZE, BENCH_FLEET_DAYS, BENCH_FLEET_WORKERS and BENCH_FLEET_BASELINE_SIZE resize it.
 */
import { loadavg } from 'node:os';
import { runFleet } from '../src/fleet/index.js';
import { DEFAULT_FLEET, type FleetReport } from '../src/sim/index.js';
import { benchScenario } from './sim.js';

export interface FleetBenchRun {
  readonly path: 'today' | 'new';
  readonly members: number;
  readonly days: number;
  readonly workers: number;
  readonly wallSeconds: number;
  /** CPU seconds of the whole process (all threads) during the run. */
  readonly cpuSeconds: number;
  /** Simulated HPA-seconds per wall second. */
  readonly hpaSecondsPerSecond: number;
  readonly peakRssBytes: number;
  readonly podHours: number;
  readonly loadAverage: readonly number[];
}

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : fallback;
}

async function timed(path: 'today' | 'new', size: number, days: number, workers: number, simulatorUrl: string | undefined): Promise<FleetBenchRun> {
  const scenario = await benchScenario({ days, timelineEverySyncs: 1, arrivals: 'poisson', seed: 1 });
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
  }, 100);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let report: FleetReport;
  try {
    report = await runFleet(scenario, { fleet: { ...DEFAULT_FLEET, size }, seed: 1, workers, ...(simulatorUrl === undefined ? {} : { simulatorUrl }) });
  } finally {
    clearInterval(timer);
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  peak = Math.max(peak, process.memoryUsage().rss);
  return {
    path,
    members: size,
    days,
    workers,
    wallSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    hpaSecondsPerSecond: (size * days * 86_400) / wallSeconds,
    peakRssBytes: peak,
    podHours: report.totals.podHours,
    loadAverage: loadavg(),
  };
}

/** The baseline simulator's module URL, when scripts/bench.mjs built it. */
export function baselineSimulatorUrl(): string | undefined {
  return new URL('../baseline/out/sim/index.js', import.meta.url).href;
}

/**
 * Today's path on a sample (BENCH_FLEET_BASELINE_SIZE members, default 20), then the new path on
 * the same sample and on the whole fleet (BENCH_FLEET_SIZE, default 1,000).
 */
export async function benchFleet(): Promise<FleetBenchRun[]> {
  const size = envInt('BENCH_FLEET_SIZE', 1000);
  const days = envInt('BENCH_FLEET_DAYS', 30);
  const workers = envInt('BENCH_FLEET_WORKERS', 2);
  const sample = Math.min(size, envInt('BENCH_FLEET_BASELINE_SIZE', 20));
  const out: FleetBenchRun[] = [];
  let url = baselineSimulatorUrl();
  try {
    if (url !== undefined) await import(url);
  } catch {
    url = undefined;
  }
  if (url !== undefined) out.push(await timed('today', sample, days, workers, url));
  out.push(await timed('new', sample, days, workers, undefined));
  if (size > sample) out.push(await timed('new', size, days, workers, undefined));
  return out;
}

/** One line per run. */
export function formatFleetBench(runs: readonly FleetBenchRun[]): string {
  const today = runs.find((r) => r.path === 'today');
  return runs
    .map((r) => {
      const ratio = today !== undefined && r !== today ? `, ${(r.hpaSecondsPerSecond / today.hpaSecondsPerSecond).toFixed(2)}× today` : '';
      const perCpu = (r.members * r.days * 86_400) / r.cpuSeconds;
      return (
        `${r.path.padEnd(5)} ${r.members} HPAs × ${r.days} d on ${r.workers} threads: ${r.wallSeconds.toFixed(1)} s wall (${r.cpuSeconds.toFixed(1)} s CPU), ` +
        `${(r.hpaSecondsPerSecond / 1e6).toFixed(2)} M HPA-seconds/s = ${Math.round(r.hpaSecondsPerSecond / r.members).toLocaleString('en-US')}× real time for this fleet${ratio}; ` +
        `${(perCpu / 1e6).toFixed(2)} M HPA-seconds per CPU-second: a 1,000-HPA fleet on ${r.workers} dedicated cores ≈ ${Math.round((perCpu * r.workers) / 1000).toLocaleString('en-US')}× real time; ` +
        `peak RSS ${(r.peakRssBytes / 1024 / 1024).toFixed(0)} MiB; ${r.podHours.toFixed(0)} pod-hours; load average ${r.loadAverage.map((x) => x.toFixed(1)).join(' ')}`
      );
    })
    .join('\n');
}
