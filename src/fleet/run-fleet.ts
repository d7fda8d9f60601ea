/**
 * Runs a fleet across cores: `workers` threads (default one per core) each take the next member
 * index when free, so a slow member does not hold the others; summaries stream to `onMember` in
 * completion order and fold into a `FleetReport`. Memory: one member's run per thread, the
 * summaries the caller keeps, and the report's top lists.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FleetAggregator, runFleetMember, type FleetMemberResult, type FleetReport, type FleetSpec, type Scenario } from '../sim/index.js';
import { reconcile } from '../engine/index.js';
import type { FleetWorkerData, ParentMessage, WorkerMessage } from './messages.js';

/** Input of {@link runFleet}. */
export interface RunFleetOptions {
  readonly fleet: FleetSpec;
  readonly seed: number;
  /** A what-if merged into every HPA; each member then runs twice (base and patched). */
  readonly patch?: Readonly<Record<string, unknown>> | undefined;
  /** Threads (default: one per core); 0 runs every member on the calling thread. */
  readonly workers?: number;
  /** Each member's result as it completes (any order). */
  readonly onMember?: (result: FleetMemberResult) => void;
  /** `full`: run the engine's full pass (today's path), for comparisons. Default `fast`. */
  readonly engine?: 'fast' | 'full';
  /** A module URL whose `runSimulation` runs the members (benchmarks: the previous simulator). Threads only. */
  readonly simulatorUrl?: string;
  /** Members to run (default all `fleet.size`): `[from, to)`. */
  readonly range?: readonly [number, number];
}

/** The worker entry next to this module: `.js` from dist, `.ts` under tsx or vitest. */
const WORKER_ENTRY = fileURLToPath(new URL(`./fleet-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url));

/**
 * A worker running `entry`: compiled JavaScript as is; TypeScript sources (tests, a checkout under
 * tsx) through a bootstrap that registers tsx's loader in the thread first (tsx is a development
 * dependency; Node 20 does not pass `--import` hooks to worker threads).
 */
function startWorker(entry: string, workerData: FleetWorkerData): Worker {
  if (!entry.endsWith('.ts')) return new Worker(entry, { workerData });
  let api: string;
  try {
    api = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx')), 'esm', 'api', 'index.mjs')).href;
  } catch {
    throw new Error(`Cannot start the fleet worker '${entry}' as it is TypeScript and tsx is not installed: run 'npm run build' and use the compiled entry`);
  }
  const bootstrap = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/**
 * Runs every member of the fleet and returns the report.
 *
 * @example const report = await runFleet(scenario, { fleet: { ...DEFAULT_FLEET, size: 1000 }, seed: 1 });
 */
export async function runFleet(scenario: Scenario, options: RunFleetOptions): Promise<FleetReport> {
  const [from, to] = options.range ?? [0, options.fleet.size];
  const aggregator = new FleetAggregator({ simulatedSeconds: scenario.durationSeconds });
  const take = (result: FleetMemberResult): void => {
    aggregator.add(result);
    options.onMember?.(result);
  };
  const threads = Math.min(options.workers ?? availableParallelism(), Math.max(0, to - from));
  if (threads === 0) {
    const engine = options.engine === 'full' ? { reconcile } : {};
    for (let index = from; index < to; index++) take(runFleetMember(scenario, options.fleet, { seed: options.seed, index, patch: options.patch, ...engine }));
    return aggregator.report();
  }
  const data: FleetWorkerData = { scenario, fleet: options.fleet, seed: options.seed, patch: options.patch, engine: options.engine ?? 'fast', simulatorUrl: options.simulatorUrl };
  let next = from;
  await new Promise<void>((resolve, reject) => {
    let live = threads;
    let failed = false;
    const workers: Worker[] = [];
    const stopAll = (): void => {
      for (const w of workers) void w.terminate();
    };
    for (let k = 0; k < threads; k++) {
      const worker = startWorker(WORKER_ENTRY, data);
      workers.push(worker);
      const send = (): void => {
        const message: ParentMessage = next < to ? { kind: 'run', index: next++ } : { kind: 'stop' };
        worker.postMessage(message);
      };
      worker.on('message', (m: WorkerMessage) => {
        if (failed) return;
        if (m.kind === 'error') {
          failed = true;
          stopAll();
          reject(new Error(`fleet member ${m.index} failed: ${m.message}`));
          return;
        }
        take(m.result);
        send();
      });
      worker.on('error', (e) => {
        if (failed) return;
        failed = true;
        stopAll();
        reject(e);
      });
      worker.on('exit', () => {
        live--;
        if (live === 0 && !failed) resolve();
      });
      send();
    }
  });
  return aggregator.report();
}
