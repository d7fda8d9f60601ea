/**
 * History: record + replay of one HPA over 30 days at 15 s, and tune over a 7-day trace.
 *
 * The history is the seeds' Lightning ASR HPA (traffic-spike scenario's HPA and service) under a
 * diurnal load (5 -> 45 requests/s), simulated. Replay streams a 30-day trace file written from
 * the run. Record reads from a real Prometheus backfilled with the run's OpenMetrics (one day:
 * a 30-day backfill is ~2 GB of text; the rate is per simulated second, so it scales), skipped
 * when prometheus/promtool are missing. Tune scores `budget` configurations of a 7-day trace's
 * recorded demand on worker threads (one per core). Figures: simulated seconds per wall second
 * and peak RSS.
 */
import { closeSync, createWriteStream, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import {
  backtestScenario,
  captureSimulation,
  createReplayer,
  frameToTraceSync,
  openTrace,
  recordTrace,
  reconstructDemand,
  sampleCandidates,
  scoreCandidates,
  simulatedTraceHeader,
  writeOpenMetrics,
  type SyncFrame,
} from '../src/history/index.js';
import { loadScenarioFile } from '../src/input/files/scenario-loader.js';
import { createPrometheusClient } from '../src/metrics/prometheus-client.js';
import { findExecutable, runPromtool, startPrometheus } from '../src/metrics/prometheus/index.js';
import { parseTrafficSpec, type Scenario } from '../src/sim/index.js';

export interface HistoryBench {
  readonly replay: { days: number; syncs: number; wallSeconds: number; ratio: number; agreement: number };
  readonly record: { days: number; steps: number; wallSeconds: number; ratio: number } | { skipped: string };
  readonly tune: { days: number; budget: number; workers: number; wallSeconds: number; perMinute: number; ratio: number };
  readonly peakRssBytes: number;
  /** Peak heap in use while replaying the month (sampled every 50 ms). */
  readonly replayPeakHeapBytes: number;
}

const START_MS = Date.UTC(2026, 0, 1);

async function diurnal(days: number): Promise<Scenario> {
  const loaded = await loadScenarioFile(new URL('../examples/scenarios/traffic-spike.yaml', import.meta.url).pathname);
  return { ...loaded.scenario, durationSeconds: days * 86_400, traffic: parseTrafficSpec({ type: 'diurnal' }), timelineEverySyncs: 1_000_000 };
}

async function writeTrace(path: string, frames: readonly SyncFrame[], scenario: Scenario, hpas: Scenario['hpas']): Promise<void> {
  const out = createWriteStream(path);
  const header = simulatedTraceHeader(hpas, { startEpochMs: START_MS, durationSeconds: scenario.durationSeconds, stepSeconds: scenario.pipeline.syncPeriodSeconds, scenario: 'diurnal' });
  let buffer = `${JSON.stringify(header)}\n`;
  for (const f of frames) {
    buffer += `${JSON.stringify(frameToTraceSync(f, START_MS))}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(`${buffer}${JSON.stringify({ kind: 'end', syncs: frames.length })}\n`);
  await once(out, 'finish');
}

/** Runs the three measurements. */
export async function benchHistory(options: { replayDays?: number; tuneDays?: number; budget?: number } = {}): Promise<HistoryBench> {
  const replayDays = options.replayDays ?? 30;
  const tuneDays = options.tuneDays ?? 7;
  const budget = options.budget ?? 60;
  let peak = 0;
  let heapPeak = 0;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
  }, 50);
  const dir = await mkdtemp(join(tmpdir(), 'hpa-lab-bench-history-'));
  try {
    const scenario = await diurnal(replayDays);
    // The simulated history, written out once; its frames are dropped before anything is timed.
    const trace = join(dir, 'month.trace.jsonl');
    const weekTrace = join(dir, 'week.trace.jsonl');
    const om = join(dir, 'day.om');
    const hpas = await (async () => {
      const { result, frames } = captureSimulation(scenario, { seed: 1 });
      await writeTrace(trace, frames, scenario, result.hpas);
      await writeTrace(weekTrace, frames.filter((f) => f.tMs < tuneDays * 86_400_000), { ...scenario, durationSeconds: tuneDays * 86_400 }, result.hpas);
      const fd = openSync(om, 'w');
      try {
        writeOpenMetrics(frames.filter((f) => f.tMs < 86_400_000), { startEpochMs: START_MS, write: (text) => void writeSync(fd, text) });
      } finally {
        closeSync(fd);
      }
      return result.hpas;
    })();
    const syncCount = Math.floor((replayDays * 86_400) / scenario.pipeline.syncPeriodSeconds) + 1;
    (globalThis as { gc?: () => void }).gc?.();

    // Replay: stream the 30-day trace through the engine; the median of 3 runs.
    heapPeak = process.memoryUsage().heapUsed;
    const walls: number[] = [];
    let agreement = 0;
    let header!: Awaited<ReturnType<typeof openTrace>>['header'];
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      const opened = await openTrace(trace);
      header = opened.header;
      const replayer = createReplayer(opened.header);
      for await (const s of opened.syncs) replayer.push(s);
      agreement = replayer.finish().agreement;
      walls.push((performance.now() - t) / 1000);
    }
    const replayWall = walls.sort((a, b) => a - b)[1]!;
    let t0 = performance.now();
    const replayPeakHeapBytes = heapPeak;
    const replay = { days: replayDays, syncs: syncCount, wallSeconds: replayWall, ratio: (replayDays * 86_400) / replayWall, agreement };

    // Record: one day from a backfilled Prometheus.
    let record: HistoryBench['record'];
    const missing = ['prometheus', 'promtool'].filter((b) => findExecutable(b) === undefined);
    if (missing.length > 0) record = { skipped: `${missing.join(' and ')} not installed` };
    else {
      const backfill = await runPromtool(['tsdb', 'create-blocks-from', 'openmetrics', om, join(dir, 'prometheus', 'data')], { timeoutMs: 300_000 });
      if (!backfill.ok) throw new Error(`promtool: ${backfill.stderr}`);
      const prom = await startPrometheus({ runDir: dir, settings: { retention: '100y' } });
      try {
        const sink = createWriteStream(join(dir, 'day.trace.jsonl'));
        t0 = performance.now();
        const r = await recordTrace({
          prometheus: createPrometheusClient(prom.url, { timeoutMs: 120_000 }),
          hpas: header.hpas,
          fromMs: START_MS,
          toMs: START_MS + 86_400_000 - 15_000,
          stepSeconds: 15,
          write: async (line) => {
            if (!sink.write(line)) await once(sink, 'drain');
          },
        });
        const wall = (performance.now() - t0) / 1000;
        sink.end();
        record = { days: 1, steps: r.steps, wallSeconds: wall, ratio: 86_400 / wall };
      } finally {
        await prom.stop();
      }
    }

    // Tune: a 7-day trace's demand, `budget` configurations on every core.
    const opened = await openTrace(weekTrace);
    const service = scenario.services['lightning-asr']!;
    const demand = await reconstructDemand(opened.header, `${opened.header.hpas[0]!.namespace}/${opened.header.hpas[0]!.name}`, opened.syncs, service);
    const tuneScenario = backtestScenario(demand, hpas[0]!, { service, base: scenario });
    const candidates = sampleCandidates(hpas[0]!, { budget, seed: 1 });
    const workers = availableParallelism();
    t0 = performance.now();
    await scoreCandidates({ ...tuneScenario, timelineEverySyncs: 1_000_000 }, candidates, { hpaIndex: 0, seed: 1, workers });
    const tuneWall = (performance.now() - t0) / 1000;
    const tune = { days: tuneDays, budget, workers, wallSeconds: tuneWall, perMinute: (budget / tuneWall) * 60, ratio: (budget * tuneDays * 86_400) / tuneWall };
    await writeFile(join(dir, 'done'), '');
    return { replay, record, tune, peakRssBytes: Math.max(peak, process.memoryUsage().rss), replayPeakHeapBytes };
  } finally {
    clearInterval(sample);
    await rm(dir, { recursive: true, force: true });
  }
}

/** The figures as text. */
export function formatHistoryBench(b: HistoryBench): string {
  const x = (r: number): string => `${Math.round(r).toLocaleString('en-US')}×`;
  const lines = ['## history: record + replay of one HPA (30 days at 15 s), tune over a 7-day trace'];
  lines.push(`replay  ${b.replay.days} days, ${b.replay.syncs.toLocaleString('en-US')} syncs in ${b.replay.wallSeconds.toFixed(2)} s: ${x(b.replay.ratio)} real time (agreement ${(b.replay.agreement * 100).toFixed(2)}%)`);
  if ('skipped' in b.record) lines.push(`record  skipped: ${b.record.skipped}`);
  else lines.push(`record  ${b.record.days} day, ${b.record.steps.toLocaleString('en-US')} steps from a backfilled Prometheus in ${b.record.wallSeconds.toFixed(2)} s: ${x(b.record.ratio)} real time`);
  lines.push(`tune    ${b.tune.budget} configurations × ${b.tune.days} days on ${b.tune.workers} workers in ${b.tune.wallSeconds.toFixed(1)} s: ${Math.round(b.tune.perMinute)} configurations/min, ${x(b.tune.ratio)} real time`);
  lines.push(`peak heap while replaying the month ${(b.replayPeakHeapBytes / 2 ** 20).toFixed(0)} MiB; peak RSS of the whole bench ${(b.peakRssBytes / 2 ** 20).toFixed(0)} MiB (the simulated month it builds the trace from)`);
  lines.push('targets: replay ≥ 1,000,000× real time; tune ≥ 500 configurations of a 7-day trace per minute on two cores');
  return lines.join('\n');
}
